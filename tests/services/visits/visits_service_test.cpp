// Applications, approvals, the waitlist, quotas, withdrawals with their charges, check-in,
// rooming, the report and matching on every backend, with the concurrency a popular visit sees.

#include "services/visits/visit_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "core/db/migrator.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "core/xlsx_reader.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/privacy/consent.hpp"
#include "services/visits/exchange_service.hpp"
#include "services/visits/visit_rules.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::visits {
namespace {

// The notice version a fresh database is at: what the forms accept.
constexpr long long kConsent = privacy::kFirstNoticeVersion;

using testing::BackendName;
using testing::TestDatabase;

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

Principal leader() {
  Principal p;
  p.username = "huizhang";
  p.roles = {Role::leader};
  return p;
}

std::string mobile(int i) {
  const std::string n = std::to_string(i);
  return "138" + std::string(8 - n.size(), '0') + n;
}

Delegate person(int i, const std::string& gender = "m") {
  Delegate d;
  d.name = "团员" + std::to_string(i);
  d.title = "副主任";
  d.gender = gender;
  d.mobile = mobile(i);
  return d;
}

Date day(const char* text) { return *parse_date(text); }

class VisitServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 12);
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    service_ = std::make_unique<VisitService>(*db_, clock_, data_dir_.path());
    exchange_ = std::make_unique<ExchangeService>(*db_, clock_, *service_);
    const char* names[] = {"长沙经开区", "株洲高新区", "湘潭经开区", "岳阳经开区"};
    for (int i = 0; i < 4; ++i) {
      auto id = db_->with_transaction([&](soci::session& s) -> Result<long long> {
        const std::string body = "91430100MA4L" + std::to_string(30000 + i);
        const membership::Organisation org{
            names[i], names[i], body + uscc_check_char(body), "development_zone", "provincial",
            "430100", ""};
        return membership::membership_repository::insert_member(s, org, "member", "2020-01-01",
                                                                "unit", clock_.now())
            .first;
      });
      ASSERT_TRUE(id.has_value());
      units_.push_back(*id);
    }
  }

  long long open_visit(int capacity, std::optional<int> quota = {}, long long cost = 380000) {
    Visit v;
    v.title = "赴苏州工业园区考察学习";
    v.destination = "江苏苏州";
    v.hosts = {{std::nullopt, "苏州工业园区管委会"}};
    v.starts_on = day("2026-10-12");
    v.ends_on = day("2026-10-15");
    v.capacity = capacity;
    v.per_member_quota = quota;
    v.cost_fen = cost;
    v.apply_deadline = *parse_instant("2026-10-01T23:59:59+08:00");
    v.withdraw_cutoff = day("2026-10-05");
    v.status = "open";
    v.itinerary = {{"2026-10-12", "pm", "苏州工业园区", "听取园区招商工作介绍", "", "大巴"}};
    auto r = service_->create_visit(v, staff());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message.en);
    return r ? r->id : 0;
  }

  Result<Application> apply(long long visit, long long unit, std::vector<Delegate> people) {
    return service_->apply(visit, unit, std::move(people), "", kConsent, member_of(unit));
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
  testing::TempDir data_dir_;
  ManualClock clock_{Timestamp{std::chrono::seconds{1'790'000'000}}};  // 2026-09-21
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<VisitService> service_;
  std::unique_ptr<ExchangeService> exchange_;
  std::vector<long long> units_;
};

TEST_P(VisitServiceTest, ApprovalsTakePlacesThenTheWaitlistWhichMovesUpOnWithdrawal) {
  const long long v = open_visit(2);
  auto a = apply(v, units_[0], {person(1), person(2), person(3, "f")});
  ASSERT_TRUE(a.has_value()) << a.error().message.en;
  ASSERT_EQ(a->delegates.size(), 3u);
  for (const auto& d : a->delegates) EXPECT_EQ(d.status, "pending");
  EXPECT_EQ(service_->get_visit(v, staff())->visit.pending, 3);

  auto first = service_->approve(a->delegates[0].id, staff());
  auto second = service_->approve(a->delegates[1].id, staff());
  auto third = service_->approve(a->delegates[2].id, staff());
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->status, "approved");
  EXPECT_EQ(second->status, "approved");
  EXPECT_EQ(third->status, "waitlisted");
  EXPECT_EQ(third->waitlist_position, 1);
  EXPECT_EQ(first->charge_status, "open");
  EXPECT_FALSE(third->charge_status.has_value());
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE source = 'visit' AND status = 'open' AND "
                  "amount_fen = 380000"),
            2);

  // Withdrawn before the cut-off: the charge is voided and the waiting delegate moves up.
  ASSERT_TRUE(service_->withdraw(first->id, member_of(units_[0])));
  auto moved = service_->get_delegate(third->id, staff());
  EXPECT_EQ(moved->status, "approved");
  EXPECT_TRUE(moved->promoted_at.has_value());
  EXPECT_EQ(moved->charge_status, "open");
  EXPECT_EQ(service_->get_delegate(first->id, staff())->charge_status, "void");
  const auto visit = service_->get_visit(v, staff())->visit;
  EXPECT_EQ(visit.approved, 2);
  EXPECT_EQ(visit.waitlisted, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'visit.promoted'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'visit.promoted' AND message_en "
                  "LIKE '%moved up from the waitlist%' AND link = '/visits/" +
                  std::to_string(v) + "'"),
            1)
      << "in English too, with a link to the visit";
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'visit.approved'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'visit.waitlisted'"), 1);
  // Deciding again is a conflict; so is withdrawing twice.
  EXPECT_EQ(service_->approve(second->id, staff()).error().code, ErrorCode::conflict);
  EXPECT_EQ(service_->withdraw(first->id, staff()).error().code, ErrorCode::conflict);
}

