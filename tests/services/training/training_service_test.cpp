// Sign-up, waitlist, quota, cancellation, capacity changes, check-in and certificates on every
// backend, with the concurrency the association's busiest service sees.

#include "services/training/training_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "core/db/migrator.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/privacy/consent.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::training {
namespace {

// The notice version a fresh database is at: what the forms accept.
constexpr long long kConsent = privacy::kFirstNoticeVersion;

using testing::BackendName;
using testing::TestDatabase;

Timestamp at(const char* iso) { return *parse_instant(iso); }

Principal staff() {
  Principal p;
  p.username = "mishu";
  p.roles = {Role::staff};
  return p;
}

Principal member_of(long long id) {
  Principal p;
  p.username = "unit" + std::to_string(id);
  p.roles = {Role::member};
  p.member_id = id;
  return p;
}

ClassPatch status_patch(const std::string& status) {
  ClassPatch p;
  p.status = status;
  return p;
}

ClassPatch capacity_patch(int capacity) {
  ClassPatch p;
  p.capacity = capacity;
  return p;
}

std::string mobile(int i) {
  const std::string n = std::to_string(i);
  return "139" + std::string(8 - n.size(), '0') + n;
}

class TrainingServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 8);
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    service_ = std::make_unique<TrainingService>(*db_, clock_);
    for (int i = 0; i < 3; ++i) {
      auto id = db_->with_transaction([&](soci::session& s) -> Result<long long> {
        const std::string body = "91430100MA4L" + std::to_string(20000 + i);
        const membership::Organisation org{"单位" + std::to_string(i),
                                           "单位",
                                           body + uscc_check_char(body),
                                           "development_zone",
                                           "provincial",
                                           "430100",
                                           ""};
        return membership::membership_repository::insert_member(s, org, "member", "2020-01-01",
                                                                "dan wei", clock_.now())
            .first;
      });
      ASSERT_TRUE(id.has_value());
      units_.push_back(*id);
    }
    auto course = service_->create_course({0, "园区招商引资专题培训", "", {"招商"}}, staff());
    ASSERT_TRUE(course.has_value());
    course_ = course->id;
  }

  long long open_class(int capacity, std::optional<int> quota = {}, long long fee = 150000) {
    TrainingClass c;
    c.course_id = course_;
    c.title = "第1期";
    c.venue = "长沙";
    c.starts_at = at("2026-12-07T09:00:00+08:00");
    c.ends_at = at("2026-12-08T17:00:00+08:00");
    c.signup_deadline = at("2026-11-30T18:00:00+08:00");
    c.capacity = capacity;
    c.per_member_quota = quota;
    c.fee_fen = fee;
    c.status = "open";
    auto r = service_->create_class(c, staff());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message.en);
    return r ? r->id : 0;
  }

  Result<Enrollment> sign_up(long long cls, long long unit, int person) {
    return service_->enroll(
        cls, {unit, "", {"学员" + std::to_string(person), "", mobile(person), "", ""}, kConsent},
        member_of(unit));
  }

  long long count(const std::string& sql) {
    auto n = db_->with_session([&](soci::session& s) -> Result<long long> {
      long long v = 0;
      s << sql, soci::into(v);
      return v;
    });
    return n.value_or(-1);
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  ManualClock clock_{Timestamp{std::chrono::seconds{1'790'000'000}}};  // 2026-09-21
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<TrainingService> service_;
  std::vector<long long> units_;
  long long course_ = 0;
};

TEST_P(TrainingServiceTest, SeatsThenWaitlistThenPromotionOnCancel) {
  const long long c = open_class(2);
  auto a = sign_up(c, units_[0], 1);
  auto b = sign_up(c, units_[0], 2);
  auto w = sign_up(c, units_[1], 3);
  ASSERT_TRUE(a && b && w);
  EXPECT_EQ(a->status, "confirmed");
  EXPECT_EQ(b->status, "confirmed");
  EXPECT_EQ(w->status, "waitlisted");
  EXPECT_EQ(w->waitlist_position, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE status = 'open' AND document_kind = "
                  "'fapiao' AND amount_fen = 150000"),
            2)
      << "each confirmed place owes the fee, invoiced with a 发票";

  ASSERT_TRUE(service_->cancel(a->id, member_of(units_[0])));
  auto promoted = service_->get_enrollment(w->id, staff());
  ASSERT_TRUE(promoted.has_value());
  EXPECT_EQ(promoted->status, "confirmed");
  EXPECT_TRUE(promoted->promoted_at.has_value());
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'training.promoted' AND "
                  "member_id = " +
                  std::to_string(units_[1])),
            1)
      << "the promoted unit is told";
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM notifications WHERE kind = 'training.promoted' AND "
            "message_en LIKE '%moved up from the waitlist%' AND link LIKE '/training/classes/%'"),
      1)
      << "in English too, with a link to the class";
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE status = 'open'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE status = 'void'"), 1);
  auto cls = service_->get_class(c, staff());
  EXPECT_EQ(cls->confirmed, 2);
  EXPECT_EQ(cls->waitlisted, 0);
  EXPECT_EQ(service_->cancel(a->id, staff()).error().code, ErrorCode::conflict) << "twice";
}

