// Schedules and their decisions, bill runs, reductions, payments with gapless receipts,
// idempotency keys, who sees what, arrears, reminders, lapse and 开票信息 on every backend, with
// the concurrency a treasurer's busiest day brings.

#include "services/dues/dues_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>

#include "core/db/migrator.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/dues/fee_service.hpp"
#include "services/dues/payment_service.hpp"
#include "services/membership/membership_repository.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::dues {
namespace {

using testing::BackendName;
using testing::TestDatabase;

namespace dr = dues_repository;
namespace mr = membership::membership_repository;

Timestamp at(const char* iso) { return *parse_instant(iso); }

Principal staff() {
  Principal p;
  p.username = "caiwu";
  p.roles = {Role::staff};
  return p;
}

Principal leader() {
  Principal p;
  p.username = "huizhang";
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

/// Passes the default thresholds with nothing to spare: 20 of 30 present, 10 of 20 in favour.
Decision decision(const std::string& meeting = "第三届第二次会员大会",
                  const std::string& held_on = "2025-12-20") {
  Decision d;
  d.meeting_name = meeting;
  d.held_on = held_on;
  d.entitled = 30;
  d.present = 20;
  d.votes_for = 10;
  d.votes_against = 6;
  d.abstentions = 4;
  d.secret_ballot = true;
  return d;
}

ScheduleInput schedule_input(int year, long long member_fen = 200000, Decision d = decision()) {
  ScheduleInput in;
  in.tiers = {{"member", member_fen},
              {"council", 500000},
              {"standing_council", 800000},
              {"vice_president", 1000000},
              {"president", 1500000}};
  in.effective_on = std::to_string(year) + "-01-01";
  in.decision = std::move(d);
  return in;
}

bool names(const Error& e, std::string_view field) {
  return std::ranges::any_of(e.fields, [&](const FieldError& f) { return f.field == field; });
}

std::optional<long long> figure(const Error& e, std::string_view name) {
  for (const auto& f : e.figures) {
    if (f.name == name) return f.value;
  }
  return std::nullopt;
}

/// "ok", or the error's code ("conflict"): a failed expectation prints which.
template <class T>
std::string code_of(const Result<T>& r) {
  return r ? "ok" : std::string(to_string(r.error().code));
}

std::string field_list(const Error& e) {
  std::string out;
  for (const auto& f : e.fields) out += f.field + " ";
  return out + "(" + e.message.en + ")";
}

class DuesServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // 16 sessions: the parallel tests keep that many transactions waiting on one lock at once.
    auto db = db::Database::open(test_db_.connection_string(), 16);
    ASSERT_TRUE(db.has_value()) << db.error().message.en;
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    dues_ = std::make_unique<DuesService>(*db_, clock_);
    payments_ = std::make_unique<PaymentService>(*db_, clock_);
    fees_ = std::make_unique<FeeService>(*db_, clock_);
  }

  static std::string uscc(int n) {
    const std::string digits = std::to_string(10000 + n);
    const std::string body = "91430100MA4L" + digits.substr(digits.size() - 5);
    return body + uscc_check_char(body);
  }

  long long add_unit(const std::string& name, const std::string& joined_on = "2020-01-01",
                     const std::string& status = "active", const std::string& tier = "member") {
    const int n = next_unit_++;
    auto created = db_->with_transaction([&](soci::session& s) -> Result<long long> {
      const membership::Organisation org{name,         name,     uscc(n),        "development_zone",
                                         "provincial", "430100", "长沙市某路1号"};
      const long long id =
          mr::insert_member(s, org, tier, joined_on, "dan wei " + std::to_string(n), clock_.now())
              .first;
      if (status != "active") mr::set_member_status(s, id, status, clock_.now());
      return id;
    });
    EXPECT_TRUE(created.has_value());
    return created.value_or(0);
  }

  /// Sets the year's schedule (member tier at `member_fen`) and publishes it.
  bool publish_year(int year, long long member_fen = 200000) {
    auto set = dues_->set_schedule(year, schedule_input(year, member_fen), staff());
    EXPECT_TRUE(set.has_value()) << (set ? "" : field_list(set.error()));
    auto published = dues_->publish_schedule(year, staff());
    EXPECT_TRUE(published.has_value()) << (published ? "" : published.error().message.en);
    return set && published;
  }

  bool bill(int year) {
    auto r = dues_->bill_run(year, false, staff());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message.en);
    return r.has_value();
  }

  std::optional<Invoice> invoice_for(long long member, int year) {
    auto r = db_->with_session([&](soci::session& s) -> Result<std::optional<Invoice>> {
      return dr::find_invoice_for(s, member, year, false);
    });
    return r ? *r : std::nullopt;
  }

  Invoice invoice(long long member, int year) {
    auto inv = invoice_for(member, year);
    if (!inv) ADD_FAILURE() << "no invoice of " << member << " for " << year;
    return inv.value_or(Invoice{});
  }

  long long invoice_id(long long member, int year) {
    const auto inv = invoice_for(member, year);
    EXPECT_TRUE(inv.has_value()) << "no invoice of " << member << " for " << year;
    return inv ? inv->id : 0;
  }

  std::string today() const { return format_date(shanghai_date(clock_.now())); }

  Payment payment(long long fen) const {
    Payment p;
    p.amount_fen = fen;
    p.paid_on = today();
    p.method = "bank_transfer";
    p.reference = "网银转账";
    return p;
  }

  Result<PaymentResult> pay(long long invoice, long long fen) {
    return payments_->record(invoice, payment(fen), staff());
  }

  std::string member_status(long long id) {
    auto m = db_->with_session([&](soci::session& s) -> Result<std::optional<membership::Member>> {
      return mr::find_member(s, id);
    });
    return m && *m ? (*m)->status : "";
  }

  long long count(const std::string& sql) {
    auto n = db_->with_session(
        [&](soci::session& s) -> Result<long long> { return db::scalar(s, sql); });
    return n.value_or(-1);
  }

  std::vector<long long> column(const std::string& sql) {
    auto r = db_->with_session([&](soci::session& s) -> Result<std::vector<long long>> {
      std::vector<long long> out;
      soci::rowset<soci::row> rows = s.prepare << sql;
      for (const soci::row& row : rows) out.push_back(db::get_int64(row, 0));
      return out;
    });
    return r.value_or(std::vector<long long>{});
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  ManualClock clock_{at("2026-03-15T10:00:00+08:00")};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<DuesService> dues_;
  std::unique_ptr<PaymentService> payments_;
  std::unique_ptr<FeeService> fees_;
  int next_unit_ = 0;
};

// ---- schedules ----

