#include "services/membership/membership_service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/audit.hpp"
#include "core/db/migrator.hpp"
#include "services/accounts/user_repository.hpp"
#include "services/membership/membership_rules.hpp"
#include "services/privacy/consent.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::membership {
namespace {

using testing::BackendName;
using testing::TestDatabase;

// A valid application; each test changes only what it is about.
ApplicationInput valid_application(std::string uscc_body = "9143010000000000A",
                                   std::string username = "changsha.etdz") {
  ApplicationInput in;
  in.org = {"长沙经济技术开发区", "长沙经开区", uscc_body + uscc_check_char(uscc_body),
            "development_zone",   "national",   "430100",
            "长沙县星沙街道"};
  in.contact = {"张三", "办公室主任", "+86 138-0731-0001", "Zhang.San@Example.CN"};
  in.username = std::move(username);
  in.password = "Apply-Pass-2026";
  in.consent_version = privacy::kFirstNoticeVersion;
  return in;
}

Principal staff_actor() {
  Principal p;
  p.user_id = 0;
  p.username = "staff-test";
  p.address = "127.0.0.1";
  p.roles = {Role::staff};
  return p;
}

TEST(MembershipRules, NormalisesAndNamesEachBadField) {
  ApplicationInput ok = valid_application();
  ok.org.uscc = " " + ok.org.uscc.substr(0, 8) +
                std::string(1, static_cast<char>(std::tolower(ok.org.uscc[8]))) +
                ok.org.uscc.substr(9);
  EXPECT_TRUE(check_application(ok, hunan_prefectures(), 10).empty());
  EXPECT_EQ(ok.contact.mobile, "13807310001");
  EXPECT_EQ(ok.contact.email, "Zhang.San@example.cn");
  EXPECT_EQ(ok.org.uscc.size(), 18u);

  ApplicationInput bad = valid_application();
  bad.org.uscc[17] = bad.org.uscc[17] == '0' ? '1' : '0';
  bad.org.city_code = "440100";
  bad.org.type = "bank";
  bad.contact.mobile = "0731-8888";
  bad.contact.email = "nope";
  bad.password = "short";
  auto errors = check_application(bad, hunan_prefectures(), 10);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"org.uscc", "org.type", "org.city_code", "contact.mobile",
                                      "contact.email", "account.password"}));
}

TEST(MembershipRules, StatusTransitions) {
  EXPECT_TRUE(status_change_allowed("active", "suspended", false));
  EXPECT_TRUE(status_change_allowed("suspended", "active", false));
  EXPECT_TRUE(status_change_allowed("active", "expelled", false));
  EXPECT_TRUE(status_change_allowed("withdrawn", "active", false)) << "re-admission";
  EXPECT_FALSE(status_change_allowed("withdrawn", "suspended", false));
  EXPECT_FALSE(status_change_allowed("expelled", "active", false)) << "expulsion is final";
  EXPECT_FALSE(status_change_allowed("active", "lapsed", false)) << "only dues set lapsed";
  EXPECT_TRUE(status_change_allowed("active", "lapsed", true));
  EXPECT_TRUE(status_change_allowed("lapsed", "active", false));
  EXPECT_FALSE(status_change_allowed("active", "active", false));
  EXPECT_FALSE(status_change_allowed("active", "retired", false));
}

class MembershipServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 4);
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    service_ = std::make_unique<MembershipService>(*db_, hasher_, clock_);
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
  ManualClock clock_{Timestamp{std::chrono::seconds{1'790'000'000}}};
  accounts::PasswordHasher hasher_{{1, 8 * 1024}};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<MembershipService> service_;
};

TEST_P(MembershipServiceTest, SubmitCreatesAPendingApplicationAndARolelessAccount) {
  auto a = service_->submit(valid_application(), "10.0.0.8");
  ASSERT_TRUE(a.has_value()) << a.error().message.en;
  EXPECT_EQ(a->status, "pending");
  EXPECT_EQ(a->contact.mobile, "13807310001");
  auto user = db_->with_session([&](soci::session& s) -> Result<std::optional<accounts::User>> {
    return accounts::user_repository::find_by_id(s, a->user_id);
  });
  ASSERT_TRUE(user && user->has_value());
  EXPECT_TRUE((*user)->roles.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'application.submit'"), 1);
}

TEST_P(MembershipServiceTest, DuplicatesAreRefusedAndWriteNothing) {
  ASSERT_TRUE(service_->submit(valid_application(), "ip"));
  auto same_code = service_->submit(valid_application("9143010000000000A", "other.user"), "ip");
  ASSERT_FALSE(same_code.has_value());
  EXPECT_EQ(same_code.error().code, ErrorCode::already_exists);
  EXPECT_EQ(same_code.error().fields.at(0).field, "org.uscc");
  auto same_user = service_->submit(valid_application("9143010000000000B"), "ip");
  ASSERT_FALSE(same_user.has_value());
  EXPECT_EQ(same_user.error().fields.at(0).field, "account.username");
  EXPECT_EQ(count("SELECT COUNT(*) FROM applications"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 1);
}

TEST_P(MembershipServiceTest, ParallelApplicationsForOneCodeLeaveOnePending) {
  constexpr int kApplicants = 8;
  std::atomic<int> created{0}, refused{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kApplicants; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      // Each from its own address and with its own username: only the code is shared.
      auto a = service_->submit(valid_application("9143010000000000A", "racer" + std::to_string(i)),
                                "10.1.0." + std::to_string(i));
      if (a) {
        ++created;
      } else if (a.error().code == ErrorCode::already_exists && !a.error().fields.empty() &&
                 a.error().fields[0].field == "org.uscc") {
        ++refused;
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), kApplicants - 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM applications WHERE status = 'pending'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 1) << "the refused wrote no account";
}

TEST_P(MembershipServiceTest, RefusedSubmissionsCountTowardsTheAddressLimit) {
  ASSERT_TRUE(service_->submit(valid_application(), "10.9.9.9"));
  // Probing usernames (409) and sending bad forms (400) use up the same hourly allowance.
  for (int i = 0; i < 3; ++i) {
    auto taken = service_->submit(valid_application("9143010000000000B"), "10.9.9.9");
    ASSERT_FALSE(taken.has_value());
    EXPECT_EQ(taken.error().code, ErrorCode::already_exists) << "probe " << i + 1;
  }
  ApplicationInput bad = valid_application("9143010000000000B", "bad.form");
  bad.org.uscc = "not a code";
  auto invalid = service_->submit(bad, "10.9.9.9");
  ASSERT_FALSE(invalid.has_value());
  EXPECT_EQ(invalid.error().code, ErrorCode::invalid_argument);
  auto sixth = service_->submit(valid_application("9143010000000000B", "taken.or.not"), "10.9.9.9");
  ASSERT_FALSE(sixth.has_value());
  EXPECT_EQ(sixth.error().code, ErrorCode::rate_limited)
      << "the sixth submission of the hour is refused before anything is looked up";
  EXPECT_EQ(count("SELECT COUNT(*) FROM applications"), 1);
}

TEST_P(MembershipServiceTest, ApprovalKeepsADisabledAccountDisabledAndLeavesOtherRolesAlone) {
  auto disabled_one = service_->submit(valid_application(), "ip");
  auto promoted_one = service_->submit(valid_application("9143010000000000B", "made.staff"), "ip");
  ASSERT_TRUE(disabled_one && promoted_one);
  ASSERT_TRUE(db_->with_transaction([&](soci::session& s) -> Status {
    auto u = accounts::user_repository::find_by_id(s, disabled_one->user_id);
    accounts::user_repository::update_profile(s, u->id, u->display_name, true, std::nullopt,
                                              clock_.now());
    accounts::user_repository::replace_roles(s, promoted_one->user_id, {Role::staff});
    return {};
  }));
  const auto user = [&](long long id) {
    auto u = db_->with_session([&](soci::session& s) -> Result<std::optional<accounts::User>> {
      return accounts::user_repository::find_by_id(s, id);
    });
    EXPECT_TRUE(u && u->has_value());
    return u && u->has_value() ? **u : accounts::User{};
  };

  auto approved = service_->approve(disabled_one->id, "member", staff_actor());
  ASSERT_TRUE(approved.has_value()) << approved.error().message.en;
  EXPECT_EQ(approved->account, "disabled") << "the reviewer is told";
  const accounts::User d = user(disabled_one->user_id);
  EXPECT_TRUE(d.disabled) << "approval does not re-enable an account an admin disabled";
  EXPECT_EQ(d.member_id, approved->member_id);

  auto second = service_->approve(promoted_one->id, "member", staff_actor());
  ASSERT_TRUE(second.has_value()) << second.error().message.en;
  EXPECT_EQ(second->account, "not_linked");
  const accounts::User p = user(promoted_one->user_id);
  EXPECT_EQ(p.roles, std::vector<Role>{Role::staff}) << "roles an admin gave are kept";
  EXPECT_EQ(p.member_id, std::nullopt);
}

TEST_P(MembershipServiceTest, ApprovalCreatesANumberedMemberAndAMemberAccount) {
  auto a = service_->submit(valid_application(), "ip");
  ASSERT_TRUE(a.has_value());
  auto approved = service_->approve(a->id, "council", staff_actor());
  ASSERT_TRUE(approved.has_value()) << approved.error().message.en;
  EXPECT_EQ(approved->account, "active");
  // At least four digits: ids pass 9,999 in a long-lived test database.
  std::string digits = std::to_string(approved->member_id);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  EXPECT_EQ(approved->member_no, "XH" + digits);
  auto user = db_->with_session([&](soci::session& s) -> Result<std::optional<accounts::User>> {
    return accounts::user_repository::find_by_id(s, a->user_id);
  });
  ASSERT_TRUE(user && user->has_value());
  EXPECT_EQ((*user)->roles, std::vector<Role>{Role::member});
  EXPECT_EQ((*user)->member_id, approved->member_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE tier = 'council' AND status = 'active'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE sort_key LIKE 'chang sha jing ji%'"), 1)
      << "长沙 is read chang sha in the pinyin sort key";
  auto again = service_->approve(a->id, "member", staff_actor());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  auto resubmit = service_->submit(valid_application("9143010000000000A", "second.try"), "ip");
  ASSERT_FALSE(resubmit.has_value()) << "a member's credit code cannot apply again";
  EXPECT_EQ(resubmit.error().fields.at(0).field, "org.uscc");
}

TEST_P(MembershipServiceTest, ParallelApprovalsOfOneApplicationCreateOneMember) {
  auto a = service_->submit(valid_application(), "ip");
  ASSERT_TRUE(a.has_value());
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      auto r = service_->approve(a->id, "member", staff_actor());
      if (r)
        ++ok;
      else if (r.error().code == ErrorCode::conflict)
        ++conflict;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 1);
}

TEST_P(MembershipServiceTest, TheApplicantWithdrawsItsPendingApplicationOnly) {
  auto a = service_->submit(valid_application(), "ip");
  ASSERT_TRUE(a.has_value());
  Principal applicant;
  applicant.user_id = a->user_id;
  applicant.username = "applicant";
  Principal stranger;
  stranger.user_id = a->user_id + 100;
  auto theirs = service_->withdraw(a->id, stranger);
  ASSERT_FALSE(theirs.has_value());
  EXPECT_EQ(theirs.error().code, ErrorCode::not_found) << "not even staff withdraw it";
  auto staff = service_->withdraw(a->id, staff_actor());
  ASSERT_FALSE(staff.has_value());
  EXPECT_EQ(staff.error().code, ErrorCode::not_found);

  auto done = service_->withdraw(a->id, applicant);
  ASSERT_TRUE(done.has_value()) << done.error().message.en;
  EXPECT_EQ(done->status, "withdrawn");
  auto again = service_->withdraw(a->id, applicant);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  auto approve = service_->approve(a->id, "member", staff_actor());
  ASSERT_FALSE(approve.has_value()) << "a withdrawn application cannot be approved";
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'application.withdraw'"), 1);
  EXPECT_TRUE(service_->submit(valid_application("9143010000000000A", "second.try"), "ip"))
      << "the credit code may apply again";
}

TEST_P(MembershipServiceTest, RejectionKeepsTheReasonForTheApplicant) {
  auto a = service_->submit(valid_application(), "ip");
  ASSERT_TRUE(a.has_value());
  auto no_reason = service_->reject(a->id, "", staff_actor());
  ASSERT_FALSE(no_reason.has_value());
  EXPECT_EQ(no_reason.error().code, ErrorCode::invalid_argument);
  auto r = service_->reject(a->id, "材料不全，请补充园区批复文件", staff_actor());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, "rejected");
  Principal applicant;
  applicant.user_id = a->user_id;
  auto seen = service_->get(a->id, applicant);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->decision_reason, "材料不全，请补充园区批复文件");
  Principal stranger;
  stranger.user_id = a->user_id + 100;
  EXPECT_EQ(service_->get(a->id, stranger).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->approve(a->id, "member", staff_actor()).error().code, ErrorCode::conflict);
  EXPECT_EQ(service_->approve(a->id, "emperor", staff_actor()).error().code,
            ErrorCode::invalid_argument);
}

TEST_P(MembershipServiceTest, ListsByStatusInSubmissionOrder) {
  ASSERT_TRUE(service_->submit(valid_application("9143010000000000A", "first.zone"), "ip"));
  clock_.advance(std::chrono::minutes(1));
  auto second = service_->submit(valid_application("9143010000000000B", "second.zone"), "ip");
  ASSERT_TRUE(second.has_value());
  ASSERT_TRUE(service_->reject(second->id, "重复申请", staff_actor()));
  auto pending = service_->list("pending", 1, 50);
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->total, 1);
  ASSERT_EQ(pending->items.size(), 1u);
  EXPECT_EQ(pending->items[0].org.uscc.substr(0, 17), "9143010000000000A");
  EXPECT_EQ(service_->list("", 1, 50)->total, 2);
}

TEST_P(MembershipServiceTest, DirectorySortsByPinyinAndFilters) {
  const std::vector<std::tuple<std::string, std::string, std::string>> zones{
      {"张家界经济开发区", "430800", "9143080000000000Y"},
      {"长沙经济技术开发区", "430100", "9143010000000000C"},
      {"常德经济技术开发区", "430700", "9143070000000000D"}};
  int n = 0;
  for (const auto& [name, city, body] : zones) {
    ApplicationInput in = valid_application(body, "zone" + std::to_string(n++));
    in.org.name = name;
    in.org.short_name = "";
    in.org.city_code = city;
    auto a = service_->submit(in, "ip");
    ASSERT_TRUE(a.has_value()) << a.error().message.en;
    ASSERT_TRUE(service_->approve(a->id, "member", staff_actor()));
  }
  auto all = service_->list_members({}, 1, 50, staff_actor());
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->items.size(), 3u);
  EXPECT_EQ(all->items[0].org.name, "常德经济技术开发区") << "chang de";
  EXPECT_EQ(all->items[1].org.name, "长沙经济技术开发区") << "chang sha, not zhang sha";
  EXPECT_EQ(all->items[2].org.name, "张家界经济开发区") << "zhang jia jie";
  MemberFilter by_text;
  by_text.q = "长沙";
  EXPECT_EQ(service_->list_members(by_text, 1, 50, staff_actor())->total, 1);
  MemberFilter by_city;
  by_city.city_code = "430800";
  auto z = service_->list_members(by_city, 1, 50, staff_actor());
  ASSERT_EQ(z->items.size(), 1u);
  EXPECT_EQ(z->items[0].org.name, "张家界经济开发区");
  // Totals without a text search come from the report aggregates: they must agree.
  EXPECT_EQ(z->total, 1);
  EXPECT_EQ(all->total, 3);
  MemberFilter city_and_status = by_city;
  city_and_status.status = "active";
  EXPECT_EQ(service_->list_members(city_and_status, 1, 50, staff_actor())->total, 1);
  city_and_status.status = "withdrawn";
  EXPECT_EQ(service_->list_members(city_and_status, 1, 50, staff_actor())->total, 0);
  MemberFilter nowhere;
  nowhere.city_code = "439900";
  EXPECT_EQ(service_->list_members(nowhere, 1, 50, staff_actor())->total, 0);
  MemberFilter wildcard;
  wildcard.q = "%";
  EXPECT_EQ(service_->list_members(wildcard, 1, 50, staff_actor())->total, 0)
      << "% is matched literally";
  auto second_page = service_->list_members({}, 2, 2, staff_actor());
  EXPECT_EQ(second_page->total, 3);
  ASSERT_EQ(second_page->items.size(), 1u);

  Principal member_of_zhangjiajie;
  member_of_zhangjiajie.roles = {Role::member};
  member_of_zhangjiajie.member_id = all->items[2].id;
  EXPECT_TRUE(service_->get_member(all->items[2].id, member_of_zhangjiajie)->full);
  EXPECT_FALSE(service_->get_member(all->items[0].id, member_of_zhangjiajie)->full);

  // A member may not filter or sort by what it may not read (status, joining date).
  MemberFilter by_status;
  by_status.status = "suspended";
  auto refused = service_->list_members(by_status, 1, 50, member_of_zhangjiajie);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  ASSERT_EQ(refused.error().fields.size(), 1u);
  EXPECT_EQ(refused.error().fields[0].field, "status");
  MemberFilter by_joined;
  by_joined.sort = "joined";
  auto refused_sort = service_->list_members(by_joined, 1, 50, member_of_zhangjiajie);
  ASSERT_FALSE(refused_sort.has_value());
  EXPECT_EQ(refused_sort.error().fields[0].field, "sort");
  EXPECT_TRUE(service_->list_members({}, 1, 50, member_of_zhangjiajie).has_value());
  EXPECT_TRUE(service_->list_members(by_status, 1, 50, staff_actor()).has_value());

  // Staff pick units by member number too; for a member the number is not a public field.
  MemberFilter by_number;
  by_number.q = all->items[1].member_no;
  auto found = service_->list_members(by_number, 1, 50, staff_actor());
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(found->items.size(), 1u);
  EXPECT_EQ(found->items[0].org.name, "长沙经济技术开发区");
  EXPECT_EQ(service_->list_members(by_number, 1, 50, member_of_zhangjiajie)->total, 0);
  EXPECT_TRUE(service_->get_member(all->items[0].id, staff_actor())->full);
  EXPECT_EQ(service_->get_member(999999, staff_actor()).error().code, ErrorCode::not_found);
}

