#include "services/membership/membership_service.hpp"

#include "core/audit.hpp"
#include "core/pinyin.hpp"
#include "core/time.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/accounts/address_limit.hpp"
#include "services/accounts/session_repository.hpp"
#include "services/accounts/user_repository.hpp"
#include "services/membership/membership_labels.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/membership/membership_rules.hpp"
#include "services/privacy/access_log.hpp"
#include "services/privacy/consent.hpp"
#include "services/privacy/notice_repository.hpp"

namespace xiehui::membership {
namespace {

namespace mr = membership_repository;

Error field_conflict(std::string field, Text message) {
  Error e = make_error(ErrorCode::already_exists, message);
  e.fields.push_back({std::move(field), std::move(message)});
  return e;
}

Error no_such_application() { return not_found_error({"入会申请", "application"}); }

Error not_pending() {
  return make_error(ErrorCode::conflict,
                    {"该申请已处理，不能重复审核", "The application has already been decided"});
}

AuditEntry audit_for(const Principal& actor, std::string action, long long id,
                     std::string summary) {
  return {actor.user_id ? std::optional<long long>(actor.user_id) : std::nullopt,
          actor.username,
          actor.address,
          std::move(action),
          "application",
          std::to_string(id),
          std::move(summary)};
}

constexpr const char* kApplicantFields = "申请联系人姓名、职务、手机、邮箱";

void mask_contact(privacy::Sight sight, Contact& c) {
  privacy::mask_mobile_if(sight, c.mobile);
  privacy::mask_email_if(sight, c.email);
}

bool can_read_unit(const Principal& who, long long member_id) {
  return who.can(Permission::members_read_all) || who.member_id == member_id;
}

bool can_change_unit(const Principal& who, long long member_id) {
  return who.can(Permission::members_write) ||
         (who.can(Permission::own_unit_manage) && who.member_id == member_id);
}

Error no_such_unit() { return not_found_error({"会员单位", "member unit"}); }
Error no_such_contact() { return not_found_error({"联系人", "contact"}); }

// Stores a new or changed contact inside the caller's transaction, keeping one representative.
void save_contact(soci::session& s, MemberContact& c, bool is_new, const Principal& who,
                  Timestamp now) {
  if (c.role == "representative") {
    // A new representative is a change of who speaks for the unit: the membership stays, the
    // change is recorded in the unit's history.
    const auto previous = mr::representative(s, c.member_id);
    if (!previous || previous->id != c.id) {
      mr::insert_history(s, c.member_id,
                         {"representative", previous ? previous->person.name : "", c.person.name,
                          format_date(shanghai_date(now)), "", who.username, now},
                         actor_id(who));
    }
    mr::demote_representatives(s, c.member_id, now);
  }
  if (is_new) {
    c.id = mr::insert_contact(s, c, now);
  } else {
    mr::update_contact(s, c, now);
  }
  append_audit(s,
               {actor_id(who), who.username, who.address,
                is_new ? "contact.create" : "contact.update", "member", std::to_string(c.member_id),
                "contact " + std::to_string(c.id) + " " + c.role + " " + c.person.name},
               now);
}

// The applicant's account becomes the new unit's member account. An account an admin has
// disabled stays disabled, and one an admin has given other roles meanwhile is left alone: the
// reviewer is told which ("active", "disabled", "not_linked").
std::string link_applicant_account(soci::session& s, long long user_id, long long member_id,
                                   Timestamp now) {
  namespace ur = accounts::user_repository;
  auto user = ur::lock_by_id(s, user_id);
  if (!user) return "not_linked";
  if (!user->roles.empty()) return "not_linked";
  ur::replace_roles(s, user_id, {Role::member});
  // The applicant's own sessions stay: it gains the unit it asked for and loses nothing.
  ur::update_profile(s, user_id, user->display_name, user->disabled, member_id, now);
  return user->disabled ? "disabled" : "active";
}

}  // namespace

Result<std::vector<MemberContact>> MembershipService::list_contacts(long long member_id,
                                                                    const Principal& who) {
  if (!can_read_unit(who, member_id)) return std::unexpected(no_such_unit());
  // Staff read them in full (logged), the unit its own, leaders with the contacts masked.
  const auto sight = who.member_id == member_id ? privacy::Sight::full_own
                                                : privacy::sight_of(who, Permission::members_write);
  const Timestamp now = clock_.now();
  return privacy::read_logged(db_, sight,
                              [&](soci::session& s) -> Result<std::vector<MemberContact>> {
                                if (!mr::find_member(s, member_id))
                                  return std::unexpected(no_such_unit());
                                auto contacts = mr::list_contacts(s, member_id);
                                for (auto& c : contacts) {
                                  privacy::mask_mobile_if(sight, c.person.mobile);
                                  privacy::mask_email_if(sight, c.person.email);
                                }
                                if (sight == privacy::Sight::full_logged) {
                                  privacy::log_view(s, who, "member", member_id, "会员单位联系人",
                                                    "姓名、职务、手机、邮箱", contacts.size(), now);
                                }
                                return contacts;
                              });
}

Result<MemberContact> MembershipService::add_contact(long long member_id, MemberContact c,
                                                     const Principal& who) {
  if (!can_change_unit(who, member_id)) {
    return std::unexpected(can_read_unit(who, member_id)
                               ? make_error(ErrorCode::permission_denied,
                                            {"您没有执行此操作的权限", "You may not do this"})
                               : no_such_unit());
  }
  c.member_id = member_id;
  if (auto errors = check_contact(c); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<MemberContact> {
    if (!mr::find_member(s, member_id, true)) return std::unexpected(no_such_unit());
    save_contact(s, c, true, who, now);
    return c;
  });
}

Result<MemberContact> MembershipService::update_contact(long long member_id, long long contact_id,
                                                        const ContactPatch& patch,
                                                        const Principal& who) {
  if (!can_change_unit(who, member_id)) return std::unexpected(no_such_contact());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<MemberContact> {
    if (!mr::find_member(s, member_id, true)) return std::unexpected(no_such_unit());
    auto c = mr::find_contact(s, contact_id);
    if (!c || c->member_id != member_id) return std::unexpected(no_such_contact());
    if (patch.role) c->role = *patch.role;
    if (patch.name) c->person.name = *patch.name;
    if (patch.title) c->person.title = *patch.title;
    if (patch.mobile) c->person.mobile = *patch.mobile;
    if (patch.email) c->person.email = *patch.email;
    if (auto errors = check_contact(*c); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
    save_contact(s, *c, false, who, now);
    return *c;
  });
}

Status MembershipService::delete_contact(long long member_id, long long contact_id,
                                         const Principal& who) {
  if (!can_change_unit(who, member_id)) return std::unexpected(no_such_contact());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    auto c = mr::find_contact(s, contact_id);
    if (!c || c->member_id != member_id) return std::unexpected(no_such_contact());
    mr::delete_contact(s, contact_id);
    append_audit(
        s,
        {actor_id(who), who.username, who.address, "contact.delete", "member",
         std::to_string(member_id), "contact " + std::to_string(contact_id) + " " + c->person.name},
        now);
    return {};
  });
}

