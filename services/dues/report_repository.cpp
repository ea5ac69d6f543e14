// The SQL of what dues add up to: arrears by unit and age, the year's figures, and the income
// and use statement.

#include "services/dues/dues_repository.hpp"

#include <algorithm>

#include "core/db/sql.hpp"
#include "core/time.hpp"
#include "services/dues/dues_repository_rows.hpp"

namespace xiehui::dues::dues_repository {
namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the shared row readers

// ---- arrears ----

// Per unit: outstanding, oldest open year, open years before `as_of_year`, reminders. The age
// of the oldest open year buckets the unit; the bucket is computed in SQL so it can filter.
std::string arrears_sql(const std::string& age_filter) {
  std::string sql =
      "SELECT a.member_id, m.name, m.member_no, m.city_code, m.status, a.owed, a.oldest, "
      "a.past_years, a.reminders, m.sort_key FROM (SELECT member_id, "
      "SUM(amount_fen - reduced_fen - paid_fen) AS owed, MIN(year) AS oldest, "
      "SUM(CASE WHEN year < :y1 THEN 1 ELSE 0 END) AS past_years, MAX(reminders_sent) AS reminders "
      "FROM dues_invoices WHERE status IN ('unpaid', 'partial') AND issued_on <= :asof "
      "GROUP BY member_id) a JOIN members m ON m.id = a.member_id";
  if (age_filter == "current") sql += " WHERE a.oldest >= :y2";
  if (age_filter == "1y") sql += " WHERE a.oldest = :y2 - 1";
  if (age_filter == "2y") sql += " WHERE a.oldest = :y2 - 2";
  if (age_filter == "3y+") sql += " WHERE a.oldest <= :y2 - 3";
  return sql;
}

bool known_age(const std::string& age) {
  return age == "current" || age == "1y" || age == "2y" || age == "3y+";
}

}  // namespace

std::vector<Arrears> arrears(soci::session& s, const std::string& as_of, int as_of_year,
                             const std::string& age, int limit, int offset) {
  const bool filtered = known_age(age);
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  st.exchange(soci::use(as_of_year));
  st.exchange(soci::use(as_of));
  if (filtered) st.exchange(soci::use(as_of_year));
  st.exchange(soci::use(limit));
  st.exchange(soci::use(offset));
  db::prepare(
      st, arrears_sql(filtered ? age : "") + " ORDER BY m.sort_key, m.id LIMIT :lim OFFSET :off");
  st.execute(false);
  std::vector<Arrears> out;
  while (st.fetch()) {
    Arrears a;
    a.member_id = db::get_int64(row, 0);
    a.member_name = row.get<std::string>(1);
    a.member_no = row.get<std::string>(2);
    a.city_code = row.get<std::string>(3);
    a.status = row.get<std::string>(4);
    a.outstanding_fen = db::get_int64(row, 5);
    a.oldest_year = as_int(row, 6);
    a.unpaid_years = as_int(row, 7);
    a.reminders_sent = as_int(row, 8);
    a.age = age_bucket(a.oldest_year, as_of_year);
    out.push_back(std::move(a));
  }
  return out;
}

long long count_arrears(soci::session& s, const std::string& as_of, int as_of_year,
                        const std::string& age) {
  const bool filtered = known_age(age);
  long long n = 0;
  soci::statement st(s);
  st.exchange(soci::into(n));
  st.exchange(soci::use(as_of_year));
  st.exchange(soci::use(as_of));
  if (filtered) st.exchange(soci::use(as_of_year));
  db::prepare(st, "SELECT COUNT(*) FROM (" + arrears_sql(filtered ? age : "") + ") c");
  st.execute(true);
  return n;
}

std::optional<Arrears> member_arrears(soci::session& s, long long member_id,
                                      const std::string& as_of, int as_of_year) {
  soci::row r;
  s << "SELECT SUM(amount_fen - reduced_fen - paid_fen), MIN(year), "
       "SUM(CASE WHEN year < :y THEN 1 ELSE 0 END), MAX(reminders_sent), COUNT(*) "
       "FROM dues_invoices WHERE member_id = :m AND status IN ('unpaid', 'partial') "
       "AND issued_on <= :asof",
      soci::use(as_of_year), soci::use(member_id), soci::use(as_of), soci::into(r);
  if (!s.got_data() || db::get_int64(r, 4) == 0) return std::nullopt;
  Arrears a;
  a.member_id = member_id;
  a.outstanding_fen = db::get_int64(r, 0);
  a.oldest_year = as_int(r, 1);
  a.unpaid_years = as_int(r, 2);
  a.reminders_sent = as_int(r, 3);
  a.age = age_bucket(a.oldest_year, as_of_year);
  return a;
}

