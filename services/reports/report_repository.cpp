#include "services/reports/report_repository.hpp"

#include <array>

#include "core/db/rows.hpp"
#include "core/db/sql.hpp"
#include "core/db/where.hpp"

namespace xiehui::reports::report_repository {
namespace {

using db::rows::as_int;
using db::rows::text;

// The summable columns of report_group_year, in the order of Figures' members; the first 14
// are report_unit_year's too.
constexpr std::array<const char*, 20> kFigureColumns = {
    "dues_invoices",         "dues_billed_fen",     "dues_reduced_fen",   "dues_collected_fen",
    "dues_outstanding_fen",  "dues_paid_invoices",  "training_places",    "training_attended",
    "training_certificates", "meeting_invitations", "meeting_replies",    "meeting_attended",
    "visit_delegates",       "visit_cost_fen",      "meeting_unanswered", "units_dues",
    "units_training",        "units_invited",       "units_meetings",     "units_visits"};
constexpr std::size_t kUnitColumns = 15;

constexpr const char* kCurrent = "status IN ('active', 'lapsed', 'suspended')";

std::array<long long*, 20> fields(Figures& f) {
  return {&f.dues_invoices,       &f.dues_billed_fen,      &f.dues_reduced_fen,
          &f.dues_collected_fen,  &f.dues_outstanding_fen, &f.dues_paid_invoices,
          &f.training_places,     &f.training_attended,    &f.training_certificates,
          &f.meeting_invitations, &f.meeting_replies,      &f.meeting_attended,
          &f.visit_delegates,     &f.visit_cost_fen,       &f.meeting_unanswered,
          &f.units_dues,          &f.units_training,       &f.units_invited,
          &f.units_meetings,      &f.units_visits};
}

// "SUM(p.c1), SUM(p.c2), …" over the first `n` figure columns.
std::string sums(const std::string& prefix, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += std::string("COALESCE(SUM(") + prefix + kFigureColumns[i] + "), 0)";
  }
  return out;
}

std::string columns(const std::string& prefix, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += prefix + kFigureColumns[i];
  }
  return out;
}

void read_figures(const soci::row& r, std::size_t first, std::size_t n, Figures& f) {
  auto out = fields(f);
  for (std::size_t i = 0; i < n; ++i) *out[i] = db::get_int64(r, first + i);
}

bool all_zero(Figures& f) {
  for (long long* v : fields(f)) {
    if (*v != 0) return false;
  }
  return true;
}

// The filter's city, type and tier on columns with `prefix` ("" or "m.").
db::Where filter_where(const ReportFilter& f, const std::string& prefix) {
  db::Where w;
  w.add(prefix + "city_code", " = ", f.city_code);
  w.add(prefix + "org_type", " = ", f.type);
  w.add(prefix + "tier", " = ", f.tier);
  return w;
}

// The rows of `sql` (its WHERE bound by `w`, then `ints` in order), each read by `read`.
template <class Read>
auto select(soci::session& s, const std::string& sql, const db::Where& w, Read read,
            const std::vector<long long>& ints = {}) {
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  w.bind(st);
  for (const long long& v : ints) st.exchange(soci::use(v));
  db::prepare(st, sql);
  st.execute(false);
  std::vector<decltype(read(row))> out;
  while (st.fetch()) out.push_back(read(row));
  return out;
}

long long count(soci::session& s, const std::string& sql, const db::Where& w,
                const std::vector<long long>& ints = {}) {
  const auto n = select(
      s, sql, w, [](const soci::row& r) { return db::get_int64(r, 0); }, ints);
  return n.empty() ? 0 : n.front();
}

UnitLine read_unit(const soci::row& r) {
  UnitLine u;
  u.member_id = db::get_int64(r, 0);
  u.name = text(r, 1);
  u.city_code = text(r, 2);
  u.type = text(r, 3);
  u.tier = text(r, 4);
  u.status = text(r, 5);
  u.last_active_year = as_int(r, 6);
  u.outstanding_fen = db::get_int64(r, 7);
  u.oldest_arrears_year = as_int(r, 8);
  return u;
}

// The columns read_unit reads, from members m and report_units r.
constexpr const char* kUnitSelect =
    "SELECT m.id, m.name, m.city_code, m.org_type, m.tier, m.status, r.last_active_year, "
    "r.outstanding_fen, r.oldest_arrears_year";