Result<Application> MembershipService::submit(ApplicationInput in, const std::string& ip) {
  const Timestamp now = clock_.now();
  // Every submission counts towards the address's hourly limit, whatever its answer, so the
  // form's answers (a taken username, a credit code already in) cannot be probed at will.
  auto counted = count_submission(ip, now);
  if (!counted) return std::unexpected(counted.error());
  if (!*counted) {
    return std::unexpected(
        make_error(ErrorCode::rate_limited, {"来自您网络的申请过于频繁，请一小时后再试",
                                             "Too many applications from your network; "
                                             "try again in an hour"}));
  }
  auto errors = check_application(in, hunan_prefectures(), policy_.min_password_length);
  if (!in.consent_version) errors.push_back(privacy::consent_missing());
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const std::string hash = hasher_.hash(in.password);
  auto created = db_.with_transaction([&](soci::session& s) -> Result<Application> {
    if (auto st = privacy::check_consent(s, in.consent_version); !st) {
      return std::unexpected(st.error());
    }
    if (mr::uscc_is_member(s, in.org.uscc)) {
      return std::unexpected(field_conflict(
          "org.uscc", {"该统一社会信用代码已是协会会员", "this credit code is already a member"}));
    }
    if (mr::uscc_is_pending(s, in.org.uscc)) {
      return std::unexpected(field_conflict(
          "org.uscc", {"该单位已有待审核的申请", "an application for this code is pending"}));
    }
    if (accounts::user_repository::find_by_username(s, in.username)) {
      return std::unexpected(
          field_conflict("account.username", {"用户名已被使用", "the username is taken"}));
    }
    // The applicant's e-mail is the account's: where a forgotten password's reset link goes.
    const long long user_id = accounts::user_repository::insert(
        s, {in.username, in.contact.name, {}, {}, {}, in.contact.email}, hash, now);
    const long long id = mr::insert_application(s, in, user_id, now, ip);
    // The applicant accepted the notice on the form: not asked again at the first sign-in.
    privacy::notice_repository::accept(s, user_id, *in.consent_version, now);
    append_audit(s,
                 {user_id, in.username, ip, "application.submit", "application", std::to_string(id),
                  in.org.name + " " + in.org.uscc},
                 now);
    return *mr::find_application(s, id, false);
  });
  if (!created && created.error().code == ErrorCode::already_exists &&
      created.error().fields.empty()) {
    return std::unexpected(field_conflict(  // lost a race to a unique index
        "account.username", {"用户名已被使用", "the username is taken"}));
  }
  return created;
}