TEST_P(VisitServiceTest, AWithdrawalAfterTheCutOffLeavesTheChargeOwed) {
  const long long v = open_visit(5);
  auto a = apply(v, units_[1], {person(1)});
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(service_->approve(a->delegates[0].id, staff()));
  clock_.set(*parse_instant("2026-10-08T10:00:00+08:00"));
  ASSERT_TRUE(service_->withdraw(a->delegates[0].id, member_of(units_[1])));
  auto d = service_->get_delegate(a->delegates[0].id, staff());
  EXPECT_EQ(d->status, "withdrawn");
  EXPECT_EQ(d->charge_status, "open");
}

TEST_P(VisitServiceTest, RejectionsNeedAReasonAndAnApprovedOneFreesItsPlace) {
  const long long v = open_visit(1);
  auto a = apply(v, units_[0], {person(1), person(2)});
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(service_->approve(a->delegates[0].id, staff()));
  ASSERT_EQ(service_->approve(a->delegates[1].id, staff())->status, "waitlisted");
  EXPECT_EQ(service_->reject(a->delegates[0].id, "", staff()).error().code,
            ErrorCode::invalid_argument);
  auto r = service_->reject(a->delegates[0].id, "职务不符合要求", staff());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, "rejected");
  EXPECT_EQ(r->reason, "职务不符合要求");
  EXPECT_EQ(r->charge_status, "void");
  EXPECT_EQ(service_->get_delegate(a->delegates[1].id, staff())->status, "approved");
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'visit.rejected'"), 1);
}

