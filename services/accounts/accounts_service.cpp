#include "services/accounts/accounts_service.hpp"

#include <sodium.h>

#include <algorithm>

#include "core/audit.hpp"
#include "core/validate.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/accounts/session_repository.hpp"
#include "services/accounts/throttle_rules.hpp"
#include "services/accounts/user_repository.hpp"

namespace xiehui::accounts {
namespace {

namespace ur = user_repository;

Error username_taken() {
  Error e = make_error(ErrorCode::already_exists, {"用户名已被使用", "The username is taken"});
  e.fields.push_back({"username", {"用户名已被使用", "already taken"}});
  return e;
}

Error no_such_user() { return not_found_error({"用户", "user"}); }

std::string roles_text(const std::vector<Role>& roles) {
  std::string out;
  for (Role r : roles) {
    if (!out.empty()) out += ',';
    out += to_string(r);
  }
  return out;
}

AuditEntry audit_for(const Principal& actor, std::string action, long long user_id,
                     std::string summary) {
  std::optional<long long> actor_id;
  if (actor.user_id != 0) actor_id = actor.user_id;
  return {actor_id, actor.username,          actor.address,     std::move(action),
          "user",   std::to_string(user_id), std::move(summary)};
}

bool is_active_admin(const User& u) {
  return !u.disabled && std::ranges::find(u.roles, Role::admin) != u.roles.end();
}

}  // namespace

Principal command_line_actor() {
  Principal p;
  p.username = "cli";
  p.address = "local";
  return p;
}

std::string generate_password() {
  static constexpr std::string_view kAlphabet =
      "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::string out;
  for (int i = 0; i < 20; ++i) {
    out += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
  }
  return out;
}

Result<User> AccountsService::create_user(NewUser user, const Principal& actor) {
  user.username = normalise_username(user.username);
  auto errors = check_new_user(user, policy_.min_password_length);
  if (user.email && user.email->empty()) user.email.reset();
  if (user.email) {
    if (auto normal = normalise_email(*user.email); normal) {
      user.email = *normal;
    } else {
      errors.push_back({"email", normal.error()});
    }
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const std::string hash = hasher_.hash(user.password);  // slow: outside the transaction
  const Timestamp now = clock_.now();
  auto created = db_.with_transaction([&](soci::session& s) -> Result<User> {
    if (ur::find_by_username(s, user.username)) return std::unexpected(username_taken());
    const long long id = ur::insert(s, user, hash, now);
    append_audit(s,
                 audit_for(actor, "user.create", id,
                           "username=" + user.username + " roles=" + roles_text(user.roles)),
                 now);
    return *ur::find_by_id(s, id);
  });
  if (!created && created.error().code == ErrorCode::already_exists) {
    return std::unexpected(username_taken());  // lost a race to the unique index
  }
  return created;
}

Result<UserPage> AccountsService::list_users(std::string_view q, int page, int page_size) {
  return db_.with_session([&](soci::session& s) -> Result<UserPage> {
    UserPage out;
    out.total = ur::count(s, q);
    out.items = ur::list(s, q, page_size, (page - 1) * page_size);
    return out;
  });
}

Result<User> AccountsService::get_user(long long id) {
  return db_.with_session([&](soci::session& s) -> Result<User> {
    auto u = ur::find_by_id(s, id);
    if (!u) return std::unexpected(no_such_user());
    return *u;
  });
}

Result<User> AccountsService::update_user(long long id, const UserPatch& patch,
                                          const Principal& actor) {
  const Timestamp now = clock_.now();
  const ForgetCredentialsAfter forget(credentials_);
  return db_.with_transaction([&](soci::session& s) -> Result<User> {
    auto before = ur::lock_by_id(s, id);
    if (!before) return std::unexpected(no_such_user());
    std::ranges::sort(before->roles);  // as `after.roles` is sorted below: compare like with like
    User after = *before;
    if (patch.display_name) after.display_name = *patch.display_name;
    if (patch.roles) {
      after.roles = *patch.roles;
      std::ranges::sort(after.roles);
      after.roles.erase(std::unique(after.roles.begin(), after.roles.end()), after.roles.end());
    }
    if (patch.disabled) after.disabled = *patch.disabled;
    if (patch.member_id) after.member_id = *patch.member_id;
    if (patch.email)
      after.email = *patch.email && !(*patch.email)->empty() ? *patch.email : std::nullopt;
    // Only what the request changes is validated: an applicant account (no roles yet) can be
    // disabled or renamed without choosing roles for it.
    std::vector<FieldError> errors;
    if (after.display_name != before->display_name) {
      errors = check_display_name(after.display_name);
    }
    if (after.roles != before->roles || after.member_id != before->member_id) {
      auto role_errors = check_roles(after.roles, after.member_id);
      errors.insert(errors.end(), role_errors.begin(), role_errors.end());
    }
    if (after.email && after.email != before->email) {
      if (auto normal = normalise_email(*after.email); normal) {
        after.email = *normal;
      } else {
        errors.push_back({"email", normal.error()});
      }
    }
    if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));

    if (is_active_admin(*before) && !is_active_admin(after) &&
        ur::lock_active_admins(s).size() <= 1) {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"不能停用或降级最后一个有效的管理员",
                                           "The last active admin cannot be disabled or demoted"}));
    }
    ur::update_profile(s, id, after.display_name, after.disabled, after.member_id, now);
    if (after.roles != before->roles) ur::replace_roles(s, id, after.roles);
    if (after.email != before->email) ur::update_email(s, id, after.email);
    // Any change of who the user is allowed to be ends its sessions and API tokens alike.
    if ((after.disabled && !before->disabled) || after.roles != before->roles ||
        after.member_id != before->member_id) {
      session_repository::end_user_access(s, id, now);
    }
    std::string summary;
    if (after.display_name != before->display_name) summary += "display_name changed; ";
    if (after.email != before->email) summary += "email changed; ";
    if (after.roles != before->roles) {
      summary += "roles " + roles_text(before->roles) + " -> " + roles_text(after.roles) + "; ";
    }
    if (after.disabled != before->disabled) {
      summary += after.disabled ? "disabled; " : "enabled; ";
    }
    if (after.member_id != before->member_id) summary += "member unit changed; ";
    append_audit(s, audit_for(actor, "user.update", id, summary), now);
    return *ur::find_by_id(s, id);
  });
}

