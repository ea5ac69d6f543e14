// The meeting repository's resolutions: a vote's record, cited by the dues decisions it carried.
// Declared in meeting_repository.hpp.
#include "services/meetings/meeting_repository.hpp"

#include "core/db/database.hpp"
#include "services/meetings/meeting_rows.hpp"

namespace xiehui::meetings::meeting_repository {
namespace {

using rows::as_int;
using rows::query;
using rows::ts;

constexpr const char* kResolutionColumns =
    "SELECT id, meeting_id, title, kind, method, entitled, present, votes_for, votes_against, "
    "abstentions, passed, rule_text, created_at FROM meeting_resolutions ";

Resolution read_resolution(const soci::row& r) {
  Resolution x;
  x.id = db::get_int64(r, 0);
  x.meeting_id = db::get_int64(r, 1);
  x.title = r.get<std::string>(2);
  x.kind = r.get<std::string>(3);
  x.method = r.get<std::string>(4);
  x.entitled = as_int(r, 5);
  x.present = as_int(r, 6);
  x.votes_for = as_int(r, 7);
  x.votes_against = as_int(r, 8);
  x.abstentions = as_int(r, 9);
  x.passed = db::get_int64(r, 10) != 0;
  x.rule_text = r.get<std::string>(11);
  x.created_at = ts(r, 12);
  return x;
}

}  // namespace

long long insert_resolution(soci::session& s, const Resolution& r, std::optional<long long> by,
                            Timestamp now) {
  const std::string at = format_db_timestamp(now);
  rows::NullableId who(by);
  const int passed = r.passed ? 1 : 0;
  s << "INSERT INTO meeting_resolutions (meeting_id, title, kind, method, entitled, present, "
       "votes_for, votes_against, abstentions, passed, rule_text, created_by, created_at) VALUES "
       "(:m, :t, :k, :me, :e, :p, :f, :a, :ab, :pa, :ru, :by, :at)",
      soci::use(r.meeting_id), soci::use(r.title), soci::use(r.kind), soci::use(r.method),
      soci::use(r.entitled), soci::use(r.present), soci::use(r.votes_for),
      soci::use(r.votes_against), soci::use(r.abstentions), soci::use(passed),
      soci::use(r.rule_text), soci::use(who.value, who.ind), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("meeting_resolutions", id);
  return id;
}

std::vector<Resolution> resolutions(soci::session& s, long long meeting_id) {
  return query(
      s,
      std::string(kResolutionColumns) + "WHERE meeting_id = :m AND deleted_at IS NULL ORDER BY id",
      read_resolution, soci::use(meeting_id));
}

std::optional<Resolution> find_resolution(soci::session& s, long long id) {
  auto found = query(s, std::string(kResolutionColumns) + "WHERE id = :id AND deleted_at IS NULL",
                     read_resolution, soci::use(id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

void delete_resolution(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE meeting_resolutions SET deleted_at = :at WHERE id = :id", soci::use(at),
      soci::use(id);
}

bool lock_resolution(soci::session& s, long long id) {
  long long found = 0;
  soci::indicator ind = soci::i_null;
  s << std::string("SELECT id FROM meeting_resolutions WHERE id = :id AND deleted_at IS NULL") +
           db::for_update(s),
      soci::into(found, ind), soci::use(id);
  return s.got_data() && ind == soci::i_ok;
}

bool resolution_cited(soci::session& s, long long id) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM dues_schedules WHERE resolution_id = :id", soci::into(n),
      soci::use(id);
  return n > 0;
}

}  // namespace xiehui::meetings::meeting_repository
