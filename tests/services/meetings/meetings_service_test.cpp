// Rooms, bookings and series, meetings with their invitations, 回执 and proxies, attendance,
// quorum, resolutions, reminders and the calendar feed on every backend, with the races the
// secretariat's booking screen and a general assembly's reply deadline bring.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <latch>
#include <mutex>
#include <set>
#include <thread>

#include "core/crypto.hpp"
#include "core/db/migrator.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/accounts/user_repository.hpp"
#include "services/meetings/booking_rules.hpp"
#include "services/meetings/booking_service.hpp"
#include "services/meetings/calendar_service.hpp"
#include "services/meetings/meeting_service.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/privacy/consent.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::meetings {
namespace {

using testing::BackendName;
using testing::TempDir;
using testing::TestDatabase;

namespace ms = membership::membership_repository;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

Timestamp at(const char* iso) {
  auto t = parse_instant(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(Timestamp{});
}

Principal staff() {
  Principal p;
  p.username = "mishu";
  p.roles = {Role::staff};
  return p;
}

Principal leader(long long user_id) {
  Principal p;
  p.user_id = user_id;
  p.username = "leader" + std::to_string(user_id);
  p.roles = {Role::leader};
  return p;
}

Principal member_of(long long id) {
  Principal p;
  p.username = "unit" + std::to_string(id);
  p.roles = {Role::member};
  p.member_id = id;
  return p;
}

template <class T>
std::string code_of(const Result<T>& r) {
  return r ? "ok" : std::string(to_string(r.error().code)) + " (" + r.error().message.en + ")";
}

std::optional<long long> figure(const Error& e, std::string_view name) {
  for (const auto& f : e.figures) {
    if (f.name == name) return f.value;
  }
  return std::nullopt;
}

bool names(const Error& e, std::string_view field) {
  return std::ranges::any_of(e.fields, [&](const FieldError& f) { return f.field == field; });
}

std::optional<long long> record_number(const ErrorRecord& r, std::string_view name) {
  for (const auto& f : r.numbers) {
    if (f.name == name) return f.value;
  }
  return std::nullopt;
}

std::string record_text(const ErrorRecord& r, std::string_view name) {
  for (const auto& [k, v] : r.texts) {
    if (k == name) return v;
  }
  return {};
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// The VEVENT of an iCalendar text whose UID is `uid`, or "" when there is none.
std::string event_block(const std::string& ics, const std::string& uid) {
  const auto u = ics.find("\r\nUID:" + uid + "\r\n");
  if (u == std::string::npos) return {};
  const auto begin = ics.rfind("BEGIN:VEVENT", u);
  const auto end = ics.find("END:VEVENT", u);
  if (begin == std::string::npos || end == std::string::npos) return {};
  return ics.substr(begin, end - begin);
}

/// The SEQUENCE of one VEVENT text (-1 when missing).
int sequence_of(const std::string& event) {
  const auto p = event.find("\r\nSEQUENCE:");
  if (p == std::string::npos) return -1;
  return std::stoi(event.substr(p + 11));
}

std::string pdf() { return "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"; }

class MeetingsServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // 16 sessions: the parallel tests keep that many transactions waiting on one lock at once.
    auto db = db::Database::open(test_db_.connection_string(), 16);
    ASSERT_TRUE(db.has_value()) << db.error().message.en;
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    bookings_ = std::make_unique<BookingService>(*db_, clock_);
    meetings_ = std::make_unique<MeetingService>(*db_, clock_, data_dir_.path());
    calendar_ = std::make_unique<CalendarService>(*db_, clock_);
    room_ = add_room("第一会议室");
  }

  long long add_room(const std::string& name) {
    Room r;
    r.name = name;
    r.location = "协会三楼";
    r.capacity = 40;
    r.equipment = {"投影仪", "话筒"};
    auto created = bookings_->create_room(r, staff());
    EXPECT_TRUE(created.has_value()) << code_of(created);
    return created ? created->id : 0;
  }

  static std::string uscc(int n) {
    const std::string digits = std::to_string(10000 + n);
    const std::string body = "91430100MA4L" + digits.substr(digits.size() - 5);
    return body + uscc_check_char(body);
  }

  long long add_unit(const std::string& name, const std::string& tier = "member",
                     const std::string& status = "active") {
    const int n = next_unit_++;
    auto created = db_->with_transaction([&](soci::session& s) -> Result<long long> {
      const membership::Organisation org{name,         name,     uscc(n),        "development_zone",
                                         "provincial", "430100", "长沙市某路1号"};
      const long long id = ms::insert_member(s, org, tier, "2020-01-01",
                                             "dan wei " + std::to_string(n), clock_.now())
                               .first;
      if (status != "active") ms::set_member_status(s, id, status, clock_.now());
      return id;
    });
    EXPECT_TRUE(created.has_value());
    return created.value_or(0);
  }

  std::vector<long long> add_units(int n, const std::string& prefix = "单位") {
    std::vector<long long> out;
    for (int i = 0; i < n; ++i) out.push_back(add_unit(prefix + std::to_string(i + 1)));
    return out;
  }

  /// A user account in the database (the calendar feed looks its owner up).
  Principal add_user(const std::string& username, std::vector<Role> roles,
                     std::optional<long long> member_id = {}) {
    auto id = db_->with_transaction([&](soci::session& s) -> Result<long long> {
      return accounts::user_repository::insert(
          s, {username, username + " 的名字", "", roles, member_id}, "not-a-hash", clock_.now());
    });
    EXPECT_TRUE(id.has_value());
    Principal p;
    p.user_id = id.value_or(0);
    p.username = username;
    p.roles = std::move(roles);
    p.member_id = member_id;
    return p;
  }

  Booking booking(const char* from, const char* to, long long room = 0,
                  const std::string& title = "例会") {
    Booking b;
    b.room_id = room ? room : room_;
    b.starts_at = at(from);
    b.ends_at = at(to);
    b.title = title;
    b.booked_for = "秘书处";
    return b;
  }

  long long book(const char* from, const char* to, long long room = 0) {
    auto r = bookings_->book(booking(from, to, room), staff());
    EXPECT_TRUE(r.has_value()) << from << " " << code_of(r);
    return r ? r->id : 0;
  }

  /// Thursdays at 09:00–11:00 from 2026-10-01, `count` times.
  SeriesRequest thursdays(int count, const std::string& on_conflict = "skip", long long room = 0) {
    SeriesRequest r;
    r.room_id = room ? room : room_;
    r.title = "周四例会";
    r.booked_for = "秘书处";
    r.starts_at = at("2026-10-01T09:00:00+08:00");
    r.ends_at = at("2026-10-01T11:00:00+08:00");
    r.rule.freq = "weekly";
    r.rule.count = count;
    r.on_conflict = on_conflict;
    return r;
  }

  static std::string rule_json(int count) {
    return R"({"freq":"weekly","interval":1,"count":)" + std::to_string(count) + "}";
  }

  MeetingDraft draft(const std::string& kind, const char* from, const char* to,
                     std::vector<long long> units = {}, bool by_rule = true) {
    MeetingDraft d;
    Meeting& m = d.meeting;
    m.kind = kind;
    m.term_no = 3;
    m.session_no = next_session_++;
    if (!is_governing_kind(kind)) m.title = "园区数字化专题会议";
    m.starts_at = at(from);
    m.ends_at = at(to);
    m.rsvp_deadline = m.starts_at - days{5};
    m.mode = "onsite";
    m.venue = "长沙国际会议中心";
    d.invite_rule = by_rule;
    d.member_ids = std::move(units);
    return d;
  }

  /// A meeting on 2026-10-15 14:00–17:00 inviting `units` by hand only.
  long long meeting_for(std::vector<long long> units,
                        const std::string& kind = "general_assembly") {
    auto m = meetings_->create(draft(kind, "2026-10-15T14:00:00+08:00", "2026-10-15T17:00:00+08:00",
                                     std::move(units), false),
                               staff());
    EXPECT_TRUE(m.has_value()) << code_of(m);
    return m ? m->id : 0;
  }

  std::set<long long> invited(long long meeting) {
    auto list = meetings_->invitees(meeting);
    EXPECT_TRUE(list.has_value());
    std::set<long long> out;
    if (list) {
      for (const auto& i : list->first) out.insert(i.member_id);
    }
    return out;
  }

  static Rsvp proxy(long long giver, long long holder) {
    Rsvp r;
    r.member_id = giver;
    r.proxy_to_member_id = holder;
    return r;
  }

  static Rsvp attending(long long unit) {
    Rsvp r;
    r.member_id = unit;
    r.attending = true;
    r.attendees = {{"张三", "主任", "13900000001"}};
    r.consent_version = privacy::kFirstNoticeVersion;
    return r;
  }

  static Rsvp absent(long long unit) {
    Rsvp r;
    r.member_id = unit;
    return r;
  }

  long long count(const std::string& sql) {
    auto n = db_->with_session([&](soci::session& s) -> Result<long long> {
      long long v = 0;
      s << sql, soci::into(v);
      return v;
    });
    return n.value_or(-1);
  }

  long long active_bookings(long long room) {
    return count("SELECT COUNT(*) FROM bookings WHERE status = 'active' AND room_id = " +
                 std::to_string(room));
  }

  /// Every active booking of a room from 2026-09 to 2027-08, checked pairwise: none may overlap.
  std::vector<Booking> expect_no_overlap(long long room) {
    auto list = bookings_->bookings(room, at("2026-09-01T00:00:00+08:00"),
                                    at("2027-09-01T00:00:00+08:00"), staff());
    EXPECT_TRUE(list.has_value());
    if (!list) return {};
    for (std::size_t i = 0; i < list->size(); ++i) {
      for (std::size_t j = i + 1; j < list->size(); ++j) {
        const auto& a = (*list)[i];
        const auto& b = (*list)[j];
        EXPECT_FALSE(overlaps({a.starts_at, a.ends_at}, {b.starts_at, b.ends_at}))
            << "bookings " << a.id << " (" << format_instant(a.starts_at) << ") and " << b.id
            << " (" << format_instant(b.starts_at) << ") overlap";
      }
    }
    return *list;
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  TempDir data_dir_;
  ManualClock clock_{at("2026-09-21T10:00:00+08:00")};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<BookingService> bookings_;
  std::unique_ptr<MeetingService> meetings_;
  std::unique_ptr<CalendarService> calendar_;
  long long room_ = 0;
  int next_unit_ = 0;
  int next_session_ = 1;
};

// --- bookings ---

TEST_P(MeetingsServiceTest, HundredParallelOverlappingBookingsOfOneRoomExactlyOneWins) {
  constexpr int kThreads = 100;
  // Thread i asks for 09:00+i min to 11:00+i min: every pair shares 10:39–11:00.
  const Timestamp base = at("2026-10-12T09:00:00+08:00");
  std::latch go(kThreads);
  std::atomic<int> ok{0}, conflicts{0}, other{0};
  std::atomic<long long> winner{0};
  std::vector<long long> blamed(kThreads, 0);
  std::mutex log_mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Booking b;
      b.room_id = room_;
      b.starts_at = base + minutes{i};
      b.ends_at = b.starts_at + hours{2};
      b.title = "抢订" + std::to_string(i);
      go.arrive_and_wait();
      auto r = bookings_->book(b, staff());
      if (r) {
        ++ok;
        winner = r->id;
      } else if (r.error().code == ErrorCode::conflict) {
        ++conflicts;
        blamed[static_cast<std::size_t>(i)] = figure(r.error(), "booking_id").value_or(-1);
      } else {
        ++other;
        std::lock_guard lock(log_mutex);
        errors.push_back(code_of(r));
      }
    });
  }
  for (auto& t : threads) t.join();
  const double took = seconds_since(t0);
  std::cout << "[ timing   ] " << GetParam() << ": 100 parallel overlapping bookings in " << took
            << " s\n";
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0) << (errors.empty() ? "" : errors.front());
  EXPECT_EQ(std::ranges::count_if(blamed, [&](long long b) { return b != 0 && b != winner; }), 0)
      << "a conflict names the booking in the way";
  EXPECT_EQ(active_bookings(room_), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bookings"), 1) << "the losers left no row";
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'booking.create'"), 1);
}

