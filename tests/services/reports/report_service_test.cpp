// The reports on every backend: the aggregates the triggers keep (schema 0014) against their
// plain-SQL source views after a long random sequence of real writes through the real services
// and after parallel writes; figures against what the test itself did; a member account's
// view of its own unit only; engagement order, inactive units and drill-downs.

#include "services/reports/report_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "core/db/migrator.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/accounts/password_hasher.hpp"
#include "services/dues/dues_service.hpp"
#include "services/dues/payment_service.hpp"
#include "services/meetings/meeting_service.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/membership/membership_service.hpp"
#include "services/privacy/consent.hpp"
#include "services/reports/report_rules.hpp"
#include "services/training/training_service.hpp"
#include "services/visits/visit_service.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::reports {
namespace {

// The notice version a fresh database is at: what the forms accept.
constexpr long long kConsent = privacy::kFirstNoticeVersion;

using testing::BackendName;
using testing::TempDir;
using testing::TestDatabase;

namespace mr = membership::membership_repository;

Timestamp at(const std::string& iso) { return *parse_instant(iso); }

Principal staff() {
  Principal p;
  p.username = "mishu";
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

template <class T>
std::string code_of(const Result<T>& r) {
  return r ? "ok" : std::string(to_string(r.error().code)) + " (" + r.error().message.en + ")";
}

bool names(const Error& e, std::string_view field) {
  return std::ranges::any_of(e.fields, [&](const FieldError& f) { return f.field == field; });
}

/// 139 and eight digits: 13900000001 for 1.
std::string mobile(int i) { return "139" + std::to_string(100000000 + i).substr(1); }

visits::Delegate delegate(int i) {
  visits::Delegate d;
  d.name = "团员" + std::to_string(i);
  d.title = "副主任";
  d.gender = "m";
  d.mobile = mobile(i);
  return d;
}

dues::ScheduleInput schedule_input(int year) {
  dues::ScheduleInput in;
  in.tiers = {{"member", 200000},
              {"council", 500000},
              {"standing_council", 800000},
              {"vice_president", 1000000},
              {"president", 1500000}};
  in.effective_on = std::to_string(year) + "-01-01";
  in.decision.meeting_name = "第三届第二次会员大会";
  in.decision.held_on = std::to_string(year - 1) + "-12-20";
  in.decision.entitled = 30;
  in.decision.present = 20;
  in.decision.votes_for = 10;
  in.decision.votes_against = 6;
  in.decision.abstentions = 4;
  in.decision.secret_ballot = true;
  return in;
}

const char* const kCities[] = {"430100", "430200", "430300", "430600", "433100"};
const char* const kTypes[] = {"development_zone", "industrial_park", "customs_zone"};
const char* const kTiers[] = {"member", "council", "standing_council", "vice_president"};

class ReportServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 16);
    ASSERT_TRUE(db.has_value()) << db.error().message.en;
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    reports_ = std::make_unique<ReportService>(*db_, clock_);
    dues_ = std::make_unique<dues::DuesService>(*db_, clock_);
    payments_ = std::make_unique<dues::PaymentService>(*db_, clock_);
    training_ = std::make_unique<training::TrainingService>(*db_, clock_);
    meetings_ = std::make_unique<meetings::MeetingService>(*db_, clock_, data_dir_.path());
    visits_ = std::make_unique<visits::VisitService>(*db_, clock_, data_dir_.path());
    membership_ = std::make_unique<membership::MembershipService>(*db_, hasher_, clock_);
  }

  static std::string uscc(int n) {
    const std::string digits = std::to_string(10000 + n);
    const std::string body = "91430100MA4L" + digits.substr(digits.size() - 5);
    return body + uscc_check_char(body);
  }

  long long add_unit(const std::string& name, const std::string& city = "430100",
                     const std::string& type = "development_zone",
                     const std::string& tier = "member",
                     const std::string& joined_on = "2020-01-01",
                     const std::string& status = "active") {
    const int n = next_unit_++;
    auto created = db_->with_transaction([&](soci::session& s) -> Result<long long> {
      const membership::Organisation org{name, name, uscc(n), type, "provincial", city, ""};
      const long long id = mr::insert_member(s, org, tier, joined_on,
                                             "dan wei " + std::to_string(1000 + n), clock_.now())
                               .first;
      if (status != "active") mr::set_member_status(s, id, status, clock_.now());
      return id;
    });
    EXPECT_TRUE(created.has_value());
    return created.value_or(0);
  }

  void publish_and_bill(int year) {
    auto set = dues_->set_schedule(year, schedule_input(year), staff());
    ASSERT_TRUE(set.has_value()) << set.error().message.en;
    ASSERT_TRUE(dues_->publish_schedule(year, staff()));
    auto run = dues_->bill_run(year, false, staff());
    ASSERT_TRUE(run.has_value()) << run.error().message.en;
  }

  std::optional<dues::Invoice> invoice_for(long long member, int year) {
    auto r = db_->with_session([&](soci::session& s) -> Result<std::optional<dues::Invoice>> {
      return dues::dues_repository::find_invoice_for(s, member, year, false);
    });
    return r ? *r : std::nullopt;
  }

  Result<dues::PaymentResult> pay(long long invoice, long long fen) {
    dues::Payment p;
    p.amount_fen = fen;
    p.paid_on = format_date(shanghai_date(clock_.now()));
    p.method = "bank_transfer";
    p.reference = "网银转账";
    return payments_->record(invoice, p, staff());
  }

  long long course() {
    if (course_ == 0) {
      auto c = training_->create_course({0, "园区招商引资专题培训", "", {"招商"}}, staff());
      EXPECT_TRUE(c.has_value());
      course_ = c ? c->id : 0;
    }
    return course_;
  }

  /// An open one-day class on `day` (YYYY-MM-DD, Shanghai), sign-ups until five days before.
  long long open_class(const std::string& day, int capacity) {
    training::TrainingClass c;
    c.course_id = course();
    c.title = "第" + std::to_string(++next_class_) + "期";
    c.venue = "长沙";
    c.starts_at = at(day + "T09:00:00+08:00");
    c.ends_at = at(day + "T17:00:00+08:00");
    c.signup_deadline = c.starts_at - std::chrono::days{5};
    c.capacity = capacity;
    c.fee_fen = 100000;
    c.status = "open";
    auto r = training_->create_class(c, staff());
    EXPECT_TRUE(r.has_value()) << code_of(r);
    return r ? r->id : 0;
  }

  Result<training::Enrollment> enrol(long long cls, long long unit) {
    const int person = ++next_person_;
    return training_->enroll(
        cls, {unit, "", {"学员" + std::to_string(person), "", mobile(person), "", ""}, kConsent},
        member_of(unit));
  }

  long long meeting(const std::string& starts_iso, std::vector<long long> units) {
    meetings::MeetingDraft d;
    meetings::Meeting& m = d.meeting;
    m.kind = "general_assembly";
    m.term_no = 3;
    m.session_no = ++next_session_;
    m.starts_at = at(starts_iso);
    m.ends_at = m.starts_at + std::chrono::hours{3};
    m.rsvp_deadline = m.starts_at - std::chrono::days{5};
    m.mode = "onsite";
    m.venue = "长沙国际会议中心";
    d.invite_rule = false;
    d.member_ids = std::move(units);
    auto r = meetings_->create(d, staff());
    EXPECT_TRUE(r.has_value()) << code_of(r);
    return r ? r->id : 0;
  }

  static meetings::Rsvp reply_of(long long unit, bool attending) {
    meetings::Rsvp r;
    r.member_id = unit;
    r.attending = attending;
    if (attending) r.attendees = {{"张三", "主任", "13900000001"}};
    r.consent_version = privacy::kFirstNoticeVersion;
    return r;
  }

  long long visit(const std::string& starts_on, int capacity, long long cost = 380000) {
    visits::Visit v;
    v.title = "赴苏州工业园区考察学习 " + std::to_string(++next_visit_);
    v.destination = "江苏苏州";
    v.hosts = {{std::nullopt, "苏州工业园区管委会"}};
    v.starts_on = *parse_date(starts_on);
    v.ends_on = v.starts_on;
    v.capacity = capacity;
    v.cost_fen = cost;
    v.apply_deadline = at(starts_on + "T00:00:00+08:00") - std::chrono::days{10};
    v.withdraw_cutoff = Date{std::chrono::sys_days{v.starts_on} - std::chrono::days{3}};
    v.status = "open";
    v.itinerary = {{starts_on, "am", "苏州工业园区", "听取园区招商工作介绍", "", "大巴"}};
    auto r = visits_->create_visit(v, staff());
    EXPECT_TRUE(r.has_value()) << code_of(r);
    return r ? r->id : 0;
  }

  Result<visits::Application> apply_visit(long long v, long long unit, int people) {
    std::vector<visits::Delegate> list;
    for (int i = 0; i < people; ++i) list.push_back(delegate(++next_person_));
    return visits_->apply(v, unit, std::move(list), "", kConsent, member_of(unit));
  }

  long long count(const std::string& sql) {
    auto n = db_->with_session(
        [&](soci::session& s) -> Result<long long> { return db::scalar(s, sql); });
    return n.value_or(-1);
  }

  /// Every aggregate in step with its source view; the differing tables listed otherwise.
  void expect_in_step(const std::string& when) {
    auto checks = reports_->check_aggregates();
    ASSERT_TRUE(checks.has_value()) << code_of(checks);
    EXPECT_EQ(checks->size(), 6u);
    for (const AggregateCheck& c : *checks) {
      EXPECT_EQ(c.differing_rows, 0)
          << c.table << " differs from " << c.table << "_source " << when;
    }
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  TempDir data_dir_;
  ManualClock clock_{at("2026-03-15T10:00:00+08:00")};
  accounts::PasswordHasher hasher_{{1, 8 * 1024}};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<ReportService> reports_;
  std::unique_ptr<dues::DuesService> dues_;
  std::unique_ptr<dues::PaymentService> payments_;
  std::unique_ptr<training::TrainingService> training_;
  std::unique_ptr<meetings::MeetingService> meetings_;
  std::unique_ptr<visits::VisitService> visits_;
  std::unique_ptr<membership::MembershipService> membership_;
  int next_unit_ = 0, next_class_ = 0, next_person_ = 0, next_session_ = 0, next_visit_ = 0;
  long long course_ = 0;
};

