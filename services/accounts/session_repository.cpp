#include "services/accounts/session_repository.hpp"

#include "services/accounts/user_repository.hpp"

#include "core/db/db_error.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"

namespace xiehui::accounts::session_repository {
namespace {

Timestamp ts(const std::string& text) { return parse_db_timestamp(text).value_or(Timestamp{}); }

std::optional<Timestamp> opt_ts(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return std::nullopt;
  return ts(r.get<std::string>(i));
}

TokenRow read_token(const soci::row& r) {
  TokenRow t;
  t.id = db::get_int64(r, 0);
  t.user_id = db::get_int64(r, 1);
  t.name = r.get<std::string>(2);
  t.created_at = ts(r.get<std::string>(3));
  t.last_used_at = opt_ts(r, 4);
  t.revoked = r.get_indicator(5) == soci::i_ok;
  return t;
}

constexpr const char* kTokenColumns =
    "SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens ";

std::optional<ThrottleRow> read_throttle(soci::session& s, std::string_view key,
                                         const char* suffix) {
  const std::string k(key);
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT failures, window_start, locked_until, lockouts "
                                "FROM login_throttle WHERE throttle_key = :k") +
                        suffix,
       soci::use(k));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return ThrottleRow{static_cast<int>(db::get_int64(*it, 0)), ts(it->get<std::string>(1)),
                     opt_ts(*it, 2), static_cast<int>(db::get_int64(*it, 3))};
}

// Sets revoked_at on the user's live rows of `table` (sessions or api_tokens); how many.
long long revoke_live(soci::session& s, const char* table, long long user_id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  soci::statement st = (s.prepare << std::string("UPDATE ") + table +
                                         " SET revoked_at = :at WHERE user_id = :u "
                                         "AND revoked_at IS NULL",
                        soci::use(at), soci::use(user_id));
  st.execute(true);
  return st.get_affected_rows();
}

}  // namespace

void insert_session(soci::session& s, std::string_view token_hash, long long user_id, Timestamp now,
                    Timestamp expires_at, std::string_view address, std::string_view user_agent,
                    bool needs_two_factor) {
  const std::string hash(token_hash), at = format_db_timestamp(now),
                                      exp = format_db_timestamp(expires_at),
                                      addr(address.substr(0, 64)), agent(user_agent.substr(0, 255));
  const int needs = needs_two_factor ? 1 : 0;
  s << "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, "
       "address, user_agent, needs_two_factor) VALUES (:h, :u, :c, :l, :e, :a, :ua, :n)",
      soci::use(hash), soci::use(user_id), soci::use(at), soci::use(at), soci::use(exp),
      soci::use(addr), soci::use(agent), soci::use(needs);
}

std::optional<SessionRow> find_session(soci::session& s, std::string_view token_hash) {
  const std::string hash(token_hash);
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, user_id, last_seen_at, expires_at, revoked_at FROM sessions "
                    "WHERE token_hash = :h",
       soci::use(hash));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return SessionRow{db::get_int64(*it, 0), db::get_int64(*it, 1), ts(it->get<std::string>(2)),
                    ts(it->get<std::string>(3)), it->get_indicator(4) == soci::i_ok};
}

void touch_session(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE sessions SET last_seen_at = :at WHERE id = :id", soci::use(at), soci::use(id);
}

std::vector<LiveSession> live_sessions(soci::session& s, long long user_id, Timestamp now,
                                       Timestamp idle_since) {
  const std::string at = format_db_timestamp(now), idle = format_db_timestamp(idle_since);
  std::vector<LiveSession> out;
  soci::rowset<soci::row> rows =
      (s.prepare
           << "SELECT id, token_hash, created_at, last_seen_at, expires_at, address, "
              "user_agent FROM sessions WHERE user_id = :u AND revoked_at IS NULL AND "
              "expires_at > :now AND last_seen_at > :idle ORDER BY last_seen_at DESC, id DESC",
       soci::use(user_id), soci::use(at), soci::use(idle));
  for (const soci::row& r : rows) {
    out.push_back({db::get_int64(r, 0), r.get<std::string>(1), ts(r.get<std::string>(2)),
                   ts(r.get<std::string>(3)), ts(r.get<std::string>(4)), r.get<std::string>(5),
                   r.get<std::string>(6)});
  }
  return out;
}