TEST_P(MeetingsServiceTest, TwoDatabasePoolsBookingOneRoomStillLetOnlyOneWin) {
  // A second pool on the same database stands for a second server process: nothing in-process
  // (the SQLite writer mutex of one pool) may be what keeps bookings apart.
  auto second_db = db::Database::open(test_db_.connection_string(), 16);
  ASSERT_TRUE(second_db.has_value());
  BookingService second(**second_db, clock_);
  constexpr int kThreads = 60;
  const Timestamp base = at("2026-10-13T09:00:00+08:00");
  std::latch go(kThreads);
  std::atomic<int> ok{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Booking b;
      b.room_id = room_;
      b.starts_at = base + minutes{i};
      b.ends_at = b.starts_at + hours{2};
      b.title = "两进程" + std::to_string(i);
      go.arrive_and_wait();
      auto r = (i % 2 ? second : *bookings_).book(b, staff());
      if (r) {
        ++ok;
      } else if (r.error().code == ErrorCode::conflict) {
        ++conflicts;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  std::cout << "[ timing   ] " << GetParam() << ": 60 overlapping bookings from two pools in "
            << seconds_since(t0) << " s\n";
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(active_bookings(room_), 1);
}

TEST_P(MeetingsServiceTest, TouchingBookingsAreFineAndAConflictNamesTheBookingInTheWay) {
  const long long a = book("2026-10-12T10:00:00+08:00", "2026-10-12T11:00:00+08:00");
  book("2026-10-12T11:00:00+08:00", "2026-10-12T12:00:00+08:00");
  book("2026-10-12T09:00:00+08:00", "2026-10-12T10:00:00+08:00");
  auto clash = bookings_->book(
      booking("2026-10-12T10:59:00+08:00", "2026-10-12T11:00:00+08:00", 0, "插队"), staff());
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_EQ(figure(clash.error(), "booking_id"), a);
  EXPECT_EQ(clash.error().records_name, "conflicts");
  ASSERT_EQ(clash.error().records.size(), 1u);
  EXPECT_EQ(record_text(clash.error().records[0], "starts_at"), "2026-10-12T10:00:00+08:00");
  EXPECT_NE(clash.error().message.zh.find("2026-10-12 10:00"), std::string::npos)
      << clash.error().message.zh;
  // Another room is free at the same time.
  const long long other_room = add_room("第二会议室");
  book("2026-10-12T10:00:00+08:00", "2026-10-12T11:00:00+08:00", other_room);
  EXPECT_EQ(active_bookings(room_), 3);

  auto unknown = bookings_->book(
      booking("2026-10-20T10:00:00+08:00", "2026-10-20T11:00:00+08:00", 999999), staff());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  RoomPatch off;
  off.active = false;
  ASSERT_TRUE(bookings_->update_room(other_room, off, staff()));
  auto inactive = bookings_->book(
      booking("2026-10-20T10:00:00+08:00", "2026-10-20T11:00:00+08:00", other_room), staff());
  EXPECT_EQ(inactive.error().code, ErrorCode::conflict) << "a room not in use";
  auto reversed =
      bookings_->book(booking("2026-10-20T11:00:00+08:00", "2026-10-20T10:00:00+08:00"), staff());
  EXPECT_EQ(reversed.error().code, ErrorCode::invalid_argument);
}

TEST_P(MeetingsServiceTest, MovingABookingGoesThroughTheSameOverlapCheck) {
  const long long a = book("2026-10-12T10:00:00+08:00", "2026-10-12T11:00:00+08:00");
  const long long b = book("2026-10-12T12:00:00+08:00", "2026-10-12T13:00:00+08:00");

  BookingPatch onto;
  onto.starts_at = at("2026-10-12T10:30:00+08:00");
  onto.ends_at = at("2026-10-12T11:30:00+08:00");
  auto moved = bookings_->update_booking(b, onto, staff());
  ASSERT_FALSE(moved.has_value());
  EXPECT_EQ(moved.error().code, ErrorCode::conflict);
  EXPECT_EQ(figure(moved.error(), "booking_id"), a);
  auto list = bookings_->bookings(room_, at("2026-10-12T00:00:00+08:00"),
                                  at("2026-10-13T00:00:00+08:00"), staff());
  ASSERT_TRUE(list && list->size() == 2u);
  EXPECT_EQ((*list)[1].id, b);
  EXPECT_EQ((*list)[1].starts_at, at("2026-10-12T12:00:00+08:00")) << "unchanged";

  BookingPatch touching;
  touching.starts_at = at("2026-10-12T11:00:00+08:00");
  touching.ends_at = at("2026-10-12T12:00:00+08:00");
  auto ok = bookings_->update_booking(b, touching, staff());
  ASSERT_TRUE(ok.has_value()) << code_of(ok);
  EXPECT_EQ(ok->starts_at, at("2026-10-12T11:00:00+08:00"));
  EXPECT_EQ(ok->version, 2);

  // Stretching a booking over its own old time is no conflict with itself.
  BookingPatch longer;
  longer.ends_at = at("2026-10-12T12:30:00+08:00");
  ASSERT_TRUE(bookings_->update_booking(b, longer, staff()));

  // Onto another room at a's time: free there.
  const long long other_room = add_room("第二会议室");
  BookingPatch elsewhere;
  elsewhere.room_id = other_room;
  elsewhere.starts_at = at("2026-10-12T10:00:00+08:00");
  elsewhere.ends_at = at("2026-10-12T11:00:00+08:00");
  auto there = bookings_->update_booking(b, elsewhere, staff());
  ASSERT_TRUE(there.has_value()) << code_of(there);
  EXPECT_EQ(there->room_id, other_room);
  EXPECT_EQ(active_bookings(room_), 1);
  EXPECT_EQ(active_bookings(other_room), 1);
  // … and a back onto a's slot in that room now collides with b.
  BookingPatch follow;
  follow.room_id = other_room;
  auto clash = bookings_->update_booking(a, follow, staff());
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_EQ(figure(clash.error(), "booking_id"), b);

  BookingPatch backwards;
  backwards.ends_at = at("2026-10-12T09:00:00+08:00");
  EXPECT_EQ(bookings_->update_booking(a, backwards, staff()).error().code,
            ErrorCode::invalid_argument);
  ASSERT_TRUE(bookings_->cancel_booking(a, staff()));
  EXPECT_EQ(bookings_->update_booking(a, touching, staff()).error().code, ErrorCode::not_found)
      << "a cancelled booking does not move";
  EXPECT_EQ(bookings_->cancel_booking(a, staff()).error().code, ErrorCode::not_found);
}

TEST_P(MeetingsServiceTest, OnlyTheCreatorOrStaffChangeABooking) {
  auto mine =
      bookings_->book(booking("2026-10-12T10:00:00+08:00", "2026-10-12T11:00:00+08:00"), leader(7));
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->created_by, 7);
  BookingPatch rename;
  rename.title = "改名";
  EXPECT_EQ(bookings_->update_booking(mine->id, rename, leader(8)).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(bookings_->cancel_booking(mine->id, leader(8)).error().code,
            ErrorCode::permission_denied);
  ASSERT_TRUE(bookings_->update_booking(mine->id, rename, leader(7)));
  // Without rooms.book the calendar shows the slot as taken, nothing more.
  auto seen = bookings_->bookings(room_, at("2026-10-12T00:00:00+08:00"),
                                  at("2026-10-13T00:00:00+08:00"), member_of(1));
  ASSERT_TRUE(seen && seen->size() == 1u);
  EXPECT_EQ((*seen)[0].title, "已预订");
  EXPECT_TRUE((*seen)[0].booked_for.empty());
  ASSERT_TRUE(bookings_->cancel_booking(mine->id, staff()));
}

// --- series ---

TEST_P(MeetingsServiceTest, ASeriesRacingSingleBookingsNeverOverlapsThem) {
  // Three rounds on fresh rooms: the series and 20 single bookings, one into each of its
  // occurrences (10:00–12:00 against 09:00–11:00), all released at once.
  constexpr int kOccurrences = 20;
  double slowest = 0;
  for (int round = 0; round < 3; ++round) {
    const long long room = add_room("竞速会议室" + std::to_string(round));
    std::latch go(kOccurrences + 1);
    std::optional<Result<SeriesResult>> series;
    std::vector<std::optional<long long>> singles(kOccurrences);
    std::atomic<int> single_conflicts{0}, other{0};
    std::vector<std::thread> threads;
    const auto t0 = std::chrono::steady_clock::now();
    threads.emplace_back([&] {
      const auto req = thursdays(kOccurrences, "skip", room);
      go.arrive_and_wait();
      series = bookings_->book_series(req, rule_json(kOccurrences), staff());
    });
    for (int k = 0; k < kOccurrences; ++k) {
      threads.emplace_back([&, k] {
        Booking b;
        b.room_id = room;
        b.starts_at = at("2026-10-01T10:00:00+08:00") + days{7 * k};
        b.ends_at = b.starts_at + hours{2};
        b.title = "临时" + std::to_string(k);
        go.arrive_and_wait();
        auto r = bookings_->book(b, staff());
        if (r) {
          singles[static_cast<std::size_t>(k)] = r->id;
        } else if (r.error().code == ErrorCode::conflict) {
          ++single_conflicts;
        } else {
          ++other;
        }
      });
    }
    for (auto& t : threads) t.join();
    slowest = std::max(slowest, seconds_since(t0));
    ASSERT_TRUE(series.has_value());
    EXPECT_EQ(other.load(), 0);

    std::set<long long> single_ids;
    for (const auto& s : singles) {
      if (s) single_ids.insert(*s);
    }
    const auto active = expect_no_overlap(room);
    if (*series) {
      const SeriesResult& res = **series;
      EXPECT_EQ(res.occurrences.size(), static_cast<std::size_t>(kOccurrences));
      EXPECT_EQ(res.booked.size() + single_ids.size(), static_cast<std::size_t>(kOccurrences))
          << "each Thursday went either to the series or to its single booking";
      for (const auto& o : res.occurrences) {
        if (o.conflict) {
          EXPECT_TRUE(single_ids.contains(o.conflict->id)) << "skipped for a single booking";
        }
      }
    } else {
      EXPECT_EQ(series->error().code, ErrorCode::conflict) << series->error().message.en;
      EXPECT_EQ(single_ids.size(), static_cast<std::size_t>(kOccurrences))
          << "the series found every Thursday taken";
    }
    EXPECT_EQ(single_conflicts.load() + static_cast<int>(single_ids.size()), kOccurrences);
    // Every single booking that succeeded is still there and no occurrence sits on it.
    for (long long id : single_ids) {
      const auto it = std::ranges::find(active, id, &Booking::id);
      ASSERT_NE(it, active.end()) << id;
      for (const auto& b : active) {
        if (b.series_id) {
          EXPECT_FALSE(overlaps({b.starts_at, b.ends_at}, {it->starts_at, it->ends_at}));
        }
      }
    }
    EXPECT_EQ(active.size(), static_cast<std::size_t>(kOccurrences));
  }
  std::cout << "[ timing   ] " << GetParam()
            << ": a 20-occurrence series against 20 racing single bookings, slowest round "
            << slowest << " s\n";
}

TEST_P(MeetingsServiceTest, ASeriesThatMustNotCollideBooksNothingAndListsTheConflicts) {
  // Occurrences on 10-01, 10-08, 10-15, 10-22, 10-29; something is booked on the 15th.
  const long long blocker = book("2026-10-15T10:30:00+08:00", "2026-10-15T12:00:00+08:00");
  auto failed = bookings_->book_series(thursdays(5, "fail"), rule_json(5), staff());
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::conflict);
  EXPECT_EQ(failed.error().records_name, "conflicts");
  ASSERT_EQ(failed.error().records.size(), 1u);
  EXPECT_EQ(record_number(failed.error().records[0], "booking_id"), blocker);
  EXPECT_EQ(record_text(failed.error().records[0], "occurrence_starts_at"),
            "2026-10-15T09:00:00+08:00");
  EXPECT_EQ(count("SELECT COUNT(*) FROM booking_series"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM bookings"), 1) << "nothing was booked";

  // The same with skip books the four free Thursdays and reports the fifth.
  auto skipped = bookings_->book_series(thursdays(5, "skip"), rule_json(5), staff());
  ASSERT_TRUE(skipped.has_value()) << code_of(skipped);
  EXPECT_NE(skipped->id, 0);
  EXPECT_EQ(skipped->booked.size(), 4u);
  ASSERT_EQ(skipped->occurrences.size(), 5u);
  ASSERT_TRUE(skipped->occurrences[2].conflict.has_value());
  EXPECT_EQ(skipped->occurrences[2].conflict->id, blocker);
  for (const auto& b : skipped->booked) EXPECT_EQ(b.series_id, skipped->id);
  expect_no_overlap(room_);

  // Everything taken now: even skip refuses.
  auto all_taken = bookings_->book_series(thursdays(5, "skip"), rule_json(5), staff());
  ASSERT_FALSE(all_taken.has_value());
  EXPECT_EQ(all_taken.error().code, ErrorCode::conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM booking_series"), 1);

  auto bad = thursdays(5, "maybe");
  EXPECT_EQ(bookings_->book_series(bad, rule_json(5), staff()).error().code,
            ErrorCode::invalid_argument);
  auto huge = thursdays(201);
  EXPECT_EQ(bookings_->book_series(huge, rule_json(201), staff()).error().code,
            ErrorCode::invalid_argument);
}

TEST_P(MeetingsServiceTest, ADryRunOnlyReports) {
  const long long blocker = book("2026-10-08T08:00:00+08:00", "2026-10-08T09:30:00+08:00");
  for (const char* mode : {"skip", "fail"}) {
    auto req = thursdays(4, mode);
    req.dry_run = true;
    auto r = bookings_->book_series(req, rule_json(4), staff());
    ASSERT_TRUE(r.has_value()) << mode << " " << code_of(r);
    EXPECT_EQ(r->id, 0);
    EXPECT_TRUE(r->booked.empty());
    ASSERT_EQ(r->occurrences.size(), 4u);
    EXPECT_FALSE(r->occurrences[0].conflict.has_value());
    ASSERT_TRUE(r->occurrences[1].conflict.has_value());
    EXPECT_EQ(r->occurrences[1].conflict->id, blocker);
    EXPECT_EQ(r->occurrences[3].when.starts_at, at("2026-10-22T09:00:00+08:00"));
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM bookings"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM booking_series"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'series.create'"), 0);
}

TEST_P(MeetingsServiceTest, CancelOneOccurrenceFromADateOrTheRestOfASeries) {
  // 10-01, 10-08, 10-15, 10-22, 10-29, 11-05.
  auto s = bookings_->book_series(thursdays(6), rule_json(6), staff());
  ASSERT_TRUE(s.has_value()) << code_of(s);
  ASSERT_EQ(s->booked.size(), 6u);

  ASSERT_TRUE(bookings_->cancel_booking(s->booked[1].id, staff()));
  auto series = bookings_->get_series(s->id, staff());
  ASSERT_TRUE(series.has_value());
  EXPECT_EQ(series->occurrences.size(), 5u);
  EXPECT_EQ(series->title, "周四例会");
  // The freed Thursday can be booked again.
  book("2026-10-08T09:00:00+08:00", "2026-10-08T11:00:00+08:00");

  auto from = bookings_->cancel_series(s->id, at("2026-10-22T00:00:00+08:00"), staff());
  ASSERT_TRUE(from.has_value()) << code_of(from);
  EXPECT_EQ(*from, 3) << "10-22, 10-29 and 11-05";
  series = bookings_->get_series(s->id, staff());
  ASSERT_TRUE(series.has_value());
  ASSERT_EQ(series->occurrences.size(), 2u);
  EXPECT_EQ(series->occurrences[0].starts_at, at("2026-10-01T09:00:00+08:00"));
  EXPECT_EQ(series->occurrences[1].starts_at, at("2026-10-15T09:00:00+08:00"));

  // The rest of the series from now: what already took place stays on record.
  clock_.set(at("2026-10-10T12:00:00+08:00"));
  auto rest = bookings_->cancel_series(s->id, std::nullopt, staff());
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(*rest, 1) << "only 10-15 lies ahead";
  series = bookings_->get_series(s->id, staff());
  ASSERT_EQ(series->occurrences.size(), 1u);
  EXPECT_EQ(series->occurrences[0].starts_at, at("2026-10-01T09:00:00+08:00"));
  EXPECT_EQ(*bookings_->cancel_series(s->id, std::nullopt, staff()), 0) << "nothing left ahead";

  // Without a date before the first occurrence, the whole series goes.
  clock_.set(at("2026-09-21T10:00:00+08:00"));
  auto other =
      bookings_->book_series(thursdays(3, "skip", add_room("第二会议室")), rule_json(3), staff());
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(*bookings_->cancel_series(other->id, std::nullopt, staff()), 3);
  EXPECT_TRUE(bookings_->get_series(other->id, staff())->occurrences.empty());

  EXPECT_EQ(bookings_->cancel_series(999999, std::nullopt, staff()).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(bookings_->get_series(999999, staff()).error().code, ErrorCode::not_found);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'series.cancel'"), 4);
}

TEST_P(MeetingsServiceTest, ASeriesNeverOverlapsItself) {
  // Mondays and Tuesdays, each occurrence 09:00 to 10:00 the next day: Monday's runs into
  // Tuesday's. Checked only against existing bookings, the series would hold the room twice.
  SeriesRequest req;
  req.room_id = room_;
  req.title = "两天研讨";
  req.starts_at = at("2026-10-05T09:00:00+08:00");
  req.ends_at = at("2026-10-06T10:00:00+08:00");
  req.rule.by_weekday = {1, 2};
  req.rule.count = 4;
  req.on_conflict = "skip";
  auto r = bookings_->book_series(req, rule_json(4), staff());
  if (r) {
    ADD_FAILURE() << "booked " << r->booked.size() << " occurrences that overlap each other";
  } else {
    EXPECT_NE(r.error().code, ErrorCode::internal);
  }
  expect_no_overlap(room_);
}

TEST_P(MeetingsServiceTest, OnlyTheSeriesCreatorOrStaffCancelIt) {
  auto s = bookings_->book_series(thursdays(3), rule_json(3), leader(7));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(bookings_->cancel_series(s->id, std::nullopt, leader(8)).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(active_bookings(room_), 3) << "nothing half-cancelled";
  EXPECT_EQ(*bookings_->cancel_series(s->id, std::nullopt, leader(7)), 3);
}

// --- meetings and rooms ---

TEST_P(MeetingsServiceTest, AMeetingBooksItsRoomAndASecondMeetingInTheSlotConflicts) {
  auto d = draft("council", "2026-10-15T14:00:00+08:00", "2026-10-15T17:00:00+08:00");
  d.meeting.venue.clear();
  d.meeting.room_id = room_;
  auto first = meetings_->create(d, staff());
  ASSERT_TRUE(first.has_value()) << code_of(first);
  EXPECT_EQ(first->title, "第三届第一次理事会");
  ASSERT_TRUE(first->booking_id.has_value());
  auto held = bookings_->bookings(room_, at("2026-10-15T00:00:00+08:00"),
                                  at("2026-10-16T00:00:00+08:00"), staff());
  ASSERT_TRUE(held && held->size() == 1u);
  EXPECT_EQ((*held)[0].id, *first->booking_id);
  EXPECT_EQ((*held)[0].meeting_id, first->id);

  auto second = draft("seminar", "2026-10-15T15:00:00+08:00", "2026-10-15T16:00:00+08:00");
  second.meeting.venue.clear();
  second.meeting.room_id = room_;
  auto clash = meetings_->create(second, staff());
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().code, ErrorCode::conflict);
  EXPECT_EQ(figure(clash.error(), "booking_id"), first->booking_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM meetings"), 1) << "the refused meeting left no row";

  auto single =
      bookings_->book(booking("2026-10-15T16:30:00+08:00", "2026-10-15T17:30:00+08:00"), staff());
  EXPECT_EQ(single.error().code, ErrorCode::conflict);
  const long long after = book("2026-10-15T17:00:00+08:00", "2026-10-15T18:00:00+08:00");

  // Running late into the next booking is refused, and the meeting keeps its time.
  MeetingPatch later;
  later.ends_at = at("2026-10-15T17:30:00+08:00");
  auto late = meetings_->update(first->id, later, staff());
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::conflict);
  EXPECT_EQ(figure(late.error(), "booking_id"), after);
  EXPECT_EQ(meetings_->get(first->id, staff())->ends_at, at("2026-10-15T17:00:00+08:00"));
  // Starting earlier is fine and moves its booking along.
  MeetingPatch earlier;
  earlier.starts_at = at("2026-10-15T13:30:00+08:00");
  ASSERT_TRUE(meetings_->update(first->id, earlier, staff()));
  held = bookings_->bookings(room_, at("2026-10-15T00:00:00+08:00"),
                             at("2026-10-16T00:00:00+08:00"), staff());
  ASSERT_TRUE(held && held->size() == 2u);
  EXPECT_EQ((*held)[0].starts_at, at("2026-10-15T13:30:00+08:00"));

  auto both = draft("seminar", "2026-10-16T09:00:00+08:00", "2026-10-16T10:00:00+08:00");
  both.meeting.room_id = room_;  // and the venue the draft carries
  EXPECT_EQ(meetings_->create(both, staff()).error().code, ErrorCode::invalid_argument);

  // Cancelling the meeting frees its room.
  MeetingPatch cancel;
  cancel.status = "cancelled";
  ASSERT_TRUE(meetings_->update(first->id, cancel, staff()));
  EXPECT_EQ(active_bookings(room_), 1);
  auto now_free = meetings_->create(second, staff());
  ASSERT_TRUE(now_free.has_value()) << code_of(now_free);
  EXPECT_TRUE(now_free->booking_id.has_value());
  EXPECT_EQ(meetings_->update(first->id, earlier, staff()).error().code, ErrorCode::conflict)
      << "a cancelled meeting is final";
  expect_no_overlap(room_);
}

TEST_P(MeetingsServiceTest, ParallelMeetingsInOneRoomBookItOnce) {
  constexpr int kThreads = 12;
  std::latch go(kThreads);
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto d = draft("seminar", "2026-10-20T09:00:00+08:00", "2026-10-20T12:00:00+08:00");
      d.meeting.title = "专题会议" + std::to_string(i);
      d.meeting.starts_at += minutes{i};
      d.meeting.venue.clear();
      d.meeting.room_id = room_;
      go.arrive_and_wait();
      auto r = meetings_->create(d, staff());
      if (r) {
        ++ok;
      } else if (r.error().code == ErrorCode::conflict) {
        ++conflicts;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM meetings"), 1);
  EXPECT_EQ(active_bookings(room_), 1);
}

TEST_P(MeetingsServiceTest, AMeetingsOwnBookingChangesOnlyWithTheMeeting) {
  // The meeting says it is in the room at its time; its booking is what keeps the room free.
  // Moving or cancelling that booking by itself would leave the meeting in a room that is
  // booked for something else, or at another time than its booking.
  auto d = draft("council", "2026-10-15T14:00:00+08:00", "2026-10-15T17:00:00+08:00");
  d.meeting.venue.clear();
  d.meeting.room_id = room_;
  auto m = meetings_->create(d, staff());
  ASSERT_TRUE(m && m->booking_id) << code_of(m);

  BookingPatch move;
  move.starts_at = at("2026-10-16T14:00:00+08:00");
  move.ends_at = at("2026-10-16T17:00:00+08:00");
  auto moved = bookings_->update_booking(*m->booking_id, move, staff());
  if (moved) {
    EXPECT_EQ(meetings_->get(m->id, staff())->starts_at, moved->starts_at)
        << "the booking moved to the 16th, the meeting still says the 15th";
  }
  auto cancelled = bookings_->cancel_booking(*m->booking_id, staff());
  EXPECT_FALSE(cancelled.has_value())
      << "a meeting's booking is cancelled by cancelling the meeting or taking its room away";
  auto taken = bookings_->book(
      booking("2026-10-15T14:00:00+08:00", "2026-10-15T17:00:00+08:00", 0, "别的活动"), staff());
  EXPECT_FALSE(taken.has_value()) << "the room of a scheduled meeting was booked again";
}

// --- invitations ---

TEST_P(MeetingsServiceTest, InvitationsByRuleFollowTheTierMapping) {
  const long long plain = add_unit("普通会员", "member");
  const long long council = add_unit("理事单位", "council");
  const long long council_lapsed = add_unit("欠费理事单位", "council", "lapsed");
  const long long council_suspended = add_unit("暂停理事单位", "council", "suspended");
  const long long standing = add_unit("常务理事单位", "standing_council");
  const long long vice = add_unit("副会长单位", "vice_president");
  const long long president = add_unit("会长单位", "president");
  const char* from = "2026-10-15T14:00:00+08:00";
  const char* to = "2026-10-15T17:00:00+08:00";

  auto create = [&](const std::string& kind, std::vector<long long> hand = {}) {
    auto m = meetings_->create(draft(kind, from, to, std::move(hand)), staff());
    EXPECT_TRUE(m.has_value()) << kind << " " << code_of(m);
    return m ? m->id : 0;
  };
  const long long c = create("council");
  EXPECT_EQ(invited(c), (std::set<long long>{council, standing, vice, president}))
      << "council and above, active units only";
  EXPECT_EQ(invited(create("general_assembly")),
            (std::set<long long>{plain, council, standing, vice, president}));
  EXPECT_EQ(invited(create("standing_council")), (std::set<long long>{standing, vice, president}));
  EXPECT_EQ(invited(create("president_office")), (std::set<long long>{vice, president}));
  EXPECT_EQ(invited(create("seminar", {plain})), (std::set<long long>{plain}))
      << "a seminar invites by hand only";

  auto list = meetings_->invitees(c);
  ASSERT_TRUE(list.has_value());
  for (const auto& i : list->first) {
    EXPECT_EQ(i.source, "rule");
    EXPECT_EQ(i.status, "active");
    EXPECT_FALSE(i.pass_token.empty());
  }
  EXPECT_EQ(meetings_->get(c, staff())->invited, 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'meeting.invited' AND "
                  "entity_type = 'meeting' AND member_id = " +
                  std::to_string(president)),
            4)
      << "each invitation notifies the unit";
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'meeting.invited' AND "
                  "member_id IN (" +
                  std::to_string(council_lapsed) + ", " + std::to_string(council_suspended) + ")"),
            0);

  // By hand on top: once only.
  EXPECT_EQ(*meetings_->invite(c, {plain}, {}, staff()), 1);
  EXPECT_EQ(*meetings_->invite(c, {plain}, {}, staff()), 0);
  EXPECT_EQ(invited(c).size(), 5u);
  EXPECT_EQ(meetings_->invite(c, {999999}, {}, staff()).error().code, ErrorCode::invalid_argument);

  // The mapping is a setting, and so is the vote of lapsed units.
  auto conf = meetings_->settings();
  ASSERT_TRUE(conf.has_value());
  conf->invite_tiers["council"] = {"council"};
  conf->lapsed_vote = true;
  ASSERT_TRUE(meetings_->put_settings(*conf, staff()));
  EXPECT_EQ(invited(create("council")), (std::set<long long>{council, council_lapsed}));
  conf->invite_tiers["council"] = {"council", "emperor"};
  EXPECT_EQ(meetings_->put_settings(*conf, staff()).error().code, ErrorCode::invalid_argument);
}

TEST_P(MeetingsServiceTest, NextNumberFollowsTheLastMeetingOfTheKind) {
  auto first = meetings_->next_number("council");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->term_no, 1);
  EXPECT_EQ(first->session_no, 1);
  EXPECT_EQ(first->title, "第一届第一次理事会");
  auto d = draft("council", "2026-10-15T14:00:00+08:00", "2026-10-15T17:00:00+08:00");
  d.meeting.term_no = 3;
  d.meeting.session_no = 2;
  ASSERT_TRUE(meetings_->create(d, staff()));
  auto next = meetings_->next_number("council");
  EXPECT_EQ(next->title, "第三届第三次理事会");
  EXPECT_EQ(meetings_->next_number("general_assembly")->title, "第一届第一次会员大会")
      << "each kind counts on its own";
  EXPECT_EQ(meetings_->next_number("party").error().code, ErrorCode::invalid_argument);
}

// --- 回执 and proxies ---

TEST_P(MeetingsServiceTest, ProxiesGoOnlyToAnotherInvitedUnitWithinTheLimit) {
  const auto u = add_units(4);
  const long long a = u[0], b = u[1], c = u[2], holder = u[3];
  const long long outsider = add_unit("未受邀单位");
  const long long m = meeting_for(u);

  auto self = meetings_->reply(m, proxy(a, a), member_of(a));
  ASSERT_FALSE(self.has_value());
  EXPECT_EQ(self.error().code, ErrorCode::conflict);
  EXPECT_TRUE(names(self.error(), "proxy_to_member_id"));
  auto uninvited = meetings_->reply(m, proxy(a, outsider), member_of(a));
  ASSERT_FALSE(uninvited.has_value());
  EXPECT_EQ(uninvited.error().code, ErrorCode::conflict);
  EXPECT_TRUE(names(uninvited.error(), "proxy_to_member_id"));

  auto given = meetings_->reply(m, proxy(a, holder), member_of(a));
  ASSERT_TRUE(given.has_value()) << code_of(given);
  EXPECT_FALSE(given->attending);
  EXPECT_EQ(given->proxy_to_name, "单位4");
  auto beyond = meetings_->reply(m, proxy(b, holder), member_of(b));
  ASSERT_FALSE(beyond.has_value());
  EXPECT_EQ(beyond.error().code, ErrorCode::conflict) << "one proxy per holder by default";
  EXPECT_NE(beyond.error().message.zh.find("上限"), std::string::npos);
  // A unit's own new reply is no second proxy.
  ASSERT_TRUE(meetings_->reply(m, proxy(a, holder), member_of(a)));

  EXPECT_EQ(meetings_->reply(m, proxy(holder, c), member_of(holder)).error().code,
            ErrorCode::conflict)
      << "a holder cannot pass its own vote on";
  EXPECT_EQ(meetings_->reply(m, proxy(c, a), member_of(c)).error().code, ErrorCode::conflict)
      << "a unit that gave its proxy away holds none";
  EXPECT_EQ(meetings_->reply(m, proxy(outsider, holder), staff()).error().code,
            ErrorCode::not_found)
      << "staff replying for an uninvited unit";

  // a changes its mind: the holder is free for b.
  ASSERT_TRUE(meetings_->reply(m, attending(a), member_of(a)));
  ASSERT_TRUE(meetings_->reply(m, proxy(b, holder), member_of(b)));
  auto matrix = meetings_->reply_matrix(m);
  ASSERT_TRUE(matrix.has_value());
  EXPECT_EQ(matrix->invited, 4);
  EXPECT_EQ(matrix->replied, 2);
  EXPECT_EQ(matrix->attending, 1);
  EXPECT_EQ(matrix->proxy, 1);
  EXPECT_EQ(matrix->none, 2);
  for (const auto& row : matrix->rows) {
    if (row.invitee.member_id == holder) {
      EXPECT_EQ(row.proxies_held, (std::vector<long long>{b}));
    }
  }

  // The limit is a setting.
  auto conf = meetings_->settings();
  conf->max_proxies_per_holder = 2;
  ASSERT_TRUE(meetings_->put_settings(*conf, staff()));
  ASSERT_TRUE(meetings_->reply(m, proxy(c, holder), member_of(c)));
}

TEST_P(MeetingsServiceTest, AProxyHolderCannotBeUninvited) {
  // A proxy goes only to an invited unit; taking the holder off the list afterwards would leave
  // a written proxy with a unit that cannot check in, and the giver's vote silently lost.
  const auto u = add_units(3);
  const long long m = meeting_for(u);
  ASSERT_TRUE(meetings_->reply(m, proxy(u[0], u[1]), member_of(u[0])));
  auto r = meetings_->uninvite(m, u[1], staff());
  EXPECT_FALSE(r.has_value()) << "the holder of u1's proxy was uninvited";
  if (!r) {
    EXPECT_EQ(r.error().code, ErrorCode::conflict);
  }
  EXPECT_TRUE(invited(m).contains(u[1]));
  ASSERT_TRUE(meetings_->uninvite(m, u[2], staff())) << "a unit without any reply may go";
  EXPECT_EQ(meetings_->uninvite(m, u[0], staff()).error().code, ErrorCode::conflict)
      << "a unit that replied stays";
}

TEST_P(MeetingsServiceTest, ParallelProxiesToOneHolderStopAtTheLimit) {
  const auto u = add_units(11);
  const long long holder = u[0];
  for (const int max : {1, 3}) {
    auto conf = meetings_->settings();
    ASSERT_TRUE(conf.has_value());
    conf->max_proxies_per_holder = max;
    ASSERT_TRUE(meetings_->put_settings(*conf, staff()));
    const long long m = meeting_for(u);
    std::latch go(10);
    std::atomic<int> ok{0}, conflicts{0}, other{0};
    std::vector<std::thread> threads;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 1; i <= 10; ++i) {
      threads.emplace_back([&, i] {
        const long long giver = u[static_cast<std::size_t>(i)];
        go.arrive_and_wait();
        auto r = meetings_->reply(m, proxy(giver, holder), member_of(giver));
        if (r) {
          ++ok;
        } else if (r.error().code == ErrorCode::conflict) {
          ++conflicts;
        } else {
          ++other;
        }
      });
    }
    for (auto& t : threads) t.join();
    std::cout << "[ timing   ] " << GetParam() << ": 10 parallel proxies (limit " << max << ") in "
              << seconds_since(t0) << " s\n";
    EXPECT_EQ(ok.load(), max);
    EXPECT_EQ(conflicts.load(), 10 - max);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM meeting_rsvps WHERE meeting_id = " + std::to_string(m) +
                    " AND proxy_to_member_id = " + std::to_string(holder)),
              max);
  }
}