void lock_member_invoices(soci::session& s, long long member_id) {
  if (!is_mysql(s)) return;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id FROM dues_invoices WHERE member_id = :m ORDER BY id FOR UPDATE",
       soci::use(member_id));
  std::size_t locked = 0;
  for (auto it = rows.begin(); it != rows.end(); ++it) ++locked;  // reading the rows locks them
}

std::map<std::string, std::pair<long long, long long>> arrears_by_age(soci::session& s,
                                                                      const std::string& as_of,
                                                                      int as_of_year) {
  std::map<std::string, std::pair<long long, long long>> out{
      {"current", {0, 0}}, {"1y", {0, 0}}, {"2y", {0, 0}}, {"3y+", {0, 0}}};
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT oldest, COUNT(*), SUM(owed) FROM (SELECT member_id, MIN(year) AS "
                    "oldest, SUM(amount_fen - reduced_fen - paid_fen) AS owed FROM dues_invoices "
                    "WHERE status IN ('unpaid', 'partial') AND issued_on <= :asof "
                    "GROUP BY member_id) a GROUP BY oldest",
       soci::use(as_of));
  for (const soci::row& r : rows) {
    auto& bucket = out[age_bucket(as_int(r, 0), as_of_year)];
    bucket.first += db::get_int64(r, 1);
    bucket.second += db::get_int64(r, 2);
  }
  return out;
}

YearIncome year_income(soci::session& s, int year) {
  YearIncome y;
  s << "SELECT COALESCE(SUM(dues_billed_fen - dues_reduced_fen), 0), "
       "COALESCE(SUM(dues_collected_fen), 0), COALESCE(SUM(dues_paid_invoices), 0) "
       "FROM report_group_year WHERE year = :y",
      soci::use(year), soci::into(y.due_fen), soci::into(y.collected_fen), soci::into(y.units_paid);
  return y;
}

std::optional<UseStatement> find_use_statement(soci::session& s, int year) {
  soci::row r;
  s << "SELECT year, uses, note, published_at FROM dues_use_statements WHERE year = :y",
      soci::use(year), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  UseStatement u;
  u.year = as_int(r, 0);
  const std::string uses = r.get<std::string>(1);
  std::size_t start = 0;
  while (start < uses.size()) {
    const std::size_t end = std::min(uses.find('\n', start), uses.size());
    const std::string line = uses.substr(start, end - start);
    const std::size_t tab = line.rfind('\t');
    if (tab != std::string::npos) {
      u.uses.emplace_back(line.substr(0, tab), std::stoll(line.substr(tab + 1)));
    }
    start = end + 1;
  }
  u.note = r.get<std::string>(2);
  u.published_at = nullable_ts(r, 3);
  return u;
}

void put_use_statement(soci::session& s, const UseStatement& u, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  std::string uses;
  for (const auto& [item, fen] : u.uses) uses += item + '\t' + std::to_string(fen) + '\n';
  int updated = 0;
  {
    soci::statement st = (s.prepare << "UPDATE dues_use_statements SET uses = :u, note = :n, "
                                       "updated_at = :at WHERE year = :y",
                          soci::use(uses), soci::use(u.note), soci::use(at), soci::use(u.year));
    st.execute(true);
    updated = static_cast<int>(st.get_affected_rows());
  }
  if (updated == 0) {
    s << "INSERT INTO dues_use_statements (year, uses, note, updated_at) VALUES (:y, :u, :n, :at)",
        soci::use(u.year), soci::use(uses), soci::use(u.note), soci::use(at);
  }
}

void publish_use_statement(soci::session& s, int year, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE dues_use_statements SET published_at = :at WHERE year = :y", soci::use(at),
      soci::use(year);
}

}  // namespace xiehui::dues::dues_repository