// `table` (with its alias) read through `index`. Each database's planner, left alone, picked a
// filter's index and sorted 100k rows for a page of 50 (bench.sh, section reports); a page walked
// in the order of the index it is sorted by reads a few hundred rows whatever the filters.
std::string through(soci::session& s, const std::string& table, const std::string& index) {
  return db::rows::is_mysql(s) ? table + " FORCE INDEX (" + index + ")"
                               : table + " INDEXED BY " + index;
}

std::string page_sql(int offset, int limit) {
  return " LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(offset);
}

}  // namespace

std::vector<Count> member_counts(soci::session& s, const ReportFilter& f, const std::string& by,
                                 bool current_only) {
  db::Where w = filter_where(f, "");
  if (current_only) w.add_fixed(kCurrent);
  auto rows = select(s,
                     "SELECT " + by + ", COALESCE(SUM(members), 0) FROM report_member_counts" +
                         w.sql() + " GROUP BY " + by + " ORDER BY " + by,
                     w, [](const soci::row& r) {
                       return Count{text(r, 0), db::get_int64(r, 1)};
                     });
  std::erase_if(rows, [](const Count& c) { return c.count == 0; });
  return rows;
}

std::vector<FlowCell> flow_cells(soci::session& s, const ReportFilter& f) {
  const db::Where w = filter_where(f, "");
  const std::string current = std::string("CASE WHEN ") + kCurrent + " THEN 1 ELSE 0 END";
  return select(
      s,
      "SELECT join_year, leave_year, " + current +
          ", COALESCE(SUM(members), 0) FROM report_member_counts" + w.sql() +
          " GROUP BY join_year, leave_year, " + current,
      w, [](const soci::row& r) {
        return FlowCell{as_int(r, 0), as_int(r, 1), as_int(r, 2) == 1, db::get_int64(r, 3)};
      });
}

std::vector<Figures> group_figures(soci::session& s, const ReportFilter& f, int year,
                                   const std::string& by) {
  db::Where w = filter_where(f, "");
  w.add_fixed("year = " + std::to_string(year));
  const std::string key = by.empty() ? "''" : by;
  auto rows =
      select(s,
             "SELECT " + key + ", " + sums("", kFigureColumns.size()) + " FROM report_group_year" +
                 w.sql() + (by.empty() ? "" : " GROUP BY " + by + " ORDER BY " + by),
             w, [](const soci::row& r) {
               Figures g;
               g.key = text(r, 0);
               read_figures(r, 1, kFigureColumns.size(), g);
               return g;
             });
  if (!by.empty()) std::erase_if(rows, [](Figures& g) { return all_zero(g); });
  if (by.empty() && rows.empty()) rows.emplace_back();
  return rows;
}

std::vector<MonthFigures> dues_months(soci::session& s, const std::string& from_month,
                                      const std::string& to_month) {
  db::Where w;
  w.add("month", " >= ", from_month);
  w.add("month", " <= ", to_month);
  return select(s,
                "SELECT month, billed_fen, collected_fen FROM report_dues_months" + w.sql() +
                    " ORDER BY month",
                w, [](const soci::row& r) {
                  return MonthFigures{text(r, 0), db::get_int64(r, 1), db::get_int64(r, 2)};
                });
}

std::map<int, AgeBucket> arrears_by_oldest_year(soci::session& s, const ReportFilter& f) {
  db::Where w = filter_where(f, "");
  w.add_fixed("oldest_arrears_year > 0");
  std::map<int, AgeBucket> out;
  const auto rows =
      select(s,
             "SELECT oldest_arrears_year, COUNT(*), COALESCE(SUM(outstanding_fen), "
             "0) FROM report_units" +
                 w.sql() + " GROUP BY oldest_arrears_year",
             w, [](const soci::row& r) {
               return std::pair{as_int(r, 0), AgeBucket{db::get_int64(r, 1), db::get_int64(r, 2)}};
             });
  for (const auto& [year, bucket] : rows) out[year] = bucket;
  return out;
}

