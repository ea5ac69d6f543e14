// Import, tier and name history, representative changes, certificates and the per-address
// application limit, on every backend.

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <thread>

#include "core/audit.hpp"
#include "core/db/migrator.hpp"
#include "core/table_export.hpp"
#include "services/membership/certificate_service.hpp"
#include "services/membership/import_service.hpp"
#include "services/membership/membership_service.hpp"
#include "services/privacy/consent.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::membership {
namespace {

using testing::BackendName;
using testing::TestDatabase;

std::string uscc(std::string body17) { return body17 + uscc_check_char(body17); }
const std::string kCodeA = uscc("91430100MA4L00011");
const std::string kCodeB = uscc("91430200MA4L00012");

Principal staff() {
  Principal p;
  p.username = "mishu";
  p.address = "127.0.0.1";
  p.roles = {Role::staff};
  return p;
}

Principal member_of(long long id) {
  Principal p;
  p.user_id = 0;
  p.username = "unit";
  p.roles = {Role::member};
  p.member_id = id;
  return p;
}

const char* const kHeader =
    "单位名称,统一社会信用代码,类型,级别,所在市州,地址,会员层级,入会日期,会员代表,代表手机\r\n";

std::string two_units(const std::string& tier_a = "理事单位",
                      const std::string& name_b = "株洲高新区") {
  return std::string(kHeader) + "长沙经济技术开发区," + kCodeA + ",经开区,国家级,长沙市,星沙," +
         tier_a + ",2020-01-02,张三,13800000001\r\n" + name_b + "," + kCodeB +
         ",开发区,国家级,株洲,,,,,\r\n";
}

class MemberRecordsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 4);
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    membership_ = std::make_unique<MembershipService>(*db_, hasher_, clock_);
    imports_ = std::make_unique<MemberImportService>(*db_, clock_);
    certificates_ = std::make_unique<CertificateService>(*db_, clock_);
  }

  long long count(const std::string& sql) {
    auto n = db_->with_session([&](soci::session& s) -> Result<long long> {
      long long v = 0;
      s << sql, soci::into(v);
      return v;
    });
    return n.value_or(-1);
  }

  long long id_of(const std::string& code) {
    return count("SELECT id FROM members WHERE uscc = '" + code + "'");
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  ManualClock clock_{Timestamp{std::chrono::seconds{1'790'000'000}}};  // 2026-09-21
  accounts::PasswordHasher hasher_{{1, 8 * 1024}};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<MembershipService> membership_;
  std::unique_ptr<MemberImportService> imports_;
  std::unique_ptr<CertificateService> certificates_;
};

TEST_P(MemberRecordsTest, DryRunReportsAndWritesNothing) {
  std::vector<std::pair<long, long>> progress;
  auto r = imports_->run(two_units(), true, staff(),
                         [&](long done, long total) { progress.emplace_back(done, total); });
  ASSERT_TRUE(r.has_value()) << r.error().message.en;
  EXPECT_TRUE(r->dry_run);
  EXPECT_EQ(r->rows, 2);
  EXPECT_EQ(r->created, 2);
  EXPECT_TRUE(r->errors.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 0);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), (std::pair<long, long>{2, 2}));
}

TEST_P(MemberRecordsTest, ImportCreatesThenReimportUpdatesInsteadOfDuplicating) {
  auto first = imports_->run(two_units(), false, staff());
  ASSERT_TRUE(first.has_value()) << first.error().message.en;
  EXPECT_EQ(first->created, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE status = 'active'"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE tier = 'council' AND joined_on = "
                  "'2020-01-02' AND city_code = '430100'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE tier = 'member' AND joined_on = "
                  "'2026-09-21'"),
            1)
      << "no tier: member; no date: today";
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_contacts WHERE contact_role = 'representative' "
                  "AND mobile = '13800000001'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'member.import%'"), 3);

  auto same = imports_->run(two_units(), false, staff());
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->created, 0);
  EXPECT_EQ(same->updated, 0);
  EXPECT_EQ(same->unchanged, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 2);

  auto changed =
      imports_->run(two_units("常务理事单位", "株洲国家高新技术产业开发区"), false, staff());
  ASSERT_TRUE(changed.has_value());
  EXPECT_EQ(changed->updated, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 2);
  auto history_a = membership_->history(id_of(kCodeA), staff());
  ASSERT_TRUE(history_a.has_value());
  ASSERT_EQ(history_a->size(), 1u);
  EXPECT_EQ((*history_a)[0].kind, "tier");
  EXPECT_EQ((*history_a)[0].from_value, "council");
  EXPECT_EQ((*history_a)[0].to_value, "standing_council");
  auto history_b = membership_->history(id_of(kCodeB), staff());
  ASSERT_TRUE(history_b.has_value());
  ASSERT_EQ(history_b->size(), 1u);
  EXPECT_EQ((*history_b)[0].kind, "name");
  EXPECT_EQ((*history_b)[0].to_value, "株洲国家高新技术产业开发区");
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE sort_key LIKE 'zhu zhou guo jia%'"), 1)
      << "a rename recomputes the pinyin key";
}