TEST_P(MembershipServiceTest, StatusChangesAreRecordedWithReasonActorAndAudit) {
  auto a = service_->submit(valid_application(), "ip");
  ASSERT_TRUE(a.has_value());
  auto approved = service_->approve(a->id, "member", staff_actor());
  ASSERT_TRUE(approved.has_value());
  const long long id = approved->member_id;
  auto no_reason = service_->change_status(id, "suspended", "", staff_actor());
  ASSERT_FALSE(no_reason.has_value());
  EXPECT_EQ(no_reason.error().fields.at(0).field, "reason");
  EXPECT_EQ(service_->change_status(id, "lapsed", "欠费", staff_actor()).error().code,
            ErrorCode::conflict);
  auto suspended = service_->change_status(id, "suspended", "连续两年未参加活动", staff_actor());
  ASSERT_TRUE(suspended.has_value()) << suspended.error().message.en;
  EXPECT_EQ(suspended->status, "suspended");
  clock_.advance(std::chrono::hours(24));
  ASSERT_TRUE(service_->change_status(id, "expelled", "理事会决议", staff_actor()));
  EXPECT_EQ(service_->change_status(id, "active", "误操作", staff_actor()).error().code,
            ErrorCode::conflict);
  auto history = service_->status_history(id);
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].from_status, "active");
  EXPECT_EQ((*history)[0].to_status, "suspended");
  EXPECT_EQ((*history)[0].reason, "连续两年未参加活动");
  EXPECT_EQ((*history)[0].actor_name, "staff-test");
  EXPECT_EQ((*history)[1].to_status, "expelled");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.status'"), 2);
  EXPECT_EQ(service_->status_history(987654).error().code, ErrorCode::not_found);
}