TEST_P(MeetingsServiceTest, KindsWithoutProxiesRefuseThem) {
  const auto u = add_units(2);
  const long long seminar = meeting_for(u, "seminar");
  auto r = meetings_->reply(seminar, proxy(u[0], u[1]), member_of(u[0]));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_TRUE(names(r.error(), "proxy_to_member_id"));
  const long long standing = meeting_for(u, "standing_council");
  EXPECT_EQ(meetings_->reply(standing, proxy(u[0], u[1]), member_of(u[0])).error().code,
            ErrorCode::conflict)
      << "by default only general assemblies and councils take proxies";
  EXPECT_EQ(count("SELECT COUNT(*) FROM meeting_rsvps"), 0);
  ASSERT_TRUE(meetings_->reply(seminar, attending(u[0]), member_of(u[0])));
}

TEST_P(MeetingsServiceTest, RepliesCloseAtTheDeadlineForMembersNotForStaff) {
  const auto u = add_units(2);
  const long long m = meeting_for(u);  // deadline 2026-10-10 14:00
  const Timestamp deadline = meetings_->get(m, staff())->rsvp_deadline;
  EXPECT_EQ(deadline, at("2026-10-10T14:00:00+08:00"));
  clock_.set(deadline);
  ASSERT_TRUE(meetings_->reply(m, attending(u[0]), member_of(u[0]))) << "at the deadline itself";
  clock_.set(deadline + std::chrono::seconds{1});
  auto late = meetings_->reply(m, absent(u[1]), member_of(u[1]));
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::conflict);
  auto changed = meetings_->reply(m, absent(u[0]), member_of(u[0]));
  EXPECT_EQ(changed.error().code, ErrorCode::conflict) << "nor may a reply change";
  auto by_staff = meetings_->reply(m, absent(u[1]), staff());
  EXPECT_TRUE(by_staff.has_value()) << "the secretariat records a late phone call";
  // A finished meeting takes no more replies at all.
  MeetingPatch done;
  done.status = "finished";
  ASSERT_TRUE(meetings_->update(m, done, staff()));
  EXPECT_EQ(meetings_->reply(m, attending(u[1]), staff()).error().code, ErrorCode::conflict);
}