TEST_P(DuesServiceTest, ADecisionBelowTheCharterThresholdsIsRefusedNamingDecision) {
  auto in = schedule_input(2026);
  in.decision.present = 19;  // 2/3 of 30 is 20
  in.decision.votes_for = 10;
  in.decision.votes_against = 5;
  auto r = dues_->set_schedule(2026, in, staff());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(code_of(r), "invalid_argument");
  EXPECT_TRUE(names(r.error(), "decision")) << field_list(r.error());

  in = schedule_input(2026);
  in.decision.votes_for = 9;  // 1/2 of 20 is 10
  in.decision.votes_against = 7;
  r = dues_->set_schedule(2026, in, staff());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(code_of(r), "invalid_argument");
  EXPECT_TRUE(names(r.error(), "decision")) << field_list(r.error());

  in = schedule_input(2026);
  in.decision.secret_ballot = false;
  r = dues_->set_schedule(2026, in, staff());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(code_of(r), "invalid_argument");
  EXPECT_TRUE(names(r.error(), "decision")) << "a show of hands does not adopt dues";

  in = schedule_input(2026);
  in.tiers.erase("member");
  r = dues_->set_schedule(2026, in, staff());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(code_of(r), "invalid_argument");
  EXPECT_TRUE(names(r.error(), "tiers.member")) << field_list(r.error());
  EXPECT_FALSE(names(r.error(), "decision")) << "the decision itself was fine";

  in = schedule_input(2026);
  in.effective_on = "2024-06-01";
  r = dues_->set_schedule(2026, in, staff());
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(names(r.error(), "effective_on"));

  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_schedules"), 0) << "nothing refused was written";
  EXPECT_EQ(code_of(dues_->schedule(2026, staff())), "not_found");

  // Exactly at the thresholds: 20 of 30 present, 10 of 20 for.
  auto ok = dues_->set_schedule(2026, schedule_input(2026), staff());
  ASSERT_TRUE(ok.has_value()) << field_list(ok.error());
  EXPECT_EQ(ok->current.version, 1);
  EXPECT_EQ(ok->current.tiers.at("member"), 200000);
  EXPECT_EQ(ok->current.decision.present, 20);
  EXPECT_EQ(ok->current.decision.votes_for, 10);
  EXPECT_TRUE(ok->current.decision.secret_ballot);
  EXPECT_FALSE(ok->current.published_at.has_value());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.schedule_set'"), 1);
}

TEST_P(DuesServiceTest, UnpublishedIsReplacedPublishedChangesOnlyByANewDecision) {
  const long long a = add_unit("甲开发区");
  const long long b = add_unit("乙开发区");
  const long long c = add_unit("丙开发区");
  add_unit("丁开发区", "2020-01-01", "suspended");
  add_unit("戊开发区", "2020-01-01", "withdrawn");

  ASSERT_TRUE(dues_->set_schedule(2026, schedule_input(2026, 200000), staff()));
  auto replaced = dues_->set_schedule(2026, schedule_input(2026, 250000), staff());
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(replaced->current.version, 1) << "an unpublished version is replaced in place";
  EXPECT_EQ(replaced->current.tiers.at("member"), 250000);
  EXPECT_TRUE(replaced->history.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_schedules WHERE year = 2026"), 1);

  // A member does not see a schedule before it is published.
  EXPECT_EQ(code_of(dues_->schedule(2026, member_of(a))), "not_found");
  EXPECT_TRUE(dues_->schedules(member_of(a)).value().empty());
  EXPECT_EQ(dues_->schedules(staff()).value().size(), 1u);

  auto published = dues_->publish_schedule(2026, staff());
  ASSERT_TRUE(published.has_value());
  EXPECT_TRUE(published->current.published_at.has_value());
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'dues.schedule_published'"), 3)
      << "one per active unit, none for the suspended and withdrawn ones";
  for (long long id : {a, b, c}) {
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'dues.schedule_published' "
                    "AND member_id = " +
                    std::to_string(id)),
              1);
  }
  auto twice = dues_->publish_schedule(2026, staff());
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(code_of(twice), "conflict");
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'dues.schedule_published'"), 3);
  auto seen = dues_->schedule(2026, member_of(a));
  ASSERT_TRUE(seen.has_value()) << "published: members see it";
  EXPECT_EQ(seen->current.tiers.at("member"), 250000);

  ASSERT_TRUE(bill(2026));
  const long long billed = invoice_id(a, 2026);

  auto same = dues_->set_schedule(2026, schedule_input(2026, 300000), staff());
  ASSERT_FALSE(same.has_value());
  EXPECT_EQ(code_of(same), "conflict") << "the same decision cannot change it";
  EXPECT_EQ(dues_->schedule(2026, staff()).value().current.tiers.at("member"), 250000);

  auto v2 = dues_->set_schedule(
      2026, schedule_input(2026, 300000, decision("第三届第三次会员大会", "2026-03-10")), staff());
  ASSERT_TRUE(v2.has_value()) << field_list(v2.error());
  EXPECT_EQ(v2->current.version, 2);
  EXPECT_EQ(v2->current.tiers.at("member"), 300000);
  EXPECT_FALSE(v2->current.published_at.has_value());
  ASSERT_EQ(v2->history.size(), 1u);
  EXPECT_EQ(v2->history[0].version, 1);
  EXPECT_EQ(v2->history[0].tiers.at("member"), 250000);
  EXPECT_TRUE(v2->history[0].superseded_at.has_value());
  EXPECT_TRUE(v2->history[0].published_at.has_value());

  // Members keep seeing the version in force until the new one is published.
  auto in_force = dues_->schedule(2026, member_of(a));
  ASSERT_TRUE(in_force.has_value());
  EXPECT_EQ(in_force->current.version, 1);
  EXPECT_EQ(in_force->current.tiers.at("member"), 250000);
  EXPECT_TRUE(in_force->history.empty()) << "the version shown is not also its own history";

  auto detail = dues_->invoice(billed, staff());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->schedule_version, 1) << "the invoice keeps the version it was billed on";
  EXPECT_EQ(detail->invoice.amount_fen, 250000);
}

TEST_P(DuesServiceTest, AScheduleIsCopiedFromThePreviousYear) {
  add_unit("甲开发区");
  ASSERT_TRUE(publish_year(2025, 180000));
  auto copied = dues_->copy_schedule(2026, 2025, staff());
  ASSERT_TRUE(copied.has_value()) << field_list(copied.error());
  EXPECT_EQ(copied->current.year, 2026);
  EXPECT_EQ(copied->current.version, 1);
  EXPECT_EQ(copied->current.tiers, schedule_input(2025, 180000).tiers);
  EXPECT_EQ(copied->current.decision.meeting_name, "第三届第二次会员大会");
  EXPECT_EQ(copied->current.copied_from_year, 2025);
  EXPECT_EQ(copied->current.effective_on, "2026-01-01");
  EXPECT_FALSE(copied->current.published_at.has_value()) << "a copy is published on its own";
  EXPECT_EQ(code_of(dues_->copy_schedule(2027, 2024, staff())), "not_found");
  EXPECT_EQ(code_of(dues_->copy_schedule(2026, 2026, staff())), "invalid_argument");
  ASSERT_TRUE(dues_->publish_schedule(2026, staff()));
  EXPECT_EQ(code_of(dues_->copy_schedule(2026, 2025, staff())), "conflict");
  auto list = dues_->schedules(staff());
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].year, 2026) << "newest year first";
  EXPECT_EQ((*list)[1].year, 2025);
}

// ---- bill runs ----