TEST_P(MemberRecordsTest, BadRowsAreSkippedAndReported) {
  const std::string file = two_units() + "坏单位,123,开发区,国家级,长沙市,,,,,\r\n" + "重复单位," +
                           kCodeA + ",开发区,国家级,长沙市,,,,,\r\n";
  auto r = imports_->run(file, false, staff());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->rows, 4);
  EXPECT_EQ(r->created, 2);
  ASSERT_EQ(r->errors.size(), 2u);
  EXPECT_EQ(r->errors[0].row, 4);
  EXPECT_EQ(r->errors[0].column, "统一社会信用代码");
  EXPECT_EQ(r->errors[1].row, 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 2);
}

TEST_P(MemberRecordsTest, GbkAndXlsxFilesImportLikeUtf8) {
  // 单位名称 统一社会信用代码 类型 级别 所在市州 / 长沙经开区 … 开发区 国家级 长沙市, in GBK.
  const std::string gbk =
      "\xB5\xA5\xCE\xBB\xC3\xFB\xB3\xC6,\xCD\xB3\xD2\xBB\xC9\xE7\xBB\xE1\xD0\xC5\xD3\xC3\xB4\xFA"
      "\xC2\xEB,\xC0\xE0\xD0\xCD,\xBC\xB6\xB1\xF0,\xCB\xF9\xD4\xDA\xCA\xD0\xD6\xDD\r\n"
      "\xB3\xA4\xC9\xB3\xBE\xAD\xBF\xAA\xC7\xF8," +
      kCodeA + ",\xBF\xAA\xB7\xA2\xC7\xF8,\xB9\xFA\xBC\xD2\xBC\xB6,\xB3\xA4\xC9\xB3\xCA\xD0\r\n";
  auto r = imports_->run(gbk, false, staff());
  ASSERT_TRUE(r.has_value()) << r.error().message.en;
  ASSERT_TRUE(r->errors.empty()) << r->errors[0].column << r->errors[0].message.zh;
  EXPECT_EQ(r->created, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE name = '长沙经开区'"), 1);

  Table t;
  t.headers = {"单位名称", "统一社会信用代码", "类型", "级别", "所在市州"};
  t.rows = {{"长沙经开区", kCodeA, "开发区", "国家级", "长沙市"},
            {"株洲高新区", kCodeB, "开发区", "国家级", "株洲市"}};
  auto xlsx = to_xlsx(t, "s");
  ASSERT_TRUE(xlsx.has_value());
  auto again = imports_->run(*xlsx, false, staff());
  ASSERT_TRUE(again.has_value()) << again.error().message.en;
  EXPECT_EQ(again->unchanged, 1);
  EXPECT_EQ(again->created, 1);
}

TEST_P(MemberRecordsTest, UnreadableFilesAndNonStaffAreRefused) {
  auto broken = imports_->run(std::string("PK\x03\x04junk", 8), false, staff());
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().code, ErrorCode::invalid_argument);
  auto not_staff = imports_->run(two_units(), false, member_of(1));
  ASSERT_FALSE(not_staff.has_value());
  EXPECT_EQ(not_staff.error().code, ErrorCode::permission_denied);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
}