TEST_P(TrainingServiceTest, RefusalsAreConflictsWithReasons) {
  const long long c = open_class(5, 2);
  ASSERT_TRUE(sign_up(c, units_[0], 1));
  auto twice = sign_up(c, units_[1], 1);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::conflict) << "the same mobile twice";
  EXPECT_EQ(twice.error().fields.at(0).field, "attendee.mobile");
  ASSERT_TRUE(sign_up(c, units_[0], 2));
  auto over = sign_up(c, units_[0], 3);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, ErrorCode::conflict) << "quota of 2";
  EXPECT_NE(over.error().message.zh.find("名额"), std::string::npos);
  clock_.set(at("2026-11-30T18:00:01+08:00"));
  EXPECT_EQ(sign_up(c, units_[1], 4).error().code, ErrorCode::conflict) << "past the deadline";
  clock_.set(at("2026-11-01T10:00:00+08:00"));
  ASSERT_TRUE(service_->update_class(c, status_patch("closed"), staff()));
  EXPECT_EQ(sign_up(c, units_[1], 4).error().code, ErrorCode::conflict) << "closed";
}

TEST_P(TrainingServiceTest, MembersActOnlyForTheirOwnUnit) {
  const long long c = open_class(5);
  auto mine = sign_up(c, units_[0], 1);
  ASSERT_TRUE(mine.has_value());
  auto for_other = service_->enroll(c, {units_[1], "", {"某人", "", mobile(9), "", ""}, kConsent},
                                    member_of(units_[0]));
  ASSERT_FALSE(for_other.has_value());
  EXPECT_EQ(for_other.error().code, ErrorCode::permission_denied);
  EXPECT_EQ(service_->cancel(mine->id, member_of(units_[1])).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->get_enrollment(mine->id, member_of(units_[1])).error().code,
            ErrorCode::not_found);
  auto roster = service_->class_enrollments(c, member_of(units_[1]));
  ASSERT_TRUE(roster.has_value());
  EXPECT_TRUE(roster->empty()) << "another unit's people are not listed";
  auto outsider = service_->enroll(
      c, {std::nullopt, "长沙市发展和改革委员会", {"李四", "", mobile(8), "", ""}, kConsent},
      staff());
  ASSERT_TRUE(outsider.has_value()) << "staff sign up a non-member organisation";
  EXPECT_EQ(outsider->org_name, "长沙市发展和改革委员会");
  EXPECT_EQ(service_->class_enrollments(c, staff())->size(), 2u);
}