ClassYear class_year(soci::session& s, int year, const std::string& from_ts,
                     const std::string& to_ts) {
  ClassYear c;
  db::Where w;
  w.add("starts_at", " >= ", from_ts);
  w.add("starts_at", " < ", to_ts);
  w.add_fixed("status NOT IN ('draft', 'cancelled')");
  const auto held = select(s, "SELECT COUNT(*), COALESCE(SUM(capacity), 0) FROM classes" + w.sql(),
                           w, [](const soci::row& r) {
                             return std::pair{db::get_int64(r, 0), db::get_int64(r, 1)};
                           });
  if (!held.empty()) std::tie(c.classes, c.capacity) = held.front();
  db::Where y;
  y.add_fixed("year = " + std::to_string(year));
  const auto taken =
      select(s,
             "SELECT COALESCE(SUM(places), 0), COALESCE(SUM(attended), 0), "
             "COALESCE(SUM(certificates), 0) FROM report_classes" +
                 y.sql(),
             y, [](const soci::row& r) {
               return std::array{db::get_int64(r, 0), db::get_int64(r, 1), db::get_int64(r, 2)};
             });
  if (!taken.empty()) {
    c.places = taken.front()[0];
    c.attended = taken.front()[1];
    c.certificates = taken.front()[2];
  }
  return c;
}

std::vector<MeetingLine> meetings_in(soci::session& s, const std::string& from_ts,
                                     const std::string& to_ts) {
  db::Where w;
  w.add("mt.starts_at", " >= ", from_ts);
  w.add("mt.starts_at", " < ", to_ts);
  w.add_fixed("mt.status <> 'cancelled'");
  return select(
      s,
      "SELECT mt.id, mt.title, mt.starts_at, "
      "(SELECT COUNT(*) FROM meeting_invitees i WHERE i.meeting_id = mt.id), "
      "(SELECT COUNT(*) FROM meeting_rsvps r WHERE r.meeting_id = mt.id), "
      "(SELECT COUNT(*) FROM meeting_rsvps r WHERE r.meeting_id = mt.id AND r.attending = 1), "
      "(SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = mt.id) "
      "FROM meetings mt" +
          w.sql() + " ORDER BY mt.starts_at, mt.id",
      w, [](const soci::row& r) {
        return MeetingLine{db::get_int64(r, 0), text(r, 1),          text(r, 2),
                           db::get_int64(r, 3), db::get_int64(r, 4), db::get_int64(r, 5),
                           db::get_int64(r, 6)};
      });
}

std::vector<VisitLine> visits_in(soci::session& s, int year) {
  db::Where w;
  w.add("v.starts_on", " >= ", std::to_string(year) + "-01-01");
  w.add("v.starts_on", " <= ", std::to_string(year) + "-12-31");
  w.add_fixed("v.status NOT IN ('draft', 'cancelled')");
  return select(s,
                "SELECT v.id, v.title, v.starts_on, "
                "(SELECT COUNT(*) FROM visit_delegates d WHERE d.visit_id = v.id AND d.status = "
                "'approved'), (SELECT COALESCE(SUM(d.fee_fen), 0) FROM visit_delegates d WHERE "
                "d.visit_id = v.id AND d.status = 'approved') FROM visits v" +
                    w.sql() + " ORDER BY v.starts_on, v.id",
                w, [](const soci::row& r) {
                  return VisitLine{db::get_int64(r, 0), text(r, 1), text(r, 2), db::get_int64(r, 3),
                                   db::get_int64(r, 4)};
                });
}

std::vector<DayCount> activity_days(soci::session& s, int year, const std::string& from_ts,
                                    const std::string& to_ts) {
  // Start times are UTC; the day is Shanghai's. A year holds a few hundred activities, so the
  // shift is done here rather than in each dialect's date functions.
  db::Where w;
  w.add("starts_at", " >= ", from_ts);
  w.add("starts_at", " < ", to_ts);
  std::map<std::string, long long> days;
  const auto stamps = select(
      s, "SELECT starts_at FROM classes" + w.sql() + " AND status NOT IN ('draft', 'cancelled')", w,
      [](const soci::row& r) { return text(r, 0); });
  const auto meetings =
      select(s, "SELECT starts_at FROM meetings" + w.sql() + " AND status <> 'cancelled'", w,
             [](const soci::row& r) { return text(r, 0); });
  for (const auto* list : {&stamps, &meetings}) {
    for (const std::string& at : *list) {
      if (auto t = parse_db_timestamp(at)) ++days[format_date(shanghai_date(*t))];
    }
  }
  db::Where v;
  v.add("starts_on", " >= ", std::to_string(year) + "-01-01");
  v.add("starts_on", " <= ", std::to_string(year) + "-12-31");
  v.add_fixed("status NOT IN ('draft', 'cancelled')");
  for (const std::string& day : select(s, "SELECT starts_on FROM visits" + v.sql(), v,
                                       [](const soci::row& r) { return text(r, 0); })) {
    ++days[day];
  }
  std::vector<DayCount> out;
  for (const auto& [day, n] : days) out.push_back({day, n});
  return out;
}