// ---- the consistency test: random writes, then every aggregate against its source ----

TEST_P(ReportServiceTest, AggregatesStayInStepWithTheirSourcesThroughRandomWrites) {
  std::mt19937 rng(20260315);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };

  // 24 units over five cities, three types, four tiers, joined 2018–2026.
  std::vector<long long> units;
  std::map<long long, std::string> status;
  for (int i = 0; i < 24; ++i) {
    const std::string joined =
        std::to_string(2018 + i % 9) + "-0" + std::to_string(1 + i % 9) + "-15";
    const long long id = add_unit("随机开发区" + std::to_string(i), kCities[i % 5], kTypes[i % 3],
                                  kTiers[i % 4], joined);
    units.push_back(id);
    status[id] = "active";
  }
  expect_in_step("after the units were created");

  const std::vector<int> years = {2024, 2025, 2026};
  for (int y : years) {
    auto set = dues_->set_schedule(y, schedule_input(y), staff());
    ASSERT_TRUE(set.has_value()) << y << " " << set.error().message.en;
    ASSERT_TRUE(dues_->publish_schedule(y, staff()));
  }

  // Activities in three years, one on New Year's morning in Shanghai (still 2025 in UTC).
  struct Cls {
    long long id;
    std::string day;
    int year;
  };
  std::vector<Cls> classes;
  std::vector<std::pair<long long, int>> meeting_ids;  // id, year
  std::vector<std::pair<long long, int>> visit_ids;
  for (const auto& [day, y] : std::vector<std::pair<std::string, int>>{{"2024-06-12", 2024},
                                                                       {"2025-05-20", 2025},
                                                                       {"2026-01-01", 2026},
                                                                       {"2026-09-08", 2026}}) {
    clock_.set(at(std::to_string(y - 1) + "-11-01T10:00:00+08:00"));
    classes.push_back({open_class(day, 6), day, y});
  }
  for (const auto& [starts, y] : std::vector<std::pair<std::string, int>>{
           {"2024-04-10T14:00:00+08:00", 2024},
           {"2025-10-15T14:00:00+08:00", 2025},
           {"2026-01-01T07:00:00+08:00", 2026},  // 2025-12-31 23:00 UTC
           {"2026-06-18T09:00:00+08:00", 2026}}) {
    clock_.set(at(std::to_string(y - 1) + "-11-01T10:00:00+08:00"));
    std::vector<long long> invited;
    for (long long u : units) {
      if (chance(50)) invited.push_back(u);
    }
    meeting_ids.push_back({meeting(starts, invited), y});
  }
  for (const auto& [day, y] : std::vector<std::pair<std::string, int>>{
           {"2024-10-12", 2024}, {"2025-11-03", 2025}, {"2026-10-12", 2026}}) {
    clock_.set(at(std::to_string(y - 1) + "-11-01T10:00:00+08:00"));
    visit_ids.push_back({visit(day, 8, 300000 + 10000 * y % 7), y});
  }

  // What the test itself did, to compare the reports with.
  std::map<int, long long> collected;  // invoice year → valid payments
  std::vector<std::pair<long long, std::pair<int, long long>>> valid_payments;  // id → year, fen
  std::vector<long long> enrolments;
  std::vector<std::pair<long long, std::string>> checked_in;  // enrolment, class day
  std::vector<long long> delegates;
  std::vector<long long> reductions;
  std::map<std::string, int> ok;  // operation → successes

  const auto dues_time = [&] {
    clock_.set(at("2026-03-15T10:00:00+08:00") + std::chrono::days{static_cast<int>(pick(60))});
  };
  const int kOperations = 480;
  for (int op = 0; op < kOperations; ++op) {
    const long long unit = units[pick(units.size())];
    const int kind = static_cast<int>(pick(100));
    if (kind < 6) {  // a bill run for a year: bills the active units not billed yet
      dues_time();
      const int y = years[pick(years.size())];
      if (dues_->bill_run(y, false, staff())) ++ok["bill_run"];
    } else if (kind < 22) {  // a payment: part or all of what is outstanding
      dues_time();
      const int y = years[pick(years.size())];
      const auto inv = invoice_for(unit, y);
      if (!inv) continue;
      const long long open = inv->amount_fen - inv->reduced_fen - inv->paid_fen;
      if (open <= 0) continue;
      const long long fen =
          chance(50) ? open : std::max<long long>(1, open / static_cast<long long>(2 + pick(3)));
      auto r = pay(inv->id, fen);
      if (r) {
        ++ok["pay"];
        collected[y] += fen;
        valid_payments.push_back({r->payment.id, {y, fen}});
      }
    } else if (kind < 27) {  // a reversal
      if (valid_payments.empty()) continue;
      dues_time();
      const std::size_t i = pick(valid_payments.size());
      const auto [id, what] = valid_payments[i];
      if (payments_->reverse(id, "录入错误，冲正", staff())) {
        ++ok["reverse"];
        collected[what.first] -= what.second;
        valid_payments.erase(valid_payments.begin() + static_cast<std::ptrdiff_t>(i));
      }
    } else if (kind < 31) {  // a reduction, or revoking one
      dues_time();
      if (!reductions.empty() && chance(40)) {
        const std::size_t i = pick(reductions.size());
        if (dues_->revoke_reduction(reductions[i], staff())) ++ok["revoke_reduction"];
        reductions.erase(reductions.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        dues::Reduction r;
        r.member_id = unit;
        r.year = years[pick(years.size())];
        if (chance(50)) {
          r.amount_fen = 50000;
        } else {
          r.percent = 50;
        }
        r.reason = "受灾困难，理事会同意减免";
        auto done = dues_->record_reduction(r, staff());
        if (done) {
          ++ok["reduction"];
          reductions.push_back(done->id);
        }
      }
    } else if (kind < 45) {  // a training sign-up
      const Cls& c = classes[pick(classes.size())];
      clock_.set(at(std::to_string(c.year - 1) + "-12-01T10:00:00+08:00"));
      auto e = enrol(c.id, unit);
      if (e) {
        ++ok["enrol"];
        enrolments.push_back(e->id);
      }
    } else if (kind < 50) {  // a cancellation (promotes from the waitlist)
      if (enrolments.empty()) continue;
      const std::size_t i = pick(enrolments.size());
      if (training_->cancel(enrolments[i], staff())) ++ok["cancel"];
      enrolments.erase(enrolments.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (kind < 58) {  // a check-in for a half day of the class
      if (enrolments.empty()) continue;
      const long long e = enrolments[pick(enrolments.size())];
      auto got = training_->get_enrollment(e, staff());
      if (!got) continue;
      const auto c = std::ranges::find(classes, got->class_id, &Cls::id);
      if (c == classes.end()) continue;
      const std::string half = chance(50) ? "am" : "pm";
      if (training_->check_in(c->id, e, "", std::pair{c->day, half}, staff())) {
        ++ok["check_in"];
        checked_in.push_back({e, c->day + "|" + half});
      }
    } else if (kind < 61) {  // undoing a check-in
      if (checked_in.empty()) continue;
      const std::size_t i = pick(checked_in.size());
      const auto [e, slot] = checked_in[i];
      const auto bar = slot.find('|');
      if (training_->undo_check_in(e, slot.substr(0, bar), slot.substr(bar + 1), staff())) {
        ++ok["undo_check_in"];
      }
      checked_in.erase(checked_in.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (kind < 70) {  // a 回执, by the unit or by staff after the deadline
      const long long m = meeting_ids[pick(meeting_ids.size())].first;
      if (meetings_->reply(m, reply_of(unit, chance(70)), staff())) ++ok["reply"];
    } else if (kind < 75) {  // marking a unit present or absent
      const long long m = meeting_ids[pick(meeting_ids.size())].first;
      if (meetings_->attend(m, unit, "", chance(75), staff())) ++ok["attend"];
    } else if (kind < 79) {  // inviting or uninviting a unit
      const long long m = meeting_ids[pick(meeting_ids.size())].first;
      if (chance(60)) {
        if (meetings_->invite(m, {unit}, {}, staff())) ++ok["invite"];
      } else if (meetings_->uninvite(m, unit, staff())) {
        ++ok["uninvite"];
      }
    } else if (kind < 84) {  // applying for a visit, then approving, rejecting or withdrawing
      const auto [v, y] = visit_ids[pick(visit_ids.size())];
      clock_.set(at(std::to_string(y - 1) + "-12-01T10:00:00+08:00"));
      auto a = apply_visit(v, unit, 1 + static_cast<int>(pick(2)));
      if (a) {
        ++ok["apply"];
        for (const auto& d : a->delegates) delegates.push_back(d.id);
      }
    } else if (kind < 89) {
      if (delegates.empty()) continue;
      const long long d = delegates[pick(delegates.size())];
      auto got = visits_->get_delegate(d, staff());
      if (!got) continue;
      const auto v = std::ranges::find(visit_ids, got->visit_id, &std::pair<long long, int>::first);
      if (v == visit_ids.end()) continue;
      clock_.set(at(std::to_string(v->second - 1) + "-12-01T10:00:00+08:00"));
      const int what = static_cast<int>(pick(3));
      if (what == 0 && visits_->approve(d, staff())) ++ok["approve"];
      if (what == 1 && visits_->withdraw(d, staff())) ++ok["withdraw"];
      if (what == 2 && visits_->reject(d, "名额有限", staff())) ++ok["reject"];
    } else if (kind < 94) {  // a status change: suspended, withdrawn, back to active
      clock_.set(at(std::to_string(2024 + static_cast<int>(pick(3))) + "-0" +
                    std::to_string(1 + pick(9)) + "-10T10:00:00+08:00"));
      const std::string& now = status[unit];
      std::string to = now == "active" ? (chance(50) ? "withdrawn" : "suspended") : "active";
      if (membership_->change_status(unit, to, "理事会决议", staff())) {
        ++ok["status"];
        status[unit] = to;
      }
    } else if (kind < 97) {  // a tier change
      clock_.set(at("2026-03-15T10:00:00+08:00"));
      if (membership_->change_tier(unit, kTiers[pick(4)], "", "会员大会选举", staff())) {
        ++ok["tier"];
      }
    } else {  // a unit's city, type or name
      clock_.set(at("2026-03-15T10:00:00+08:00"));
      membership::MemberPatch p;
      const int which = static_cast<int>(pick(3));
      if (which == 0) p.city_code = kCities[pick(5)];
      if (which == 1) p.type = kTypes[pick(3)];
      if (which == 2) p.name = "更名开发区" + std::to_string(op);
      if (membership_->update_member(unit, p, staff())) ++ok["update_member"];
    }
    if (op == kOperations / 3 || op == 2 * kOperations / 3) {
      expect_in_step("after " + std::to_string(op + 1) + " operations");
    }
  }
  // A class finishes with certificates for those who were there both half days.
  clock_.set(at("2026-03-15T10:00:00+08:00"));
  for (const Cls& c : classes) {
    if (c.year == 2026) continue;
    training::ClassPatch finished;
    finished.status = "finished";
    if (training_->update_class(c.id, finished, staff())) {
      auto issued = training_->issue_certificates(c.id, staff());
      EXPECT_TRUE(issued.has_value()) << code_of(issued);
      if (issued) ok["certificates"] += *issued;
    }
  }
  expect_in_step("after the random writes");

  std::string done;
  for (const auto& [name, n] : ok) done += name + "=" + std::to_string(n) + " ";
  for (const char* op : {"pay", "reverse", "enrol", "cancel", "check_in", "reply", "attend",
                         "apply", "approve", "status", "tier", "update_member"}) {
    EXPECT_GT(ok[op], 0) << "the sequence never managed a " << op << ": " << done;
  }

  // The figures against what was done.
  for (int y : years) {
    auto d = reports_->dues({y, "", "", ""});
    ASSERT_TRUE(d.has_value()) << code_of(d);
    EXPECT_EQ(d->total.dues_collected_fen, collected[y]) << "payments less reversals, " << y;
    long long by_tier = 0;
    for (const Figures& f : d->by_tier) by_tier += f.dues_collected_fen;
    EXPECT_EQ(by_tier, collected[y]) << "the tiers sum to the total, " << y;
    long long by_city = 0;
    for (const Figures& f : d->by_city) by_city += f.dues_collected_fen;
    EXPECT_EQ(by_city, collected[y]) << "the cities sum to the total, " << y;
  }
  long long all_collected = 0;
  for (const auto& [y, fen] : collected) all_collected += fen;
  auto d2026 = reports_->dues({2026, "", "", ""});
  ASSERT_TRUE(d2026.has_value());
  long long by_month = 0;
  for (const MonthFigures& m : d2026->by_month) by_month += m.collected_fen;
  EXPECT_EQ(by_month, all_collected) << "every payment was made in 2026, whatever year it paid";
  auto annual = reports_->annual(2026);
  ASSERT_TRUE(annual.has_value());
  EXPECT_EQ(annual->dues_income_fen, all_collected);

  long long current = 0;
  std::map<std::string, long long> by_status;
  for (const auto& [id, st] : status) {
    current += st != "withdrawn" ? 1 : 0;
    ++by_status[st];
  }
  auto m = reports_->membership({2026, "", "", ""});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->total, current) << "units created less those withdrawn";
  for (const Count& c : m->by_status) {
    EXPECT_EQ(c.count, by_status[c.key]) << c.key;
  }
  long long city_sum = 0;
  for (const Count& c : m->by_city) city_sum += c.count;
  EXPECT_EQ(city_sum, current);

  // Training and visits against the base tables.
  for (int y : years) {
    auto t = reports_->training({y, "", "", ""}, {1, 100});
    ASSERT_TRUE(t.has_value());
    const auto [from, to] = year_bounds(y);
    EXPECT_EQ(t->classes.places,
              count("SELECT COUNT(*) FROM enrollments e JOIN classes c ON c.id = e.class_id WHERE "
                    "e.status = 'confirmed' AND c.starts_at >= '" +
                    from + "' AND c.starts_at < '" + to + "'"))
        << y;
    auto v = reports_->visits({y, "", "", ""}, {1, 100});
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->delegates,
              count("SELECT COUNT(*) FROM visit_delegates g JOIN visits v ON v.id = g.visit_id "
                    "WHERE g.status = 'approved' AND v.starts_on LIKE '" +
                    std::to_string(y) + "-%'"))
        << y;
  }
}

// ---- parallel writes on the same aggregate rows ----

TEST_P(ReportServiceTest, ParallelPaymentsAndSignUpsKeepTheAggregatesExact) {
  // Every unit in one city, type and tier: all writes land on the same report_group_year row.
  std::vector<long long> units;
  for (int i = 0; i < 16; ++i) units.push_back(add_unit("并发开发区" + std::to_string(i)));
  publish_and_bill(2026);
  std::vector<long long> invoices;
  for (long long u : units) {
    const auto inv = invoice_for(u, 2026);
    ASSERT_TRUE(inv.has_value());
    invoices.push_back(inv->id);
  }
  clock_.set(at("2025-12-01T10:00:00+08:00"));
  const long long cls = open_class("2026-06-10", 1000);
  clock_.set(at("2026-03-15T10:00:00+08:00"));

  constexpr int kThreads = 8;
  std::atomic<long long> paid{0};
  std::atomic<int> enrolled{0}, failures{0};
  std::mutex person_mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < units.size(); i += kThreads) {
        // Four payments of 50,000 fen each on every invoice of the thread's units.
        for (int k = 0; k < 4; ++k) {
          dues::Payment p;
          p.amount_fen = 50000;
          p.paid_on = "2026-03-15";
          p.method = "bank_transfer";
          auto r = payments_->record(invoices[i], p, staff());
          if (r) {
            paid += 50000;
          } else {
            ++failures;
          }
        }
        for (int k = 0; k < 3; ++k) {
          int person = 0;
          {
            std::lock_guard lock(person_mutex);
            person = ++next_person_;
          }
          auto e = training_->enroll(cls,
                                     {units[i],
                                      "",
                                      {"学员" + std::to_string(person), "", mobile(person), "", ""},
                                      kConsent},
                                     member_of(units[i]));
          if (e) {
            ++enrolled;
          } else {
            ++failures;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(paid.load(), 16 * 200000);
  EXPECT_EQ(enrolled.load(), 16 * 3);
  expect_in_step("after parallel payments and sign-ups");

  auto d = reports_->dues({2026, "", "", ""});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->total.dues_invoices, 16);
  EXPECT_EQ(d->total.dues_billed_fen, 16 * 200000);
  EXPECT_EQ(d->total.dues_collected_fen, 16 * 200000);
  EXPECT_EQ(d->total.dues_outstanding_fen, 0);
  EXPECT_EQ(d->total.dues_paid_invoices, 16);
  EXPECT_EQ(d->total.units_dues, 16);
  EXPECT_DOUBLE_EQ(collection_rate(d->total), 1.0);
  for (const auto& [age, b] : d->arrears_by_age) EXPECT_EQ(b.units, 0) << age;
  auto tr = reports_->training({2026, "", "", ""}, {1, 100});
  ASSERT_TRUE(tr.has_value());
  EXPECT_EQ(tr->classes.classes, 1);
  EXPECT_EQ(tr->classes.places, 48);
  EXPECT_EQ(tr->by_unit.total, 16);
  ASSERT_EQ(tr->by_unit.items.size(), 16u);
  for (const UnitLine& u : tr->by_unit.items) EXPECT_EQ(u.figures.training_places, 3) << u.name;

  // And in parallel again, reversing every payment.
  std::vector<long long> payment_ids;
  auto page = payments_->payments({}, 1, 100);
  ASSERT_TRUE(page.has_value());
  for (const auto& p : page->items) payment_ids.push_back(p.id);
  ASSERT_EQ(payment_ids.size(), 64u);
  threads.clear();
  std::atomic<int> reversed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < payment_ids.size(); i += kThreads) {
        if (payments_->reverse(payment_ids[i], "重复入账", staff())) ++reversed;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(reversed.load(), 64);
  expect_in_step("after parallel reversals");
  d = reports_->dues({2026, "", "", ""});
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->total.dues_collected_fen, 0);
  EXPECT_EQ(d->total.dues_outstanding_fen, 16 * 200000);
  EXPECT_EQ(d->total.dues_paid_invoices, 0);
  EXPECT_EQ(d->arrears_by_age.at("current").units, 16);
  EXPECT_EQ(d->arrears_by_age.at("current").outstanding_fen, 16 * 200000);
}

// ---- a reschedule across a year end moves the activity's figures to the new year ----

TEST_P(ReportServiceTest, RescheduledActivitiesMoveTheirFiguresToTheNewYear) {
  const long long a = add_unit("岳麓高新区");
  const long long b = add_unit("湘潭经开区", "430300");
  clock_.set(at("2025-09-01T10:00:00+08:00"));
  const long long cls = open_class("2025-12-20", 10);
  ASSERT_TRUE(enrol(cls, a));
  const long long m = meeting("2025-12-28T14:00:00+08:00", {a, b});
  ASSERT_TRUE(meetings_->reply(m, reply_of(a, true), staff()));
  const long long v = visit("2025-12-22", 5);
  auto app = apply_visit(v, b, 1);
  ASSERT_TRUE(app.has_value()) << code_of(app);
  ASSERT_TRUE(visits_->approve(app->delegates.at(0).id, staff()));
  expect_in_step("before the reschedules");

  training::ClassPatch cp;
  cp.starts_at = at("2026-01-08T09:00:00+08:00");
  cp.ends_at = at("2026-01-08T17:00:00+08:00");
  cp.signup_deadline = at("2026-01-03T09:00:00+08:00");
  auto moved_class = training_->update_class(cls, cp, staff());
  ASSERT_TRUE(moved_class.has_value()) << code_of(moved_class);
  expect_in_step("after a class moved from 2025 to 2026 (enrollments stay, classes.starts_at)");

  meetings::MeetingPatch mp;
  mp.starts_at = at("2026-01-09T14:00:00+08:00");
  mp.ends_at = at("2026-01-09T17:00:00+08:00");
  mp.rsvp_deadline = at("2026-01-04T14:00:00+08:00");
  auto moved_meeting = meetings_->update(m, mp, staff());
  ASSERT_TRUE(moved_meeting.has_value()) << code_of(moved_meeting);
  expect_in_step("after a meeting moved from 2025 to 2026 (meetings.starts_at)");

  visits::VisitPatch vp;
  vp.starts_on = *parse_date("2026-01-12");
  vp.ends_on = *parse_date("2026-01-12");
  vp.withdraw_cutoff = *parse_date("2026-01-09");
  vp.itinerary = std::vector<visits::ItineraryItem>{
      {"2026-01-12", "am", "苏州工业园区", "听取园区招商工作介绍", "", "大巴"}};
  auto moved_visit = visits_->update_visit(v, vp, staff());
  ASSERT_TRUE(moved_visit.has_value()) << code_of(moved_visit);
  expect_in_step("after a visit moved from 2025 to 2026 (visits.starts_on)");

  auto t = reports_->training({2026, "", "", ""}, {1, 20});
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->classes.places, 1);
  EXPECT_EQ(t->by_unit.total, 1) << "the unit's place is in 2026 now";
  auto engaged = reports_->engagement({2026, "", "", ""}, 1, {1, 20}, staff());
  ASSERT_TRUE(engaged.has_value());
  EXPECT_EQ(engaged->inactive_units, 0) << "both units took part in 2026 (class, reply, visit)";
}

// ---- a member account: its own unit only ----

TEST_P(ReportServiceTest, AMemberSeesItsOwnUnitOnly) {
  const long long mine = add_unit("岳麓高新区", "430100", "development_zone", "council");
  const long long other = add_unit("湘潭经开区", "430300");
  publish_and_bill(2026);
  ASSERT_TRUE(pay(invoice_for(other, 2026)->id, 200000));
  clock_.set(at("2025-11-01T10:00:00+08:00"));
  const long long cls = open_class("2026-05-10", 10);
  ASSERT_TRUE(enrol(cls, mine));
  ASSERT_TRUE(enrol(cls, other));
  ASSERT_TRUE(enrol(cls, other));
  clock_.set(at("2026-03-15T10:00:00+08:00"));

  auto d = reports_->dashboard(2026, member_of(mine));
  ASSERT_TRUE(d.has_value()) << code_of(d);
  EXPECT_TRUE(d->unit_scope);
  ASSERT_TRUE(d->unit.has_value());
  EXPECT_EQ(d->unit->member_id, mine);
  EXPECT_EQ(d->unit->name, "岳麓高新区");
  EXPECT_EQ(d->unit->outstanding_fen, 500000) << "the council tier's dues, unpaid";
  EXPECT_EQ(d->unit->oldest_arrears_year, 2026);
  EXPECT_EQ(d->unit->last_active_year, 2026);
  EXPECT_TRUE(d->headline.empty()) << "no association figures";
  EXPECT_TRUE(d->by_city.empty());
  EXPECT_TRUE(d->by_status.empty());
  EXPECT_TRUE(d->dues_by_month.empty());
  EXPECT_TRUE(d->training_by_city.empty());
  long long places = 0;
  for (const UnitYear& y : d->unit->years) {
    EXPECT_GE(y.year, 2022);
    EXPECT_LE(y.year, 2026);
    places += y.figures.training_places;
  }
  EXPECT_EQ(places, 1) << "its own place, not the other unit's two";

  auto e = reports_->engagement({2026, "", "", ""}, 3, {1, 20}, member_of(mine));
  ASSERT_TRUE(e.has_value()) << code_of(e);
  ASSERT_EQ(e->units.items.size(), 1u);
  EXPECT_EQ(e->units.total, 1);
  EXPECT_EQ(e->units.items[0].member_id, mine);
  EXPECT_EQ(e->units.items[0].figures.training_places, 1);
  EXPECT_EQ(e->units.items[0].outstanding_fen, 500000);
  EXPECT_EQ(e->inactive_units, 0);
  auto table = reports_->engagement_table({2026, "", "", ""}, 3, member_of(mine));
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(table->rows.size(), 1u) << "the download holds its own line only";

  // A member principal without a unit gets nothing.
  Principal stray = member_of(mine);
  stray.member_id.reset();
  EXPECT_EQ(reports_->dashboard(2026, stray).error().code, ErrorCode::permission_denied);
  EXPECT_EQ(reports_->engagement({2026, "", "", ""}, 3, {1, 20}, stray).error().code,
            ErrorCode::permission_denied);
  EXPECT_FALSE(stray.can(Permission::reports_read))
      << "the other reports are guarded by reports.read on their routes";

  // Leaders and staff see the association.
  for (const Principal& who : {leader(), staff()}) {
    auto all = reports_->dashboard(2026, who);
    ASSERT_TRUE(all.has_value()) << code_of(all);
    EXPECT_FALSE(all->unit_scope);
    EXPECT_FALSE(all->unit.has_value());
    EXPECT_EQ(all->headline.size(), 11u);
    auto units = std::ranges::find(all->headline, std::string("units"), &Headline::key);
    ASSERT_NE(units, all->headline.end());
    EXPECT_EQ(units->value, 2.0);
    auto everyone = reports_->engagement({2026, "", "", ""}, 3, {1, 20}, who);
    ASSERT_TRUE(everyone.has_value());
    EXPECT_EQ(everyone->units.total, 2);
  }
}

// ---- engagement order, inactive units, drill-downs ----

TEST_P(ReportServiceTest, EngagementPutsTheLeastEngagedFirstAndDrillsFindTheUnits) {
  const long long never = add_unit("从未参与开发区", "430200", "industrial_park");
  const long long last_year = add_unit("去年参与开发区", "430100");
  const long long this_year = add_unit("今年参与开发区", "430100");
  const long long gone = add_unit("已退会开发区", "430100");
  // An older unit active three years ago: inactive for years=1 and 2, active for years=3.
  const long long three_ago = add_unit("三年前参与开发区", "430600");

  clock_.set(at("2023-01-10T10:00:00+08:00"));
  const long long m2024 = meeting("2024-05-10T14:00:00+08:00", {three_ago});
  ASSERT_TRUE(meetings_->reply(m2024, reply_of(three_ago, true), staff()));
  clock_.set(at("2024-11-01T10:00:00+08:00"));
  const long long c2025 = open_class("2025-06-10", 10);
  ASSERT_TRUE(enrol(c2025, last_year));
  clock_.set(at("2025-11-01T10:00:00+08:00"));
  const long long c2026 = open_class("2026-06-10", 10);
  ASSERT_TRUE(enrol(c2026, this_year));
  ASSERT_TRUE(enrol(c2026, gone));
  clock_.set(at("2026-03-15T10:00:00+08:00"));
  ASSERT_TRUE(membership_->change_status(gone, "withdrawn", "自愿退会", staff()));

  // Arrears: "never" owes 2026 dues, "three_ago" owes 2024's too (age 2y).
  auto s2024 = dues_->set_schedule(2024, schedule_input(2024), staff());
  ASSERT_TRUE(s2024.has_value());
  ASSERT_TRUE(dues_->publish_schedule(2024, staff()));
  ASSERT_TRUE(dues_->bill_run(2024, false, staff()));
  publish_and_bill(2026);
  for (long long u : {last_year, this_year}) {
    for (int y : {2024, 2026}) {
      const auto inv = invoice_for(u, y);
      ASSERT_TRUE(inv.has_value());
      ASSERT_TRUE(pay(inv->id, inv->amount_fen - inv->reduced_fen - inv->paid_fen));
    }
  }
  ASSERT_TRUE(pay(invoice_for(never, 2024)->id, 200000));
  expect_in_step("after the engagement set-up");

  auto e = reports_->engagement({2026, "", "", ""}, 3, {1, 20}, staff());
  ASSERT_TRUE(e.has_value()) << code_of(e);
  std::vector<long long> order;
  for (const UnitLine& u : e->units.items) order.push_back(u.member_id);
  EXPECT_EQ(order, (std::vector<long long>{never, three_ago, last_year, this_year}))
      << "never active, then oldest activity first; the withdrawn unit is not listed";
  EXPECT_EQ(e->units.total, 4);
  ASSERT_EQ(e->units.items.size(), 4u);
  EXPECT_EQ(e->units.items[0].last_active_year, 0);
  EXPECT_EQ(e->units.items[1].last_active_year, 2024);
  EXPECT_EQ(e->units.items[2].last_active_year, 2025);
  EXPECT_EQ(e->units.items[3].last_active_year, 2026);
  EXPECT_EQ(e->units.items[0].outstanding_fen, 200000);
  EXPECT_EQ(e->units.items[1].outstanding_fen, 400000);
  EXPECT_EQ(e->units.items[1].oldest_arrears_year, 2024);
  EXPECT_EQ(e->units.items[1].figures.meeting_replies, 1) << "2024 is within three years";
  EXPECT_EQ(e->inactive_units, 1) << "only the never-active unit over three years";

  auto one = reports_->engagement({2026, "", "", ""}, 1, {1, 20}, staff());
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->inactive_units, 3) << "never, three years ago and last year: none in 2026";
  EXPECT_EQ(one->units.items.at(2).figures.training_places, 0)
      << "last year's place is outside a one-year window";
  auto two = reports_->engagement({2026, "", "", ""}, 2, {1, 20}, staff());
  ASSERT_TRUE(two.has_value());
  EXPECT_EQ(two->inactive_units, 2);

  // Paging.
  auto page2 = reports_->engagement({2026, "", "", ""}, 3, {2, 3}, staff());
  ASSERT_TRUE(page2.has_value());
  ASSERT_EQ(page2->units.items.size(), 1u);
  EXPECT_EQ(page2->units.items[0].member_id, this_year);
  EXPECT_EQ(page2->units.total, 4);
  // Filtered by city.
  auto changsha = reports_->engagement({2026, "430100", "", ""}, 3, {1, 20}, staff());
  ASSERT_TRUE(changsha.has_value());
  EXPECT_EQ(changsha->units.total, 2);
  EXPECT_EQ(changsha->inactive_units, 0);

  // Drill: membership by city and by status, dues by age.
  auto city = reports_->drill("membership", "city", "430100", {2026, "", "", ""}, {1, 20});
  ASSERT_TRUE(city.has_value()) << code_of(city);
  std::set<long long> ids;
  for (const UnitLine& u : city->items) ids.insert(u.member_id);
  EXPECT_EQ(ids, (std::set<long long>{last_year, this_year})) << "current members only";
  EXPECT_EQ(city->total, 2);
  auto withdrawn =
      reports_->drill("membership", "status", "withdrawn", {2026, "", "", ""}, {1, 20});
  ASSERT_TRUE(withdrawn.has_value());
  ASSERT_EQ(withdrawn->items.size(), 1u);
  EXPECT_EQ(withdrawn->items[0].member_id, gone);
  EXPECT_EQ(withdrawn->total, 1);
  auto type = reports_->drill("membership", "type", "industrial_park", {2026, "", "", ""}, {1, 20});
  ASSERT_TRUE(type.has_value());
  ASSERT_EQ(type->items.size(), 1u);
  EXPECT_EQ(type->items[0].member_id, never);

  auto age2 = reports_->drill("dues", "age", "2y", {2026, "", "", ""}, {1, 20});
  ASSERT_TRUE(age2.has_value()) << code_of(age2);
  ASSERT_EQ(age2->items.size(), 1u);
  EXPECT_EQ(age2->items[0].member_id, three_ago);
  EXPECT_EQ(age2->total, 1);
  EXPECT_EQ(age2->items[0].outstanding_fen, 400000);
  auto current = reports_->drill("dues", "age", "current", {2026, "", "", ""}, {1, 20});
  ASSERT_TRUE(current.has_value());
  ids.clear();
  for (const UnitLine& u : current->items) ids.insert(u.member_id);
  EXPECT_EQ(ids, (std::set<long long>{never})) << "the withdrawn unit was never billed";
  EXPECT_EQ(current->total, 1);
  auto dues_report = reports_->dues({2026, "", "", ""});
  ASSERT_TRUE(dues_report.has_value());
  EXPECT_EQ(dues_report->arrears_by_age.at("2y").units, 1);
  EXPECT_EQ(dues_report->arrears_by_age.at("2y").outstanding_fen, 400000);
  EXPECT_EQ(dues_report->arrears_by_age.at("current").units, 1);

  auto training_city = reports_->drill("training", "city", "430100", {2026, "", "", ""}, {1, 20});
  ASSERT_TRUE(training_city.has_value());
  ASSERT_EQ(training_city->items.size(), 2u) << "this year's and the withdrawn unit's places";
  EXPECT_EQ(training_city->total, 2);

  // Bad drills name what is wrong.
  auto bad = reports_->drill("membership", "colour", "x", {2026, "", "", ""}, {1, 20});
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(names(bad.error(), "dimension"));
  bad = reports_->drill("dues", "age", "9y", {2026, "", "", ""}, {1, 20});
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(names(bad.error(), "key"));
  bad = reports_->drill("training", "city", "999999", {2026, "", "", ""}, {1, 20});
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(names(bad.error(), "city_code"));
  bad = reports_->drill("membership", "city", "430100", {2026, "", "", ""}, {1, 101});
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(names(bad.error(), "page_size"));
  auto years0 = reports_->engagement({2026, "", "", ""}, 0, {1, 20}, staff());
  ASSERT_FALSE(years0.has_value());
  EXPECT_TRUE(names(years0.error(), "years"));
  auto years11 = reports_->engagement({2026, "", "", ""}, 11, {1, 20}, staff());
  ASSERT_FALSE(years11.has_value());
  EXPECT_TRUE(names(years11.error(), "years"));
}

