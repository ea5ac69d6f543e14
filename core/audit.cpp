#include "core/audit.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/crypto.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"

namespace xiehui {
namespace {

// Length-prefixed so that no two different field lists hash the same text.
void field(std::string& out, std::string_view value) {
  out += fmt::format("{}:{};", value.size(), value);
}

}  // namespace

std::string audit_hash(const AuditRecord& r, int version) {
  std::string text;
  field(text, std::to_string(r.id));
  field(text, format_db_timestamp(r.at));
  field(text, r.entry.actor_id ? std::to_string(*r.entry.actor_id) : "");
  field(text, r.entry.actor_name);
  field(text, r.entry.address);
  field(text, r.entry.action);
  field(text, r.entry.entity_type);
  field(text, r.entry.entity_id);
  if (version >= 2) {
    field(text, r.erased_digest ? *r.erased_digest : sha256_hex(r.entry.summary));
  } else {
    field(text, r.entry.summary);
  }
  field(text, r.prev_hash);
  return sha256_hex(text);
}

namespace {

void insert_record(soci::session& s, const AuditRecord& r) {
  const std::string at_text = format_db_timestamp(r.at);
  long long actor = r.entry.actor_id.value_or(0);
  soci::indicator actor_ind = r.entry.actor_id ? soci::i_ok : soci::i_null;
  s << "INSERT INTO audit_log (id, at, actor_id, actor_name, address, action, entity_type, "
       "entity_id, summary, prev_hash, hash) VALUES (:id, :at, :actor, :name, :addr, :action, "
       ":etype, :eid, :summary, :prev, :hash)",
      soci::use(r.id), soci::use(at_text), soci::use(actor, actor_ind),
      soci::use(r.entry.actor_name), soci::use(r.entry.address), soci::use(r.entry.action),
      soci::use(r.entry.entity_type), soci::use(r.entry.entity_id), soci::use(r.entry.summary),
      soci::use(r.prev_hash), soci::use(r.hash);
}

}  // namespace

long long append_audit(soci::session& s, const AuditEntry& entry, Timestamp at) {
  AuditBatch batch(s);
  const long long id = batch.append(entry, at);
  batch.finish();
  return id;
}

AuditBatch::AuditBatch(soci::session& s) : s_(s) {
  s_ << std::string("SELECT last_id, last_hash, hash_version FROM audit_head WHERE id = 1") +
            db::for_update(s_),
      soci::into(last_id_), soci::into(last_hash_), soci::into(version_);
  if (last_id_ == 0 && version_ != kAuditHashVersion) {
    // An empty chain starts at the current version: nothing to convert.
    version_ = kAuditHashVersion;
    s_ << "UPDATE audit_head SET hash_version = :v WHERE id = 1", soci::use(version_);
  }
}

long long AuditBatch::append(const AuditEntry& entry, Timestamp at) {
  AuditRecord r{last_id_ + 1, at, entry, last_hash_, {}, {}};
  r.hash = audit_hash(r, version_);
  insert_record(s_, r);
  last_id_ = r.id;
  last_hash_ = r.hash;
  dirty_ = true;
  return r.id;
}

void AuditBatch::finish() {
  if (!dirty_) return;
  s_ << "UPDATE audit_head SET last_id = :id, last_hash = :hash WHERE id = 1", soci::use(last_id_),
      soci::use(last_hash_);
  dirty_ = false;
}

AuditRecord read_audit_record(const soci::row& row) {
  AuditRecord r;
  r.id = db::get_int64(row, 0);
  r.at = parse_db_timestamp(row.get<std::string>(1)).value_or(Timestamp{});
  if (row.get_indicator(2) == soci::i_ok) r.entry.actor_id = db::get_int64(row, 2);
  r.entry.actor_name = row.get<std::string>(3);
  r.entry.address = row.get<std::string>(4);
  r.entry.action = row.get<std::string>(5);
  r.entry.entity_type = row.get<std::string>(6);
  r.entry.entity_id = row.get<std::string>(7);
  r.entry.summary = row.get<std::string>(8);
  r.prev_hash = row.get<std::string>(9);
  r.hash = row.get<std::string>(10);
  if (row.get_indicator(11) == soci::i_ok) r.erased_digest = row.get<std::string>(11);
  return r;
}

namespace {

int chain_version(soci::session& s) {
  int version = 1;
  s << "SELECT hash_version FROM audit_head WHERE id = 1", soci::into(version);
  return version;
}

// Walks the rows in id order, recomputing each hash under `version`; `each` sees every row
// that checked out, in order.
template <typename Each>
AuditVerification walk_chain(soci::session& s, int version, Each&& each) {
  AuditVerification result;
  long long expected_id = 1;
  std::string prev;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY id");
  for (const soci::row& row : rows) {
    const AuditRecord r = read_audit_record(row);
    const bool bad = r.id != expected_id || r.prev_hash != prev ||
                     audit_hash(r, version) != r.hash ||
                     (r.erased_digest && r.entry.summary != kErasedSummary);
    if (bad) {
      result.ok = false;
      result.first_bad_id = std::min(r.id, expected_id);
      return result;
    }
    each(r);
    ++result.checked;
    prev = r.hash;
    expected_id = r.id + 1;
  }
  long long head_id = 0;
  std::string head_hash;
  s << "SELECT last_id, last_hash FROM audit_head WHERE id = 1", soci::into(head_id),
      soci::into(head_hash);
  if (head_id != expected_id - 1 || head_hash != prev) {
    result.ok = false;  // rows removed from the end
    result.first_bad_id = expected_id;
  }
  return result;
}

}  // namespace

AuditVerification verify_audit_chain(soci::session& s) {
  return walk_chain(s, chain_version(s), [](const AuditRecord&) {});
}

bool upgrade_audit_chain(soci::session& s) {
  int version = 1;
  s << std::string("SELECT hash_version FROM audit_head WHERE id = 1") + db::for_update(s),
      soci::into(version);
  if (version >= kAuditHashVersion) return true;
  // Read the whole verified chain first: the rowset must be finished before the updates.
  std::vector<AuditRecord> records;
  if (!walk_chain(s, version, [&](const AuditRecord& r) { records.push_back(r); }).ok) {
    return false;
  }
  std::string prev;
  for (AuditRecord& r : records) {
    r.prev_hash = prev;
    r.hash = audit_hash(r, kAuditHashVersion);
    s << "UPDATE audit_log SET prev_hash = :prev, hash = :hash WHERE id = :id",
        soci::use(r.prev_hash), soci::use(r.hash), soci::use(r.id);
    prev = r.hash;
  }
  const int now_version = kAuditHashVersion;
  s << "UPDATE audit_head SET last_hash = :hash, hash_version = :v WHERE id = 1", soci::use(prev),
      soci::use(now_version);
  return true;
}

std::optional<long long> erase_audit_summaries(soci::session& s,
                                               const std::vector<long long>& ids) {
  if (ids.empty()) return 0;
  int version = 1;
  s << std::string("SELECT hash_version FROM audit_head WHERE id = 1") + db::for_update(s),
      soci::into(version);
  if (version < 2) return std::nullopt;
  const std::string text(kErasedSummary);
  long long changed = 0;
  for (const long long id : ids) {
    std::string summary;
    soci::indicator digest_ind = soci::i_null;
    std::string digest;
    s << "SELECT summary, erased_digest FROM audit_log WHERE id = :id", soci::use(id),
        soci::into(summary), soci::into(digest, digest_ind);
    if (!s.got_data() || summary == text) continue;
    if (digest_ind == soci::i_ok) continue;  // erased already: its digest stays
    digest = sha256_hex(summary);
    s << "UPDATE audit_log SET summary = :summary, erased_digest = :digest WHERE id = :id",
        soci::use(text), soci::use(digest), soci::use(id);
    ++changed;
  }
  return changed;
}

}  // namespace xiehui
