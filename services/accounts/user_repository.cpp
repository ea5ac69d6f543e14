#include "services/accounts/user_repository.hpp"

#include <algorithm>

#include "core/db/sql.hpp"
#include "core/db/where.hpp"
#include "core/time.hpp"

namespace xiehui::accounts::user_repository {
namespace {

// The unit's number and name come along, so lists show "XH0001 长沙经开区", never an id.
constexpr const char* kColumns =
    "SELECT u.id, u.username, u.display_name, u.member_id, u.disabled, u.created_at, "
    "m.member_no, m.name, u.email, (SELECT COUNT(*) FROM user_totp t WHERE t.user_id = u.id AND "
    "t.confirmed_at IS NOT NULL) FROM users u LEFT JOIN members m ON m.id = u.member_id ";

User read_user(const soci::row& r) {
  User u;
  u.id = db::get_int64(r, 0);
  u.username = r.get<std::string>(1);
  u.display_name = r.get<std::string>(2);
  if (r.get_indicator(3) == soci::i_ok) u.member_id = db::get_int64(r, 3);
  u.disabled = db::get_int64(r, 4) != 0;
  u.created_at = parse_db_timestamp(r.get<std::string>(5)).value_or(Timestamp{});
  if (r.get_indicator(6) == soci::i_ok) u.member_no = r.get<std::string>(6);
  if (r.get_indicator(7) == soci::i_ok) u.member_name = r.get<std::string>(7);
  if (r.get_indicator(8) == soci::i_ok && !r.get<std::string>(8).empty()) {
    u.email = r.get<std::string>(8);
  }
  u.two_factor = db::get_int64(r, 9) > 0;
  return u;
}

void set_roles(User& u, const std::string& comma_separated) {
  u.roles.clear();
  std::size_t start = 0;
  while (start < comma_separated.size()) {
    std::size_t end = comma_separated.find(',', start);
    if (end == std::string::npos) end = comma_separated.size();
    if (auto role = parse_role(std::string_view(comma_separated).substr(start, end - start))) {
      u.roles.push_back(*role);
    }
    start = end + 1;
  }
  // As load_roles orders them.
  std::ranges::sort(u.roles, [](Role a, Role b) { return to_string(a) < to_string(b); });
}

void load_roles(soci::session& s, User& u) {
  u.roles.clear();
  soci::rowset<std::string> roles =
      (s.prepare << "SELECT role FROM user_roles WHERE user_id = :id ORDER BY role",
       soci::use(u.id));
  for (const std::string& r : roles) {
    if (auto role = parse_role(r)) u.roles.push_back(*role);
  }
}

std::optional<User> find_where(soci::session& s, const std::string& where, auto&& value) {
  soci::rowset<soci::row> rows = (s.prepare << kColumns + where, soci::use(value));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  User u = read_user(*it);
  load_roles(s, u);
  return u;
}

}  // namespace

const char* const kJoinedUserColumns =
    "u.id, u.username, u.display_name, u.member_id, u.disabled, u.created_at, m.member_no, "
    "m.name, u.email, (SELECT GROUP_CONCAT(r.role) FROM user_roles r WHERE r.user_id = u.id) ";

User read_user_at(const soci::row& r, std::size_t first) {
  User u;
  u.id = db::get_int64(r, first);
  u.username = r.get<std::string>(first + 1);
  u.display_name = r.get<std::string>(first + 2);
  if (r.get_indicator(first + 3) == soci::i_ok) u.member_id = db::get_int64(r, first + 3);
  u.disabled = db::get_int64(r, first + 4) != 0;
  u.created_at = parse_db_timestamp(r.get<std::string>(first + 5)).value_or(Timestamp{});
  if (r.get_indicator(first + 6) == soci::i_ok) u.member_no = r.get<std::string>(first + 6);
  if (r.get_indicator(first + 7) == soci::i_ok) u.member_name = r.get<std::string>(first + 7);
  if (r.get_indicator(first + 8) == soci::i_ok && !r.get<std::string>(first + 8).empty()) {
    u.email = r.get<std::string>(first + 8);
  }
  if (r.get_indicator(first + 9) == soci::i_ok) set_roles(u, r.get<std::string>(first + 9));
  return u;
}

long long insert(soci::session& s, const NewUser& user, std::string_view password_hash,
                 Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const std::string hash(password_hash);
  long long member_id = user.member_id.value_or(0);
  soci::indicator member_ind = user.member_id ? soci::i_ok : soci::i_null;
  const std::string email = user.email.value_or(std::string());
  soci::indicator email_ind = user.email ? soci::i_ok : soci::i_null;
  s << "INSERT INTO users (username, display_name, password_hash, member_id, disabled, "
       "created_at, updated_at, email) VALUES (:u, :d, :h, :m, 0, :c, :c2, :e)",
      soci::use(user.username), soci::use(user.display_name), soci::use(hash),
      soci::use(member_id, member_ind), soci::use(at), soci::use(at), soci::use(email, email_ind);
  long long id = 0;
  s.get_last_insert_id("users", id);
  replace_roles(s, id, user.roles);
  return id;
}

std::optional<User> find_by_id(soci::session& s, long long id) {
  return find_where(s, "WHERE u.id = :id", id);
}

std::optional<User> lock_by_id(soci::session& s, long long id) {
  return find_where(s, std::string("WHERE u.id = :id") + db::for_update(s), id);
}

std::optional<User> find_by_username(soci::session& s, std::string_view username) {
  return find_where(s, "WHERE u.username = :u", std::string(username));
}

std::optional<Credentials> find_credentials(soci::session& s, std::string_view username) {
  auto user = find_by_username(s, username);
  if (!user) return std::nullopt;
  Credentials c{std::move(*user), {}};
  s << "SELECT password_hash FROM users WHERE id = :id", soci::use(c.user.id),
      soci::into(c.password_hash);
  return c;
}

std::vector<User> list(soci::session& s, std::string_view q, int limit, int offset) {
  const std::string pattern = db::contains_pattern(std::string(q));
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kColumns) +
                        "WHERE u.username LIKE :q ESCAPE '!' OR u.display_name LIKE :q2 "
                        "ESCAPE '!' ORDER BY u.username LIMIT :lim OFFSET :off",
       soci::use(pattern), soci::use(pattern), soci::use(limit), soci::use(offset));
  std::vector<User> out;
  for (const soci::row& r : rows) out.push_back(read_user(r));
  for (User& u : out) load_roles(s, u);
  return out;
}

