// Member import, jobs, tiers, history, certificates and the application limit over HTTP.

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <thread>

#include "core/validate.hpp"
#include "services/accounts/accounts_service.hpp"
#include "services/accounts/auth_service.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

boost::json::object parse(const std::string& text) { return boost::json::parse(text).as_object(); }

std::string uscc(std::string body17) { return body17 + uscc_check_char(body17); }

std::string csv_of(int units, const std::string& tier = "理事单位") {
  std::string out = "单位名称,统一社会信用代码,类型,级别,所在市州,会员层级\r\n";
  for (int i = 0; i < units; ++i) {
    const std::string n = std::to_string(10000 + i);
    out +=
        "测试开发区" + n + "," + uscc("91430100MA4L" + n) + ",开发区,省级,长沙市," + tier + "\r\n";
  }
  return out;
}

class MemberRecordsHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  TestDatabase db_{GetParam(), TestDatabase::Schema::migrated};
  RunningApp app_{test_config(db_.connection_string())};

  Headers bearer(Role role, const std::string& username,
                 std::optional<long long> member_id = std::nullopt) {
    auto user = app_.app().accounts().create_user(
        {username, username, "Review-Pass-2026", {role}, member_id},
        accounts::command_line_actor());
    EXPECT_TRUE(user.has_value());
    Principal p;
    p.user_id = user->id;
    p.username = user->username;
    auto token = app_.app().auth().create_token(p, "test");
    EXPECT_TRUE(token.has_value());
    return {{"Authorization", "Bearer " + token->second}};
  }

  HttpReply call(http::verb verb, const std::string& target, const Headers& who,
                 const std::string& body = {}, const std::string& type = "application/json") {
    Headers h = who;
    if (!body.empty()) h.emplace_back("Content-Type", type);
    return http_request(app_.port(), verb, target, body, h);
  }
};

TEST_P(MemberRecordsHttpTest, DryRunThenImportThenReimport) {
  const Headers staff = bearer(Role::staff, "import.staff");
  std::string file = csv_of(3) + "坏单位,123,开发区,省级,火星,\r\n";
  auto r = call(http::verb::post, "/api/members/import?dry_run=true", staff, file, "text/csv");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto report = parse(r.body);
  EXPECT_EQ(report["dry_run"].as_bool(), true);
  EXPECT_EQ(report["created"].as_int64(), 3);
  auto errors = report["errors"].as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].as_object()["row"].as_int64(), 5);
  EXPECT_EQ(errors[0].as_object()["field"].as_string(), "统一社会信用代码");
  r = call(http::verb::get, "/api/members", staff);
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 0) << "a dry run writes nothing";

  r = call(http::verb::post, "/api/members/import?dry_run=false", staff, file, "text/csv");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["created"].as_int64(), 3);
  r = call(http::verb::post, "/api/members/import?dry_run=false", staff, csv_of(3, "会长单位"),
           "text/csv");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["updated"].as_int64(), 3);
  r = call(http::verb::get, "/api/members?tier=president", staff);
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 3);

  r = call(http::verb::post, "/api/members/import?dry_run=maybe", staff, file, "text/csv");
  EXPECT_EQ(r.status, 400u);
  r = call(http::verb::post, "/api/members/import", staff, "\xD0\xCF\x11\xE0 old xls",
           "application/vnd.ms-excel");
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(parse(r.body)["message"].as_string().find("xls"), std::string::npos) << r.body;
}

