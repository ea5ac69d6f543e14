#pragma once
// The hash-chained audit log. Every business write appends one entry inside its own transaction;
// each row's hash covers its fields and the previous row's hash, so altering, deleting or
// reordering rows is detected by verify_audit_chain.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"

namespace xiehui {

/// What happened, by whom. `summary` names what changed, never a password or token.
struct AuditEntry {
  std::optional<long long> actor_id;
  std::string actor_name;  ///< username, or "-" for an anonymous caller
  std::string address;
  std::string action;       ///< "user.create", "session.login_failed", ...
  std::string entity_type;  ///< "user", "session", "route", ...
  std::string entity_id;
  std::string summary;
};

/// A stored audit row.
struct AuditRecord {
  long long id = 0;
  Timestamp at;
  AuditEntry entry;
  std::string prev_hash;
  std::string hash;
  /// Set when the summary named a person who was erased: the SHA-256 of the summary as written,
  /// which the version 2 hash covers in place of the placeholder now in `entry.summary`.
  std::optional<std::string> erased_digest;
};

/// How a chain's rows are hashed: version 1 covers the summary's text, version 2 its SHA-256
/// (so that a summary can be erased and the chain still verifies). audit_head says which.
inline constexpr int kAuditHashVersion = 2;

/// The hash of a record over its id, time, fields and prev_hash (pure).
std::string audit_hash(const AuditRecord& record, int version = kAuditHashVersion);

/// What an erased summary reads. A row with a digest and any other summary fails verification:
/// erasing can only remove a summary's text, never replace it with other text.
inline constexpr std::string_view kErasedSummary = "[已删除]";

/// Replaces the summaries of the given rows with kErasedSummary, keeping each original's digest
/// so the chain still verifies. Returns the rows changed, or nothing when the chain is still
/// version 1 (it did not verify when the server started): then nothing is changed, since a
/// changed summary would break it.
std::optional<long long> erase_audit_summaries(soci::session& s, const std::vector<long long>& ids);

/// Converts a version 1 chain to version 2 when it verifies: every row is hashed again in
/// order, under the head's lock, in the caller's transaction. A chain that does not verify is
/// left as it is (verification goes on naming its first bad row) and false is returned; true
/// when the chain is (now) version 2.
bool upgrade_audit_chain(soci::session& s);

/// Appends `entry` in the caller's transaction. Writers are serialised on the chain head row
/// (a row lock on MariaDB), so concurrent transactions never fork the chain. Returns the id.
long long append_audit(soci::session& s, const AuditEntry& entry, Timestamp at);

/// The account acting, as the audit row records it (none for an anonymous caller).
inline std::optional<long long> actor_id(const Principal& p) {
  return p.user_id ? std::optional<long long>(p.user_id) : std::nullopt;
}

/// Appends what `who` did to one entity, in the caller's transaction.
inline long long audit_as(soci::session& s, const Principal& who, std::string action,
                          std::string entity_type, long long entity_id, std::string summary,
                          Timestamp at) {
  return append_audit(s,
                      {actor_id(who), who.username, who.address, std::move(action),
                       std::move(entity_type), std::to_string(entity_id), std::move(summary)},
                      at);
}

/// Many appends in one transaction (a bulk import): the head is read and locked once, each row
/// is one INSERT, and finish() writes the head back. Nothing else may append to the chain in
/// the same transaction between construction and finish().
class AuditBatch {
 public:
  explicit AuditBatch(soci::session& s);
  long long append(const AuditEntry& entry, Timestamp at);
  /// Writes the new head; call once, before the transaction commits.
  void finish();

 private:
  soci::session& s_;
  long long last_id_ = 0;
  std::string last_hash_;
  int version_ = 1;
  bool dirty_ = false;
};

/// The columns every audit query selects, in the order read_audit_record expects.
inline constexpr const char* kAuditColumns =
    "id, at, actor_id, actor_name, address, action, entity_type, entity_id, summary, prev_hash, "
    "hash, erased_digest";
/// Reads a row selected with kAuditColumns.
AuditRecord read_audit_record(const soci::row& row);

/// The result of walking the chain.
struct AuditVerification {
  bool ok = true;
  long long checked = 0;
  std::optional<long long> first_bad_id;  ///< the first altered, missing or misplaced row
};

/// Walks every row in id order, recomputing hashes and links.
AuditVerification verify_audit_chain(soci::session& s);

}  // namespace xiehui