TEST_P(MembershipServiceTest, ParallelStatusChangesApplyOneAfterAnother) {
  auto a = service_->submit(valid_application(), "ip");
  ASSERT_TRUE(a.has_value());
  const long long id = service_->approve(a->id, "member", staff_actor())->member_id;
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      auto r = service_->change_status(id, "suspended", "并发测试", staff_actor());
      if (r)
        ++ok;
      else if (r.error().code == ErrorCode::conflict)
        ++conflict;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1) << "the row lock makes the others see 'suspended' already";
  EXPECT_EQ(conflict.load(), 5);
  EXPECT_EQ(service_->status_history(id)->size(), 1u);
}

TEST_P(MembershipServiceTest, ContactsBelongToTheirUnitWithOneRepresentative) {
  auto a = service_->submit(valid_application(), "ip");
  ASSERT_TRUE(a.has_value());
  const long long id = service_->approve(a->id, "member", staff_actor())->member_id;
  Principal own;
  own.user_id = a->user_id;
  own.username = "changsha.etdz";
  own.roles = {Role::member};
  own.member_id = id;
  Principal other = own;
  other.user_id = a->user_id + 50;
  other.member_id = id + 50;
  Principal leader;
  leader.roles = {Role::leader};

  auto initial = service_->list_contacts(id, own);
  ASSERT_TRUE(initial.has_value());
  ASSERT_EQ(initial->size(), 1u) << "approval makes the applicant's contact the representative";
  EXPECT_EQ((*initial)[0].role, "representative");
  EXPECT_EQ((*initial)[0].person.mobile, "13807310001");

  auto bad = service_->add_contact(id, {0, 0, "boss", {"", "", "123", "x"}}, own);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().fields.size(), 4u) << "role, name, mobile, email";

  auto rep = service_->add_contact(
      id, {0, 0, "representative", {"王五", "副主任", "13907310002", ""}}, own);
  ASSERT_TRUE(rep.has_value()) << rep.error().message.en;
  auto now_contacts = service_->list_contacts(id, own);
  ASSERT_EQ(now_contacts->size(), 2u);
  EXPECT_EQ((*now_contacts)[0].person.name, "王五") << "the new representative comes first";
  EXPECT_EQ((*now_contacts)[1].role, "liaison") << "the previous one became a liaison";

  EXPECT_EQ(service_->list_contacts(id, other).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->add_contact(id, {0, 0, "liaison", {"赵六", "", "13907310003", ""}}, other)
                .error()
                .code,
            ErrorCode::not_found);
  auto masked = service_->list_contacts(id, leader);
  ASSERT_TRUE(masked.has_value());
  EXPECT_EQ((*masked)[0].person.mobile, "139****0002");
  EXPECT_EQ(service_->add_contact(id, {0, 0, "liaison", {"赵六", "", "13907310003", ""}}, leader)
                .error()
                .code,
            ErrorCode::permission_denied);

  ContactPatch patch;
  patch.title = "主任";
  auto changed = service_->update_contact(id, rep->id, patch, own);
  ASSERT_TRUE(changed.has_value());
  EXPECT_EQ(changed->person.title, "主任");
  EXPECT_EQ(service_->update_contact(id + 1, rep->id, patch, staff_actor()).error().code,
            ErrorCode::not_found)
      << "a contact is reached only through its own unit";
  ASSERT_TRUE(service_->delete_contact(id, rep->id, own));
  EXPECT_EQ(service_->list_contacts(id, own)->size(), 1u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'contact.%'"), 3);
}