TEST_P(VisitServiceTest, ApplicationsAreRefusedWithReasons) {
  const long long v = open_visit(10, 2);
  // A member applies for its own unit only.
  EXPECT_EQ(
      service_->apply(v, units_[1], {person(1)}, "", kConsent, member_of(units_[0])).error().code,
      ErrorCode::permission_denied);
  // Bad fields are named.
  Delegate bad = person(2);
  bad.mobile = "12345";
  bad.gender = "x";
  auto e = apply(v, units_[0], {bad});
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code, ErrorCode::invalid_argument);
  std::set<std::string> fields;
  for (const auto& f : e.error().fields) fields.insert(f.field);
  EXPECT_TRUE(fields.contains("delegates[0].mobile"));
  EXPECT_TRUE(fields.contains("delegates[0].gender"));
  // The same mobile twice in one application, and again in a later one.
  auto twice = apply(v, units_[0], {person(3), person(3)});
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().fields.at(0).field, "delegates[1].mobile");
  ASSERT_TRUE(apply(v, units_[0], {person(4)}));
  auto again = apply(v, units_[1], {person(4)});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_EQ(again.error().fields.at(0).field, "delegates[0].mobile");
  // Over the quota of 2 (pending places count).
  auto over = apply(v, units_[0], {person(5), person(6)});
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code, ErrorCode::conflict);
  // Past the deadline, and a closed visit.
  clock_.set(*parse_instant("2026-10-02T08:00:00+08:00"));
  EXPECT_EQ(apply(v, units_[2], {person(7)}).error().code, ErrorCode::conflict);
  clock_.set(Timestamp{std::chrono::seconds{1'790'000'000}});
  VisitPatch close;
  close.status = "closed";
  ASSERT_TRUE(service_->update_visit(v, close, staff()));
  EXPECT_EQ(apply(v, units_[2], {person(8)}).error().code, ErrorCode::conflict);
  // Nothing half-written: one application with one delegate exists.
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_applications"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_delegates"), 1);
}

TEST_P(VisitServiceTest, HundredParallelApprovalsForThirtyPlacesApproveExactlyThirty) {
  const long long v = open_visit(30);
  std::vector<long long> ids;
  for (int app = 0; app < 4; ++app) {
    std::vector<Delegate> people;
    for (int i = 0; i < 25; ++i) people.push_back(person(app * 25 + i, i % 2 ? "f" : "m"));
    auto a = apply(v, units_[static_cast<std::size_t>(app)], people);
    ASSERT_TRUE(a.has_value()) << a.error().message.en;
    for (const auto& d : a->delegates) ids.push_back(d.id);
  }
  std::atomic<int> approved{0}, waiting{0}, failed{0};
  std::vector<int> positions(ids.size(), 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const auto k = static_cast<std::size_t>(t * 10 + i);
        auto r = service_->approve(ids[k], staff());
        if (!r) {
          ++failed;
        } else if (r->status == "approved") {
          ++approved;
        } else {
          ++waiting;
          positions[k] = r->waitlist_position;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(approved.load(), 30);
  EXPECT_EQ(waiting.load(), 70);
  EXPECT_EQ(failed.load(), 0);
  std::set<int> seen(positions.begin(), positions.end());
  seen.erase(0);
  EXPECT_EQ(seen.size(), 70u);  // every waiting delegate has its own place in the queue
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_delegates WHERE status = 'approved'"), 30);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE source = 'visit' AND status = 'open'"), 30);
  const auto visit = service_->get_visit(v, staff())->visit;
  EXPECT_EQ(visit.approved, 30);
  EXPECT_EQ(visit.waitlisted, 70);

  // Ten parallel withdrawals move exactly the first ten waiting delegates up, in order.
  auto approved_list = service_->delegates(v, "approved", staff());
  auto waiting_list = service_->delegates(v, "waitlisted", staff());
  ASSERT_EQ(approved_list->size(), 30u);
  ASSERT_EQ(waiting_list->size(), 70u);
  std::vector<std::thread> leavers;
  for (int i = 0; i < 10; ++i) {
    leavers.emplace_back([&, i] {
      EXPECT_TRUE(service_->withdraw((*approved_list)[static_cast<std::size_t>(i)].id, staff()));
    });
  }
  for (auto& th : leavers) th.join();
  for (std::size_t i = 0; i < 70; ++i) {
    auto d = service_->get_delegate((*waiting_list)[i].id, staff());
    EXPECT_EQ(d->status, i < 10 ? "approved" : "waitlisted") << i;
    if (i >= 10) {
      EXPECT_EQ(d->waitlist_position, static_cast<int>(i) - 9);
    }
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_delegates WHERE status = 'approved'"), 30);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE source = 'visit' AND status = 'open'"), 30);
}