TEST_P(MemberRecordsHttpTest, AsyncImportReportsProgressAndItsResultToItsOwnerOnly) {
  const Headers staff = bearer(Role::staff, "import.staff");
  auto r = call(http::verb::post, "/api/members/import?dry_run=false&async=true", staff,
                csv_of(250), "text/csv");
  ASSERT_EQ(r.status, 202u) << r.body;
  const std::string job = "/api/jobs/" + std::to_string(parse(r.body)["job_id"].as_int64());
  boost::json::object state;
  for (int i = 0; i < 300; ++i) {
    r = call(http::verb::get, job, staff);
    ASSERT_EQ(r.status, 200u) << r.body;
    state = parse(r.body);
    if (state["status"] == "succeeded" || state["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(state["status"].as_string(), "succeeded") << boost::json::serialize(state);
  EXPECT_EQ(state["done"].as_int64(), 250);
  EXPECT_EQ(state["total"].as_int64(), 250);
  EXPECT_EQ(state["result"].as_object()["created"].as_int64(), 250);
  EXPECT_TRUE(state["error"].is_null());

  const Headers other = bearer(Role::staff, "other.staff");
  EXPECT_EQ(call(http::verb::get, job, other).status, 404u) << "someone else's job";
  EXPECT_EQ(call(http::verb::get, "/api/jobs/999999", staff).status, 404u);

  r = call(http::verb::post, "/api/members/import?async=true", staff, "PK\x03\x04 broken",
           "application/octet-stream");
  ASSERT_EQ(r.status, 202u);
  const std::string failing = "/api/jobs/" + std::to_string(parse(r.body)["job_id"].as_int64());
  for (int i = 0; i < 100; ++i) {
    state = parse(call(http::verb::get, failing, staff).body);
    if (state["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(state["status"].as_string(), "failed");
  EXPECT_EQ(state["error"].as_object()["code"].as_string(), "invalid_argument");
}

TEST_P(MemberRecordsHttpTest, ImportsPastTheProcessLimitAnswer429AndWriteNothing) {
  AppConfig config = test_config(db_.connection_string());
  config.max_concurrent_imports = 1;
  RunningApp limited(config);
  const Headers staff = bearer(Role::staff, "import.staff");
  const auto post = [&](const std::string& query) {
    Headers h = staff;
    h.emplace_back("Content-Type", "text/csv");
    return http_request(limited.port(), http::verb::post, "/api/members/import" + query, csv_of(3),
                        h);
  };
  {
    // An import in progress, held from here instead of raced.
    auto held = limited.app().member_import().reserve();
    ASSERT_TRUE(held.has_value());
    for (const std::string query :
         {"?dry_run=true", "?dry_run=false", "?dry_run=false&async=true"}) {
      auto r = post(query);
      ASSERT_EQ(r.status, 429u) << query << " " << r.body;
      EXPECT_EQ(parse(r.body)["code"].as_string(), "rate_limited");
      EXPECT_EQ(parse(r.body)["message"].as_string(), "正在处理的导入过多，请稍后再试");
    }
    auto jobs = limited.app().database().with_session([](soci::session& s) -> Result<long long> {
      long long n = -1;
      s << "SELECT COUNT(*) FROM jobs", soci::into(n);
      return n;
    });
    EXPECT_EQ(jobs.value_or(-1), 0) << "no job was queued";
    EXPECT_EQ(parse(call(http::verb::get, "/api/members", staff).body)["total"].as_int64(), 0);
  }
  // Given back: an async import runs, and its job gives the slot back when it is done.
  auto r = post("?dry_run=false&async=true");
  ASSERT_EQ(r.status, 202u) << r.body;
  const std::string job = "/api/jobs/" + std::to_string(parse(r.body)["job_id"].as_int64());
  boost::json::object state;
  for (int i = 0; i < 300; ++i) {
    state = parse(http_request(limited.port(), http::verb::get, job, {}, staff).body);
    if (state["status"] == "succeeded" || state["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(state["status"].as_string(), "succeeded") << boost::json::serialize(state);
  r = post("?dry_run=false");
  ASSERT_EQ(r.status, 200u) << "the finished job gave its slot back: " << r.body;
  EXPECT_EQ(parse(r.body)["unchanged"].as_int64(), 3);
}

TEST_P(MemberRecordsHttpTest, TemplateAndPermissions) {
  const Headers staff = bearer(Role::staff, "import.staff");
  auto r = call(http::verb::get, "/api/members/import/template", staff);
  ASSERT_EQ(r.status, 200u);
  EXPECT_TRUE(r.body.starts_with("PK\x03\x04"));
  EXPECT_NE(r.header("Content-Disposition").find("filename*=UTF-8''"), std::string::npos);
  // The template itself imports as an empty list.
  r = call(http::verb::post, "/api/members/import", staff, r.body,
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["rows"].as_int64(), 0);
  const Headers leader = bearer(Role::leader, "the.leader");
  EXPECT_EQ(call(http::verb::post, "/api/members/import", leader, csv_of(1), "text/csv").status,
            403u);
  EXPECT_EQ(call(http::verb::get, "/api/members/import/template", leader).status, 403u);
}

TEST_P(MemberRecordsHttpTest, TierHistoryAndCertificateWithPublicVerification) {
  const Headers staff = bearer(Role::staff, "import.staff");
  ASSERT_EQ(
      call(http::verb::post, "/api/members/import?dry_run=false", staff, csv_of(2), "text/csv")
          .status,
      200u);
  auto list = parse(call(http::verb::get, "/api/members", staff).body)["items"].as_array();
  const long long id = list[0].as_object()["id"].as_int64();
  const long long other = list[1].as_object()["id"].as_int64();
  const std::string unit = "/api/members/" + std::to_string(id);
  auto r = call(http::verb::post, unit + "/tier", staff,
                R"({"tier":"vice_president","effective_on":"2026-12-01","reason":"换届"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["tier"].as_string(), "vice_president");
  r = call(http::verb::post, unit + "/tier", staff, R"({"tier":"vice_president"})");
  EXPECT_EQ(r.status, 409u);
  r = call(http::verb::post, unit + "/tier", staff, R"({"tier":7})");
  EXPECT_EQ(r.status, 400u);

  const Headers own = bearer(Role::member, "own.unit", id);
  const Headers stranger = bearer(Role::member, "other.unit", other);
  r = call(http::verb::get, unit + "/history", own);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto items = parse(r.body)["items"].as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].as_object()["effective_on"].as_string(), "2026-12-01");
  EXPECT_EQ(call(http::verb::get, unit + "/history", stranger).status, 404u);
  EXPECT_EQ(call(http::verb::post, unit + "/tier", own, R"({"tier":"president"})").status, 403u);

  Headers own_via_host = own;
  own_via_host.emplace_back("Host", "xiehui.test:8443");
  r = call(http::verb::get, unit + "/certificate", own_via_host);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto cert = parse(r.body);
  EXPECT_TRUE(cert["qr_svg"].as_string().starts_with("<svg"));
  const std::string url(cert["verify_url"].as_string());
  const std::string prefix = "http://xiehui.test:8443/verify/";  // links follow the Host
  ASSERT_TRUE(url.starts_with(prefix)) << url;
  EXPECT_EQ(call(http::verb::get, unit + "/certificate", stranger).status, 404u);

  r = http_request(app_.port(), http::verb::get, "/api/certificates/" + url.substr(prefix.size()));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto check = parse(r.body);
  EXPECT_TRUE(check["genuine"].as_bool());
  EXPECT_TRUE(check["current"].as_bool()) << r.body;
  EXPECT_EQ(check["member_no"], cert["member_no"]);
  EXPECT_FALSE(check.contains("qr_svg"));
  EXPECT_EQ(http_request(app_.port(), http::verb::get, "/api/certificates/forged").status, 404u);
}

TEST_P(MemberRecordsHttpTest, ApplicantsSeeTheirApplicationAndAddressesAreLimited) {
  const Headers json{{"Content-Type", "application/json"}};
  unsigned last = 0;
  for (int i = 0; i < 6; ++i) {
    boost::json::object body{
        {"org",
         {{"name", "申请开发区" + std::to_string(i)},
          {"uscc", uscc("91430100MA4L2" + std::to_string(1000 + i))},
          {"type", "development_zone"},
          {"level", "provincial"},
          {"city_code", "430100"}}},
        {"contact", {{"name", "王五"}, {"mobile", "13800000009"}, {"email", "w@x.cn"}}},
        {"account",
         {{"username", "applicant" + std::to_string(i)}, {"password", "Apply-Pass-2026"}}},
        {"consent_version", 1}};
    last = http_request(app_.port(), http::verb::post, "/api/applications",
                        boost::json::serialize(body), json)
               .status;
    if (i < 5) {
      ASSERT_EQ(last, 201u) << i;
    }
  }
  EXPECT_EQ(last, 429u) << "the sixth application from one address within an hour";

  auto r = http_request(app_.port(), http::verb::post, "/api/session",
                        R"({"username":"applicant0","password":"Apply-Pass-2026"})", json);
  ASSERT_EQ(r.status, 200u);
  const std::string cookie = r.header("Set-Cookie").substr(0, r.header("Set-Cookie").find(';'));
  r = http_request(app_.port(), http::verb::get, "/api/applications/mine", "",
                   {{"Cookie", cookie}});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto items = parse(r.body)["items"].as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].as_object()["status"].as_string(), "pending");
  EXPECT_EQ(http_request(app_.port(), http::verb::get, "/api/applications/mine").status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Backends, MemberRecordsHttpTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::testing
