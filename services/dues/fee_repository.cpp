// The SQL of the fee ledger (training and visit fees with their 发票) and units' 开票信息.

#include "services/dues/dues_repository.hpp"

#include "core/db/sql.hpp"
#include "core/db/where.hpp"
#include "core/time.hpp"
#include "services/dues/dues_repository_rows.hpp"

namespace xiehui::dues::dues_repository {
namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the shared row readers

// ---- fees ----

// What a fee was for: the course, class and attendee of a training place, or the visit and its
// delegate.
std::string fee_columns(soci::session& s) {
  const auto concat = [&](std::initializer_list<const char*> parts) {
    std::string out;
    for (const char* p : parts) {
      if (is_mysql(s)) {
        out += out.empty() ? "CONCAT(" : ", ' ', ";  // MariaDB's || is OR
      } else if (!out.empty()) {
        out += " || ' ' || ";
      }
      out += "COALESCE(";
      out += p;
      out += ", '')";
    }
    return is_mysql(s) ? out + ")" : out;
  };
  return "SELECT c.id, c.source, c.member_id, c.payer_name, CASE WHEN c.source = 'visit' THEN " +
         concat({"v.title", "vd.name"}) + " ELSE " +
         concat({"co.title", "cl.title", "e.attendee_name"}) +
         " END, c.amount_fen, c.status, c.fapiao_status, c.fapiao_no, c.fapiao_on, c.created_at "
         "FROM charges c "
         "LEFT JOIN enrollments e ON c.source = 'training' AND e.id = c.source_id "
         "LEFT JOIN classes cl ON cl.id = e.class_id LEFT JOIN courses co ON co.id = "
         "cl.course_id "
         "LEFT JOIN visit_delegates vd ON c.source = 'visit' AND vd.id = c.source_id "
         "LEFT JOIN visits v ON v.id = vd.visit_id ";
}

Fee read_fee(const soci::row& r) {
  Fee f;
  f.id = db::get_int64(r, 0);
  f.kind = r.get<std::string>(1);
  if (r.get_indicator(2) == soci::i_ok) f.member_id = db::get_int64(r, 2);
  f.payer_name = r.get<std::string>(3);
  f.description = r.get<std::string>(4);
  f.amount_fen = db::get_int64(r, 5);
  f.status = r.get<std::string>(6);
  f.fapiao_status = r.get<std::string>(7);
  f.fapiao_no = nullable_text(r, 8);
  f.fapiao_on = nullable_text(r, 9);
  f.created_at = ts(r, 10);
  return f;
}

db::Where fee_where(const FeeFilter& f) {
  db::Where w;
  w.add("c.source", " = ", f.kind);
  if (f.status == "invoiced") {
    w.add("c.fapiao_status", " = ", "issued");
  } else {
    w.add("c.status", " = ", f.status);
  }
  if (f.member_id) w.add("c.member_id", " = ", std::to_string(*f.member_id));
  return w;
}

}  // namespace

std::vector<Fee> list_fees(soci::session& s, const FeeFilter& f, int limit, int offset) {
  const db::Where w = fee_where(f);
  return rows::page(s, w,
                    fee_columns(s) + w.sql() + " ORDER BY c.created_at DESC, c.id DESC " +
                        "LIMIT :lim OFFSET :off",
                    limit, offset, read_fee);
}

long long count_fees(soci::session& s, const FeeFilter& f) {
  const db::Where w = fee_where(f);
  return rows::count(s, w, "SELECT COUNT(*) FROM charges c" + w.sql());
}

std::optional<Fee> find_fee(soci::session& s, long long id, bool lock) {
  soci::row r;
  if (lock && is_mysql(s)) {
    long long locked = 0;
    s << "SELECT id FROM charges WHERE id = :id FOR UPDATE", soci::use(id), soci::into(locked);
    if (!s.got_data()) return std::nullopt;
  }
  s << fee_columns(s) + "WHERE c.id = :id", soci::use(id), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  return read_fee(r);
}

void set_fapiao(soci::session& s, long long id, const std::string& status,
                const std::optional<std::string>& no, const std::optional<std::string>& on,
                Timestamp now) {
  const std::string at = format_db_timestamp(now);
  std::string no_v = no.value_or(""), on_v = on.value_or("");
  soci::indicator no_ind = no ? soci::i_ok : soci::i_null;
  soci::indicator on_ind = on ? soci::i_ok : soci::i_null;
  s << "UPDATE charges SET fapiao_status = :s, fapiao_no = :n, fapiao_on = :o, updated_at = :at "
       "WHERE id = :id",
      soci::use(status), soci::use(no_v, no_ind), soci::use(on_v, on_ind), soci::use(at),
      soci::use(id);
}

std::optional<Invoicing> find_invoicing(soci::session& s, long long member_id) {
  soci::row r;
  s << "SELECT title, tax_no, address, phone, bank_name, bank_account FROM member_invoicing "
       "WHERE member_id = :m",
      soci::use(member_id), soci::into(r);
  if (!s.got_data()) return std::nullopt;
  return Invoicing{r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2),
                   r.get<std::string>(3), r.get<std::string>(4), r.get<std::string>(5)};
}

std::map<long long, Invoicing> invoicing_of(soci::session& s, const std::vector<long long>& ids) {
  std::map<long long, Invoicing> out;
  for (long long id : ids) {
    if (out.contains(id)) continue;
    if (auto inv = find_invoicing(s, id)) out.emplace(id, std::move(*inv));
  }
  return out;
}

void put_invoicing(soci::session& s, long long member_id, const Invoicing& inv, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "DELETE FROM member_invoicing WHERE member_id = :m", soci::use(member_id);
  s << "INSERT INTO member_invoicing (member_id, title, tax_no, address, phone, bank_name, "
       "bank_account, updated_at) VALUES (:m, :t, :x, :a, :p, :b, :ba, :at)",
      soci::use(member_id), soci::use(inv.title), soci::use(inv.tax_no), soci::use(inv.address),
      soci::use(inv.phone), soci::use(inv.bank_name), soci::use(inv.bank_account), soci::use(at);
}

}  // namespace xiehui::dues::dues_repository