TEST_P(MemberRecordsTest, ImportsPastTheConcurrencyLimitAreRefusedAndWriteNothing) {
  MemberImportService imports(*db_, clock_, {1});
  auto held = imports.reserve();
  ASSERT_TRUE(held.has_value());
  auto second = imports.reserve();
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(second.error().message.zh, "正在处理的导入过多，请稍后再试");
  for (const bool dry_run : {true, false}) {
    auto refused = imports.run(two_units(), dry_run, staff());
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::rate_limited);
  }
  EXPECT_EQ(imports.run(two_units(), false, member_of(1)).error().code,
            ErrorCode::permission_denied)
      << "who may not import is told so, busy or not";
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 0);

  // The holder imports under its slot; a moved slot is still one slot.
  auto dry = imports.run(*held, two_units(), true, staff());
  ASSERT_TRUE(dry.has_value()) << dry.error().message.en;
  EXPECT_EQ(dry->created, 2);
  std::optional<ImportSlot> moved(std::move(*held));
  EXPECT_FALSE(imports.reserve().has_value());
  moved.reset();

  // Given back: the next import runs, and gives its own slot back when done.
  auto r = imports.run(two_units(), false, staff());
  ASSERT_TRUE(r.has_value()) << r.error().message.en;
  EXPECT_EQ(r->created, 2);
  EXPECT_TRUE(imports.reserve().has_value());
  EXPECT_TRUE(imports.reserve().has_value()) << "the slot above was given back at once";
}

TEST_P(MemberRecordsTest, ParallelImportsOfOneFileCreateEachUnitOnce) {
  // Four at once is past the default limit of the process; here the database is under test.
  MemberImportService imports(*db_, clock_, {4});
  std::atomic<int> ok{0};
  std::atomic<long> created{0}, unchanged{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (auto r = imports.run(two_units(), false, staff())) {
        ++ok;
        created += r->created;
        unchanged += r->unchanged;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4) << "imports wait for each other instead of failing";
  EXPECT_EQ(created.load(), 2) << "each unit is created by exactly one import";
  EXPECT_EQ(unchanged.load(), 6) << "the others find it there";
  EXPECT_EQ(count("SELECT COUNT(*) FROM members"), 2);
}

TEST_P(MemberRecordsTest, FutureJoiningDatesAndBlankShortNamesAreHandled) {
  ASSERT_TRUE(imports_->run(std::string("单位名称,简称,统一社会信用代码,类型,级别,所在市州\r\n") +
                                "长沙经济技术开发区,长沙经开区," + kCodeA +
                                ",开发区,国家级,长沙市\r\n",
                            false, staff()));
  // Clock: 2026-09-21. A blank short name keeps the unit's; a date after today is refused.
  auto r =
      imports_->run(std::string("单位名称,简称,统一社会信用代码,类型,级别,所在市州,入会日期\r\n") +
                        "长沙经济技术开发区,," + kCodeA + ",开发区,国家级,长沙市,\r\n" +
                        "株洲高新区,," + kCodeB + ",开发区,国家级,株洲市,2026-09-22\r\n",
                    false, staff());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->unchanged, 1);
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].row, 3);
  EXPECT_EQ(r->errors[0].column, "入会日期");
  EXPECT_EQ(r->error_rows, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM members WHERE short_name = '长沙经开区'"), 1);
}

