#include "services/privacy/notice_repository.hpp"

#include "core/db/rows.hpp"

namespace xiehui::privacy::notice_repository {

namespace rows = db::rows;

Notice current(soci::session& s, bool lock) {
  auto found =
      rows::query(s,
                  std::string("SELECT version, text_zh, text_en, published_at, published_by FROM "
                              "privacy_notices ORDER BY version DESC LIMIT 1") +
                      (lock && rows::is_mysql(s) ? " FOR UPDATE" : ""),
                  [](const soci::row& r) {
                    return Notice{db::get_int64(r, 0), r.get<std::string>(1), r.get<std::string>(2),
                                  rows::ts(r, 3), r.get<std::string>(4)};
                  });
  return found.empty() ? Notice{} : found.front();
}

long long current_version(soci::session& s) {
  long long v = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT MAX(version) FROM privacy_notices", soci::into(v, ind);
  return ind == soci::i_ok ? v : 0;
}

void insert(soci::session& s, const Notice& n) {
  const std::string at = format_db_timestamp(n.published_at);
  s << "INSERT INTO privacy_notices (version, text_zh, text_en, published_at, published_by) "
       "VALUES (:v, :zh, :en, :at, :by)",
      soci::use(n.version), soci::use(n.text_zh), soci::use(n.text_en), soci::use(at),
      soci::use(n.published_by);
}

Acceptance acceptance(soci::session& s, long long user_id) {
  Acceptance a;
  a.version = current_version(s);
  auto found = rows::query(
      s, "SELECT privacy_version, privacy_accepted_at FROM users WHERE id = :id",
      [](const soci::row& r) {
        return std::pair{rows::nullable_id(r, 0), rows::text(r, 1)};
      },
      soci::use(user_id));
  if (!found.empty()) {
    a.accepted_version = found.front().first;
    if (!found.front().second.empty()) a.accepted_at = parse_db_timestamp(found.front().second);
  }
  return a;
}

void accept(soci::session& s, long long user_id, long long version, Timestamp at) {
  const std::string when = format_db_timestamp(at);
  s << "UPDATE users SET privacy_version = :v, privacy_accepted_at = :at WHERE id = :id",
      soci::use(version), soci::use(when), soci::use(user_id);
}

}  // namespace xiehui::privacy::notice_repository