TEST_P(MeetingsServiceTest, AReplyNeedsItsAttendees) {
  const auto u = add_units(1);
  const long long m = meeting_for(u);
  Rsvp nobody;
  nobody.member_id = u[0];
  nobody.attending = true;
  EXPECT_EQ(meetings_->reply(m, nobody, member_of(u[0])).error().code, ErrorCode::invalid_argument);
  Rsvp bad_mobile = attending(u[0]);
  bad_mobile.attendees[0].mobile = "12345";
  auto r = meetings_->reply(m, bad_mobile, member_of(u[0]));
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(names(r.error(), "attendees[0].mobile"));
  auto ok = meetings_->reply(m, attending(u[0]), member_of(u[0]));
  ASSERT_TRUE(ok.has_value());
  auto mine = meetings_->my_reply(m, member_of(u[0]));
  ASSERT_TRUE(mine && mine->has_value());
  ASSERT_EQ((*mine)->attendees.size(), 1u);
  EXPECT_EQ((*mine)->attendees[0].name, "张三");
}

// --- who sees what ---

TEST_P(MeetingsServiceTest, AMemberSeesOnlyMeetingsItsUnitIsInvitedTo) {
  const auto u = add_units(3);
  const long long a = u[0], b = u[1], c = u[2];
  const long long both = meeting_for({a, b});
  const long long only_b = meeting_for({b});

  auto list = meetings_->list({}, member_of(a));
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, both);
  EXPECT_TRUE(meetings_->list({}, member_of(c))->empty());
  EXPECT_EQ(meetings_->list({}, member_of(b))->size(), 2u);
  EXPECT_EQ(meetings_->list({}, staff())->size(), 2u);
  EXPECT_EQ(meetings_->list({}, leader(9))->size(), 2u) << "leaders read every meeting";

  auto hidden = meetings_->get(only_b, member_of(a));
  ASSERT_FALSE(hidden.has_value());
  EXPECT_EQ(hidden.error().code, ErrorCode::not_found);
  EXPECT_EQ(meetings_->my_reply(only_b, member_of(a)).error().code, ErrorCode::not_found);
  EXPECT_EQ(meetings_->resolutions(only_b, member_of(a)).error().code, ErrorCode::not_found);
  ASSERT_TRUE(meetings_->get(only_b, member_of(b)));

  // Replies: only for one's own unit, and a member sees only its own.
  auto for_other = meetings_->reply(both, attending(b), member_of(a));
  ASSERT_FALSE(for_other.has_value());
  EXPECT_EQ(for_other.error().code, ErrorCode::permission_denied);
  EXPECT_EQ(meetings_->reply(only_b, attending(b), member_of(a)).error().code,
            ErrorCode::permission_denied);
  EXPECT_EQ(meetings_->reply(only_b, attending(a), member_of(a)).error().code, ErrorCode::not_found)
      << "an uninvited unit learns nothing about the meeting";
  Principal nobody;
  nobody.username = "guest";
  nobody.roles = {Role::member};
  EXPECT_EQ(meetings_->reply(both, attending(a), nobody).error().code, ErrorCode::permission_denied)
      << "a member account without a unit";

  ASSERT_TRUE(meetings_->reply(both, attending(b), member_of(b)));
  auto seen = meetings_->get(both, member_of(a));
  ASSERT_TRUE(seen.has_value());
  EXPECT_FALSE(seen->my_reply.has_value()) << "b's reply is not a's";
  ASSERT_TRUE(meetings_->reply(both, absent(a), member_of(a)));
  seen = meetings_->get(both, member_of(a));
  ASSERT_TRUE(seen->my_reply.has_value());
  EXPECT_EQ(seen->my_reply->member_id, a);
  EXPECT_FALSE(seen->my_reply->attending);
  list = meetings_->list({}, member_of(a));
  ASSERT_TRUE(list && list->size() == 1u);
  ASSERT_TRUE((*list)[0].my_reply.has_value());
  EXPECT_EQ((*list)[0].my_reply->member_id, a);

  // Materials: stored under the data directory, readable by invitees and staff only, and
  // refused when the content is not what the name says.
  auto bad = meetings_->upload(only_b, "议程.pdf", "PK\x03\x04 not a pdf", staff());
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  auto doc = meetings_->upload(only_b, "议程.pdf", pdf(), staff());
  ASSERT_TRUE(doc.has_value()) << code_of(doc);
  EXPECT_EQ(doc->content_type, "application/pdf");
  std::size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(data_dir_.path())) {
    if (e.is_regular_file()) ++files;
  }
  EXPECT_EQ(files, 1u) << "the refused file was never stored";
  EXPECT_EQ(meetings_->material(only_b, doc->id, member_of(a)).error().code, ErrorCode::not_found);
  auto got = meetings_->material(only_b, doc->id, member_of(b));
  ASSERT_TRUE(got.has_value()) << code_of(got);
  EXPECT_EQ(got->content, pdf());
  EXPECT_EQ(meetings_->material(both, doc->id, member_of(a)).error().code, ErrorCode::not_found)
      << "a material is reached only through its own meeting";
}