std::vector<UnitLine> ranking(soci::session& s, const ReportFilter& f, Ranking r, int offset,
                              int limit) {
  db::Where w = filter_where(f, "m.");
  w.add_fixed("u.year = " + std::to_string(f.year));
  std::string order, index;
  switch (r) {
    case Ranking::training_places:
      w.add_fixed("u.training_places > 0");
      order = " ORDER BY u.training_places DESC, u.member_id DESC";
      index = "ix_report_unit_year_training";
      break;
    case Ranking::meeting_unanswered:
      w.add_fixed("u.meeting_invitations > 0");
      order = " ORDER BY u.meeting_unanswered DESC, u.member_id DESC";
      index = "ix_report_unit_year_meetings";
      break;
    case Ranking::visit_delegates:
      w.add_fixed("u.visit_delegates > 0");
      order = " ORDER BY u.visit_delegates DESC, u.member_id DESC";
      index = "ix_report_unit_year_visits";
      break;
  }
  return select(s,
                std::string(kUnitSelect) + ", " + columns("u.", kUnitColumns) + " FROM " +
                    through(s, "report_unit_year u", index) +
                    " JOIN members m ON m.id = u.member_id JOIN "
                    "report_units r ON r.member_id = u.member_id" +
                    w.sql() + order + page_sql(offset, limit),
                w, [](const soci::row& row) {
                  UnitLine u = read_unit(row);
                  read_figures(row, 9, kUnitColumns, u.figures);
                  return u;
                });
}

std::vector<UnitLine> engagement_page(soci::session& s, const ReportFilter& f, int from_year,
                                      int through_year, int offset, int limit) {
  db::Where w = filter_where(f, "r.");
  w.add_fixed(std::string("r.") + kCurrent);
  // The page walks ix_report_units_drift in order; only those rows are read in full.
  auto units = select(s,
                      std::string(kUnitSelect) + " FROM " +
                          through(s, "report_units r", "ix_report_units_drift") +
                          " JOIN members m ON m.id = r.member_id" + w.sql() +
                          " ORDER BY r.last_active_year, r.outstanding_fen DESC, r.sort_key" +
                          page_sql(offset, limit),
                      w, read_unit);
  if (units.empty()) return units;
  std::string ids;
  for (const UnitLine& u : units) ids += (ids.empty() ? "" : ",") + std::to_string(u.member_id);
  db::Where y;
  y.add_fixed("member_id IN (" + ids + ")");
  y.add_fixed("year >= " + std::to_string(from_year));
  y.add_fixed("year <= " + std::to_string(through_year));
  const auto sums_of = select(s,
                              "SELECT member_id, " + sums("", kUnitColumns) +
                                  " FROM report_unit_year" + y.sql() + " GROUP BY member_id",
                              y, [](const soci::row& r) {
                                Figures g;
                                g.key = std::to_string(db::get_int64(r, 0));
                                read_figures(r, 1, kUnitColumns, g);
                                return g;
                              });
  for (UnitLine& u : units) {
    for (const Figures& g : sums_of) {
      if (g.key == std::to_string(u.member_id)) u.figures = g;
    }
    u.figures.key.clear();
  }
  return units;
}

long long inactive_units(soci::session& s, const ReportFilter& f, int from_year) {
  db::Where w = filter_where(f, "");
  w.add_fixed(kCurrent);
  w.add_fixed("last_active_year < " + std::to_string(from_year));
  return count(s, "SELECT COUNT(*) FROM report_units" + w.sql(), w);
}

std::vector<UnitLine> drill_members(soci::session& s, const ReportFilter& f,
                                    const std::string& dimension, const std::string& key,
                                    int offset, int limit) {
  db::Where w = filter_where(f, "r.");
  w.add("r." + dimension, " = ", key);
  if (dimension != "status") w.add_fixed(std::string("r.") + kCurrent);
  return select(s,
                std::string(kUnitSelect) + " FROM " +
                    through(s, "report_units r", "ix_report_units_by_" + dimension) +
                    " JOIN members m ON m.id = r.member_id" + w.sql() +
                    " ORDER BY r.sort_key, r.member_id" + page_sql(offset, limit),
                w, read_unit);
}