Status AccountsService::set_password(long long id, std::string_view password,
                                     const std::optional<std::string>& current_password,
                                     const Principal& actor) {
  const bool self = actor.user_id == id;
  if (!self && !actor.can(Permission::users_manage)) {
    return std::unexpected(no_such_user());
  }
  auto target = db_.with_session([&](soci::session& s) -> Result<ur::Credentials> {
    auto u = ur::find_by_id(s, id);
    if (!u) return std::unexpected(no_such_user());
    return *ur::find_credentials(s, u->username);
  });
  if (!target) return std::unexpected(target.error());
  // ASVS 2.1.6: changing one's own password needs the current one, admins included.
  if (self) {
    if (!current_password || !hasher_.verify(target->password_hash, *current_password)) {
      return std::unexpected(invalid_fields(
          {{"current_password", {"当前密码不正确", "the current password is wrong"}}}));
    }
  }
  if (auto errors = check_password(target->user.username, password, policy_.min_password_length);
      !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const std::string hash = hasher_.hash(password);
  const Timestamp now = clock_.now();
  const ForgetCredentialsAfter forget(credentials_);
  return db_.with_transaction([&](soci::session& s) -> Status {
    ur::update_password_hash(s, id, hash, now);
    session_repository::end_user_access(s, id, now);
    // A reset by an admin is how a locked-out owner gets back in at once.
    if (!self) session_repository::delete_throttle(s, user_throttle_key(target->user.username));
    append_audit(s, audit_for(actor, self ? "user.password_change" : "user.password_reset", id, ""),
                 now);
    return {};
  });
}

Result<std::optional<std::string>> AccountsService::ensure_initial_admin(
    std::optional<std::string> password) {
  auto admins = db_.with_session(
      [](soci::session& s) -> Result<long long> { return ur::count_active_admins(s); });
  if (!admins) return std::unexpected(admins.error());
  if (*admins > 0) return std::optional<std::string>{};
  const bool generated = !password.has_value();
  NewUser admin{"admin", "系统管理员", password.value_or(generate_password()), {Role::admin}, {}};
  auto created = create_user(admin, command_line_actor());
  if (!created) {
    if (created.error().code == ErrorCode::already_exists) {
      auto now_admins = db_.with_session(
          [](soci::session& s) -> Result<long long> { return ur::count_active_admins(s); });
      if (now_admins && *now_admins > 0) return std::optional<std::string>{};  // lost a race
      return std::unexpected(make_error(
          ErrorCode::conflict,
          {"用户 admin 已存在但不是有效的管理员：请用 xiehui user add 创建管理员",
           "user admin exists but is not an active admin: create one with xiehui user add"}));
    }
    return std::unexpected(created.error());
  }
  return generated ? std::optional<std::string>(admin.password) : std::optional<std::string>{};
}

}  // namespace xiehui::accounts
