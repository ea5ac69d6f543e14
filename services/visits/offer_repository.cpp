#include "services/visits/offer_repository.hpp"

#include <algorithm>

#include "core/db/rows.hpp"
#include "core/db/sql.hpp"
#include "core/pinyin.hpp"
#include "core/time.hpp"

namespace xiehui::visits::offer_repository {
namespace {

using namespace db::rows;  // NOLINT(google-build-using-namespace): the shared row readers

// Periods kept one per line as "YYYY-MM-DD..YYYY-MM-DD".
std::string join_periods(const std::vector<Period>& ps) {
  std::vector<std::string> lines;
  for (const Period& p : ps) lines.push_back(format_date(p.from) + ".." + format_date(p.to));
  return join_lines(lines);
}

std::vector<Period> split_periods(const std::string& stored) {
  std::vector<Period> out;
  for (const auto& line : split_lines(stored)) {
    const auto sep = line.find("..");
    if (sep == std::string::npos) continue;
    auto from = parse_date(line.substr(0, sep));
    auto to = parse_date(line.substr(sep + 2));
    if (from && to) out.push_back({*from, *to});
  }
  return out;
}

constexpr const char* kOfferColumns =
    "SELECT o.id, o.member_id, m.name, o.topics, o.periods, o.group_size, o.note, o.active, "
    "o.created_at FROM host_offers o JOIN members m ON m.id = o.member_id";

HostOffer read_offer(const soci::row& r) {
  HostOffer o;
  o.id = db::get_int64(r, 0);
  o.member_id = db::get_int64(r, 1);
  o.member_name = text(r, 2);
  o.topics = split_lines(text(r, 3));
  o.available = split_periods(text(r, 4));
  o.group_size = as_int(r, 5);
  o.note = text(r, 6);
  o.active = as_int(r, 7) != 0;
  o.created_at = ts(r, 8);
  return o;
}

constexpr const char* kInterestColumns =
    "SELECT i.id, i.member_id, m.name, i.topics, i.periods, i.group_size, i.note, i.active, "
    "i.created_at FROM visit_interests i JOIN members m ON m.id = i.member_id";

Interest read_interest(const soci::row& r) {
  Interest i;
  i.id = db::get_int64(r, 0);
  i.member_id = db::get_int64(r, 1);
  i.member_name = text(r, 2);
  i.topics = split_lines(text(r, 3));
  i.preferred = split_periods(text(r, 4));
  if (r.get_indicator(5) == soci::i_ok) i.group_size = as_int(r, 5);
  i.note = text(r, 6);
  i.active = as_int(r, 7) != 0;
  i.created_at = ts(r, 8);
  return i;
}

}  // namespace

std::vector<Topic> list_topics(soci::session& s) {
  auto list = query(s, "SELECT id, name, active FROM visit_topics", [](const soci::row& r) {
    return Topic{db::get_int64(r, 0), text(r, 1), as_int(r, 2) != 0};
  });
  std::ranges::sort(list, [](const Topic& a, const Topic& b) {
    return pinyin_sort_key(a.name) < pinyin_sort_key(b.name);
  });
  return list;
}

std::optional<Topic> find_topic(soci::session& s, long long id) {
  auto found = query(
      s, "SELECT id, name, active FROM visit_topics WHERE id = :id",
      [](const soci::row& r) {
        return Topic{db::get_int64(r, 0), text(r, 1), as_int(r, 2) != 0};
      },
      soci::use(id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

long long insert_topic(soci::session& s, const std::string& name, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "INSERT INTO visit_topics (name, active, created_at) VALUES (:n, 1, :at)", soci::use(name),
      soci::use(at);
  return db::last_insert_id(s, "visit_topics");
}

void set_topic_active(soci::session& s, long long id, bool active) {
  int flag = active ? 1 : 0;
  s << "UPDATE visit_topics SET active = :a WHERE id = :id", soci::use(flag), soci::use(id);
}

long long insert_offer(soci::session& s, const HostOffer& o, Timestamp now) {
  const std::string at = format_db_timestamp(now), topics = join_lines(o.topics),
                    periods = join_periods(o.available);
  int active = o.active ? 1 : 0;
  s << "INSERT INTO host_offers (member_id, topics, periods, group_size, note, active, "
       "created_at, updated_at) VALUES (:m, :t, :p, :g, :n, :a, :c, :u)",
      soci::use(o.member_id), soci::use(topics), soci::use(periods), soci::use(o.group_size),
      soci::use(o.note), soci::use(active), soci::use(at), soci::use(at);
  return db::last_insert_id(s, "host_offers");
}

void update_offer(soci::session& s, const HostOffer& o, Timestamp now) {
  const std::string at = format_db_timestamp(now), topics = join_lines(o.topics),
                    periods = join_periods(o.available);
  int active = o.active ? 1 : 0;
  s << "UPDATE host_offers SET topics = :t, periods = :p, group_size = :g, note = :n, "
       "active = :a, updated_at = :u WHERE id = :id",
      soci::use(topics), soci::use(periods), soci::use(o.group_size), soci::use(o.note),
      soci::use(active), soci::use(at), soci::use(o.id);
}

void delete_offer(soci::session& s, long long id) {
  s << "DELETE FROM host_offers WHERE id = :id", soci::use(id);
}

std::optional<HostOffer> find_offer(soci::session& s, long long id) {
  auto found =
      query(s, std::string(kOfferColumns) + " WHERE o.id = :id", read_offer, soci::use(id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<HostOffer> list_offers(soci::session& s, std::optional<long long> member_id,
                                   bool active_only) {
  const long long member = member_id.value_or(0);
  const int only = active_only ? 1 : 0;
  return query(s,
               std::string(kOfferColumns) +
                   " WHERE (:m = 0 OR o.member_id = :m2) AND (:a = 0 OR o.active = 1) ORDER BY "
                   "o.created_at DESC, o.id DESC",
               read_offer, soci::use(member), soci::use(member), soci::use(only));
}

long long insert_interest(soci::session& s, const Interest& i, Timestamp now) {
  const std::string at = format_db_timestamp(now), topics = join_lines(i.topics),
                    periods = join_periods(i.preferred);
  int active = i.active ? 1 : 0, size = i.group_size.value_or(0);
  soci::indicator size_ind = i.group_size ? soci::i_ok : soci::i_null;
  s << "INSERT INTO visit_interests (member_id, topics, periods, group_size, note, active, "
       "created_at, updated_at) VALUES (:m, :t, :p, :g, :n, :a, :c, :u)",
      soci::use(i.member_id), soci::use(topics), soci::use(periods), soci::use(size, size_ind),
      soci::use(i.note), soci::use(active), soci::use(at), soci::use(at);
  return db::last_insert_id(s, "visit_interests");
}

void update_interest(soci::session& s, const Interest& i, Timestamp now) {
  const std::string at = format_db_timestamp(now), topics = join_lines(i.topics),
                    periods = join_periods(i.preferred);
  int active = i.active ? 1 : 0, size = i.group_size.value_or(0);
  soci::indicator size_ind = i.group_size ? soci::i_ok : soci::i_null;
  s << "UPDATE visit_interests SET topics = :t, periods = :p, group_size = :g, note = :n, "
       "active = :a, updated_at = :u WHERE id = :id",
      soci::use(topics), soci::use(periods), soci::use(size, size_ind), soci::use(i.note),
      soci::use(active), soci::use(at), soci::use(i.id);
}

void delete_interest(soci::session& s, long long id) {
  s << "DELETE FROM visit_interests WHERE id = :id", soci::use(id);
}

std::optional<Interest> find_interest(soci::session& s, long long id) {
  auto found =
      query(s, std::string(kInterestColumns) + " WHERE i.id = :id", read_interest, soci::use(id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Interest> list_interests(soci::session& s, std::optional<long long> member_id,
                                     bool active_only) {
  const long long member = member_id.value_or(0);
  const int only = active_only ? 1 : 0;
  return query(s,
               std::string(kInterestColumns) +
                   " WHERE (:m = 0 OR i.member_id = :m2) AND (:a = 0 OR i.active = 1) ORDER BY "
                   "i.created_at DESC, i.id DESC",
               read_interest, soci::use(member), soci::use(member), soci::use(only));
}

}  // namespace xiehui::visits::offer_repository