long long count(soci::session& s, std::string_view q) {
  const std::string pattern = db::contains_pattern(std::string(q));
  long long n = 0;
  s << "SELECT COUNT(*) FROM users WHERE username LIKE :q ESCAPE '!' OR display_name LIKE :q2 "
       "ESCAPE '!'",
      soci::use(pattern), soci::use(pattern), soci::into(n);
  return n;
}

void update_email(soci::session& s, long long id, const std::optional<std::string>& email) {
  const std::string value = email.value_or(std::string());
  soci::indicator ind = email ? soci::i_ok : soci::i_null;
  s << "UPDATE users SET email = :e WHERE id = :id", soci::use(value, ind), soci::use(id);
}

void update_profile(soci::session& s, long long id, std::string_view display_name, bool disabled,
                    std::optional<long long> member_id, Timestamp now) {
  const std::string name(display_name);
  const std::string at = format_db_timestamp(now);
  const int flag = disabled ? 1 : 0;
  long long member = member_id.value_or(0);
  soci::indicator member_ind = member_id ? soci::i_ok : soci::i_null;
  s << "UPDATE users SET display_name = :n, disabled = :d, member_id = :m, updated_at = :at "
       "WHERE id = :id",
      soci::use(name), soci::use(flag), soci::use(member, member_ind), soci::use(at), soci::use(id);
}

void replace_roles(soci::session& s, long long id, const std::vector<Role>& roles) {
  s << "DELETE FROM user_roles WHERE user_id = :id", soci::use(id);
  for (Role r : roles) {
    const std::string role(to_string(r));
    s << "INSERT INTO user_roles (user_id, role) VALUES (:id, :r)", soci::use(id), soci::use(role);
  }
}

void update_password_hash(soci::session& s, long long id, std::string_view hash, Timestamp now) {
  const std::string h(hash);
  const std::string at = format_db_timestamp(now);
  s << "UPDATE users SET password_hash = :h, updated_at = :at WHERE id = :id", soci::use(h),
      soci::use(at), soci::use(id);
}

namespace {

std::vector<long long> admin_ids(soci::session& s, const char* suffix) {
  std::vector<long long> ids;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id "
                                "WHERE r.role = 'admin' AND u.disabled = 0 ORDER BY u.id") +
                        suffix);
  for (const soci::row& r : rows) ids.push_back(db::get_int64(r, 0));
  return ids;
}

}  // namespace

std::vector<long long> lock_active_admins(soci::session& s) {
  return admin_ids(s, db::for_update(s));
}

std::vector<long long> active_admins(soci::session& s) { return admin_ids(s, ""); }

long long count_active_admins(soci::session& s) {
  return db::scalar(s,
                    "SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id "
                    "WHERE r.role = 'admin' AND u.disabled = 0");
}

void insert_user_notice(soci::session& s, long long user_id, const std::string& kind,
                        const std::string& message, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "INSERT INTO notifications (user_id, kind, message, entity_type, entity_id, created_at) "
       "VALUES (:u, :k, :msg, 'user', :e, :at)",
      soci::use(user_id), soci::use(kind), soci::use(message), soci::use(user_id), soci::use(at);
}

}  // namespace xiehui::accounts::user_repository