std::vector<UnitLine> drill_arrears(soci::session& s, const ReportFilter& f, int oldest_from,
                                    int oldest_to, int offset, int limit) {
  db::Where w = filter_where(f, "r.");
  w.add_fixed("r.oldest_arrears_year >= " + std::to_string(oldest_from));
  w.add_fixed("r.oldest_arrears_year <= " + std::to_string(oldest_to));
  return select(s,
                std::string(kUnitSelect) +
                    " FROM report_units r JOIN members m ON m.id = r.member_id" + w.sql() +
                    " ORDER BY r.outstanding_fen DESC, r.member_id" + page_sql(offset, limit),
                w, read_unit);
}

long long count_arrears(soci::session& s, const ReportFilter& f, int oldest_from, int oldest_to) {
  db::Where w = filter_where(f, "");
  w.add_fixed("oldest_arrears_year >= " + std::to_string(oldest_from));
  w.add_fixed("oldest_arrears_year <= " + std::to_string(oldest_to));
  return count(s, "SELECT COUNT(*) FROM report_units" + w.sql(), w);
}

std::optional<UnitDashboard> unit_dashboard(soci::session& s, long long member_id, int from_year,
                                            int to_year) {
  db::Where w;
  w.add_fixed("m.id = " + std::to_string(member_id));
  const auto units =
      select(s,
             std::string(kUnitSelect) +
                 " FROM report_units r JOIN members m ON m.id = r.member_id" + w.sql(),
             w, read_unit);
  if (units.empty()) return std::nullopt;
  UnitDashboard d;
  d.member_id = member_id;
  d.name = units.front().name;
  d.status = units.front().status;
  d.city_code = units.front().city_code;
  d.type = units.front().type;
  d.tier = units.front().tier;
  d.outstanding_fen = units.front().outstanding_fen;
  d.oldest_arrears_year = units.front().oldest_arrears_year;
  d.last_active_year = units.front().last_active_year;
  db::Where y;
  y.add_fixed("member_id = " + std::to_string(member_id));
  y.add_fixed("year >= " + std::to_string(from_year));
  y.add_fixed("year <= " + std::to_string(to_year));
  d.years = select(s,
                   "SELECT year, " + columns("", kUnitColumns) + " FROM report_unit_year" +
                       y.sql() + " ORDER BY year DESC",
                   y, [](const soci::row& r) {
                     UnitYear u;
                     u.year = as_int(r, 0);
                     read_figures(r, 1, kUnitColumns, u.figures);
                     return u;
                   });
  return d;
}

std::vector<AggregateCheck> check_aggregates(soci::session& s) {
  struct Pair {
    const char* table;
    std::string keys, values;
  };
  const std::string unit_values = columns("", kUnitColumns);
  const std::string group_values = columns("", kFigureColumns.size());
  const Pair pairs[] = {
      {"report_member_counts",
       "city_code, org_type, org_level, tier, status, join_year, leave_year", "members"},
      {"report_unit_year", "member_id, year", unit_values},
      {"report_group_year", "year, city_code, org_type, tier", group_values},
      {"report_units", "member_id, city_code, org_type, org_level, tier, status, sort_key",
       "last_active_year, outstanding_fen, oldest_arrears_year"},
      {"report_classes", "class_id, year", "places, attended, certificates"},
      {"report_dues_months", "month", "billed_fen, collected_fen"},
  };
  std::vector<AggregateCheck> out;
  for (const Pair& p : pairs) {
    // Rows whose figures are all zero mean nothing: an aggregate keeps them after a decrement,
    // a source never has them.
    const std::string list = p.keys + ", " + p.values;
    std::string nonzero;
    std::size_t start = 0;
    const std::string& v = p.values;
    while (start <= v.size()) {
      const std::size_t comma = std::min(v.find(',', start), v.size());
      std::string col = v.substr(start, comma - start);
      while (!col.empty() && col.front() == ' ') col.erase(col.begin());
      nonzero += (nonzero.empty() ? "" : " OR ") + col + " <> 0";
      start = comma + 1;
    }
    const std::string table = std::string(p.table);
    const std::string a = "SELECT " + list + " FROM " + table + " WHERE " + nonzero;
    const std::string b = "SELECT " + list + " FROM " + table + "_source WHERE " + nonzero;
    // Rows of each side missing from the other: EXCEPT both ways (MariaDB 10.3+, SQLite).
    const long long differing =
        db::scalar(s, "SELECT (SELECT COUNT(*) FROM (" + a + " EXCEPT " + b + ") x) + " +
                          "(SELECT COUNT(*) FROM (" + b + " EXCEPT " + a + ") y)");
    out.push_back({table, differing});
  }
  return out;
}

}  // namespace xiehui::reports::report_repository