// One submission from `ip` counted against the hourly limit: false when the limit is used up.
Result<bool> MembershipService::count_submission(const std::string& ip, Timestamp now) {
  return accounts::count_hourly(db_, "apply:" + ip, policy_.per_address_per_hour, now);
}

Result<ApplicationPage> MembershipService::list(const std::string& status, int page,
                                                int page_size) {
  return db_.with_session([&](soci::session& s) -> Result<ApplicationPage> {
    return ApplicationPage{mr::list_applications(s, status, page_size, (page - 1) * page_size),
                           mr::count_applications(s, status)};
  });
}

Result<ApplicationPage> MembershipService::list(const std::string& status, int page, int page_size,
                                                const Principal& who) {
  const auto sight = privacy::sight_of(who, Permission::applications_review);
  const Timestamp now = clock_.now();
  return privacy::read_logged(db_, sight, [&](soci::session& s) -> Result<ApplicationPage> {
    ApplicationPage p{mr::list_applications(s, status, page_size, (page - 1) * page_size),
                      mr::count_applications(s, status)};
    for (auto& a : p.items) mask_contact(sight, a.contact);
    if (sight == privacy::Sight::full_logged && !p.items.empty()) {
      privacy::log_view(s, who, "application", 0, "入会申请列表", kApplicantFields, p.items.size(),
                        now);
    }
    return p;
  });
}

Result<Application> MembershipService::get(long long id, const Principal& who) {
  // Staff read it in full (logged), the applicant its own, leaders with the contact masked.
  const auto sight = privacy::sight_of(who, Permission::applications_review);
  const Timestamp now = clock_.now();
  return privacy::read_logged(db_, sight, [&](soci::session& s) -> Result<Application> {
    auto a = mr::find_application(s, id, false);
    const bool own = a && a->user_id == who.user_id;
    if (!a || (!who.can(Permission::applications_review) &&
               !who.can(Permission::members_read_all) && !own)) {
      return std::unexpected(no_such_application());
    }
    if (!own) mask_contact(sight, a->contact);
    if (sight == privacy::Sight::full_logged) {
      privacy::log_view(s, who, "application", id, "入会申请", kApplicantFields, 1, now);
    }
    return *a;
  });
}

Result<MemberPage> MembershipService::list_members(const MemberFilter& filter, int page,
                                                   int page_size, const Principal& who) {
  if (filter.sort != "name" && filter.sort != "joined") {
    return std::unexpected(
        invalid_fields({{"sort", {"应为 name 或 joined", "must be name or joined"}}}));
  }
  // A status filter or the joining order would tell a member what it may not read (other
  // units' status and joining dates): refused, so the answer never depends on them.
  if (!who.can(Permission::members_read_all)) {
    std::vector<FieldError> errors;
    if (!filter.status.empty()) {
      errors.push_back({"status", {"无权按会员状态筛选", "you may not filter by status"}});
    }
    if (filter.sort == "joined") {
      errors.push_back({"sort", {"无权按入会日期排序", "you may not sort by joining date"}});
    }
    if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  }
  MemberFilter f = filter;
  f.q_matches_number = who.can(Permission::members_read_all);
  return db_.with_session([&](soci::session& s) -> Result<MemberPage> {
    return MemberPage{mr::list_members(s, f, page_size, (page - 1) * page_size),
                      mr::count_members(s, f)};
  });
}