TEST_P(MembershipServiceTest, UnitsAreChangedByStaffAndPartlyByThemselves) {
  auto a = service_->submit(valid_application(), "ip");
  ASSERT_TRUE(a.has_value());
  const long long id = service_->approve(a->id, "member", staff_actor())->member_id;
  Principal own;
  own.user_id = a->user_id;
  own.roles = {Role::member};
  own.member_id = id;

  MemberPatch address;
  address.address = "长沙县经开区东六路 1 号";
  auto moved = service_->update_member(id, address, own);
  ASSERT_TRUE(moved.has_value()) << moved.error().message.en;
  EXPECT_EQ(moved->org.address, "长沙县经开区东六路 1 号");
  MemberPatch rename;
  rename.name = "长沙经开区管委会";
  EXPECT_EQ(service_->update_member(id, rename, own).error().code, ErrorCode::permission_denied);

  auto renamed = service_->update_member(id, rename, staff_actor());
  ASSERT_TRUE(renamed.has_value());
  EXPECT_TRUE(renamed->sort_key.starts_with("chang sha jing kai qu")) << "key follows the name";
  MemberPatch reading;
  reading.sort_reading = "Cháng Shā Jīng Kāi Qū Guǎn Wěi Huì";
  auto corrected = service_->update_member(id, reading, staff_actor());
  ASSERT_TRUE(corrected.has_value());
  EXPECT_TRUE(corrected->sort_key.starts_with("chang sha jing kai qu guan wei hui"))
      << corrected->sort_key;
  MemberPatch bad;
  bad.city_code = "110000";
  bad.sort_reading = "  ";
  auto refused = service_->update_member(id, bad, staff_actor());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().fields.size(), 2u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.update'"), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, MembershipServiceTest,
                         ::testing::ValuesIn(testing::test_backends()), BackendName());

}  // namespace
}  // namespace xiehui::membership