TEST_P(VisitServiceTest, QuotaHoldsUnderParallelApplicationsFromOneUnit) {
  const long long v = open_visit(50, 3);
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      auto r = apply(v, units_[0], {person(100 + i)});
      if (r) {
        ++ok;
      } else if (r.error().code == ErrorCode::conflict) {
        ++refused;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(refused.load(), 9);
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_delegates"), 3);
}

TEST_P(VisitServiceTest, ALoweredQuotaHoldsBackTheWaitlistOfThatUnit) {
  const long long v = open_visit(2, 3);
  auto a = apply(v, units_[0], {person(1), person(2), person(3)});
  auto b = apply(v, units_[1], {person(4)});
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(service_->approve_application(a->id, staff()));  // 2 approved, 1 waiting
  ASSERT_EQ(service_->approve(b->delegates[0].id, staff())->waitlist_position, 2);
  VisitPatch quota;
  quota.per_member_quota = std::optional<int>(1);
  EXPECT_EQ(service_->update_visit(v, quota, staff()).error().code, ErrorCode::conflict);
  quota.per_member_quota = std::optional<int>(2);
  ASSERT_TRUE(service_->update_visit(v, quota, staff()));
  VisitPatch bigger;
  bigger.capacity = 3;
  ASSERT_TRUE(service_->update_visit(v, bigger, staff()));
  // Unit 0 is at its quota of 2: its waiting delegate stays; unit 1's moves up past it.
  EXPECT_EQ(service_->get_delegate(a->delegates[2].id, staff())->status, "waitlisted");
  EXPECT_EQ(service_->get_delegate(b->delegates[0].id, staff())->status, "approved");
  VisitPatch smaller;
  smaller.capacity = 2;
  EXPECT_EQ(service_->update_visit(v, smaller, staff()).error().code, ErrorCode::conflict);
  // A free place is not kept empty behind the held-back waiter: unit 2's new delegate takes it.
  VisitPatch four;
  four.capacity = 4;
  ASSERT_TRUE(service_->update_visit(v, four, staff()));
  auto c = apply(v, units_[2], {person(5)});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(service_->approve(c->delegates[0].id, staff())->status, "approved");
  EXPECT_EQ(service_->get_delegate(a->delegates[2].id, staff())->status, "waitlisted");
  EXPECT_EQ(service_->get_visit(v, staff())->visit.approved, 4);
}

TEST_P(VisitServiceTest, TheChargeIsTheCostWhenThePlaceIsGiven) {
  const long long v = open_visit(5);
  auto a = apply(v, units_[0], {person(1)});
  ASSERT_TRUE(a.has_value());
  VisitPatch dearer;
  dearer.cost_fen = 420000;
  ASSERT_TRUE(service_->update_visit(v, dearer, staff()));
  auto d = service_->approve(a->delegates[0].id, staff());
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->fee_fen, 420000);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE source = 'visit' AND amount_fen = 420000"),
            1);
}

TEST_P(VisitServiceTest, CancellingVoidsTheChargesOfLateWithdrawalsToo) {
  const long long v = open_visit(5);
  auto a = apply(v, units_[0], {person(1)});
  ASSERT_TRUE(service_->approve(a->delegates[0].id, staff()));
  clock_.set(*parse_instant("2026-10-08T10:00:00+08:00"));
  ASSERT_TRUE(service_->withdraw(a->delegates[0].id, member_of(units_[0])));
  EXPECT_EQ(service_->get_delegate(a->delegates[0].id, staff())->charge_status, "open");
  VisitPatch cancel;
  cancel.status = "cancelled";
  ASSERT_TRUE(service_->update_visit(v, cancel, staff()));
  EXPECT_EQ(service_->get_delegate(a->delegates[0].id, staff())->charge_status, "void");
}