Result<MemberView> MembershipService::get_member(long long id, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<MemberView> {
    auto m = mr::find_member(s, id);
    if (!m) return std::unexpected(not_found_error({"会员单位", "member unit"}));
    const bool full = who.can(Permission::members_read_all) || who.member_id == id;
    return MemberView{std::move(*m), full};
  });
}

Result<Member> MembershipService::update_member(long long id, const MemberPatch& patch,
                                                const Principal& who) {
  const bool staff = who.can(Permission::members_write);
  if (!staff && !can_change_unit(who, id)) {
    return std::unexpected(can_read_unit(who, id)
                               ? make_error(ErrorCode::permission_denied,
                                            {"您没有执行此操作的权限", "You may not do this"})
                               : no_such_unit());
  }
  if (!staff &&
      (patch.name || patch.city_code || patch.type || patch.level || patch.sort_reading)) {
    return std::unexpected(make_error(ErrorCode::permission_denied,
                                      {"会员单位只能修改简称和地址，其他信息请联系秘书处",
                                       "A member may change only its short name and address"}));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Member> {
    auto m = mr::find_member(s, id, true);
    if (!m) return std::unexpected(no_such_unit());
    Member after = *m;
    if (patch.name) after.org.name = *patch.name;
    if (patch.short_name) after.org.short_name = *patch.short_name;
    if (patch.address) after.org.address = *patch.address;
    if (patch.city_code) after.org.city_code = *patch.city_code;
    if (patch.type) after.org.type = *patch.type;
    if (patch.level) after.org.level = *patch.level;
    std::vector<FieldError> errors;
    accounts::check_length(errors, after.org.name, "name", 2, 100);
    accounts::check_length(errors, after.org.short_name, "short_name", 1, 50);
    accounts::check_length(errors, after.org.address, "address", 0, 200);
    if (!find_division(hunan_prefectures(), after.org.city_code)) {
      errors.push_back({"city_code", {"请选择所在市州", "choose the host city"}});
    }
    if (!is_org_type(after.org.type)) errors.push_back({"type", {"类型无效", "unknown type"}});
    if (!is_org_level(after.org.level)) errors.push_back({"level", {"级别无效", "unknown level"}});
    if (patch.sort_reading) {
      after.sort_key = pinyin_sort_key_from_reading(*patch.sort_reading, after.org.name);
      if (after.sort_key.empty() || after.sort_key.front() == kPinyinKeySeparator) {
        errors.push_back(
            {"sort_reading", {"请填写拼音读法，如 chang sha", "give the reading, e.g. chang sha"}});
      }
    } else if (after.org.name != m->org.name) {
      after.sort_key = pinyin_sort_key(after.org.name);
    }
    std::string effective_on = format_date(shanghai_date(now));
    if (patch.effective_on && !patch.effective_on->empty()) {
      if (parse_date(*patch.effective_on)) {
        effective_on = *patch.effective_on;
      } else {
        errors.push_back({"effective_on", {"日期格式应为 YYYY-MM-DD", "expected YYYY-MM-DD"}});
      }
    }
    if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
    mr::update_member(s, after, now);
    if (after.org.name != m->org.name) {
      mr::insert_history(s, id,
                         {"name", m->org.name, after.org.name, effective_on, "", who.username, now},
                         actor_id(who));
    }
    std::string summary;
    if (after.org.name != m->org.name)
      summary += "name " + m->org.name + " -> " + after.org.name + "; ";
    if (after.org.short_name != m->org.short_name) summary += "short_name; ";
    if (after.org.address != m->org.address) summary += "address; ";
    if (after.org.city_code != m->org.city_code) summary += "city_code; ";
    if (after.org.type != m->org.type || after.org.level != m->org.level) summary += "type/level; ";
    if (after.sort_key != m->sort_key) summary += "sort key; ";
    append_audit(s,
                 {actor_id(who), who.username, who.address, "member.update", "member",
                  std::to_string(id), summary},
                 now);
    return after;
  });
}