TEST_P(DuesServiceTest, ABillRunBillsEachActiveUnitOnceAndADryRunWritesNothing) {
  const long long a = add_unit("甲开发区");
  const long long b = add_unit("乙开发区", "2020-01-01", "active", "council");
  const long long c = add_unit("丙开发区");
  const long long s = add_unit("丁开发区", "2020-01-01", "suspended");
  const long long w = add_unit("戊开发区", "2020-01-01", "withdrawn");

  EXPECT_EQ(code_of(dues_->bill_run(2026, false, staff())), "conflict") << "no schedule";
  ASSERT_TRUE(dues_->set_schedule(2026, schedule_input(2026), staff()));
  EXPECT_EQ(code_of(dues_->bill_run(2026, false, staff())), "conflict") << "not published";
  EXPECT_EQ(code_of(dues_->bill_run(2026, true, staff())), "conflict");
  ASSERT_TRUE(dues_->publish_schedule(2026, staff()));

  auto dry = dues_->bill_run(2026, true, staff());
  ASSERT_TRUE(dry.has_value());
  EXPECT_TRUE(dry->dry_run);
  EXPECT_EQ(dry->created, 3);
  ASSERT_EQ(dry->items.size(), 3u);
  std::set<long long> listed;
  for (const Invoice& i : dry->items) {
    listed.insert(i.member_id);
    EXPECT_EQ(i.amount_fen, i.member_id == b ? 500000 : 200000) << i.member_name;
  }
  EXPECT_EQ(listed, (std::set<long long>{a, b, c}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices"), 0) << "a dry run creates nothing";
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'dues.invoice'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.bill_run'"), 0);

  std::vector<std::pair<long long, long long>> progress;
  auto run = dues_->bill_run(2026, false, staff(), [&](long long done, long long total) {
    progress.emplace_back(done, total);
  });
  ASSERT_TRUE(run.has_value()) << run.error().message.en;
  EXPECT_EQ(run->created, 3);
  EXPECT_EQ(run->skipped, 0);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), (std::pair<long long, long long>{3, 3}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices WHERE year = 2026"), 3);
  EXPECT_FALSE(invoice_for(s, 2026).has_value()) << "suspended units are not billed";
  EXPECT_FALSE(invoice_for(w, 2026).has_value()) << "withdrawn units are not billed";
  const auto inv = invoice_for(b, 2026);
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->tier, "council");
  EXPECT_EQ(inv->full_fen, 500000);
  EXPECT_EQ(inv->amount_fen, 500000);
  EXPECT_EQ(inv->status, "unpaid");
  EXPECT_EQ(inv->proration, "full");
  EXPECT_EQ(inv->issued_on, "2026-01-01");
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'dues.invoice'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.bill_run'"), 1);

  auto again = dues_->bill_run(2026, false, staff());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->skipped, 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices"), 3);
  EXPECT_TRUE(dues_->bill_run(2026, true, staff()).value().items.empty());

  // A unit reactivated later is billed by the next run, alone.
  ASSERT_TRUE(db_->with_transaction([&](soci::session& ses) -> Status {
    mr::set_member_status(ses, s, "active", clock_.now());
    return {};
  }));
  auto late = dues_->bill_run(2026, false, staff());
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->created, 1);
  EXPECT_TRUE(invoice_for(s, 2026).has_value());
}

TEST_P(DuesServiceTest, ParallelBillRunsCreateEachInvoiceExactlyOnce) {
  constexpr int kUnits = 60;
  for (int i = 0; i < kUnits; ++i) add_unit("开发区" + std::to_string(i));
  ASSERT_TRUE(publish_year(2026));
  std::atomic<long long> created{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      auto r = dues_->bill_run(2026, false, staff());
      if (r) {
        created += r->created;
      } else {
        ++failed;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(created.load(), kUnits) << "the runs' reports add up to one invoice per unit";
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices WHERE year = 2026"), kUnits);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT member_id) FROM dues_invoices WHERE year = 2026"), kUnits);
}

TEST_P(DuesServiceTest, UnitsJoiningDuringTheYearPayTheirPart) {
  const long long old = add_unit("老会员");
  const long long august = add_unit("八月入会", "2026-08-15");
  const long long may = add_unit("五月入会", "2026-05-10");
  const long long next_year = add_unit("明年入会", "2027-05-10");
  ASSERT_EQ(dues_->settings().value().proration, Proration::half_after_july) << "the default";
  ASSERT_TRUE(publish_year(2026));
  auto run = dues_->bill_run(2026, false, staff());
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->created, 3);
  EXPECT_EQ(run->skipped, 1) << "the unit joining next year owes nothing this year";
  EXPECT_EQ(invoice(old, 2026).amount_fen, 200000);
  const auto half = invoice_for(august, 2026);
  ASSERT_TRUE(half.has_value());
  EXPECT_EQ(half->full_fen, 200000);
  EXPECT_EQ(half->amount_fen, 100000);
  EXPECT_EQ(half->proration, "half");
  EXPECT_EQ(invoice(may, 2026).amount_fen, 200000) << "joined before July: the whole year";
  EXPECT_EQ(invoice(may, 2026).proration, "full");
  EXPECT_FALSE(invoice_for(next_year, 2026).has_value());

  auto settings = dues_->settings();
  ASSERT_TRUE(settings.has_value());
  settings->proration = Proration::quarters;
  ASSERT_TRUE(dues_->update_settings(*settings, staff()));
  ASSERT_EQ(dues_->settings().value().proration, Proration::quarters);
  ASSERT_TRUE(publish_year(2027));
  ASSERT_TRUE(bill(2027));
  const auto quarters = invoice_for(next_year, 2027);
  ASSERT_TRUE(quarters.has_value());
  EXPECT_EQ(quarters->amount_fen, 150000) << "joined in May: three quarters of the year";
  EXPECT_EQ(quarters->proration, "quarters:3");
  EXPECT_EQ(invoice(august, 2027).amount_fen, 200000) << "a whole year once a member";
}