TEST_P(VisitServiceTest, MovingAVisitMovesTheDefaultCutOff) {
  Visit v;
  v.title = "赴广州考察";
  v.destination = "广州";
  v.hosts = {{std::nullopt, "广州开发区"}};
  v.starts_on = day("2026-11-20");
  v.ends_on = day("2026-11-21");
  v.capacity = 10;
  v.apply_deadline = *parse_instant("2026-11-01T18:00:00+08:00");
  v.withdraw_cutoff = default_withdraw_cutoff(v.starts_on);
  auto made = service_->create_visit(v, staff());
  ASSERT_TRUE(made.has_value());
  VisitPatch earlier;
  earlier.starts_on = day("2026-11-05");
  earlier.ends_on = day("2026-11-06");
  auto moved = service_->update_visit(made->id, earlier, staff());
  ASSERT_TRUE(moved.has_value()) << moved.error().message.en;
  EXPECT_EQ(format_date(moved->withdraw_cutoff), "2026-10-29");
}

TEST_P(VisitServiceTest, MembersSeeOnlyTheirOwnDelegatesAndNoOtherMobiles) {
  const long long v = open_visit(10);
  auto mine = apply(v, units_[0], {person(1)});
  auto theirs = apply(v, units_[1], {person(2)});
  ASSERT_TRUE(mine && theirs);
  EXPECT_EQ(service_->get_delegate(theirs->delegates[0].id, member_of(units_[0])).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(service_->get_application(theirs->id, member_of(units_[0])).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(service_->withdraw(theirs->delegates[0].id, member_of(units_[0])).error().code,
            ErrorCode::not_found);
  auto list = service_->delegates(v, "", member_of(units_[0]));
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().mobile, mobile(1));
  EXPECT_EQ(service_->applications(v, member_of(units_[0]))->size(), 1u);
  auto file = service_->delegation_xlsx(v, member_of(units_[0]), {.mobile = true});
  ASSERT_TRUE(file.has_value());
  auto table = read_xlsx(*file, SheetLimits{});
  ASSERT_TRUE(table.has_value());
  ASSERT_EQ(table->headers.at(7), "手机");
  for (const auto& row : table->rows) EXPECT_NE(row.cells.at(7), mobile(2)) << "another unit's";
  // An account of no unit that is neither staff nor leader (an admin, an applicant): nobody,
  // though the other unit's delegate is approved (on the list) now.
  ASSERT_TRUE(service_->approve_application(theirs->id, staff()).has_value());
  auto full = service_->delegation_xlsx(v, staff(), {.mobile = true});
  ASSERT_FALSE(read_xlsx(*full, SheetLimits{})->rows.empty());
  Principal outsider;
  outsider.user_id = 99;
  outsider.username = "outsider";
  outsider.roles = {Role::admin};
  auto none = service_->delegation_xlsx(v, outsider, {.mobile = true});
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(read_xlsx(*none, SheetLimits{})->rows.empty());
  EXPECT_EQ(service_->rooming(v, member_of(units_[0])).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->attendance(v, member_of(units_[0])).error().code, ErrorCode::not_found);
  // Leaders read everything, the mobiles masked.
  auto seen = service_->delegates(v, "", leader());
  ASSERT_EQ(seen->size(), 2u);
  for (const auto& d : *seen) EXPECT_EQ(d.mobile.find("****"), 3u) << d.mobile;
}

TEST_P(VisitServiceTest, CancellingReleasesEveryPlaceVoidsChargesAndIsFinal) {
  const long long v = open_visit(1);
  auto a = apply(v, units_[0], {person(1), person(2)});
  ASSERT_TRUE(service_->approve_application(a->id, staff()));
  VisitPatch cancel;
  cancel.status = "cancelled";
  ASSERT_TRUE(service_->update_visit(v, cancel, staff()));
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_delegates WHERE status = 'withdrawn'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE source = 'visit' AND status = 'open'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'visit.cancelled'"), 2);
  VisitPatch reopen;
  reopen.status = "open";
  EXPECT_EQ(service_->update_visit(v, reopen, staff()).error().code, ErrorCode::conflict);
}

TEST_P(VisitServiceTest, ItineraryDatesMustFallWithinTheVisit) {
  Visit v;
  v.title = "赴深圳考察";
  v.destination = "深圳";
  v.hosts = {{units_[2], ""}};
  v.starts_on = day("2026-11-02");
  v.ends_on = day("2026-11-04");
  v.capacity = 20;
  v.apply_deadline = *parse_instant("2026-10-20T18:00:00+08:00");
  v.withdraw_cutoff = day("2026-10-26");
  v.itinerary = {{"2026-11-03", "am", "前海", "参观", "", ""},
                 {"2026-11-05", "", "机场", "返程", "", ""}};
  auto r = service_->create_visit(v, staff());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().fields.at(0).field, "itinerary[1].date");
  v.itinerary.pop_back();
  auto ok = service_->create_visit(v, staff());
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->hosts.at(0).name, "湘潭经开区");  // a member host carries the unit's name
  EXPECT_EQ(ok->status, "draft");
  // Drafts are staff's only.
  EXPECT_EQ(service_->get_visit(ok->id, member_of(units_[0])).error().code, ErrorCode::not_found);
}