TEST_P(MemberRecordsTest, ReportsListAtMostAThousandErrorsButCountThemAll) {
  std::string file = "单位名称,统一社会信用代码,类型,级别,所在市州\r\n";
  for (int i = 0; i < 1500; ++i) file += "坏单位" + std::to_string(i) + ",bad,开发区,省级,火星\r\n";
  auto r = imports_->run(file, true, staff());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->errors.size(), 1000u);
  EXPECT_EQ(r->error_count, 3000);
  EXPECT_EQ(r->error_rows, 1500);
}

TEST_P(MemberRecordsTest, TierChangesCarryTheirDateAndReason) {
  ASSERT_TRUE(imports_->run(two_units(), false, staff()));
  const long long id = id_of(kCodeA);
  auto changed =
      membership_->change_tier(id, "vice_president", "2026-10-01", "第三届会员大会选举", staff());
  ASSERT_TRUE(changed.has_value()) << changed.error().message.en;
  EXPECT_EQ(changed->tier, "vice_president");
  EXPECT_EQ(membership_->change_tier(id, "vice_president", "", "", staff()).error().code,
            ErrorCode::conflict);
  EXPECT_EQ(membership_->change_tier(id, "king", "", "", staff()).error().code,
            ErrorCode::invalid_argument);
  EXPECT_EQ(membership_->change_tier(id, "member", "2026-02-30", "", staff()).error().code,
            ErrorCode::invalid_argument);
  auto history = membership_->history(id, staff());
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].effective_on, "2026-10-01");
  EXPECT_EQ((*history)[0].reason, "第三届会员大会选举");
  EXPECT_EQ((*history)[0].actor_name, "mishu");
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.tier'"), 1);
}

TEST_P(MemberRecordsTest, RenamesRepresentativesAndStatusesFormOneHistory) {
  ASSERT_TRUE(imports_->run(two_units(), false, staff()));
  const long long id = id_of(kCodeA);
  MemberPatch rename;
  rename.name = "长沙经济技术开发区（新）";
  rename.effective_on = "2026-09-01";
  ASSERT_TRUE(membership_->update_member(id, rename, staff()));
  clock_.advance(std::chrono::seconds(1));
  ASSERT_TRUE(membership_->add_contact(
      id, {0, id, "representative", {"李四", "主任", "13800000002", ""}}, staff()));
  clock_.advance(std::chrono::seconds(1));
  ASSERT_TRUE(membership_->change_status(id, "suspended", "未按章程履行义务", staff()));
  auto history = membership_->history(id, staff());
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].kind, "status") << "newest first";
  EXPECT_EQ((*history)[1].kind, "representative");
  EXPECT_EQ((*history)[1].from_value, "张三");
  EXPECT_EQ((*history)[1].to_value, "李四");
  EXPECT_EQ((*history)[2].kind, "name");
  EXPECT_EQ((*history)[2].from_value, "长沙经济技术开发区");
  EXPECT_EQ((*history)[2].effective_on, "2026-09-01");
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_contacts WHERE member_id = " + std::to_string(id) +
                  " AND contact_role = 'liaison' AND name = '张三'"),
            1)
      << "the previous representative stays as a liaison";
  EXPECT_TRUE(membership_->history(id, member_of(id)).has_value());
  EXPECT_EQ(membership_->history(id, member_of(id_of(kCodeB))).error().code, ErrorCode::not_found);
}