TEST_P(DuesServiceTest, ReductionsApplyAtBillTimeAndToExistingInvoices) {
  const long long a = add_unit("甲开发区");
  const long long b = add_unit("乙开发区");
  const long long c = add_unit("丙开发区");
  const auto reduction = [](long long member, std::optional<int> percent,
                            std::optional<long long> amount) {
    Reduction r;
    r.member_id = member;
    r.year = 2026;
    r.percent = percent;
    r.amount_fen = amount;
    r.reason = "受灾减免";
    r.approved_by = "第三届第五次理事会";
    return r;
  };
  auto both = dues_->record_reduction(reduction(a, 50, 1000), staff());
  ASSERT_FALSE(both.has_value());
  EXPECT_EQ(code_of(both), "invalid_argument");
  EXPECT_EQ(code_of(dues_->record_reduction(reduction(999999, 50, std::nullopt), staff())),
            "not_found");

  auto waiver = dues_->record_reduction(reduction(a, 100, std::nullopt), staff());
  ASSERT_TRUE(waiver.has_value()) << field_list(waiver.error());
  ASSERT_TRUE(dues_->record_reduction(reduction(b, std::nullopt, 50000), staff()));
  ASSERT_TRUE(publish_year(2026));
  ASSERT_TRUE(bill(2026));

  auto ia = invoice_for(a, 2026);
  ASSERT_TRUE(ia.has_value());
  EXPECT_EQ(ia->status, "waived");
  EXPECT_EQ(ia->reduced_fen, 200000);
  EXPECT_EQ(ia->outstanding_fen(), 0);
  auto ib = invoice_for(b, 2026);
  EXPECT_EQ(ib->status, "unpaid");
  EXPECT_EQ(ib->reduced_fen, 50000);
  EXPECT_EQ(ib->outstanding_fen(), 150000);
  EXPECT_EQ(code_of(pay(ia->id, 1)), "conflict") << "nothing owed on a waiver";

  // Recorded after the bill run: the invoice follows at once.
  auto half = dues_->record_reduction(reduction(c, 50, std::nullopt), staff());
  ASSERT_TRUE(half.has_value());
  EXPECT_EQ(invoice(c, 2026).reduced_fen, 100000);
  EXPECT_EQ(invoice(c, 2026).outstanding_fen(), 100000);
  auto second = dues_->record_reduction(reduction(c, std::nullopt, 1000), staff());
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(code_of(second), "already_exists");
  EXPECT_EQ(invoice(c, 2026).reduced_fen, 100000) << "the refused one changed nothing";

  ASSERT_TRUE(dues_->revoke_reduction(half->id, staff()));
  EXPECT_EQ(invoice(c, 2026).reduced_fen, 0);
  EXPECT_EQ(invoice(c, 2026).outstanding_fen(), 200000);
  EXPECT_EQ(code_of(dues_->revoke_reduction(half->id, staff())), "conflict");
  EXPECT_EQ(code_of(dues_->revoke_reduction(half->id + 1000, staff())), "not_found");
  auto list = dues_->reductions(2026, c);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].revoked_at.has_value()) << "a revoked reduction stays for the record";

  // A reduction that leaves less due than already paid is refused.
  ASSERT_TRUE(pay(invoice_id(c, 2026), 180000));
  auto too_much = dues_->record_reduction(reduction(c, std::nullopt, 50000), staff());
  ASSERT_FALSE(too_much.has_value());
  EXPECT_EQ(code_of(too_much), "conflict");
  EXPECT_EQ(figure(too_much.error(), "paid_fen"), 180000);
  ASSERT_TRUE(dues_->record_reduction(reduction(c, std::nullopt, 20000), staff()));
  EXPECT_EQ(invoice(c, 2026).status, "paid") << "the reduction settles the rest";

  ASSERT_TRUE(dues_->revoke_reduction(waiver->id, staff()));
  EXPECT_EQ(invoice(a, 2026).status, "unpaid");
  EXPECT_EQ(invoice(a, 2026).outstanding_fen(), 200000);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.reduction'"), 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.reduction_revoke'"), 2);
}

// ---- payments and receipts ----

TEST_P(DuesServiceTest, PartialThenFullPaymentAndNoOverpayment) {
  const long long a = add_unit("甲开发区");
  ASSERT_TRUE(publish_year(2026));
  ASSERT_TRUE(bill(2026));
  const long long inv = invoice_id(a, 2026);

  auto first = pay(inv, 50000);
  ASSERT_TRUE(first.has_value()) << first.error().message.en;
  EXPECT_EQ(first->invoice_status, "partial");
  EXPECT_EQ(first->outstanding_fen, 150000);
  EXPECT_EQ(first->payment.receipt_year, 2026);
  EXPECT_EQ(first->payment.receipt_seq, 1);
  EXPECT_EQ(first->payment.status, "valid");
  EXPECT_EQ(first->payment.member_id, a);
  EXPECT_FALSE(first->payment.verify_code.empty());

  auto over = pay(inv, 150001);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(code_of(over), "conflict");
  EXPECT_EQ(figure(over.error(), "outstanding_fen"), 150000);

  auto rest = pay(inv, 150000);
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->invoice_status, "paid");
  EXPECT_EQ(rest->outstanding_fen, 0);
  EXPECT_EQ(rest->payment.receipt_seq, 2) << "the refused payment took no number";
  const auto paid = invoice_for(a, 2026);
  EXPECT_EQ(paid->paid_fen, 200000);
  EXPECT_EQ(paid->status, "paid");
  auto more = pay(inv, 1);
  ASSERT_FALSE(more.has_value());
  EXPECT_EQ(figure(more.error(), "outstanding_fen"), 0);

  EXPECT_EQ(code_of(pay(inv + 1000, 100)), "not_found");
  Payment future = payment(100);
  future.paid_on = "2026-03-16";
  auto bad = payments_->record(inv, future, staff());
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(code_of(bad), "invalid_argument");
  EXPECT_TRUE(names(bad.error(), "paid_on"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_payments"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.payment'"), 2);
  auto detail = dues_->invoice(inv, staff());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->payments.size(), 2u);
}

TEST_P(DuesServiceTest, ParallelPaymentsOnOneInvoiceNeverExceedIt) {
  const long long a = add_unit("甲开发区");
  ASSERT_TRUE(publish_year(2026, 1000000));
  ASSERT_TRUE(bill(2026));
  const long long inv = invoice_id(a, 2026);
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&] {
      auto r = pay(inv, 30000);
      if (r) {
        ++ok;
      } else if (r.error().code == ErrorCode::conflict) {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 33) << "33 × 300 yuan fit in 10,000 yuan; a 34th would not";
  EXPECT_EQ(refused.load(), 17);
  EXPECT_EQ(other.load(), 0);
  const auto after = invoice_for(a, 2026);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->paid_fen, 990000);
  EXPECT_LE(after->paid_fen, after->amount_fen);
  EXPECT_EQ(after->status, "partial");
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_payments"), 33);
  EXPECT_EQ(count("SELECT SUM(amount_fen) FROM dues_payments"), 990000)
      << "paid_fen is the sum of the payments";
  const auto seqs = column("SELECT receipt_seq FROM dues_payments ORDER BY receipt_seq");
  std::vector<long long> expected(33);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(seqs, expected);
}