TEST_P(VisitServiceTest, CheckInsFollowTrainingRulesForApprovedDelegatesOnly) {
  const long long v = open_visit(1);
  const long long other = open_visit(1);
  auto a = apply(v, units_[0], {person(1), person(2)});
  ASSERT_TRUE(service_->approve_application(a->id, staff()));
  const auto in = *service_->get_delegate(a->delegates[0].id, staff());
  const auto waiting = *service_->get_delegate(a->delegates[1].id, staff());
  auto token = service_->pass_of(in.id, member_of(units_[0]))->checkin_token;
  EXPECT_EQ(service_
                ->check_in(other, std::nullopt, token, places::Slot{"2026-10-12", "am"},
                           std::nullopt, staff())
                .error()
                .code,
            ErrorCode::not_found);
  EXPECT_EQ(
      service_->check_in(v, waiting.id, "", places::Slot{"2026-10-12", "am"}, std::nullopt, staff())
          .error()
          .code,
      ErrorCode::conflict);
  auto outside = service_->check_in(v, std::nullopt, token, places::Slot{"2026-10-20", "am"},
                                    std::nullopt, staff());
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().fields.at(0).field, "day");
  EXPECT_EQ(*service_->check_in(v, std::nullopt, token, places::Slot{"2026-10-12", "am"},
                                std::nullopt, staff()),
            true);
  EXPECT_EQ(*service_->check_in(v, std::nullopt, token, places::Slot{"2026-10-12", "am"},
                                std::nullopt, staff()),
            false);
  EXPECT_EQ(*service_->check_in(v, in.id, "", places::Slot{"2026-10-20", "pm"},
                                std::string("提前抵达座谈"), staff()),
            true);
  auto sheet = service_->attendance(v, staff());
  ASSERT_EQ(sheet->slots.size(), 8u);
  ASSERT_EQ(sheet->rows.size(), 1u);
  EXPECT_EQ(sheet->rows[0].attended, 1);  // the override day is outside the sheet's slots
  ASSERT_TRUE(service_->undo_check_in(in.id, {"2026-10-12", "am"}, staff()));
  EXPECT_EQ(service_->undo_check_in(in.id, {"2026-10-12", "am"}, staff()).error().code,
            ErrorCode::not_found);
  // The public pass names the visit; a withdrawn delegate's pass dies.
  EXPECT_EQ(service_->public_pass(token)->visit.id, v);
  EXPECT_EQ(service_->public_pass("not a token").error().code, ErrorCode::not_found);
}