TEST_P(MemberRecordsTest, CertificatesAreIssuedOncePerYearAndVerifiedPublicly) {
  ASSERT_TRUE(imports_->run(two_units(), false, staff()));
  const long long id = id_of(kCodeA);
  std::vector<std::string> codes(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto c = certificates_->certificate(id, member_of(id));
      if (c) codes[static_cast<std::size_t>(i)] = c->code;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_FALSE(codes[0].empty());
  for (const auto& c : codes) EXPECT_EQ(c, codes[0]) << "one certificate per unit and year";
  EXPECT_EQ(count("SELECT COUNT(*) FROM member_certificates"), 1);

  auto cert = certificates_->certificate(id, staff());
  ASSERT_TRUE(cert.has_value());
  EXPECT_EQ(cert->valid_from, "2026-01-01") << "joined 2020: valid from 1 January";
  EXPECT_EQ(cert->valid_until, "2026-12-31");
  EXPECT_TRUE(cert->current);
  EXPECT_EQ(certificates_->certificate(id, member_of(id_of(kCodeB))).error().code,
            ErrorCode::not_found);

  auto check = certificates_->verify(cert->code);
  ASSERT_TRUE(check.has_value());
  EXPECT_TRUE(check->current);
  EXPECT_EQ(check->name, "长沙经济技术开发区");
  EXPECT_EQ(certificates_->verify(cert->code + "x").error().code, ErrorCode::not_found);
  EXPECT_EQ(certificates_->verify("").error().code, ErrorCode::not_found);
  EXPECT_EQ(certificates_->verify("中文也不是证书编号中文也不是证书编号").error().code,
            ErrorCode::not_found)
      << "not a token: refused before it reaches a binary-collated column";
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'member.certificate'"), 1);

  ASSERT_TRUE(membership_->change_status(id, "suspended", "暂停", staff()));
  auto suspended = certificates_->verify(cert->code);
  ASSERT_TRUE(suspended.has_value());
  EXPECT_FALSE(suspended->current) << "a suspended unit's is not current";
  EXPECT_EQ(certificates_->certificate(id, staff()).error().code, ErrorCode::conflict);
  ASSERT_TRUE(membership_->change_status(id, "active", "恢复", staff()));
  clock_.set(Timestamp{std::chrono::seconds{1'830'000'000}});  // 2027-12-28
  auto old = certificates_->verify(cert->code);
  ASSERT_TRUE(old.has_value());
  EXPECT_FALSE(old->current) << "last year's is not current";
  Principal leader;
  leader.username = "huizhang";
  leader.roles = {Role::leader};
  EXPECT_EQ(certificates_->certificate(id, leader).error().code, ErrorCode::not_found)
      << "a reader does not issue this year's certificate";
  auto next = certificates_->certificate(id, staff());
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->code, cert->code);
  EXPECT_EQ(next->year, 2027);
}

ApplicationInput application(int n, const std::string& username) {
  ApplicationInput in;
  in.org = {"申请单位" + std::to_string(n),
            "",
            uscc("91430100MA4L1" + std::to_string(1000 + n)),
            "development_zone",
            "provincial",
            "430100",
            ""};
  in.contact = {"王五", "", "13800000003", "a@b.cn"};
  in.username = username;
  in.password = "Apply-Pass-2026";
  in.consent_version = privacy::kFirstNoticeVersion;
  return in;
}

TEST_P(MemberRecordsTest, ApplicationsPerAddressAreLimitedEvenInParallel) {
  std::atomic<int> ok{0}, limited{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = membership_->submit(application(i, "applicant" + std::to_string(i)), "10.1.1.1");
      if (r)
        ++ok;
      else if (r.error().code == ErrorCode::rate_limited)
        ++limited;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 5);
  EXPECT_EQ(limited.load(), 3);
  EXPECT_TRUE(membership_->submit(application(20, "elsewhere"), "10.1.1.2")) << "another address";
  clock_.advance(std::chrono::minutes(61));
  EXPECT_TRUE(membership_->submit(application(21, "an.hour.later"), "10.1.1.1"));
}

TEST_P(MemberRecordsTest, ApplicantsSeeTheirOwnApplications) {
  auto a = membership_->submit(application(1, "mine"), "ip");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(membership_->submit(application(2, "theirs"), "ip"));
  Principal me;
  me.user_id = a->user_id;
  auto mine = membership_->my_applications(me);
  ASSERT_TRUE(mine.has_value());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].id, a->id);
}

INSTANTIATE_TEST_SUITE_P(Backends, MemberRecordsTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::membership