TEST_P(DuesServiceTest, ParallelPaymentsOnManyInvoicesTakeGaplessReceiptNumbers) {
  constexpr int kUnits = 200;
  for (int i = 0; i < kUnits; ++i) add_unit("开发区" + std::to_string(i));
  ASSERT_TRUE(publish_year(2026));
  ASSERT_TRUE(bill(2026));
  const auto invoices = column("SELECT id FROM dues_invoices ORDER BY id");
  ASSERT_EQ(invoices.size(), static_cast<std::size_t>(kUnits));
  std::atomic<int> ok{0};
  std::mutex mu;
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (long long inv : invoices) {
    threads.emplace_back([&, inv] {
      auto r = pay(inv, 200000);
      if (r) {
        ++ok;
      } else {
        const std::lock_guard lock(mu);
        failures.push_back(r.error().message.en);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kUnits) << (failures.empty() ? "" : failures.front());
  const auto seqs = column("SELECT receipt_seq FROM dues_payments ORDER BY receipt_seq");
  std::vector<long long> expected(kUnits);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(seqs, expected) << "1..200: no gap, no duplicate";
  EXPECT_EQ(count("SELECT last_seq FROM dues_receipt_counters WHERE year = 2026"), kUnits);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_invoices WHERE status = 'paid'"), kUnits);
}

TEST_P(DuesServiceTest, AReversalVoidsThePaymentKeepsItsNumberAndReopensTheInvoice) {
  const long long a = add_unit("甲开发区");
  ASSERT_TRUE(publish_year(2026));
  ASSERT_TRUE(bill(2026));
  const long long inv = invoice_id(a, 2026);
  auto paid = pay(inv, 200000);
  ASSERT_TRUE(paid.has_value());
  ASSERT_EQ(paid->invoice_status, "paid");
  const long long pid = paid->payment.id;

  EXPECT_EQ(code_of(payments_->reverse(pid, "", staff())), "invalid_argument")
      << "a reversal needs a reason";
  EXPECT_EQ(code_of(payments_->reverse(pid + 1000, "录入错误", staff())), "not_found");
  auto reversed = payments_->reverse(pid, "录入错误，重复入账", staff());
  ASSERT_TRUE(reversed.has_value()) << reversed.error().message.en;
  EXPECT_EQ(reversed->status, "void");
  EXPECT_EQ(reversed->receipt_year, 2026);
  EXPECT_EQ(reversed->receipt_seq, 1) << "the receipt keeps its number";
  EXPECT_EQ(reversed->reverse_reason, "录入错误，重复入账");
  EXPECT_TRUE(reversed->reversed_at.has_value());
  const auto reopened = invoice_for(a, 2026);
  EXPECT_EQ(reopened->status, "unpaid");
  EXPECT_EQ(reopened->paid_fen, 0);
  EXPECT_EQ(reopened->outstanding_fen(), 200000);

  auto twice = payments_->reverse(pid, "再次冲正", staff());
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(code_of(twice), "conflict");
  EXPECT_EQ(invoice(a, 2026).paid_fen, 0) << "the second reversal lowered nothing";

  auto receipt = payments_->receipt("2026-000001", staff());
  ASSERT_TRUE(receipt.has_value());
  EXPECT_EQ(receipt->payment.status, "void");
  auto checked = payments_->verify(paid->payment.verify_code);
  ASSERT_TRUE(checked.has_value());
  EXPECT_EQ(checked->payment.status, "void") << "the public check shows it void";

  auto next = pay(inv, 200000);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->payment.receipt_seq, 2) << "a voided number is never reused";
  EXPECT_EQ(next->invoice_status, "paid");
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_payments"), 2) << "a payment is never deleted";
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.payment_reverse'"), 1);
}

TEST_P(DuesServiceTest, ParallelReversalsOfOnePaymentReverseItOnce) {
  const long long a = add_unit("甲开发区");
  ASSERT_TRUE(publish_year(2026));
  ASSERT_TRUE(bill(2026));
  const long long inv = invoice_id(a, 2026);
  auto first = pay(inv, 50000);
  auto second = pay(inv, 70000);
  ASSERT_TRUE(first && second);
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = payments_->reverse(first->payment.id, "重复入账", staff());
      if (r) {
        ++ok;
      } else if (r.error().code == ErrorCode::conflict) {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1) << "a payment is reversed once";
  EXPECT_EQ(refused.load(), 7);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(invoice(a, 2026).paid_fen, 70000);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.payment_reverse'"), 1);
}

TEST_P(DuesServiceTest, InvoiceFiguresFollowPaymentsReversalsAndRevocationsRunningAtOnce) {
  const long long a = add_unit("甲开发区");
  ASSERT_TRUE(publish_year(2026, 1000000));
  ASSERT_TRUE(bill(2026));
  const long long inv = invoice_id(a, 2026);
  Reduction r;
  r.member_id = a;
  r.year = 2026;
  r.amount_fen = 100000;
  r.reason = "困难减免";
  r.approved_by = "理事会";
  auto reduction = dues_->record_reduction(r, staff());
  ASSERT_TRUE(reduction.has_value());
  std::vector<long long> earlier;
  for (int i = 0; i < 10; ++i) {
    auto p = pay(inv, 10000);
    ASSERT_TRUE(p.has_value());
    earlier.push_back(p->payment.id);
  }
  // A second unit: its payments are all reversed while a reduction is recorded.
  const long long b = add_unit("乙开发区");
  ASSERT_TRUE(bill(2026));
  const long long inv_b = invoice_id(b, 2026);
  std::vector<long long> earlier_b;
  for (int i = 0; i < 10; ++i) {
    auto p = pay(inv_b, 10000);
    ASSERT_TRUE(p.has_value());
    earlier_b.push_back(p->payment.id);
  }
  Reduction rb = r;
  rb.member_id = b;
  std::atomic<int> reversed{0}, paid{0}, revoked{0}, reduced{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) {
    const auto k = static_cast<std::size_t>(i);
    threads.emplace_back(
        [&, k] { (payments_->reverse(earlier[k], "冲正", staff()) ? reversed : other)++; });
    threads.emplace_back([&] { (pay(inv, 10000) ? paid : other)++; });
    threads.emplace_back(
        [&, k] { (payments_->reverse(earlier_b[k], "冲正", staff()) ? reversed : other)++; });
  }
  threads.emplace_back(
      [&] { (dues_->revoke_reduction(reduction->id, staff()) ? revoked : other)++; });
  threads.emplace_back([&] { (dues_->record_reduction(rb, staff()) ? reduced : other)++; });
  for (auto& th : threads) th.join();
  EXPECT_EQ(reversed.load(), 20);
  EXPECT_EQ(paid.load(), 10);
  EXPECT_EQ(revoked.load(), 1);
  EXPECT_EQ(reduced.load(), 1);
  EXPECT_EQ(other.load(), 0);
  const Invoice after_b = invoice(b, 2026);
  EXPECT_EQ(after_b.paid_fen, 0) << "every payment of b was reversed";
  EXPECT_EQ(after_b.reduced_fen, 100000);
  EXPECT_EQ(after_b.status, "unpaid");
  const Invoice after = invoice(a, 2026);
  EXPECT_EQ(after.paid_fen, count("SELECT SUM(amount_fen) FROM dues_payments WHERE status = "
                                  "'valid' AND invoice_id = " +
                                  std::to_string(inv)))
      << "paid_fen is the sum of the live payments";
  EXPECT_EQ(after.paid_fen, 100000);
  EXPECT_EQ(after.reduced_fen, 0) << "the revocation is not undone by a payment";
  EXPECT_EQ(after.status, "partial");
}

// ---- idempotency ----

TEST_P(DuesServiceTest, AnIdempotencyKeyReplaysRefusesAnotherRequestAndWaitsWhileInFlight) {
  const long long a = add_unit("甲开发区");
  ASSERT_TRUE(publish_year(2026));
  ASSERT_TRUE(bill(2026));
  const long long inv = invoice_id(a, 2026);
  const IdempotencyClaim claim{"user:7", "key-1", "hash-1"};
  const RenderPayment render = [](const PaymentResult& r) {
    return std::pair<int, std::string>(
        201, "{\"receipt_seq\":" + std::to_string(r.payment.receipt_seq) + "}");
  };

  auto fresh = payments_->begin_idempotent(claim);
  ASSERT_TRUE(fresh.has_value()) << fresh.error().message.en;
  ASSERT_TRUE(fresh->record_id.has_value());
  auto in_flight = payments_->begin_idempotent(claim);
  ASSERT_FALSE(in_flight.has_value());
  EXPECT_EQ(code_of(in_flight), "conflict");

  auto recorded = payments_->record(inv, payment(50000), staff(), fresh->record_id, render);
  ASSERT_TRUE(recorded.has_value());
  auto replay = payments_->begin_idempotent(claim);
  ASSERT_TRUE(replay.has_value());
  EXPECT_FALSE(replay->record_id.has_value());
  EXPECT_EQ(replay->http_status, 201);
  EXPECT_EQ(replay->body, "{\"receipt_seq\":1}");

  auto mismatch = payments_->begin_idempotent({"user:7", "key-1", "hash-2"});
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(code_of(mismatch), "idempotency_mismatch");
  auto other_caller = payments_->begin_idempotent({"user:8", "key-1", "hash-2"});
  ASSERT_TRUE(other_caller.has_value()) << "keys are per caller";
  EXPECT_TRUE(other_caller->record_id.has_value());
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_payments"), 1);

  // A refused payment's answer is stored too; a released claim may start again.
  auto refused_claim = payments_->begin_idempotent({"user:7", "key-2", "hash-3"});
  ASSERT_TRUE(refused_claim && refused_claim->record_id);
  ASSERT_TRUE(payments_->complete_idempotent(*refused_claim->record_id, 409, "{\"e\":1}"));
  auto refused_replay = payments_->begin_idempotent({"user:7", "key-2", "hash-3"});
  ASSERT_TRUE(refused_replay.has_value());
  EXPECT_EQ(refused_replay->http_status, 409);
  EXPECT_EQ(refused_replay->body, "{\"e\":1}");
  auto released = payments_->begin_idempotent({"user:7", "key-3", "hash-4"});
  ASSERT_TRUE(released && released->record_id);
  ASSERT_TRUE(payments_->release_idempotent(*released->record_id));
  auto again = payments_->begin_idempotent({"user:7", "key-3", "hash-4"});
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->record_id.has_value());

  // A claim left in flight (its process died) is taken over after 5 minutes, not before.
  const IdempotencyClaim orphan{"user:7", "key-4", "hash-5"};
  auto first = payments_->begin_idempotent(orphan);
  ASSERT_TRUE(first && first->record_id);
  clock_.advance(std::chrono::minutes(4));
  EXPECT_EQ(code_of(payments_->begin_idempotent(orphan)), "conflict");
  clock_.advance(std::chrono::minutes(2));
  auto taken = payments_->begin_idempotent(orphan);
  ASSERT_TRUE(taken.has_value()) << taken.error().message.en;
  ASSERT_TRUE(taken->record_id.has_value());
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'key-4'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'key-4' AND state = "
                  "'in_flight' AND id = " +
                  std::to_string(*taken->record_id)),
            1);
  auto finished = payments_->record(inv, payment(1000), staff(), taken->record_id, render);
  ASSERT_TRUE(finished.has_value());
  auto orphan_replay = payments_->begin_idempotent(orphan);
  ASSERT_TRUE(orphan_replay.has_value());
  EXPECT_FALSE(orphan_replay->record_id.has_value());
  EXPECT_EQ(orphan_replay->body, "{\"receipt_seq\":2}");
}