TEST_P(TrainingServiceTest, CapacityChangesPromoteOrAreRefused) {
  const long long c = open_class(2);
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(sign_up(c, units_[static_cast<std::size_t>(i % 3)], i));
  EXPECT_EQ(service_->update_class(c, status_patch("paused"), staff()).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(service_->update_class(c, status_patch("draft"), staff()).error().code,
            ErrorCode::conflict)
      << "an open class does not go back to draft";
  auto lower = service_->update_class(c, capacity_patch(1), staff());
  ASSERT_FALSE(lower.has_value());
  EXPECT_EQ(lower.error().code, ErrorCode::conflict);
  auto higher = service_->update_class(c, capacity_patch(4), staff());
  ASSERT_TRUE(higher.has_value());
  EXPECT_EQ(higher->confirmed, 4);
  EXPECT_EQ(higher->waitlisted, 1);
  auto roster = service_->class_enrollments(c, staff());
  ASSERT_TRUE(roster.has_value());
  EXPECT_EQ((*roster)[4].status, "waitlisted");
  EXPECT_EQ((*roster)[4].attendee.name, "学员5") << "promotion in sign-up order";
  EXPECT_EQ((*roster)[4].waitlist_position, 1);
}

TEST_P(TrainingServiceTest, ParallelSignUpsNeverOverbook) {
  const long long c = open_class(30);
  std::atomic<int> confirmed{0}, waitlisted{0}, other{0};
  std::vector<int> positions(100, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const int person = t * 10 + i;
        auto r = service_->enroll(c,
                                  {units_[static_cast<std::size_t>(person % 3)],
                                   "",
                                   {"学员" + std::to_string(person), "", mobile(person), "", ""},
                                   kConsent},
                                  staff());
        if (!r) {
          ++other;
        } else if (r->status == "confirmed") {
          ++confirmed;
        } else {
          ++waitlisted;
          positions[static_cast<std::size_t>(person)] = r->waitlist_position;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(confirmed.load(), 30);
  EXPECT_EQ(waitlisted.load(), 70);
  EXPECT_EQ(other.load(), 0);
  std::set<int> seen(positions.begin(), positions.end());
  seen.erase(0);
  EXPECT_EQ(seen.size(), 70u);
  EXPECT_EQ(*seen.begin(), 1);
  EXPECT_EQ(*seen.rbegin(), 70);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrollments WHERE status = 'confirmed'"), 30);
}

TEST_P(TrainingServiceTest, ParallelCancellationsPromoteExactlyAsManyAsCancelled) {
  const long long c = open_class(10);
  std::vector<long long> confirmed_ids;
  for (int i = 0; i < 25; ++i) {
    auto r =
        service_->enroll(c, {units_[0], "", {"学员", "", mobile(i), "", ""}, kConsent}, staff());
    ASSERT_TRUE(r.has_value());
    if (r->status == "confirmed") confirmed_ids.push_back(r->id);
  }
  ASSERT_EQ(confirmed_ids.size(), 10u);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      if (service_->cancel(confirmed_ids[static_cast<std::size_t>(i)], staff())) ++ok;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 6);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrollments WHERE status = 'confirmed'"), 10);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrollments WHERE promoted_at IS NOT NULL"), 6);
  // Exactly the six first on the waitlist (signed up 11th to 16th) were promoted.
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrollments WHERE promoted_at IS NOT NULL AND mobile IN "
                  "('13900000010','13900000011','13900000012','13900000013','13900000014',"
                  "'13900000015')"),
            6);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'enrollment.promote'"), 6);
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrollments WHERE status = 'waitlisted'"), 9);
  auto cls = service_->get_class(c, staff());
  EXPECT_EQ(cls->confirmed, 10);
  EXPECT_EQ(cls->waitlisted, 9);
}

