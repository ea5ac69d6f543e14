#include "services/visits/visit_repository.hpp"

#include <map>

#include "core/db/rows.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"

namespace xiehui::visits::visit_repository {
namespace {

using namespace db::rows;  // NOLINT(google-build-using-namespace): the shared row readers

constexpr const char* kVisitColumns =
    "SELECT v.id, v.title, v.theme, v.destination, v.description, v.starts_on, v.ends_on, "
    "v.capacity, v.per_member_quota, v.cost_fen, v.cost_covers, v.apply_deadline, "
    "v.withdraw_cutoff, v.status, v.approved_count, v.waitlisted_count, v.next_waitlist_seq, "
    "v.offer_id, v.rooming_saved, v.report_text, v.report_published_at, v.version, "
    "(SELECT COUNT(*) FROM visit_delegates d WHERE d.visit_id = v.id AND d.status = 'pending') "
    "FROM visits v";

Date date_of(const soci::row& r, std::size_t i) { return parse_date(text(r, i)).value_or(Date{}); }

Visit read_visit(const soci::row& r) {
  Visit v;
  v.id = db::get_int64(r, 0);
  v.title = text(r, 1);
  v.theme = text(r, 2);
  v.destination = text(r, 3);
  v.description = text(r, 4);
  v.starts_on = date_of(r, 5);
  v.ends_on = date_of(r, 6);
  v.capacity = as_int(r, 7);
  if (r.get_indicator(8) == soci::i_ok) v.per_member_quota = as_int(r, 8);
  v.cost_fen = db::get_int64(r, 9);
  v.cost_covers = text(r, 10);
  v.apply_deadline = ts(r, 11);
  v.withdraw_cutoff = date_of(r, 12);
  v.status = text(r, 13);
  v.approved = as_int(r, 14);
  v.waitlisted = as_int(r, 15);
  v.next_waitlist_seq = db::get_int64(r, 16);
  v.offer_id = nullable_id(r, 17);
  v.rooming_saved = as_int(r, 18) != 0;
  v.report_text = text(r, 19);
  if (r.get_indicator(20) == soci::i_ok) v.report_published_at = ts(r, 20);
  v.version = as_int(r, 21);
  v.pending = as_int(r, 22);
  return v;
}

std::vector<Host> hosts_of(soci::session& s, long long visit_id) {
  return query(
      s,
      "SELECT h.member_id, COALESCE(m.name, h.name) FROM visit_hosts h LEFT JOIN members m ON "
      "m.id = h.member_id WHERE h.visit_id = :v ORDER BY h.position",
      [](const soci::row& r) {
        return Host{nullable_id(r, 0), text(r, 1)};
      },
      soci::use(visit_id));
}

std::vector<ItineraryItem> itinerary_of(soci::session& s, long long visit_id) {
  return query(
      s,
      "SELECT day, half, place, activity, contact, transport FROM visit_itinerary WHERE "
      "visit_id = :v ORDER BY position",
      [](const soci::row& r) {
        return ItineraryItem{text(r, 0), text(r, 1), text(r, 2),
                             text(r, 3), text(r, 4), text(r, 5)};
      },
      soci::use(visit_id));
}

void write_hosts_and_itinerary(soci::session& s, const Visit& v) {
  s << "DELETE FROM visit_hosts WHERE visit_id = :v", soci::use(v.id);
  s << "DELETE FROM visit_itinerary WHERE visit_id = :v", soci::use(v.id);
  int pos = 0;
  for (const Host& h : v.hosts) {
    NullableId member(h.member_id);
    s << "INSERT INTO visit_hosts (visit_id, position, member_id, name) VALUES (:v, :p, :m, :n)",
        soci::use(v.id), soci::use(pos), soci::use(member.value, member.ind), soci::use(h.name);
    ++pos;
  }
  pos = 0;
  for (const ItineraryItem& it : v.itinerary) {
    std::string half = it.half;
    soci::indicator half_ind = half.empty() ? soci::i_null : soci::i_ok;
    s << "INSERT INTO visit_itinerary (visit_id, position, day, half, place, activity, contact, "
         "transport) VALUES (:v, :p, :d, :h, :pl, :a, :c, :t)",
        soci::use(v.id), soci::use(pos), soci::use(it.date), soci::use(half, half_ind),
        soci::use(it.place), soci::use(it.activity), soci::use(it.contact), soci::use(it.transport);
    ++pos;
  }
}

// Column 20 is the waitlist position: counted per row for one delegate, filled in afterwards for
// lists (counting per row would be quadratic in the waitlist's length).
std::string delegate_columns(bool with_position) {
  return std::string(
             "SELECT d.id, d.application_id, d.visit_id, d.member_id, m.name, d.name, d.title, "
             "d.gender, d.mobile, d.dietary, d.shares_room, d.status, d.waitlist_seq, d.reason, "
             "d.fee_fen, d.checkin_token, d.room_no, d.decided_at, d.promoted_at, d.created_at, ") +
         (with_position ? "(SELECT COUNT(*) FROM visit_delegates w WHERE w.visit_id = d.visit_id "
                          "AND w.status = 'waitlisted' AND d.status = 'waitlisted' AND "
                          "w.waitlist_seq <= d.waitlist_seq), "
                        : "0, ") +
         "c.status, m.sort_key FROM visit_delegates d JOIN members m ON m.id = d.member_id "
         "LEFT JOIN charges c ON c.source = 'visit' AND c.source_id = d.id";
}

// Fills in the waitlist positions of listed delegates from one ordered read of the visit's queue.
void fill_positions(soci::session& s, std::vector<Delegate>& list) {
  std::map<long long, std::vector<Delegate*>> waiting_by_visit;
  for (Delegate& d : list) {
    if (d.status == "waitlisted") waiting_by_visit[d.visit_id].push_back(&d);
  }
  for (auto& [visit_id, waiting] : waiting_by_visit) {
    const auto queue = query(
        s,
        "SELECT id FROM visit_delegates WHERE visit_id = :v AND status = 'waitlisted' ORDER BY "
        "waitlist_seq",
        [](const soci::row& r) { return db::get_int64(r, 0); }, soci::use(visit_id));
    std::map<long long, int> position;
    for (std::size_t i = 0; i < queue.size(); ++i) position[queue[i]] = static_cast<int>(i) + 1;
    for (Delegate* d : waiting) d->waitlist_position = position[d->id];
  }
}

Delegate read_delegate(const soci::row& r) {
  Delegate d;
  d.id = db::get_int64(r, 0);
  d.application_id = db::get_int64(r, 1);
  d.visit_id = db::get_int64(r, 2);
  d.member_id = db::get_int64(r, 3);
  d.member_name = text(r, 4);
  d.name = text(r, 5);
  d.title = text(r, 6);
  d.gender = text(r, 7);
  d.mobile = text(r, 8);
  d.dietary = text(r, 9);
  d.shares_room = as_int(r, 10) != 0;
  d.status = text(r, 11);
  d.waitlist_seq = nullable_id(r, 12);
  d.reason = text(r, 13);
  d.fee_fen = db::get_int64(r, 14);
  d.checkin_token = text(r, 15);
  if (r.get_indicator(16) == soci::i_ok) d.room_no = as_int(r, 16);
  if (r.get_indicator(17) == soci::i_ok) d.decided_at = ts(r, 17);
  if (r.get_indicator(18) == soci::i_ok) d.promoted_at = ts(r, 18);
  d.created_at = ts(r, 19);
  d.waitlist_position = d.status == "waitlisted" ? as_int(r, 20) : 0;
  if (r.get_indicator(21) == soci::i_ok) d.charge_status = text(r, 21);
  d.member_sort_key = text(r, 22);
  return d;
}

// Approved first, then the waitlist in order, pending by time, the rest.
constexpr const char* kDelegateOrder =
    " ORDER BY CASE d.status WHEN 'approved' THEN 0 WHEN 'waitlisted' THEN 1 WHEN 'pending' "
    "THEN 2 ELSE 3 END, d.waitlist_seq, d.id";

int count(soci::session& s, const std::string& sql, long long a, long long b) {
  long long n = 0;
  s << sql, soci::use(a), soci::use(b), soci::into(n);
  return static_cast<int>(n);
}

}  // namespace

long long insert_visit(soci::session& s, const Visit& v, std::optional<long long> by,
                       Timestamp now) {
  const std::string at = format_db_timestamp(now), starts = format_date(v.starts_on),
                    ends = format_date(v.ends_on), deadline = format_db_timestamp(v.apply_deadline),
                    cutoff = format_date(v.withdraw_cutoff);
  int quota = v.per_member_quota.value_or(0);
  soci::indicator quota_ind = v.per_member_quota ? soci::i_ok : soci::i_null;
  NullableId offer(v.offer_id), creator(by);
  s << "INSERT INTO visits (title, theme, destination, description, starts_on, ends_on, capacity, "
       "per_member_quota, cost_fen, cost_covers, apply_deadline, withdraw_cutoff, status, "
       "approved_count, waitlisted_count, next_waitlist_seq, offer_id, rooming_saved, report_text, "
       "version, created_by, created_at, updated_at) VALUES (:t, :th, :de, :ds, :s, :e, :c, :q, "
       ":f, :cc, :ad, :wc, :st, 0, 0, 1, :o, 0, '', 1, :by, :at, :u)",
      soci::use(v.title), soci::use(v.theme), soci::use(v.destination), soci::use(v.description),
      soci::use(starts), soci::use(ends), soci::use(v.capacity), soci::use(quota, quota_ind),
      soci::use(v.cost_fen), soci::use(v.cost_covers), soci::use(deadline), soci::use(cutoff),
      soci::use(v.status), soci::use(offer.value, offer.ind), soci::use(creator.value, creator.ind),
      soci::use(at), soci::use(at);
  Visit written = v;
  written.id = db::last_insert_id(s, "visits");
  write_hosts_and_itinerary(s, written);
  return written.id;
}

void update_visit(soci::session& s, const Visit& v, Timestamp now) {
  const std::string at = format_db_timestamp(now), starts = format_date(v.starts_on),
                    ends = format_date(v.ends_on), deadline = format_db_timestamp(v.apply_deadline),
                    cutoff = format_date(v.withdraw_cutoff);
  int quota = v.per_member_quota.value_or(0);
  soci::indicator quota_ind = v.per_member_quota ? soci::i_ok : soci::i_null;
  s << "UPDATE visits SET title = :t, theme = :th, destination = :de, description = :ds, "
       "starts_on = :s, ends_on = :e, capacity = :c, per_member_quota = :q, cost_fen = :f, "
       "cost_covers = :cc, apply_deadline = :ad, withdraw_cutoff = :wc, status = :st, "
       "approved_count = :ap, waitlisted_count = :wl, next_waitlist_seq = :ns, "
       "version = version + 1, updated_at = :u WHERE id = :id",
      soci::use(v.title), soci::use(v.theme), soci::use(v.destination), soci::use(v.description),
      soci::use(starts), soci::use(ends), soci::use(v.capacity), soci::use(quota, quota_ind),
      soci::use(v.cost_fen), soci::use(v.cost_covers), soci::use(deadline), soci::use(cutoff),
      soci::use(v.status), soci::use(v.approved), soci::use(v.waitlisted),
      soci::use(v.next_waitlist_seq), soci::use(at), soci::use(v.id);
  write_hosts_and_itinerary(s, v);
}

void update_counts(soci::session& s, const Visit& v, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE visits SET approved_count = :ap, waitlisted_count = :wl, next_waitlist_seq = :ns, "
       "version = version + 1, updated_at = :u WHERE id = :id",
      soci::use(v.approved), soci::use(v.waitlisted), soci::use(v.next_waitlist_seq), soci::use(at),
      soci::use(v.id);
}

std::optional<Visit> find_visit(soci::session& s, long long id, bool lock) {
  if (lock && is_mysql(s)) {
    // The lock first, alone: on MariaDB the first plain read fixes the snapshot.
    long long locked = 0;
    s << "SELECT id FROM visits WHERE id = :id FOR UPDATE", soci::use(id), soci::into(locked);
    if (!s.got_data()) return std::nullopt;
  }
  auto found =
      query(s, std::string(kVisitColumns) + " WHERE v.id = :id", read_visit, soci::use(id));
  if (found.empty()) return std::nullopt;
  Visit v = std::move(found.front());
  v.hosts = hosts_of(s, id);
  v.itinerary = itinerary_of(s, id);
  return v;
}

std::vector<Visit> list_visits(soci::session& s, const std::string& status,
                               std::optional<Date> from) {
  const std::string from_text = from ? format_date(*from) : "";
  auto list = query(s,
                    std::string(kVisitColumns) +
                        " WHERE (:st = '' OR v.status = :st2) AND (:f = '' OR v.ends_on >= :f2) "
                        "ORDER BY v.starts_on, v.id",
                    read_visit, soci::use(status), soci::use(status), soci::use(from_text),
                    soci::use(from_text));
  for (Visit& v : list) v.hosts = hosts_of(s, v.id);
  return list;
}

std::map<long long, UnitCounts> unit_counts(soci::session& s, long long member_id) {
  std::map<long long, UnitCounts> out;
  auto rows = query(
      s,
      "SELECT visit_id, status, COUNT(*) FROM visit_delegates WHERE member_id = :m AND status IN "
      "('pending', 'approved', 'waitlisted') GROUP BY visit_id, status",
      [](const soci::row& r) {
        return std::tuple(db::get_int64(r, 0), text(r, 1), static_cast<int>(db::get_int64(r, 2)));
      },
      soci::use(member_id));
  for (const auto& [visit, status, n] : rows) {
    UnitCounts& c = out[visit];
    (status == "pending" ? c.pending : status == "approved" ? c.approved : c.waitlisted) = n;
  }
  return out;
}

long long insert_application(soci::session& s, const Application& a, std::optional<long long> by,
                             Timestamp now) {
  const std::string at = format_db_timestamp(now);
  NullableId creator(by);
  s << "INSERT INTO visit_applications (visit_id, member_id, note, created_by, created_at, "
       "consent_version) VALUES (:v, :m, :n, :by, :at, :cv)",
      soci::use(a.visit_id), soci::use(a.member_id), soci::use(a.note),
      soci::use(creator.value, creator.ind), soci::use(at), soci::use(a.consent_version);
  return db::last_insert_id(s, "visit_applications");
}

long long insert_delegate(soci::session& s, const Delegate& d, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  int shares = d.shares_room ? 1 : 0;
  s << "INSERT INTO visit_delegates (visit_id, application_id, member_id, name, title, gender, "
       "mobile, active_mobile, dietary, shares_room, status, reason, fee_fen, checkin_token, "
       "created_at, updated_at) VALUES (:v, :a, :m, :n, :t, :g, :mo, :am, :di, :sh, 'pending', "
       "'', :f, :tok, :c, :u)",
      soci::use(d.visit_id), soci::use(d.application_id), soci::use(d.member_id), soci::use(d.name),
      soci::use(d.title), soci::use(d.gender), soci::use(d.mobile), soci::use(d.mobile),
      soci::use(d.dietary), soci::use(shares), soci::use(d.fee_fen), soci::use(d.checkin_token),
      soci::use(at), soci::use(at);
  return db::last_insert_id(s, "visit_delegates");
}

int places_held(soci::session& s, long long visit_id, long long member_id) {
  return count(s,
               "SELECT COUNT(*) FROM visit_delegates WHERE visit_id = :v AND member_id = :m AND "
               "status IN ('pending', 'approved', 'waitlisted')",
               visit_id, member_id);
}

int approved_of_unit(soci::session& s, long long visit_id, long long member_id) {
  return count(s,
               "SELECT COUNT(*) FROM visit_delegates WHERE visit_id = :v AND member_id = :m AND "
               "status = 'approved'",
               visit_id, member_id);
}

int max_approved_of_a_unit(soci::session& s, long long visit_id) {
  long long n = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM visit_delegates WHERE visit_id = :v AND "
       "status = 'approved' GROUP BY member_id) t",
      soci::use(visit_id), soci::into(n, ind);
  return ind == soci::i_ok ? static_cast<int>(n) : 0;
}

bool mobile_holds_place(soci::session& s, long long visit_id, const std::string& mobile) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM visit_delegates WHERE visit_id = :v AND active_mobile = :m",
      soci::use(visit_id), soci::use(mobile), soci::into(n);
  return n > 0;
}