TEST_P(DuesServiceTest, TwentyRequestsWithOneKeyRecordOnePayment) {
  const long long a = add_unit("甲开发区");
  ASSERT_TRUE(publish_year(2026));
  ASSERT_TRUE(bill(2026));
  const long long inv = invoice_id(a, 2026);
  const IdempotencyClaim claim{"user:7", "retry-storm", "same-body"};
  std::atomic<int> recorded{0}, replayed{0}, in_flight{0}, other{0};
  std::mutex mu;
  std::set<std::string> bodies;
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&] {
      auto start = payments_->begin_idempotent(claim);
      if (!start) {
        (start.error().code == ErrorCode::conflict ? in_flight : other)++;
        return;
      }
      if (!start->record_id) {
        ++replayed;
        const std::lock_guard lock(mu);
        bodies.insert(start->body);
        return;
      }
      auto r = payments_->record(
          inv, payment(50000), staff(), start->record_id, [](const PaymentResult& res) {
            return std::pair<int, std::string>(201, "payment " + std::to_string(res.payment.id));
          });
      (r ? recorded : other)++;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(recorded.load(), 1);
  EXPECT_EQ(replayed.load() + in_flight.load(), 19);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM dues_payments"), 1);
  EXPECT_EQ(invoice(a, 2026).paid_fen, 50000);
  const long long pid = count("SELECT id FROM dues_payments");
  EXPECT_LE(bodies.size(), 1u);
  for (const std::string& body : bodies) EXPECT_EQ(body, "payment " + std::to_string(pid));
  auto late = payments_->begin_idempotent(claim);
  ASSERT_TRUE(late.has_value());
  EXPECT_FALSE(late->record_id.has_value());
  EXPECT_EQ(late->body, "payment " + std::to_string(pid));
}

// ---- who sees what ----

TEST_P(DuesServiceTest, AMemberSeesOnlyItsOwnInvoicesAndReceipts) {
  const long long a = add_unit("甲开发区");
  const long long b = add_unit("乙开发区");
  ASSERT_TRUE(publish_year(2025));
  ASSERT_TRUE(publish_year(2026));
  ASSERT_TRUE(bill(2025));
  ASSERT_TRUE(bill(2026));
  auto paid_b = pay(invoice_id(b, 2026), 200000);
  auto paid_a = pay(invoice_id(a, 2026), 100000);
  ASSERT_TRUE(paid_a && paid_b);
  const std::string receipt_b = receipt_number(2026, paid_b->payment.receipt_seq);
  const std::string receipt_a = receipt_number(2026, paid_a->payment.receipt_seq);

  auto mine = dues_->invoices({}, 1, 50, member_of(a));
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->total, 2);
  ASSERT_EQ(mine->items.size(), 2u);
  for (const Invoice& i : mine->items) EXPECT_EQ(i.member_id, a);
  dr::InvoiceFilter other_filter;
  other_filter.member_id = b;
  auto sneaky = dues_->invoices(other_filter, 1, 50, member_of(a));
  ASSERT_TRUE(sneaky.has_value());
  for (const Invoice& i : sneaky->items) EXPECT_EQ(i.member_id, a) << "the filter is its own";
  auto table = dues_->invoices_table({}, member_of(a));
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(table->rows.size(), 2u);
  Principal no_unit = member_of(a);
  no_unit.member_id.reset();
  EXPECT_EQ(dues_->invoices({}, 1, 50, no_unit).value().total, 0);

  EXPECT_EQ(dues_->invoices({}, 1, 50, staff()).value().total, 4);
  EXPECT_EQ(dues_->invoices({}, 1, 50, leader()).value().total, 4) << "leaders read every unit's";

  EXPECT_EQ(code_of(dues_->invoice(invoice_id(b, 2026), member_of(a))), "not_found");
  auto own = dues_->invoice(invoice_id(a, 2026), member_of(a));
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(own->payments.size(), 1u);

  EXPECT_EQ(code_of(payments_->receipt(receipt_b, member_of(a))), "not_found");
  ASSERT_TRUE(payments_->receipt(receipt_b, member_of(b)));
  ASSERT_TRUE(payments_->receipt(receipt_a, member_of(a)));
  ASSERT_TRUE(payments_->receipt(receipt_b, staff()));
  ASSERT_TRUE(payments_->receipt(receipt_b, leader()));
  EXPECT_EQ(code_of(payments_->receipt("2026-000099", staff())), "not_found");
  EXPECT_EQ(code_of(payments_->receipt("garbage", staff())), "not_found");
  auto r = payments_->receipt(receipt_b, member_of(b));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->payment.amount_fen, 200000);
  EXPECT_EQ(r->payment.uscc, uscc(1));
}

// ---- arrears, reminders, lapse ----