// ---- membership flows and the term ----

TEST_P(ReportServiceTest, MembershipFlowsAndTheTermCountdown) {
  add_unit("甲开发区", "430100", "development_zone", "member", "2019-05-01");
  const long long b = add_unit("乙开发区", "430200", "industrial_park", "council", "2022-03-01");
  add_unit("丙开发区", "430300", "development_zone", "member", "2025-07-01");
  const long long d =
      add_unit("丁开发区", "430300", "customs_zone", "member", "2021-01-01", "withdrawn");
  // Imported as withdrawn: no date it left.
  ASSERT_TRUE(db_->with_transaction([&](soci::session& s) -> Result<bool> {
    s << "UPDATE members SET left_on = NULL WHERE id = " + std::to_string(d);
    return true;
  }));
  clock_.set(at("2024-08-01T10:00:00+08:00"));
  ASSERT_TRUE(membership_->change_status(b, "withdrawn", "自愿退会", staff()));
  clock_.set(at("2026-03-15T10:00:00+08:00"));
  expect_in_step("after the status changes");

  auto m = reports_->membership({2026, "", "", ""});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->total, 2);
  EXPECT_EQ(m->at_year_end, 2);
  auto y2024 = std::ranges::find(m->flows, 2024, &Flow::year);
  ASSERT_NE(y2024, m->flows.end());
  EXPECT_EQ(y2024->left, 1);
  EXPECT_EQ(y2024->at_year_end, 1);
  auto m2023 = reports_->membership({2023, "", "", ""});
  ASSERT_TRUE(m2023.has_value());
  EXPECT_EQ(m2023->at_year_end, 2) << "甲 and 乙 (the undated withdrawn 丁 is gone from the start)";
  auto filtered = reports_->membership({2026, "430300", "", ""});
  ASSERT_TRUE(filtered.has_value());
  EXPECT_EQ(filtered->total, 1);
  auto bad = reports_->membership({2026, "", "x", "x"});
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(names(bad.error(), "type"));
  EXPECT_TRUE(names(bad.error(), "tier"));

  Principal admin;
  admin.username = "admin";
  admin.roles = {Role::admin};
  auto t = reports_->set_term(4, std::string("2026-04-14"), admin);
  ASSERT_TRUE(t.has_value()) << code_of(t);
  EXPECT_EQ(t->term_no, 4);
  EXPECT_EQ(t->days_left, 30);
  auto dash = reports_->dashboard(2026, leader());
  ASSERT_TRUE(dash.has_value());
  EXPECT_EQ(dash->term.days_left, 30);
  EXPECT_EQ(dash->term.ends_on, "2026-04-14");
  auto wrong = reports_->set_term(0, std::string("2026-13-40"), admin);
  ASSERT_FALSE(wrong.has_value());
  EXPECT_TRUE(names(wrong.error(), "term_no"));
  EXPECT_TRUE(names(wrong.error(), "term_ends_on"));
  auto cleared = reports_->set_term(std::nullopt, std::nullopt, admin);
  ASSERT_TRUE(cleared.has_value());
  EXPECT_FALSE(cleared->term_no.has_value());
  EXPECT_FALSE(cleared->days_left.has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportServiceTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::reports