TEST_P(TrainingServiceTest, QuotaHoldsUnderParallelRequestsFromOneUnit) {
  const long long c = open_class(100, 4);
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      auto r = sign_up(c, units_[0], 100 + i);
      if (r) {
        ++ok;
      } else if (r.error().code == ErrorCode::conflict) {
        ++refused;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(refused.load(), 8);
}

TEST_P(TrainingServiceTest, CheckInTokensBelongToTheirClassAndCertificatesFollowTheRule) {
  const long long c = open_class(5);
  const long long other = open_class(5);
  auto a = sign_up(c, units_[0], 1);
  auto b = sign_up(c, units_[0], 2);
  auto x = sign_up(other, units_[1], 3);
  ASSERT_TRUE(a && b && x);
  auto wrong = service_->check_in(c, std::nullopt, x->checkin_token, std::nullopt, staff());
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, ErrorCode::not_found) << "another class's token";
  EXPECT_EQ(
      service_->check_in(c, std::nullopt, "x'; DROP TABLE enrollments; --", std::nullopt, staff())
          .error()
          .code,
      ErrorCode::not_found);
  // Four half days; a attends all four, b one.
  for (const char* day : {"2026-12-07", "2026-12-08"}) {
    for (const char* half : {"am", "pm"}) {
      auto r = service_->check_in(c, std::nullopt, a->checkin_token,
                                  std::pair<std::string, std::string>{day, half}, staff());
      ASSERT_TRUE(r.has_value()) << r.error().message.en;
      EXPECT_TRUE(*r);
    }
  }
  EXPECT_FALSE(*service_->check_in(
      c, a->id, "", std::pair<std::string, std::string>{"2026-12-07", "am"}, staff()))
      << "the same half day twice is recorded once";
  EXPECT_EQ(
      service_
          ->check_in(c, b->id, "", std::pair<std::string, std::string>{"2026-12-09", "am"}, staff())
          .error()
          .code,
      ErrorCode::conflict)
      << "not a day of the class";
  ASSERT_TRUE(service_->check_in(c, b->id, "",
                                 std::pair<std::string, std::string>{"2026-12-07", "am"}, staff()));
  auto sheet = service_->attendance_sheet(c);
  ASSERT_TRUE(sheet.has_value());
  ASSERT_EQ(sheet->slots.size(), 4u);
  ASSERT_EQ(sheet->rows.size(), 2u);
  EXPECT_TRUE(sheet->rows[0].meets_rule);
  EXPECT_FALSE(sheet->rows[1].meets_rule);

  EXPECT_EQ(service_->issue_certificates(c, staff()).error().code, ErrorCode::conflict)
      << "not finished yet";
  ASSERT_TRUE(service_->update_class(c, status_patch("finished"), staff()));
  auto issued = service_->issue_certificates(c, staff());
  ASSERT_TRUE(issued.has_value());
  EXPECT_EQ(*issued, 1);
  EXPECT_EQ(*service_->issue_certificates(c, staff()), 0) << "once each";
  auto cert = service_->certificate(a->id, member_of(units_[0]));
  ASSERT_TRUE(cert.has_value());
  std::string digits = std::to_string(c);  // at least four: ids grow in a long-lived test database
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  EXPECT_EQ(cert->number, "PX2026" + digits + "-001");
  EXPECT_EQ(cert->starts_on, "2026-12-07");
  EXPECT_EQ(service_->certificate(b->id, staff()).error().code, ErrorCode::not_found);
  auto check = service_->verify_certificate(cert->code);
  ASSERT_TRUE(check.has_value());
  EXPECT_EQ(check->attendee_name, "学员1");
  EXPECT_EQ(service_->verify_certificate("nope").error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->verify_certificate(std::string(32, 'A')).error().code, ErrorCode::not_found)
      << "a well-formed but unknown code reaches the database and is not found";
  EXPECT_EQ(
      service_->check_in(c, std::nullopt, std::string(32, 'A'), std::nullopt, staff()).error().code,
      ErrorCode::not_found);
}

TEST_P(TrainingServiceTest, CheckInsOutsideTheDatesNeedAReasonAndCanBeUndone) {
  const long long c = open_class(5);
  auto a = sign_up(c, units_[0], 1);
  ASSERT_TRUE(a);
  using Slot = std::pair<std::string, std::string>;
  auto refused = service_->check_in(c, a->id, "", Slot{"2026-12-09", "am"}, staff());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "day");
  refused =
      service_->check_in(c, std::nullopt, a->checkin_token, Slot{"2026-12-06", "pm"}, staff());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::conflict) << "by QR token too";
  EXPECT_EQ(service_->check_in(c, a->id, "", Slot{"2026-12-09", "am"}, staff(), "").error().code,
            ErrorCode::invalid_argument)
      << "an empty reason";
  EXPECT_EQ(count("SELECT COUNT(*) FROM attendance"), 0);

  auto overridden = service_->check_in(c, std::nullopt, a->checkin_token, Slot{"2026-12-09", "am"},
                                       staff(), "暴雪顺延一天");
  ASSERT_TRUE(overridden) << overridden.error().message.en;
  EXPECT_TRUE(*overridden);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.check_in' AND "
                  "summary LIKE '2026-12-09 am; override: %'"),
            1)
      << "the reason is in the audit row";
  ASSERT_TRUE(service_->check_in(c, a->id, "", Slot{"2026-12-07", "pm"}, staff()));

  // Undo: the row goes, an audit row records it, a second undo finds nothing.
  ASSERT_TRUE(service_->undo_check_in(a->id, "2026-12-07", "pm", staff()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM attendance WHERE day = '2026-12-07'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM attendance"), 1) << "only that half day";
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'attendance.undo' AND "
                  "entity_id = '" +
                  std::to_string(a->id) + "' AND summary = '2026-12-07 pm'"),
            1);
  auto again = service_->undo_check_in(a->id, "2026-12-07", "pm", staff());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->undo_check_in(a->id, "2026-12-08", "am", staff()).error().code,
            ErrorCode::not_found)
      << "never checked in";
  EXPECT_EQ(service_->undo_check_in(a->id + 1000, "2026-12-09", "am", staff()).error().code,
            ErrorCode::not_found)
      << "no such enrolment";
  auto sheet = service_->attendance_sheet(c);
  ASSERT_TRUE(sheet);
  ASSERT_EQ(sheet->rows.size(), 1u);
  EXPECT_EQ(std::ranges::count(sheet->rows[0].present, true), 0);
  auto redo = service_->check_in(c, a->id, "", Slot{"2026-12-07", "pm"}, staff());
  ASSERT_TRUE(redo);
  EXPECT_TRUE(*redo) << "after an undo the half day can be checked in again";
}