TEST_P(DuesServiceTest, ArrearsAgeByTheOldestUnpaidYear) {
  const long long a = add_unit("甲开发区");
  const long long b = add_unit("乙开发区");
  const long long c = add_unit("丙开发区");
  for (int year : {2023, 2025, 2026}) {
    ASSERT_TRUE(publish_year(year));
    ASSERT_TRUE(bill(year));
  }
  ASSERT_TRUE(pay(invoice_id(b, 2023), 200000));
  ASSERT_TRUE(pay(invoice_id(b, 2025), 200000));
  ASSERT_TRUE(pay(invoice_id(c, 2023), 200000));
  ASSERT_TRUE(pay(invoice_id(c, 2025), 50000));

  auto page = dues_->arrears(std::string("2026-06-30"), "", 1, 50);
  ASSERT_TRUE(page.has_value()) << page.error().message.en;
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->total, 3);
  std::map<long long, Arrears> by_unit;
  for (const Arrears& x : page->items) by_unit[x.member_id] = x;
  EXPECT_EQ(by_unit[a].age, "3y+");
  EXPECT_EQ(by_unit[a].oldest_year, 2023);
  EXPECT_EQ(by_unit[a].outstanding_fen, 600000);
  EXPECT_EQ(by_unit[a].unpaid_years, 2);
  EXPECT_EQ(by_unit[b].age, "current");
  EXPECT_EQ(by_unit[b].outstanding_fen, 200000);
  EXPECT_EQ(by_unit[b].unpaid_years, 0);
  EXPECT_EQ(by_unit[c].age, "1y");
  EXPECT_EQ(by_unit[c].oldest_year, 2025);
  EXPECT_EQ(by_unit[c].outstanding_fen, 350000) << "the partial 2025 counts what is left";
  EXPECT_EQ(page->by_age.at("3y+"), (std::pair<long long, long long>{1, 600000}));
  EXPECT_EQ(page->by_age.at("2y"), (std::pair<long long, long long>{0, 0}));
  EXPECT_EQ(page->by_age.at("1y"), (std::pair<long long, long long>{1, 350000}));
  EXPECT_EQ(page->by_age.at("current"), (std::pair<long long, long long>{1, 200000}));
  EXPECT_EQ(page->total_units, 3);
  EXPECT_EQ(page->total_outstanding_fen, 1150000);

  auto oldest = dues_->arrears(std::string("2026-06-30"), "3y+", 1, 50);
  ASSERT_TRUE(oldest.has_value());
  ASSERT_EQ(oldest->items.size(), 1u);
  EXPECT_EQ(oldest->items[0].member_id, a);
  EXPECT_EQ(oldest->total, 1);
  EXPECT_EQ(dues_->arrears(std::string("2026-06-30"), "1y", 1, 50).value().items.at(0).member_id,
            c);
  EXPECT_TRUE(dues_->arrears(std::string("2026-06-30"), "2y", 1, 50).value().items.empty());

  // As of the end of 2025 the 2026 invoices were not issued yet.
  auto earlier = dues_->arrears(std::string("2025-12-31"), "", 1, 50);
  ASSERT_TRUE(earlier.has_value());
  std::map<long long, Arrears> then;
  for (const Arrears& x : earlier->items) then[x.member_id] = x;
  EXPECT_EQ(then.size(), 2u) << "b owed nothing then";
  EXPECT_EQ(then[a].age, "2y");
  EXPECT_EQ(then[a].outstanding_fen, 400000);
  EXPECT_EQ(then[c].age, "current");

  EXPECT_EQ(code_of(dues_->arrears(std::string("2026-13-01"), "", 1, 50)), "invalid_argument");
  EXPECT_EQ(code_of(dues_->arrears(std::nullopt, "5y", 1, 50)), "invalid_argument");
  auto today_page = dues_->arrears(std::nullopt, "", 1, 50);
  ASSERT_TRUE(today_page.has_value());
  EXPECT_EQ(today_page->total_outstanding_fen, 1150000) << "as of today (2026-03-15)";
  auto table = dues_->arrears_table(std::string("2026-06-30"), "");
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(table->rows.size(), 3u);
}

TEST_P(DuesServiceTest, RemindersGoOutOnTheConfiguredDaysOnce) {
  const long long a = add_unit("甲开发区");
  const long long b = add_unit("乙开发区");
  clock_.set(at("2026-01-20T10:00:00+08:00"));
  ASSERT_TRUE(publish_year(2026));
  ASSERT_TRUE(bill(2026));
  ASSERT_TRUE(pay(invoice_id(b, 2026), 200000));
  ASSERT_EQ(dues_->settings().value().reminder_days, (std::vector<int>{30, 90, 180}));

  auto early = dues_->reminder_run(false, staff());
  ASSERT_TRUE(early.has_value());
  EXPECT_TRUE(early->empty()) << "19 days after issue";

  clock_.set(at("2026-01-31T10:00:00+08:00"));  // 30 days after 2026-01-01
  auto dry = dues_->reminder_run(true, staff());
  ASSERT_TRUE(dry.has_value());
  ASSERT_EQ(dry->size(), 1u);
  EXPECT_EQ(invoice(a, 2026).reminders_sent, 0) << "a dry run sends nothing";
  auto sent = dues_->reminder_run(false, staff());
  ASSERT_TRUE(sent.has_value());
  ASSERT_EQ(sent->size(), 1u) << "the paid invoice gets no reminder";
  EXPECT_EQ((*sent)[0].member_id, a);
  EXPECT_EQ((*sent)[0].stage, 1);
  EXPECT_EQ((*sent)[0].outstanding_fen, 200000);
  const auto reminded = invoice_for(a, 2026);
  EXPECT_EQ(reminded->reminders_sent, 1);
  EXPECT_EQ(reminded->last_reminded_on, "2026-01-31");
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'dues.reminder'"), 1);

  EXPECT_TRUE(dues_->reminder_run(false, staff()).value().empty()) << "the same day: none again";
  clock_.advance(std::chrono::hours(24));
  EXPECT_TRUE(dues_->reminder_run(false, staff()).value().empty()) << "the next is due at 90 days";
  clock_.set(at("2026-04-01T10:00:00+08:00"));  // 90 days
  auto second = dues_->reminder_run(false, staff());
  ASSERT_TRUE(second.has_value());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].stage, 2);
  EXPECT_EQ(invoice(a, 2026).reminders_sent, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'dues.reminder'"), 2);
}