TEST_P(VisitServiceTest, RoomingPairsByGenderAndStaffMaySwapWithinTheRules) {
  const long long v = open_visit(10);
  auto a = apply(v, units_[0], {person(1), person(2, "f"), person(3)});
  auto b = apply(v, units_[1], {person(4), person(5, "f")});
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(service_->approve_application(a->id, staff()));
  ASSERT_TRUE(service_->approve_application(b->id, staff()));
  auto auto_rooms = service_->rooming(v, staff());
  ASSERT_TRUE(auto_rooms.has_value());
  EXPECT_FALSE(auto_rooms->saved);
  ASSERT_EQ(auto_rooms->rooms.size(), 3u);  // men 1+3, man 4 alone, women 2+5
  for (const auto& room : auto_rooms->rooms) {
    for (const auto& d : room.delegates) EXPECT_EQ(d.gender, room.gender);
  }
  const long long m1 = a->delegates[0].id, f2 = a->delegates[1].id, m3 = a->delegates[2].id,
                  m4 = b->delegates[0].id;
  auto mixed = service_->save_rooming(v, {{{m1, f2}}}, staff());
  ASSERT_FALSE(mixed.has_value());
  EXPECT_EQ(mixed.error().fields.at(0).field, "rooms[0]");
  auto swapped = service_->save_rooming(v, {{{m1, m4}}, {{m3}}}, staff());
  ASSERT_TRUE(swapped.has_value()) << swapped.error().message.en;
  EXPECT_TRUE(swapped->saved);
  // The saved rooms first, then the rest paired automatically (the two women).
  ASSERT_EQ(swapped->rooms.size(), 3u);
  EXPECT_EQ(swapped->rooms[0].delegates.size(), 2u);
  EXPECT_EQ(swapped->rooms[2].gender, "f");
  ASSERT_TRUE(service_->reset_rooming(v, staff()));
  EXPECT_FALSE(service_->rooming(v, staff())->saved);
}

TEST_P(VisitServiceTest, TheReportIsReadByMembersOncePublished) {
  const long long v = open_visit(10);
  EXPECT_EQ(service_->save_report(v, "", true, staff()).error().code, ErrorCode::invalid_argument);
  ASSERT_TRUE(service_->save_report(v, "考察报告草稿", false, staff()));
  EXPECT_EQ(service_->report(v, member_of(units_[0]))->text, "");
  auto file =
      service_->upload_report_file(v, "现场.png", std::string("\x89PNG\r\n\x1A\nxx", 10), staff());
  ASSERT_TRUE(file.has_value()) << file.error().message.en;
  EXPECT_EQ(service_->upload_report_file(v, "假图.png", "<script>", staff()).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(service_->report_file(v, file->id, member_of(units_[0])).error().code,
            ErrorCode::not_found);
  ASSERT_TRUE(service_->save_report(v, "一、基本情况……", false, staff()));
  // Publishing alone keeps the text.
  ASSERT_TRUE(service_->save_report(v, std::nullopt, true, staff()));
  auto read = service_->report(v, member_of(units_[0]));
  EXPECT_EQ(read->text, "一、基本情况……");
  EXPECT_TRUE(read->published_at.has_value());
  ASSERT_EQ(read->files.size(), 1u);
  auto content = service_->report_file(v, file->id, member_of(units_[0]));
  ASSERT_TRUE(content.has_value());
  EXPECT_EQ(content->content.size(), 10u);
}

TEST_P(VisitServiceTest, ParticipationCountsApprovedDelegatesOfConfirmedVisits) {
  const long long v = open_visit(10);
  auto a = apply(v, units_[0], {person(1), person(2)});
  ASSERT_TRUE(service_->approve_application(a->id, staff()));
  EXPECT_TRUE(service_->participation(2026, staff())->empty());  // still open
  VisitPatch confirm;
  confirm.status = "confirmed";
  ASSERT_TRUE(service_->update_visit(v, confirm, staff()));
  auto list = service_->participation(2026, staff());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().delegates, 2);
  EXPECT_EQ(list->front().visits, 1);
  EXPECT_TRUE(service_->participation(2026, member_of(units_[1]))->empty());
}

