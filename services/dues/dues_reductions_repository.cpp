// The dues repository's reductions (减免) granted to a unit for a year. Declared in
// dues_repository.hpp.
#include "services/dues/dues_repository.hpp"

#include "core/db/sql.hpp"
#include "core/db/where.hpp"
#include "services/dues/dues_repository_rows.hpp"

namespace xiehui::dues::dues_repository {
namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the shared row readers

constexpr const char* kReductionColumns =
    "SELECT r.id, r.member_id, m.name, r.year, r.amount_fen, r.percent, r.reason, r.approved_by, "
    "r.created_at, r.revoked_at FROM dues_reductions r JOIN members m ON m.id = r.member_id ";

Reduction read_reduction(const soci::row& r) {
  Reduction red;
  red.id = db::get_int64(r, 0);
  red.member_id = db::get_int64(r, 1);
  red.member_name = r.get<std::string>(2);
  red.year = as_int(r, 3);
  if (r.get_indicator(4) == soci::i_ok) red.amount_fen = db::get_int64(r, 4);
  if (r.get_indicator(5) == soci::i_ok) red.percent = as_int(r, 5);
  red.reason = r.get<std::string>(6);
  red.approved_by = r.get<std::string>(7);
  red.created_at = ts(r, 8);
  red.revoked_at = nullable_ts(r, 9);
  return red;
}

std::vector<Reduction> read_reductions(soci::statement& st, soci::row& row) {
  std::vector<Reduction> out;
  st.execute(false);
  while (st.fetch()) out.push_back(read_reduction(row));
  return out;
}

}  // namespace

std::map<long long, Reduction> live_reductions(soci::session& s, int year) {
  std::map<long long, Reduction> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kReductionColumns) + "WHERE r.year = :y AND r.revoked_at IS NULL",
       soci::use(year));
  for (const soci::row& r : rows) {
    Reduction red = read_reduction(r);
    out.emplace(red.member_id, std::move(red));
  }
  return out;
}

std::optional<Reduction> live_reduction(soci::session& s, long long member_id, int year) {
  soci::row r;
  s << std::string(kReductionColumns) +
           "WHERE r.member_id = :m AND r.year = :y AND r.revoked_at IS NULL",
      soci::use(member_id), soci::use(year), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  return read_reduction(r);
}

std::optional<Reduction> find_reduction(soci::session& s, long long id) {
  soci::row r;
  s << std::string(kReductionColumns) + "WHERE r.id = :id", soci::use(id), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  return read_reduction(r);
}

std::vector<Reduction> list_reductions(soci::session& s, std::optional<int> year,
                                       std::optional<long long> member_id) {
  db::Where w;
  if (year) w.add("r.year", " = ", std::to_string(*year));
  if (member_id) w.add("r.member_id", " = ", std::to_string(*member_id));
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  w.bind(st);
  db::prepare(st, std::string(kReductionColumns) + w.sql() +
                      " ORDER BY r.year DESC, m.sort_key, r.id DESC");
  return read_reductions(st, row);
}

long long insert_reduction(soci::session& s, const Reduction& r, std::optional<long long> actor,
                           Timestamp now) {
  const std::string at = format_db_timestamp(now);
  long long amount = r.amount_fen.value_or(0);
  soci::indicator amount_ind = r.amount_fen ? soci::i_ok : soci::i_null;
  int percent = r.percent.value_or(0);
  soci::indicator percent_ind = r.percent ? soci::i_ok : soci::i_null;
  long long who = actor.value_or(0);
  soci::indicator who_ind = actor ? soci::i_ok : soci::i_null;
  s << "INSERT INTO dues_reductions (member_id, year, amount_fen, percent, reason, approved_by, "
       "created_by, created_at) VALUES (:m, :y, :a, :p, :r, :ap, :by, :at)",
      soci::use(r.member_id), soci::use(r.year), soci::use(amount, amount_ind),
      soci::use(percent, percent_ind), soci::use(r.reason), soci::use(r.approved_by),
      soci::use(who, who_ind), soci::use(at);
  return db::scalar(
      s, "SELECT MAX(id) FROM dues_reductions WHERE member_id = " + std::to_string(r.member_id));
}

void revoke_reduction(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE dues_reductions SET revoked_at = :at WHERE id = :id", soci::use(at), soci::use(id);
}

}  // namespace xiehui::dues::dues_repository