TEST_P(DuesServiceTest, AUnitUnpaidAfterAReminderLapsesAndPayingReinstatesIt) {
  const long long a = add_unit("甲开发区");  // 2025 and 2026 unpaid
  const long long b = add_unit("乙开发区");  // only 2026 unpaid
  const long long c = add_unit("丙开发区");  // like a, but paid with reinstatement off
  clock_.set(at("2026-02-05T10:00:00+08:00"));
  for (int year : {2025, 2026}) {
    ASSERT_TRUE(publish_year(year));
    ASSERT_TRUE(bill(year));
  }
  ASSERT_TRUE(pay(invoice_id(b, 2025), 200000));

  auto unreminded = dues_->lapse_run(false, staff());
  ASSERT_TRUE(unreminded.has_value());
  EXPECT_TRUE(unreminded->empty()) << "nobody lapses without a reminder";
  EXPECT_EQ(member_status(a), "active");

  ASSERT_TRUE(dues_->reminder_run(false, staff()));
  ASSERT_EQ(invoice(a, 2025).reminders_sent, 1);
  ASSERT_EQ(invoice(b, 2026).reminders_sent, 1);

  auto dry = dues_->lapse_run(true, staff());
  ASSERT_TRUE(dry.has_value());
  std::set<long long> would;
  for (const LapseItem& i : *dry) would.insert(i.member_id);
  EXPECT_EQ(would, (std::set<long long>{a, c})) << "b owes only the current year";
  EXPECT_EQ(member_status(a), "active") << "a dry run changes nothing";
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_status_history"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.lapse'"), 0);

  auto lapsed = dues_->lapse_run(false, staff());
  ASSERT_TRUE(lapsed.has_value());
  ASSERT_EQ(lapsed->size(), 2u);
  for (const LapseItem& i : *lapsed) {
    EXPECT_EQ(i.unpaid_years, 1);
    EXPECT_EQ(i.outstanding_fen, 400000);
  }
  EXPECT_EQ(member_status(a), "lapsed");
  EXPECT_EQ(member_status(c), "lapsed");
  EXPECT_EQ(member_status(b), "active");
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM member_status_history WHERE member_id = " + std::to_string(a) +
            " AND from_status = 'active' AND to_status = 'lapsed' AND reason LIKE "
            "'逾期未缴会费%'"),
      1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.lapse' AND entity_id = '" +
                  std::to_string(a) + "'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'dues.lapsed'"), 2);
  EXPECT_TRUE(dues_->lapse_run(false, staff()).value().empty()) << "a lapsed unit lapses once";

  // Reinstatement off: paying everything leaves c lapsed.
  auto settings = dues_->settings();
  ASSERT_TRUE(settings.has_value());
  settings->reinstate_on_payment = false;
  ASSERT_TRUE(dues_->update_settings(*settings, staff()));
  ASSERT_TRUE(pay(invoice_id(c, 2025), 200000));
  ASSERT_TRUE(pay(invoice_id(c, 2026), 200000));
  EXPECT_EQ(member_status(c), "lapsed");

  settings->reinstate_on_payment = true;
  ASSERT_TRUE(dues_->update_settings(*settings, staff()));
  ASSERT_TRUE(pay(invoice_id(a, 2025), 200000));
  EXPECT_EQ(member_status(a), "lapsed") << "2026 is still owed";
  auto last = pay(invoice_id(a, 2026), 200000);
  ASSERT_TRUE(last.has_value()) << last.error().message.en;
  EXPECT_EQ(member_status(a), "active") << "paid up: reinstated";
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_status_history WHERE member_id = " +
                  std::to_string(a) + " AND from_status = 'lapsed' AND to_status = 'active'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.reinstate'"), 1);
  EXPECT_EQ(member_status(c), "lapsed");
}

TEST_P(DuesServiceTest, ParallelReminderAndLapseRunsActOnce) {
  std::vector<long long> units;
  for (int i = 0; i < 5; ++i) units.push_back(add_unit("开发区" + std::to_string(i)));
  clock_.set(at("2026-02-05T10:00:00+08:00"));
  for (int year : {2025, 2026}) {
    ASSERT_TRUE(publish_year(year));
    ASSERT_TRUE(bill(year));
  }
  const auto run_all = [&](const std::function<bool()>& run) {
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&] {
        if (!run()) ++failed;
      });
    }
    for (auto& th : threads) th.join();
    return failed.load();
  };
  std::atomic<long long> reminded{0};
  EXPECT_EQ(run_all([&] {
              auto r = dues_->reminder_run(false, staff());
              if (r) reminded += static_cast<long long>(r->size());
              return r.has_value();
            }),
            0);
  EXPECT_EQ(reminded.load(), 10) << "one first reminder per open invoice";
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'dues.reminder'"), 10);
  EXPECT_EQ(count("SELECT MAX(reminders_sent) FROM dues_invoices"), 1);

  std::atomic<long long> lapsed{0};
  EXPECT_EQ(run_all([&] {
              auto r = dues_->lapse_run(false, staff());
              if (r) lapsed += static_cast<long long>(r->size());
              return r.has_value();
            }),
            0);
  EXPECT_EQ(lapsed.load(), 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_status_history WHERE to_status = 'lapsed'"), 5)
      << "each unit lapses once";
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.lapse'"), 5);
  for (long long id : units) EXPECT_EQ(member_status(id), "lapsed");
}

TEST_P(DuesServiceTest, TheDailyRunRunsOnceADay) {
  const long long a = add_unit("甲开发区");
  clock_.set(at("2026-02-05T10:00:00+08:00"));
  for (int year : {2025, 2026}) {
    ASSERT_TRUE(publish_year(year));
    ASSERT_TRUE(bill(year));
  }
  auto first = dues_->daily_run();
  ASSERT_TRUE(first.has_value()) << first.error().message.en;
  EXPECT_TRUE(*first);
  EXPECT_EQ(member_status(a), "lapsed") << "reminded first, then lapsed, in one daily run";
  auto second = dues_->daily_run();
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(*second) << "today's run is taken";
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'dues.reminder'"), 2);
  clock_.advance(std::chrono::hours(24));
  EXPECT_TRUE(*dues_->daily_run());
}

// ---- fees and 开票信息 ----

TEST_P(DuesServiceTest, InvoicingDefaultsToTheUnitAndTakesOnlyItsOwnCreditCode) {
  const long long a = add_unit("甲开发区管理委员会");
  const long long b = add_unit("乙开发区管理委员会");
  auto initial = fees_->invoicing(a, member_of(a));
  ASSERT_TRUE(initial.has_value());
  EXPECT_EQ(initial->title, "甲开发区管理委员会");
  EXPECT_EQ(initial->tax_no, uscc(0));
  EXPECT_TRUE(initial->phone.empty());
  EXPECT_TRUE(initial->bank_account.empty());

  dr::Invoicing in{"甲开发区管理委员会", uscc(1),
                   "长沙市某路1号",      "0731-88888888",
                   "中国银行长沙分行",   "6217 0000 0000 0000"};
  auto wrong = fees_->put_invoicing(a, in, member_of(a));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(code_of(wrong), "invalid_argument");
  EXPECT_TRUE(names(wrong.error(), "tax_no")) << field_list(wrong.error());
  in.title = "";
  in.tax_no = uscc(0);
  auto untitled = fees_->put_invoicing(a, in, member_of(a));
  ASSERT_FALSE(untitled.has_value());
  EXPECT_TRUE(names(untitled.error(), "title"));
  EXPECT_FALSE(names(untitled.error(), "tax_no"));

  in.title = "甲开发区管理委员会";
  std::string lower = uscc(0);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  in.tax_no = lower;
  auto saved = fees_->put_invoicing(a, in, member_of(a));
  ASSERT_TRUE(saved.has_value()) << field_list(saved.error());
  EXPECT_EQ(saved->tax_no, uscc(0)) << "the credit code is compared in capitals";
  auto read = fees_->invoicing(a, staff());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->phone, "0731-88888888");
  EXPECT_EQ(read->bank_name, "中国银行长沙分行");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.invoicing'"), 1);

  EXPECT_EQ(code_of(fees_->invoicing(b, member_of(a))), "not_found");
  in.tax_no = uscc(1);
  EXPECT_EQ(code_of(fees_->put_invoicing(b, in, member_of(a))), "not_found") << "another unit's";
  EXPECT_EQ(fees_->invoicing(b, staff()).value().tax_no, uscc(1));
  EXPECT_EQ(code_of(fees_->invoicing(b + 1000, staff())), "not_found");
  auto my_fees = fees_->my_fees(member_of(a));
  ASSERT_TRUE(my_fees.has_value());
  EXPECT_EQ(my_fees->total, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, DuesServiceTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::dues
