#include "services/accounts/two_factor_repository.hpp"

#include "core/db/sql.hpp"
#include "core/time.hpp"

namespace xiehui::accounts::two_factor_repository {

std::optional<TotpRow> find(soci::session& s, long long user_id, bool lock) {
  soci::row row;
  s << std::string("SELECT secret, confirmed_at, last_step FROM user_totp WHERE user_id = :u") +
           (lock ? db::for_update(s) : ""),
      soci::use(user_id), soci::into(row);
  if (!s.got_data()) return std::nullopt;
  TotpRow r;
  r.secret = row.get<std::string>(0);
  if (row.get_indicator(1) == soci::i_ok) {
    r.confirmed = true;
    r.confirmed_at = parse_db_timestamp(row.get<std::string>(1));
  }
  r.last_step = db::get_int64(row, 2);
  return r;
}

void put_pending(soci::session& s, long long user_id, const std::string& secret, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "DELETE FROM user_totp WHERE user_id = :u", soci::use(user_id);
  s << "INSERT INTO user_totp (user_id, secret, confirmed_at, last_step, created_at) VALUES (:u, "
       ":s, NULL, 0, :at)",
      soci::use(user_id), soci::use(secret), soci::use(at);
}

void confirm(soci::session& s, long long user_id, long long step, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE user_totp SET confirmed_at = :at, last_step = :step WHERE user_id = :u",
      soci::use(at), soci::use(step), soci::use(user_id);
}

void set_last_step(soci::session& s, long long user_id, long long step) {
  s << "UPDATE user_totp SET last_step = :step WHERE user_id = :u", soci::use(step),
      soci::use(user_id);
}

bool remove(soci::session& s, long long user_id) {
  soci::statement st =
      (s.prepare << "DELETE FROM user_totp WHERE user_id = :u", soci::use(user_id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool required(soci::session& s) {
  std::string value;
  soci::indicator ind = soci::i_null;
  s << "SELECT value FROM settings WHERE name = 'security.require_two_factor'",
      soci::into(value, ind);
  return s.got_data() && ind == soci::i_ok && value == "1";
}

void set_required(soci::session& s, bool on, Timestamp now) {
  const std::string value = on ? "1" : "0", at = format_db_timestamp(now);
  s << "DELETE FROM settings WHERE name = 'security.require_two_factor'";
  s << "INSERT INTO settings (name, value, updated_at) VALUES ('security.require_two_factor', "
       ":v, :at)",
      soci::use(value), soci::use(at);
}

void mark_sessions(soci::session& s, bool on, std::optional<long long> user_id) {
  if (!on) {
    const long long uid = user_id.value_or(0);
    s << "UPDATE sessions SET needs_two_factor = 0 WHERE needs_two_factor = 1 AND (:u = 0 OR "
         "user_id = :u2)",
        soci::use(uid), soci::use(uid);
    return;
  }
  s << "UPDATE sessions SET needs_two_factor = 1 WHERE revoked_at IS NULL AND user_id IN "
       "(SELECT r.user_id FROM user_roles r WHERE r.role IN ('staff', 'admin')) AND user_id NOT "
       "IN (SELECT t.user_id FROM user_totp t WHERE t.confirmed_at IS NOT NULL)";
}

}  // namespace xiehui::accounts::two_factor_repository
