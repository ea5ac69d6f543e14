#include "services/accounts/password_reset_repository.hpp"

#include "core/db/rows.hpp"
#include "core/time.hpp"

namespace xiehui::accounts::password_reset_repository {
namespace {

namespace rows = db::rows;

ResetUser read_user(const soci::row& r) {
  return {db::get_int64(r, 0), r.get<std::string>(1), r.get<std::string>(2), rows::text(r, 3)};
}

}  // namespace

std::optional<ResetUser> find_user(soci::session& s, const std::string& username_or_email) {
  auto by_name = rows::query(
      s, "SELECT id, username, display_name, email FROM users WHERE username = :u AND disabled = 0",
      read_user, soci::use(username_or_email));
  if (!by_name.empty()) return by_name.front();
  auto by_mail = rows::query(s,
                             "SELECT id, username, display_name, email FROM users WHERE "
                             "LOWER(email) = :e AND disabled = 0 ORDER BY id LIMIT 2",
                             read_user, soci::use(username_or_email));
  if (by_mail.size() != 1) return std::nullopt;
  return by_mail.front();
}

long long requests_for_user_since(soci::session& s, long long user_id, Timestamp t) {
  const std::string at = format_db_timestamp(t);
  long long n = 0;
  // A locking read on MariaDB: it counts what is committed now, not the transaction's snapshot
  // (taken before the caller locked the user), so two requests cannot both count one short.
  s << std::string("SELECT COUNT(*) FROM password_resets WHERE user_id = :u AND created_at >= :t") +
           db::for_update(s),
      soci::use(user_id), soci::use(at), soci::into(n);
  return n;
}

void insert_token(soci::session& s, long long user_id, const std::string& token_hash,
                  const std::string& address, Timestamp now, Timestamp expires) {
  const std::string at = format_db_timestamp(now), until = format_db_timestamp(expires);
  const std::string addr = address.substr(0, 64);
  s << "INSERT INTO password_resets (user_id, token_hash, address, created_at, expires_at) "
       "VALUES (:u, :h, :a, :at, :ex)",
      soci::use(user_id), soci::use(token_hash), soci::use(addr), soci::use(at), soci::use(until);
}

std::optional<long long> lock_token_user(soci::session& s, const std::string& token_hash,
                                         Timestamp now) {
  const std::string at = format_db_timestamp(now);
  auto found = rows::query(
      s,
      std::string("SELECT user_id FROM password_resets WHERE token_hash = "
                  ":h AND used_at IS NULL AND expires_at > :at") +
          db::for_update(s),
      [](const soci::row& r) { return db::get_int64(r, 0); }, soci::use(token_hash), soci::use(at));
  if (found.empty()) return std::nullopt;
  return found.front();
}

void spend_tokens(soci::session& s, long long user_id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE password_resets SET used_at = :at WHERE user_id = :u AND used_at IS NULL",
      soci::use(at), soci::use(user_id);
}

}  // namespace xiehui::accounts::password_reset_repository
