#pragma once
// Applications to join and their review. Approval creates the member unit, numbers it and turns
// the applicant's account into a member account, in one transaction with its audit rows.

#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "core/table_export.hpp"
#include "core/validate.hpp"
#include "services/accounts/credential_cache.hpp"
#include "services/accounts/password_hasher.hpp"
#include "services/membership/membership.hpp"
#include "services/privacy/export_fields.hpp"

namespace xiehui::membership {

struct ApplicationPage {
  std::vector<Application> items;
  long long total = 0;
};

struct MemberPage {
  std::vector<Member> items;
  long long total = 0;
};

/// A member unit as one caller may see it: `full` is false when only the public directory
/// fields (name, short name, type, level, city, tier) may be shown.
struct MemberView {
  Member member;
  bool full = false;
};

/// Fields of a contact to change; absent ones stay.
struct ContactPatch {
  std::optional<std::string> role, name, title, mobile, email;
};

/// Fields of a unit to change; absent ones stay. `sort_reading` corrects the pinyin reading
/// the directory sorts by ("chang sha jing ji …").
/// `effective_on` (YYYY-MM-DD, default today) dates a rename in the unit's name history.
struct MemberPatch {
  std::optional<std::string> name, short_name, address, city_code, type, level, sort_reading,
      effective_on;
};

/// Limits of the public application form.
struct ApplicationPolicy {
  std::size_t min_password_length = 10;
  /// Applications one address may submit per hour (an office behind one NAT applies a few
  /// times at most; a script applies thousands).
  int per_address_per_hour = 5;
};

struct Approval {
  long long member_id = 0;
  std::string member_no;
  /// What became of the applicant's account: "active" (now the unit's member account),
  /// "disabled" (linked, but an admin disabled it and it stays so), "not_linked" (an admin gave
  /// it other roles meanwhile; the unit has no member account yet).
  std::string account = "active";
};

class MembershipService {
 public:
  /// `credentials`: the lookups to forget when an approval makes an applicant a member.
  MembershipService(db::Database& db, accounts::PasswordHasher& hasher, const Clock& clock,
                    ApplicationPolicy policy = {}, accounts::CredentialCache* credentials = nullptr)
      : db_(db), hasher_(hasher), clock_(clock), policy_(policy), credentials_(credentials) {}

  /// A public application: invalid_argument naming each bad field; already_exists when the
  /// credit code is already a member or has a pending application ("org.uscc"), or the
  /// username is taken ("account.username"); rate_limited past the per-address limit, which
  /// counts every submission, refused ones included. Creates the applicant's account (no roles
  /// yet).
  Result<Application> submit(ApplicationInput input, const std::string& ip);
  /// The applications the caller submitted, newest first (what an applicant sees on signing in).
  Result<std::vector<Application>> my_applications(const Principal& who);

  /// The system's own reading (the demo): nothing masked, nothing logged.
  Result<ApplicationPage> list(const std::string& status, int page, int page_size);
  /// As `who` reads it: staff in full (the page logged), leaders with the contacts masked.
  Result<ApplicationPage> list(const std::string& status, int page, int page_size,
                               const Principal& who);
  /// One application: staff and leaders see any, an applicant only its own (else not_found).
  Result<Application> get(long long id, const Principal& who);

  /// Approves a pending application with a tier; conflict when it is no longer pending.
  Result<Approval> approve(long long id, const std::string& tier, const Principal& actor);
  /// One page of the directory (sort "name" or "joined", else invalid_argument naming "sort").
  /// A caller without members.read_all may filter and sort by public fields only: a status
  /// filter or sort=joined is invalid_argument naming the field (such a caller still sees its
  /// own unit in full via get_member).
  Result<MemberPage> list_members(const MemberFilter& filter, int page, int page_size,
                                  const Principal& who);
  /// One unit: in full for members.read_all and for the unit's own member accounts, the
  /// public fields for other signed-in callers with directory.read.
  Result<MemberView> get_member(long long id, const Principal& who);

  /// Changes a unit. Staff change every field; a unit's own account only its short name and
  /// address (permission_denied for the rest). Renaming recomputes the pinyin sort key unless a
  /// corrected reading is given. Audited with the fields that changed.
  Result<Member> update_member(long long id, const MemberPatch& patch, const Principal& who);

  /// Moves a unit to another status with a reason (1–500 characters), recording the change in
  /// its history and the audit log. Transitions follow status_change_allowed (conflict
  /// otherwise; invalid_argument for an unknown status or a missing reason).
  Result<Member> change_status(long long member_id, const std::string& status,
                               const std::string& reason, const Principal& actor);
  /// The unit's status changes, oldest first.
  Result<std::vector<StatusChange>> status_history(long long member_id);

  /// Moves a unit to another tier from `effective_on` (YYYY-MM-DD; empty = today) with a reason,
  /// recorded in its history and the audit log; conflict when it already has that tier.
  Result<Member> change_tier(long long member_id, const std::string& tier,
                             const std::string& effective_on, const std::string& reason,
                             const Principal& actor);
  /// Tier, name, representative and status changes, newest first: for members.read_all and the
  /// unit's own accounts (others: not_found).
  Result<std::vector<HistoryEntry>> history(long long member_id, const Principal& who);

  /// A unit's contacts, representative first: for members.read_all and the unit's own
  /// accounts (others: not_found). Mobile numbers are masked (138****5678) unless the caller
  /// may change the unit (staff, or the unit's own account).
  Result<std::vector<MemberContact>> list_contacts(long long member_id, const Principal& who);
  /// Adds a contact (staff, or the unit's own account). A new representative makes the
  /// previous one a liaison, recorded in the audit log.
  Result<MemberContact> add_contact(long long member_id, MemberContact contact,
                                    const Principal& who);
  Result<MemberContact> update_contact(long long member_id, long long contact_id,
                                       const ContactPatch& patch, const Principal& who);
  Status delete_contact(long long member_id, long long contact_id, const Principal& who);

  /// The filtered directory as a table with Chinese headers, for xlsx/CSV export (every unit
  /// matching the filter, sorted as listed), with each unit's representative and, when
  /// `fields` asks, their mobile and e-mail (masked for callers who may not change units).
  /// Logged as an export.
  Result<privacy::PersonalExport> export_members(const MemberFilter& filter, const Principal& who,
                                                 privacy::ExportFields fields);

  /// Rejects a pending application with a reason the applicant sees.
  /// The applicant withdraws its own pending application (status "withdrawn"): not_found for
  /// anyone else's, conflict once it is decided. Its credit code may apply again.
  Result<Application> withdraw(long long id, const Principal& who);
  Result<Application> reject(long long id, const std::string& reason, const Principal& actor);

 private:
  Result<bool> count_submission(const std::string& ip, Timestamp now);
  db::Database& db_;
  accounts::PasswordHasher& hasher_;
  const Clock& clock_;
  ApplicationPolicy policy_;
  accounts::CredentialCache* credentials_;
};

}  // namespace xiehui::membership