TEST_P(VisitServiceTest, MatchesRankOffersByTopicsAndTimeAndBecomeDraftVisits) {
  for (const char* t : {"新能源汽车", "电子信息", "生物医药", "跨境电商"}) {
    ASSERT_TRUE(exchange_->add_topic(t, staff()));
  }
  EXPECT_EQ(exchange_->add_topic("电子信息", staff()).error().code, ErrorCode::already_exists);
  HostOffer near;
  near.member_id = units_[1];
  near.topics = {"新能源汽车", "电子信息"};
  near.available = {{day("2027-03-01"), day("2027-03-31")}};
  near.group_size = 30;
  HostOffer far = near;
  far.member_id = units_[2];
  far.topics = {"新能源汽车", "生物医药"};
  far.available = {{day("2027-06-01"), day("2027-06-30")}};
  ASSERT_TRUE(exchange_->create_offer(near, member_of(units_[1])));
  auto far_saved = exchange_->create_offer(far, member_of(units_[2]));
  ASSERT_TRUE(far_saved.has_value());
  // Someone else's unit, an unknown topic.
  EXPECT_EQ(exchange_->create_offer(near, member_of(units_[0])).error().code,
            ErrorCode::permission_denied);
  HostOffer unknown = near;
  unknown.topics = {"元宇宙"};
  EXPECT_EQ(exchange_->create_offer(unknown, member_of(units_[1])).error().code,
            ErrorCode::invalid_argument);

  Interest want;
  want.member_id = units_[0];
  want.topics = {"新能源汽车", "电子信息"};
  want.preferred = {{day("2027-03-20"), day("2027-04-10")}};
  want.group_size = 20;
  auto saved = exchange_->create_interest(want, member_of(units_[0]));
  ASSERT_TRUE(saved.has_value());
  auto matches = exchange_->matches_for_unit(units_[0], member_of(units_[0]));
  ASSERT_TRUE(matches.has_value());
  ASSERT_EQ(matches->size(), 2u);
  EXPECT_EQ(matches->at(0).match.host_member_id, units_[1]);
  EXPECT_EQ(matches->at(0).match.reason,
            "共同主题：新能源汽车、电子信息；时间重叠 12 天；可接待 30 人");
  EXPECT_GT(matches->at(0).match.score, matches->at(1).match.score);
  EXPECT_EQ(exchange_->matches_for_unit(units_[0], member_of(units_[1])).error().code,
            ErrorCode::not_found);
  // A patch changes what it names and keeps the rest.
  OfferPatch pause;
  pause.active = false;
  auto paused = exchange_->update_offer(far_saved->id, pause, member_of(units_[2]));
  ASSERT_TRUE(paused.has_value());
  EXPECT_FALSE(paused->active);
  EXPECT_EQ(paused->topics, far.topics);
  EXPECT_EQ(paused->group_size, 30);
  EXPECT_EQ(exchange_->update_offer(far_saved->id, pause, member_of(units_[0])).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(exchange_->matches_for_unit(units_[0], member_of(units_[0]))->size(), 1u);
  pause.active = true;
  ASSERT_TRUE(exchange_->update_offer(far_saved->id, pause, staff()));
  auto interested = exchange_->matches_for_offer(far_saved->id, member_of(units_[2]));
  ASSERT_EQ(interested->size(), 1u);
  EXPECT_EQ(interested->front().guest_name, "长沙经开区");

  auto draft = exchange_->visit_from_match(matches->at(0).match.offer_id, saved->id, staff());
  ASSERT_TRUE(draft.has_value()) << draft.error().message.en;
  EXPECT_EQ(draft->status, "draft");
  EXPECT_EQ(draft->title, "赴株洲高新区考察交流");
  EXPECT_EQ(draft->theme, "新能源汽车、电子信息");
  EXPECT_EQ(format_date(draft->starts_on), "2027-03-20");
  EXPECT_EQ(format_date(draft->ends_on), "2027-03-22");
  EXPECT_EQ(draft->capacity, 30);
  EXPECT_EQ(draft->hosts.at(0).member_id, units_[1]);
  EXPECT_EQ(draft->offer_id, matches->at(0).match.offer_id);
}

INSTANTIATE_TEST_SUITE_P(Backends, VisitServiceTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::visits
