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

}  // namespace xiehui::accounts::two_factor_repository
