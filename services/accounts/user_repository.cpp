#include "services/accounts/user_repository.hpp"

#include "core/time.hpp"

namespace xiehui::accounts::user_repository {

long long insert(soci::session& s, const NewUser& user, std::string_view password_hash,
                 Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const std::string hash(password_hash);
  long long member_id = user.member_id.value_or(0);
  soci::indicator member_ind = user.member_id ? soci::i_ok : soci::i_null;
  s << "INSERT INTO users (username, display_name, password_hash, member_id, disabled, "
       "created_at, updated_at) VALUES (:u, :d, :h, :m, 0, :c, :c2)",
      soci::use(user.username), soci::use(user.display_name), soci::use(hash),
      soci::use(member_id, member_ind), soci::use(at), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("users", id);
  for (Role r : user.roles) {
    const std::string role(to_string(r));
    s << "INSERT INTO user_roles (user_id, role) VALUES (:id, :r)", soci::use(id), soci::use(role);
  }
  return id;
}

std::optional<User> find_by_username(soci::session& s, std::string_view username) {
  const std::string name(username);
  User u;
  long long member_id = 0;
  soci::indicator member_ind = soci::i_null;
  int disabled = 0;
  std::string created;
  s << "SELECT id, username, display_name, member_id, disabled, created_at FROM users "
       "WHERE username = :u",
      soci::use(name), soci::into(u.id), soci::into(u.username), soci::into(u.display_name),
      soci::into(member_id, member_ind), soci::into(disabled), soci::into(created);
  if (!s.got_data()) return std::nullopt;
  if (member_ind == soci::i_ok) u.member_id = member_id;
  u.disabled = disabled != 0;
  u.created_at = parse_db_timestamp(created).value_or(Timestamp{});
  soci::rowset<std::string> roles =
      (s.prepare << "SELECT role FROM user_roles WHERE user_id = :id ORDER BY role",
       soci::use(u.id));
  for (const std::string& r : roles) {
    if (auto role = parse_role(r)) u.roles.push_back(*role);
  }
  return u;
}

long long count_active_admins(soci::session& s) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id "
       "WHERE r.role = 'admin' AND u.disabled = 0",
      soci::into(n);
  return n;
}

}  // namespace xiehui::accounts::user_repository