// --- attendance, quorum, resolutions ---

TEST_P(MeetingsServiceTest, QuorumCountsEntitledUnitsInPersonAndByProxy) {
  auto u = add_units(6);
  const long long lapsed = add_unit("欠费单位", "member", "lapsed");
  std::vector<long long> all = u;
  all.push_back(lapsed);
  const long long m = meeting_for(all);
  ASSERT_TRUE(meetings_->reply(m, proxy(u[2], u[0]), member_of(u[2])));

  auto q = meetings_->quorum(m);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->entitled, 6) << "the lapsed unit has no vote by default";
  EXPECT_EQ(q->present, 0);
  EXPECT_EQ(q->required, 4);
  EXPECT_FALSE(q->reached);

  ASSERT_TRUE(meetings_->attend(m, u[0], "", true, staff()));
  auto pass = meetings_->pass(m, u[1], member_of(u[1]));
  ASSERT_TRUE(pass.has_value());
  auto by_token = meetings_->attend(m, std::nullopt, pass->pass_token, true, staff());
  ASSERT_TRUE(by_token.has_value()) << code_of(by_token);
  EXPECT_EQ(by_token->member_id, u[1]);
  EXPECT_TRUE(by_token->changed);
  EXPECT_FALSE(meetings_->attend(m, u[1], "", true, staff())->changed) << "twice is once";
  ASSERT_TRUE(meetings_->attend(m, lapsed, "", true, staff()));
  q = meetings_->quorum(m);
  EXPECT_EQ(q->in_person, 2);
  EXPECT_EQ(q->proxies, 1) << "u3's proxy, held by u1 who is here";
  EXPECT_EQ(q->present, 3);
  EXPECT_EQ(q->required, 4);
  EXPECT_FALSE(q->reached);

  ASSERT_TRUE(meetings_->attend(m, u[3], "", true, staff()));
  q = meetings_->quorum(m);
  EXPECT_EQ(q->present, 4);
  EXPECT_TRUE(q->reached);

  // The holder leaves: its proxy goes with it.
  ASSERT_TRUE(meetings_->attend(m, u[0], "", false, staff()));
  q = meetings_->quorum(m);
  EXPECT_EQ(q->in_person, 2);
  EXPECT_EQ(q->proxies, 0);
  EXPECT_FALSE(q->reached);
  ASSERT_TRUE(meetings_->attend(m, u[0], "", true, staff()));

  // Another meeting's pass, or none of any, does not check a unit in here.
  const long long other = meeting_for({u[4]});
  auto foreign = meetings_->pass(other, u[4], staff());
  ASSERT_TRUE(foreign.has_value());
  EXPECT_EQ(meetings_->attend(m, std::nullopt, foreign->pass_token, true, staff()).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(meetings_->attend(m, std::nullopt, random_token(24), true, staff()).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(meetings_->pass(m, u[1], member_of(u[0])).error().code, ErrorCode::not_found)
      << "a unit sees only its own pass";

  // With lapsed units entitled by setting.
  auto conf = meetings_->settings();
  conf->lapsed_vote = true;
  ASSERT_TRUE(meetings_->put_settings(*conf, staff()));
  q = meetings_->quorum(m);
  EXPECT_EQ(q->entitled, 7);
  EXPECT_EQ(q->in_person, 4);
  EXPECT_EQ(q->present, 5);
  EXPECT_EQ(q->required, 5);
  EXPECT_TRUE(q->reached);
}

TEST_P(MeetingsServiceTest, ResolutionsPassUnderTheRuleOfTheirKind) {
  const auto u = add_units(4);
  const long long m = meeting_for(u);
  for (long long unit : u) ASSERT_TRUE(meetings_->attend(m, unit, "", true, staff()));

  auto resolve = [&](const std::string& kind, int yes, int no, int abstain,
                     std::optional<std::pair<int, int>> figures = {}) {
    Resolution r;
    r.title = "关于" + kind + "的决议";
    r.kind = kind;
    r.method = "show_of_hands";
    r.votes_for = yes;
    r.votes_against = no;
    r.abstentions = abstain;
    if (figures) std::tie(r.entitled, r.present) = *figures;
    return meetings_->add_resolution(m, r, figures.has_value(), staff());
  };

  // Figures from the live quorum: 4 entitled, 4 present.
  auto ordinary = resolve("ordinary", 3, 1, 0);
  ASSERT_TRUE(ordinary.has_value()) << code_of(ordinary);
  EXPECT_EQ(ordinary->entitled, 4);
  EXPECT_EQ(ordinary->present, 4);
  EXPECT_TRUE(ordinary->passed);
  EXPECT_EQ(ordinary->rule_text, "赞成票超过实到人数的1/2");
  auto half = resolve("ordinary", 2, 2, 0);
  ASSERT_TRUE(half.has_value());
  EXPECT_FALSE(half->passed) << "exactly half is not more than half";

  // Figures as given: 30 entitled, 20 present.
  const std::pair<int, int> given{30, 20};
  auto charter = resolve("charter", 14, 4, 2, given);
  ASSERT_TRUE(charter.has_value());
  EXPECT_TRUE(charter->passed);
  EXPECT_EQ(charter->entitled, 30);
  EXPECT_EQ(charter->rule_text, "赞成票不少于实到人数的2/3");
  EXPECT_FALSE(resolve("charter", 13, 5, 2, given)->passed);
  EXPECT_TRUE(resolve("dues", 14, 6, 0, given)->passed);
  EXPECT_FALSE(resolve("dues", 13, 0, 0, given)->passed);
  EXPECT_TRUE(resolve("ordinary", 11, 9, 0, given)->passed);
  EXPECT_FALSE(resolve("ordinary", 10, 10, 0, given)->passed);

  auto too_many = resolve("ordinary", 15, 6, 0, given);
  ASSERT_FALSE(too_many.has_value());
  EXPECT_EQ(too_many.error().code, ErrorCode::invalid_argument);
  EXPECT_TRUE(names(too_many.error(), "votes_for"));
  auto over = resolve("ordinary", 1, 0, 0, std::pair<int, int>{30, 31});
  ASSERT_FALSE(over.has_value());
  EXPECT_TRUE(names(over.error(), "present"));
  EXPECT_EQ(resolve("budget", 1, 0, 0, given).error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(resolve("ordinary", 5, 0, 0).error().code, ErrorCode::invalid_argument)
      << "more votes than the 4 present";

  auto listed = meetings_->resolutions(m, staff());
  ASSERT_TRUE(listed.has_value());
  EXPECT_EQ(listed->size(), 8u);
  EXPECT_EQ(meetings_->resolutions(m, member_of(u[0]))->size(), 8u) << "invitees read them";
  ASSERT_TRUE(meetings_->delete_resolution(half->id, staff()));
  EXPECT_EQ(meetings_->resolutions(m, staff())->size(), 7u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'resolution.create'"), 8);
}

// --- reminders ---

TEST_P(MeetingsServiceTest, RemindersGoOnceADayToUnitsWithoutAReply) {
  const auto u = add_units(3);
  const long long m = meeting_for(u);  // deadline 2026-10-10 14:00
  ASSERT_TRUE(meetings_->reply(m, attending(u[0]), member_of(u[0])));
  const std::string reminders =
      "SELECT COUNT(*) FROM notifications WHERE kind = 'meeting.reminder' AND member_id = ";

  clock_.set(at("2026-10-05T09:00:00+08:00"));
  EXPECT_EQ(*meetings_->remind(m, staff()), 2);
  clock_.set(at("2026-10-05T23:59:00+08:00"));
  EXPECT_EQ(*meetings_->remind(m, staff()), 0) << "the same day in Shanghai";
  EXPECT_EQ(count(reminders + std::to_string(u[1])), 1);
  EXPECT_EQ(count(reminders + std::to_string(u[0])), 0) << "it replied";

  clock_.set(at("2026-10-06T00:01:00+08:00"));
  EXPECT_EQ(*meetings_->remind(m, staff()), 2) << "a new day";
  ASSERT_TRUE(meetings_->reply(m, absent(u[1]), member_of(u[1])));
  clock_.set(at("2026-10-07T09:00:00+08:00"));
  EXPECT_EQ(*meetings_->remind(m, staff()), 1);
  EXPECT_EQ(count(reminders + std::to_string(u[1])), 2);
  EXPECT_EQ(count(reminders + std::to_string(u[2])), 3);

  clock_.set(at("2026-10-10T14:00:01+08:00"));
  EXPECT_EQ(meetings_->remind(m, staff()).error().code, ErrorCode::conflict)
      << "no reminders after the deadline";
}

// --- calendar ---

TEST_P(MeetingsServiceTest, CalendarFeedTokensAndWhatTheFeedShows) {
  const auto u = add_units(2);
  const long long mine = meeting_for({u[0]});
  const long long theirs = meeting_for({u[1]});
  const Principal member = add_user("unit-a", {Role::member}, u[0]);
  const Principal secretary = add_user("mishu2", {Role::staff});
  const long long own_booking =
      bookings_->book(booking("2026-10-20T10:00:00+08:00", "2026-10-20T11:00:00+08:00"), secretary)
          ->id;

  auto t1 = calendar_->feed_token(member, false);
  ASSERT_TRUE(t1.has_value()) << code_of(t1);
  EXPECT_TRUE(is_token(*t1));
  EXPECT_EQ(*calendar_->feed_token(member, false), *t1) << "the same key until renewed";
  auto t2 = calendar_->feed_token(member, true);
  ASSERT_TRUE(t2.has_value());
  EXPECT_NE(*t2, *t1);
  EXPECT_EQ(calendar_->feed(*t1, "https://xiehui.example").error().code, ErrorCode::not_found)
      << "renewing kills the old URL";
  EXPECT_EQ(calendar_->feed("nope", "https://xiehui.example").error().code, ErrorCode::not_found);
  EXPECT_EQ(calendar_->feed(random_token(24), "https://xiehui.example").error().code,
            ErrorCode::not_found);

  auto ics = calendar_->feed(*t2, "https://xiehui.example");
  ASSERT_TRUE(ics.has_value()) << code_of(ics);
  EXPECT_TRUE(ics->starts_with("BEGIN:VCALENDAR\r\n"));
  EXPECT_NE(ics->find("TZID:Asia/Shanghai"), std::string::npos);
  const std::string mine_uid = "meeting-" + std::to_string(mine) + "@xiehui";
  const std::string theirs_uid = "meeting-" + std::to_string(theirs) + "@xiehui";
  const std::string event = event_block(*ics, mine_uid);
  ASSERT_FALSE(event.empty()) << *ics;
  EXPECT_NE(event.find("DTSTART;TZID=Asia/Shanghai:20261015T140000"), std::string::npos) << event;
  EXPECT_NE(event.find("DTEND;TZID=Asia/Shanghai:20261015T170000"), std::string::npos);
  EXPECT_NE(event.find("STATUS:CONFIRMED"), std::string::npos);
  const int sequence_before = sequence_of(event);
  EXPECT_EQ(ics->find(theirs_uid), std::string::npos) << "another unit's meeting";
  EXPECT_EQ(ics->find("booking-" + std::to_string(own_booking) + "@xiehui"), std::string::npos)
      << "someone else's booking";

  // A cancellation is reflected, under the same UID with a higher SEQUENCE.
  MeetingPatch cancel;
  cancel.status = "cancelled";
  ASSERT_TRUE(meetings_->update(mine, cancel, staff()));
  ics = calendar_->feed(*t2, "https://xiehui.example");
  ASSERT_TRUE(ics.has_value());
  const std::string cancelled = event_block(*ics, mine_uid);
  ASSERT_FALSE(cancelled.empty());
  EXPECT_NE(cancelled.find("STATUS:CANCELLED"), std::string::npos) << cancelled;
  EXPECT_GT(sequence_of(cancelled), sequence_before) << cancelled;

  // Staff see every meeting and their own bookings.
  auto staff_token = calendar_->feed_token(secretary, false);
  ASSERT_TRUE(staff_token.has_value());
  auto all = calendar_->feed(*staff_token, "https://xiehui.example");
  ASSERT_TRUE(all.has_value());
  EXPECT_NE(all->find(mine_uid), std::string::npos);
  EXPECT_NE(all->find(theirs_uid), std::string::npos);
  EXPECT_NE(all->find("UID:booking-" + std::to_string(own_booking) + "@xiehui"), std::string::npos);
  EXPECT_NE(*staff_token, *t2) << "each user has a key of their own";

  // A disabled account's feed answers nothing, and answers again once it is enabled.
  auto disable = [&](bool disabled) {
    return db_->with_transaction([&](soci::session& s) -> Status {
      accounts::user_repository::update_profile(s, member.user_id, "unit-a", disabled, u[0],
                                                clock_.now());
      return {};
    });
  };
  ASSERT_TRUE(disable(true));
  EXPECT_EQ(calendar_->feed(*t2, "https://xiehui.example").error().code, ErrorCode::not_found);
  ASSERT_TRUE(disable(false));
  EXPECT_TRUE(calendar_->feed(*t2, "https://xiehui.example").has_value());

  ASSERT_TRUE(calendar_->revoke_feed(member));
  EXPECT_EQ(calendar_->feed(*t2, "https://xiehui.example").error().code, ErrorCode::not_found);
  EXPECT_TRUE(calendar_->feed(*staff_token, "https://xiehui.example").has_value())
      << "revoking one feed leaves the others";
}

TEST_P(MeetingsServiceTest, ParallelFirstFeedRequestsAgreeOnOneKey) {
  // Two tabs of the user's page ask for the feed URL at once: both must show the same URL, and
  // it must work (not one that the other request replaced a moment later).
  const Principal user = add_user("liangzhang", {Role::staff});
  constexpr int kThreads = 8;
  std::latch go(kThreads);
  std::vector<std::string> tokens(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      auto t = calendar_->feed_token(user, false);
      tokens[static_cast<std::size_t>(i)] = t ? *t : "error: " + code_of(t);
    });
  }
  for (auto& t : threads) t.join();
  const std::set<std::string> distinct(tokens.begin(), tokens.end());
  EXPECT_EQ(distinct.size(), 1u) << "distinct keys handed out: " << distinct.size();
  for (const auto& t : distinct) {
    EXPECT_TRUE(calendar_->feed(t, "https://xiehui.example").has_value())
        << "a key handed out does not work: " << t;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM calendar_feeds"), 1);
}

TEST_P(MeetingsServiceTest, TheMonthViewShowsWhatTheCallerMaySee) {
  const auto u = add_units(2);
  const long long mine = meeting_for({u[0]});
  const long long theirs = meeting_for({u[1]});
  auto d = draft("seminar", "2026-10-16T09:00:00+08:00", "2026-10-16T10:00:00+08:00", {u[0]});
  d.meeting.venue.clear();
  d.meeting.room_id = room_;
  auto in_room = meetings_->create(d, staff());
  ASSERT_TRUE(in_room.has_value());
  const long long plain = book("2026-10-16T14:00:00+08:00", "2026-10-16T15:00:00+08:00");

  const Timestamp from = at("2026-10-01T00:00:00+08:00"), to = at("2026-11-01T00:00:00+08:00");
  auto ids = [](const std::vector<CalendarEvent>& events, const std::string& type) {
    std::set<long long> out;
    for (const auto& e : events) {
      if (e.type == type) out.insert(e.id);
    }
    return out;
  };
  auto everything = calendar_->events(from, to, 0, staff());
  ASSERT_TRUE(everything.has_value());
  EXPECT_EQ(ids(*everything, "meeting"), (std::set<long long>{mine, theirs, in_room->id}));
  EXPECT_EQ(ids(*everything, "booking"), (std::set<long long>{plain}))
      << "a meeting's own booking is shown as the meeting";
  auto member_view = calendar_->events(from, to, 0, member_of(u[0]));
  ASSERT_TRUE(member_view.has_value());
  EXPECT_EQ(ids(*member_view, "meeting"), (std::set<long long>{mine, in_room->id}));
  for (const auto& e : *member_view) {
    if (e.type == "booking") {
      EXPECT_EQ(e.title, "已预订");
      EXPECT_FALSE(e.editable);
    }
  }
  auto room_view = calendar_->events(from, to, room_, staff());
  ASSERT_TRUE(room_view.has_value());
  EXPECT_EQ(ids(*room_view, "booking").size(), 2u) << "the room grid shows the meeting's booking";
  EXPECT_EQ(calendar_->events(to, from, 0, staff()).error().code, ErrorCode::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Backends, MeetingsServiceTest,
                         ::testing::ValuesIn(testing::test_backends()), BackendName());

}  // namespace
}  // namespace xiehui::meetings