std::optional<long long> live_session_owner(soci::session& s, long long id) {
  long long user_id = 0;
  s << "SELECT user_id FROM sessions WHERE id = :id AND revoked_at IS NULL", soci::use(id),
      soci::into(user_id);
  if (!s.got_data()) return std::nullopt;
  return user_id;
}

void revoke_session(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE sessions SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL", soci::use(at),
      soci::use(id);
}

bool signed_in_from(soci::session& s, long long user_id, std::string_view address,
                    Timestamp since) {
  const std::string addr(address.substr(0, 64)), at = format_db_timestamp(since);
  int found = 0;
  s << "SELECT COUNT(*) FROM (SELECT 1 AS x FROM sessions WHERE user_id = :u AND address = :a "
       "AND created_at >= :since LIMIT 1) t",
      soci::use(user_id), soci::use(addr), soci::use(at), soci::into(found);
  return found > 0;
}

long long revoke_user_sessions(soci::session& s, long long user_id, Timestamp now) {
  return revoke_live(s, "sessions", user_id, now);
}

long long revoke_user_tokens(soci::session& s, long long user_id, Timestamp now) {
  return revoke_live(s, "api_tokens", user_id, now);
}

void end_user_access(soci::session& s, long long user_id, Timestamp now) {
  revoke_user_sessions(s, user_id, now);
  revoke_user_tokens(s, user_id, now);
}

long long insert_token(soci::session& s, std::string_view token_hash, long long user_id,
                       std::string_view name, Timestamp now) {
  const std::string hash(token_hash), n(name), at = format_db_timestamp(now);
  s << "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (:h, :u, :n, :c)",
      soci::use(hash), soci::use(user_id), soci::use(n), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("api_tokens", id);
  return id;
}

std::optional<TokenRow> find_token(soci::session& s, std::string_view token_hash) {
  const std::string hash(token_hash);
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kTokenColumns) + "WHERE token_hash = :h", soci::use(hash));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_token(*it);
}

std::optional<SessionWithUser> find_session_with_user(soci::session& s,
                                                      std::string_view token_hash) {
  const std::string hash(token_hash);
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT x.id, x.user_id, x.last_seen_at, x.expires_at, "
                                "x.revoked_at, x.needs_two_factor, ") +
                        user_repository::kJoinedUserColumns +
                        "FROM sessions x JOIN users u ON u.id = x.user_id "
                        "LEFT JOIN members m ON m.id = u.member_id WHERE x.token_hash = :h",
       soci::use(hash));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return SessionWithUser{SessionRow{db::get_int64(*it, 0), db::get_int64(*it, 1),
                                    ts(it->get<std::string>(2)), ts(it->get<std::string>(3)),
                                    it->get_indicator(4) == soci::i_ok, db::get_int64(*it, 5) != 0},
                         user_repository::read_user_at(*it, 6)};
}

std::optional<TokenWithUser> find_token_with_user(soci::session& s, std::string_view token_hash) {
  const std::string hash(token_hash);
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT x.id, x.user_id, x.name, x.created_at, x.last_used_at, "
                                "x.revoked_at, ") +
                        user_repository::kJoinedUserColumns +
                        "FROM api_tokens x JOIN users u ON u.id = x.user_id "
                        "LEFT JOIN members m ON m.id = u.member_id WHERE x.token_hash = :h",
       soci::use(hash));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return TokenWithUser{read_token(*it), user_repository::read_user_at(*it, 6)};
}

std::optional<TokenRow> find_token_by_id(soci::session& s, long long id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kTokenColumns) + "WHERE id = :id", soci::use(id));
  auto it = rows.begin();
  if (it == rows.end()) return std::nullopt;
  return read_token(*it);
}

std::vector<TokenRow> list_tokens(soci::session& s, long long user_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kTokenColumns) + "WHERE user_id = :u ORDER BY id",
       soci::use(user_id));
  std::vector<TokenRow> out;
  for (const soci::row& r : rows) out.push_back(read_token(r));
  return out;
}

void touch_token(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE api_tokens SET last_used_at = :at WHERE id = :id", soci::use(at), soci::use(id);
}

void revoke_token(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE api_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL",
      soci::use(at), soci::use(id);
}