std::optional<Delegate> find_delegate(soci::session& s, long long id) {
  auto found = query(s, delegate_columns(true) + " WHERE d.id = :id", read_delegate, soci::use(id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<Delegate> find_delegate_by_token(soci::session& s, const std::string& token) {
  auto found = query(s, delegate_columns(true) + " WHERE d.checkin_token = :t", read_delegate,
                     soci::use(token));
  if (found.empty()) return std::nullopt;
  return found.front();
}

void save_decision(soci::session& s, const Delegate& d, std::optional<long long> by,
                   Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const bool holds = d.status == "pending" || d.status == "approved" || d.status == "waitlisted";
  std::string active_mobile = d.mobile;
  soci::indicator mobile_ind = holds ? soci::i_ok : soci::i_null;
  long long seq = d.waitlist_seq.value_or(0);
  soci::indicator seq_ind = d.waitlist_seq ? soci::i_ok : soci::i_null;
  std::string promoted = d.promoted_at ? format_db_timestamp(*d.promoted_at) : "";
  soci::indicator promoted_ind = d.promoted_at ? soci::i_ok : soci::i_null;
  std::string withdrawn = at;
  soci::indicator withdrawn_ind = d.status == "withdrawn" ? soci::i_ok : soci::i_null;
  NullableId decider(by);
  s << "UPDATE visit_delegates SET status = :st, active_mobile = :am, waitlist_seq = :ws, "
       "fee_fen = :f, reason = :r, decided_by = :by, decided_at = :da, promoted_at = :pa, "
       "withdrawn_at = :wa, "
       "room_no = CASE WHEN :st2 = 'approved' THEN room_no ELSE NULL END, updated_at = :u "
       "WHERE id = :id",
      soci::use(d.status), soci::use(active_mobile, mobile_ind), soci::use(seq, seq_ind),
      soci::use(d.fee_fen), soci::use(d.reason), soci::use(decider.value, decider.ind),
      soci::use(at), soci::use(promoted, promoted_ind), soci::use(withdrawn, withdrawn_ind),
      soci::use(d.status), soci::use(at), soci::use(d.id);
}

std::vector<Delegate> list_delegates(soci::session& s, long long visit_id,
                                     std::optional<long long> member_id,
                                     const std::string& status) {
  const long long member = member_id.value_or(0);
  auto list = query(s,
                    delegate_columns(false) +
                        " WHERE d.visit_id = :v AND (:m = 0 OR d.member_id = :m2) AND (:st = '' OR "
                        "d.status = :st2)" +
                        kDelegateOrder,
                    read_delegate, soci::use(visit_id), soci::use(member), soci::use(member),
                    soci::use(status), soci::use(status));
  fill_positions(s, list);
  return list;
}

std::vector<Delegate> waitlisted(soci::session& s, long long visit_id) {
  return list_delegates(s, visit_id, std::nullopt, "waitlisted");
}

std::optional<Application> find_application(soci::session& s, long long id) {
  auto found = query(
      s,
      "SELECT a.id, a.visit_id, a.member_id, m.name, a.note, a.created_at, a.consent_version "
      "FROM visit_applications a JOIN members m ON m.id = a.member_id WHERE a.id = :id",
      [](const soci::row& r) {
        return Application{db::get_int64(r, 0),
                           db::get_int64(r, 1),
                           db::get_int64(r, 2),
                           text(r, 3),
                           text(r, 4),
                           ts(r, 5),
                           {},
                           db::get_int64(r, 6)};
      },
      soci::use(id));
  if (found.empty()) return std::nullopt;
  Application a = std::move(found.front());
  a.delegates = query(s, delegate_columns(false) + " WHERE d.application_id = :a ORDER BY d.id",
                      read_delegate, soci::use(id));
  fill_positions(s, a.delegates);
  return a;
}

std::vector<Application> list_applications(soci::session& s, long long visit_id,
                                           std::optional<long long> member_id) {
  const long long member = member_id.value_or(0);
  auto ids = query(
      s,
      "SELECT id FROM visit_applications WHERE visit_id = :v AND (:m = 0 OR member_id = :m2) "
      "ORDER BY created_at, id",
      [](const soci::row& r) { return db::get_int64(r, 0); }, soci::use(visit_id),
      soci::use(member), soci::use(member));
  std::vector<Application> out;
  for (long long id : ids) {
    if (auto a = find_application(s, id)) out.push_back(std::move(*a));
  }
  return out;
}

}  // namespace xiehui::visits::visit_repository