Result<Member> MembershipService::change_status(long long member_id, const std::string& status,
                                                const std::string& reason, const Principal& actor) {
  std::vector<FieldError> errors;
  if (!is_member_status(status)) {
    errors.push_back({"status",
                      {"应为 active、suspended、withdrawn 或 expelled",
                       "must be active, suspended, withdrawn or expelled"}});
  }
  const std::size_t n = accounts::utf8_length(reason);
  if (n == 0 || n > 500) {
    errors.push_back(
        {"reason", {"请填写原因（最多 500 字）", "give a reason (at most 500 characters)"}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Member> {
    auto m = mr::find_member(s, member_id, true);
    if (!m) return std::unexpected(not_found_error({"会员单位", "member unit"}));
    if (!status_change_allowed(m->status, status, false)) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"会员状态不能从 " + m->status + " 改为 " + status,
                                "the status cannot change from " + m->status + " to " + status}));
    }
    mr::set_member_status(s, member_id, status, now);
    mr::insert_status_change(
        s, member_id, {m->status, status, reason, actor.username, now},
        actor.user_id ? std::optional<long long>(actor.user_id) : std::nullopt);
    append_audit(s,
                 {actor.user_id ? std::optional<long long>(actor.user_id) : std::nullopt,
                  actor.username, actor.address, "member.status", "member",
                  std::to_string(member_id), m->status + " -> " + status + ": " + reason},
                 now);
    m->status = status;
    return *m;
  });
}

Result<std::vector<StatusChange>> MembershipService::status_history(long long member_id) {
  return db_.with_session([&](soci::session& s) -> Result<std::vector<StatusChange>> {
    if (!mr::find_member(s, member_id)) {
      return std::unexpected(not_found_error({"会员单位", "member unit"}));
    }
    return mr::status_history(s, member_id);
  });
}

Result<Approval> MembershipService::approve(long long id, const std::string& tier,
                                            const Principal& actor) {
  if (!is_tier(tier)) {
    return std::unexpected(invalid_fields({{"tier",
                                            {"请选择会员层级",
                                             "choose member, council, standing_council, "
                                             "vice_president or president"}}}));
  }
  const Timestamp now = clock_.now();
  // The applicant's account becomes a member account: its session signs in as one at once.
  const accounts::ForgetCredentialsAfter forget(credentials_);
  return db_.with_transaction([&](soci::session& s) -> Result<Approval> {
    auto a = mr::find_application(s, id, true);
    if (!a) return std::unexpected(no_such_application());
    if (a->status != "pending") return std::unexpected(not_pending());
    if (mr::uscc_is_member(s, a->org.uscc)) {
      return std::unexpected(
          make_error(ErrorCode::conflict,
                     {"该统一社会信用代码已是协会会员", "this credit code is already a member"}));
    }
    const auto [member_id, member_no] = mr::insert_member(
        s, a->org, tier, format_date(shanghai_date(now)), pinyin_sort_key(a->org.name), now);
    mr::decide_application(s, id, "approved", "", actor.user_id, member_id, now);
    mr::insert_contact(s, {0, member_id, "representative", a->contact}, now);
    const std::string account = link_applicant_account(s, a->user_id, member_id, now);
    append_audit(s,
                 audit_for(actor, "application.approve", id,
                           "member_no=" + member_no + " tier=" + tier + " account=" + account),
                 now);
    append_audit(s,
                 {actor.user_id, actor.username, actor.address, "member.create", "member",
                  std::to_string(member_id), member_no + " " + a->org.name},
                 now);
    return Approval{member_id, member_no, account};
  });
}

Result<Application> MembershipService::withdraw(long long id, const Principal& who) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Application> {
    auto a = mr::find_application(s, id, true);
    // Only the applicant withdraws; to anyone else another's application does not exist.
    if (!a || a->user_id != who.user_id) return std::unexpected(no_such_application());
    if (a->status != "pending") return std::unexpected(not_pending());
    mr::decide_application(s, id, "withdrawn", "申请人撤回", who.user_id, std::nullopt, now);
    append_audit(s, audit_for(who, "application.withdraw", id, a->org.name), now);
    return *mr::find_application(s, id, false);
  });
}

Result<Application> MembershipService::reject(long long id, const std::string& reason,
                                              const Principal& actor) {
  const std::size_t n = accounts::utf8_length(reason);
  if (n == 0 || n > 500) {
    return std::unexpected(invalid_fields(
        {{"reason",
          {"请填写不予通过的理由（最多 500 字）", "give a reason (at most 500 characters)"}}}));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Application> {
    auto a = mr::find_application(s, id, true);
    if (!a) return std::unexpected(no_such_application());
    if (a->status != "pending") return std::unexpected(not_pending());
    mr::decide_application(s, id, "rejected", reason, actor.user_id, std::nullopt, now);
    append_audit(s, audit_for(actor, "application.reject", id, reason), now);
    return *mr::find_application(s, id, false);
  });
}

}  // namespace xiehui::membership