void ensure_throttle(soci::session& s, std::string_view key, Timestamp now) {
  if (find_throttle(s, key)) return;
  try {
    insert_throttle(s, key, ThrottleRow{0, now, std::nullopt, 0});
  } catch (const soci::soci_error&) {
    // Another attempt created it first: that is all we wanted.
    if (db::classify(std::current_exception()).kind != db::DbFailureKind::unique_violation) {
      throw;
    }
    return;
  }
  // A row stays for kThrottleRetention after its window and its lock end, so an attacker who
  // comes back within that time meets the doubled lock-out, not a fresh counter.
  const std::string stale = format_db_timestamp(now - kThrottleRetention);
  s << "DELETE FROM login_throttle WHERE window_start < :stale "
       "AND (locked_until IS NULL OR locked_until < :stale2)",
      soci::use(stale), soci::use(stale);
}

void delete_throttle(soci::session& s, std::string_view key) {
  const std::string k(key);
  s << "DELETE FROM login_throttle WHERE throttle_key = :k", soci::use(k);
}

long long count_throttles(soci::session& s) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM login_throttle", soci::into(n);
  return n;
}

std::optional<ThrottleRow> lock_throttle(soci::session& s, std::string_view key) {
  return read_throttle(s, key, db::for_update(s));
}

std::optional<ThrottleRow> find_throttle(soci::session& s, std::string_view key) {
  return read_throttle(s, key, "");
}

void insert_throttle(soci::session& s, std::string_view key, const ThrottleRow& row) {
  const std::string k(key), start = format_db_timestamp(row.window_start);
  std::string locked = row.locked_until ? format_db_timestamp(*row.locked_until) : "";
  soci::indicator ind = row.locked_until ? soci::i_ok : soci::i_null;
  s << "INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until, "
       "lockouts) VALUES (:k, :f, :w, :l, :n)",
      soci::use(k), soci::use(row.failures), soci::use(start), soci::use(locked, ind),
      soci::use(row.lockouts);
}

void update_throttle(soci::session& s, std::string_view key, const ThrottleRow& row) {
  const std::string k(key), start = format_db_timestamp(row.window_start);
  std::string locked = row.locked_until ? format_db_timestamp(*row.locked_until) : "";
  soci::indicator ind = row.locked_until ? soci::i_ok : soci::i_null;
  soci::statement st = (s.prepare << "UPDATE login_throttle SET failures = :f, window_start = :w, "
                                     "locked_until = :l, lockouts = :n WHERE throttle_key = :k",
                        soci::use(row.failures), soci::use(start), soci::use(locked, ind),
                        soci::use(row.lockouts), soci::use(k));
  st.execute(true);
  // Swept away as stale between ensure_throttle and now: write it again, so the attempt counts.
  if (st.get_affected_rows() == 0 && !find_throttle(s, key)) insert_throttle(s, key, row);
}

bool count_denial(soci::session& s, long long user_id, std::string_view route, Timestamp minute) {
  const std::string r(route), at = format_db_timestamp(minute);
  try {
    s << "INSERT INTO access_denials (user_id, route, minute_start, refusals) "
         "VALUES (:u, :r, :m, 1)",
        soci::use(user_id), soci::use(r), soci::use(at);
  } catch (const soci::soci_error&) {
    // The minute's row exists: count this refusal in it.
    if (db::classify(std::current_exception()).kind != db::DbFailureKind::unique_violation) {
      throw;
    }
    s << "UPDATE access_denials SET refusals = refusals + 1 "
         "WHERE user_id = :u AND route = :r AND minute_start = :m",
        soci::use(user_id), soci::use(r), soci::use(at);
    return false;
  }
  const std::string old = format_db_timestamp(minute - std::chrono::hours(24));
  s << "DELETE FROM access_denials WHERE minute_start < :old", soci::use(old);
  return true;
}

long long denials_in(soci::session& s, long long user_id, std::string_view route,
                     Timestamp minute) {
  const std::string r(route), at = format_db_timestamp(minute);
  long long n = 0;
  soci::indicator ind = soci::i_ok;
  s << "SELECT refusals FROM access_denials WHERE user_id = :u AND route = :r "
       "AND minute_start = :m",
      soci::use(user_id), soci::use(r), soci::use(at), soci::into(n, ind);
  return s.got_data() && ind == soci::i_ok ? n : 0;
}

}  // namespace xiehui::accounts::session_repository