TEST_P(TrainingServiceTest, APassShowsItsClassUntilThePlaceIsCancelled) {
  const long long c = open_class(1);
  auto a = sign_up(c, units_[0], 1);
  auto w = sign_up(c, units_[1], 2);
  ASSERT_TRUE(a && w);
  auto p = service_->pass(a->checkin_token);
  ASSERT_TRUE(p) << p.error().message.en;
  EXPECT_EQ(p->cls.id, c);
  EXPECT_EQ(p->cls.course_title, "园区招商引资专题培训");
  EXPECT_EQ(p->cls.venue, "长沙");
  EXPECT_EQ(p->enrollment.id, a->id);
  EXPECT_EQ(p->enrollment.attendee.name, "学员1");
  auto waiting = service_->pass(w->checkin_token);
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->enrollment.status, "waitlisted");
  for (const std::string& bad : {std::string("nope"), std::string(32, 'A'),
                                 std::string("x'; DROP TABLE enrollments; --"), std::string()}) {
    auto r = service_->pass(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::not_found);
  }
  ASSERT_TRUE(service_->cancel(a->id, member_of(units_[0])));
  auto cancelled = service_->pass(a->checkin_token);
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().code, ErrorCode::not_found) << "a cancelled place has no pass";
}

TEST_P(TrainingServiceTest, CancellingAClassReleasesPlacesAndChargesAndIsFinal) {
  const long long c = open_class(2);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(sign_up(c, units_[0], i));
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE status = 'open'"), 2);
  auto cancelled = service_->update_class(c, status_patch("cancelled"), staff());
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(cancelled->confirmed, 0);
  EXPECT_EQ(cancelled->waitlisted, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE status = 'open'"), 0) << "nothing owed";
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrollments WHERE status = 'cancelled'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'training.class_cancelled'"), 3);
  EXPECT_EQ(service_->update_class(c, capacity_patch(50), staff()).error().code,
            ErrorCode::conflict)
      << "a cancelled class is final: no promotion into it";
  EXPECT_EQ(count("SELECT COUNT(*) FROM enrollments WHERE status = 'confirmed'"), 0);
}

TEST_P(TrainingServiceTest, FreeClassesOweNothingAndInactiveUnitsCannotSignUp) {
  const long long c = open_class(5, std::nullopt, 0);
  ASSERT_TRUE(sign_up(c, units_[0], 1));
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges"), 0);
  ASSERT_TRUE(db_->with_transaction([&](soci::session& s) -> Status {
    membership::membership_repository::set_member_status(s, units_[1], "suspended", clock_.now());
    return {};
  }));
  EXPECT_EQ(sign_up(c, units_[1], 2).error().code, ErrorCode::conflict);
}

INSTANTIATE_TEST_SUITE_P(Backends, TrainingServiceTest,
                         ::testing::ValuesIn(testing::test_backends()), BackendName());

}  // namespace
}  // namespace xiehui::training
