// Applications over HTTP: public submission with field errors, review by the secretariat, and
// the applicant signing in as a member afterwards.

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "core/validate.hpp"
#include "services/accounts/accounts_service.hpp"
#include "services/accounts/auth_service.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

std::string application_body(const std::string& uscc, const std::string& mobile) {
  boost::json::object body{
      {"org",
       {{"name", "湘潭经济技术开发区"},
        {"short_name", "湘潭经开区"},
        {"uscc", uscc},
        {"type", "development_zone"},
        {"level", "national"},
        {"city_code", "430300"},
        {"address", "湘潭市岳塘区"}}},
      {"contact",
       {{"name", "李四"},
        {"title", "招商局长"},
        {"mobile", mobile},
        {"email", "li@xt.example.cn"}}},
      {"account", {{"username", "xiangtan.etdz"}, {"password", "Apply-Pass-2026"}}},
      {"consent_version", 1}};
  return boost::json::serialize(body);
}

boost::json::object parse(const std::string& text) { return boost::json::parse(text).as_object(); }

class MembershipHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  TestDatabase db_{GetParam(), TestDatabase::Schema::migrated};
  RunningApp app_{test_config(db_.connection_string())};

  std::string token_for(Role role, const std::string& username) {
    auto user = app_.app().accounts().create_user(
        {username,
         username,
         "Review-Pass-2026",
         {role},
         role == Role::member ? std::optional<long long>(424242) : std::nullopt},
        accounts::command_line_actor());
    EXPECT_TRUE(user.has_value());
    Principal p;
    p.user_id = user->id;
    p.username = user->username;
    auto token = app_.app().auth().create_token(p, "test");
    EXPECT_TRUE(token.has_value());
    return token->second;
  }
};

TEST_P(MembershipHttpTest, BadFieldsAreNamedAndNothingIsWritten) {
  const Headers json{{"Content-Type", "application/json"}};
  auto r = http_request(app_.port(), http::verb::post, "/api/applications",
                        application_body("91430300MA4L000000", "0731-1234"), json);
  EXPECT_EQ(r.status, 400u) << r.body;
  auto fields = parse(r.body)["details"].as_object()["fields"].as_object();
  EXPECT_TRUE(fields.contains("org.uscc"));
  EXPECT_TRUE(fields.contains("contact.mobile"));
  r = http_request(app_.port(), http::verb::post, "/api/applications", R"({"org": 5})", json);
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(parse(r.body)["details"].as_object()["fields"].as_object().contains("org"));
  const std::string staff = token_for(Role::staff, "review.staff");
  r = http_request(app_.port(), http::verb::get, "/api/applications", "",
                   {{"Authorization", "Bearer " + staff}});
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 0);
}

TEST_P(MembershipHttpTest, ApplyApproveAndSignInAsTheNewMember) {
  const std::string body17 = "91430300MA4L00000";
  const std::string uscc = body17 + uscc_check_char(body17);
  const Headers json{{"Content-Type", "application/json"}};
  auto r = http_request(app_.port(), http::verb::post, "/api/applications",
                        application_body(uscc, "139 0732 0001"), json);
  ASSERT_EQ(r.status, 201u) << r.body;
  const long long id = parse(r.body)["id"].as_int64();
  EXPECT_EQ(parse(r.body)["status"].as_string(), "pending");

  r = http_request(app_.port(), http::verb::post, "/api/applications",
                   application_body(uscc, "139 0732 0001"), json);
  EXPECT_EQ(r.status, 409u) << "the same credit code twice";

  const std::string leader = token_for(Role::leader, "review.leader");
  const Headers as_leader{{"Authorization", "Bearer " + leader},
                          {"Content-Type", "application/json"}};
  r = http_request(app_.port(), http::verb::get, "/api/applications?status=pending", "", as_leader);
  ASSERT_EQ(r.status, 200u) << "leaders read the queue";
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 1);
  r = http_request(app_.port(), http::verb::post,
                   "/api/applications/" + std::to_string(id) + "/approve", R"({"tier":"member"})",
                   as_leader);
  EXPECT_EQ(r.status, 403u) << "but do not decide";

  // The applicant, signed in while pending: its session has no role yet (and is now kept in
  // the server's credential cache).
  r = http_request(app_.port(), http::verb::post, "/api/session",
                   R"({"username":"xiangtan.etdz","password":"Apply-Pass-2026"})", json);
  ASSERT_EQ(r.status, 200u) << r.body;
  const std::string pending_cookie =
      r.header("Set-Cookie").substr(0, r.header("Set-Cookie").find(';'));
  r = http_request(app_.port(), http::verb::get, "/api/session", "", {{"Cookie", pending_cookie}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(parse(r.body)["user"].as_object()["roles"].as_array().empty()) << r.body;

  const std::string staff = token_for(Role::staff, "review.staff");
  const Headers as_staff{{"Authorization", "Bearer " + staff},
                         {"Content-Type", "application/json"}};
  r = http_request(app_.port(), http::verb::post,
                   "/api/applications/" + std::to_string(id) + "/approve", R"({"tier":"king"})",
                   as_staff);
  EXPECT_EQ(r.status, 400u);
  r = http_request(app_.port(), http::verb::post,
                   "/api/applications/" + std::to_string(id) + "/approve", R"({"tier":"council"})",
                   as_staff);
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto approved = parse(r.body);
  EXPECT_TRUE(std::string(approved.at("member_no").as_string()).starts_with("XH"));
  EXPECT_EQ(approved.at("account").as_string(), "active");
  // The session the applicant already had is a member's at once, not after the cache's second.
  r = http_request(app_.port(), http::verb::get, "/api/session", "", {{"Cookie", pending_cookie}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["user"].as_object()["roles"].as_array().at(0).as_string(), "member")
      << r.body;
  // The accounts list names the unit by number and name, never by its id alone.
  const std::string admin = token_for(Role::admin, "review.admin");
  r = http_request(app_.port(), http::verb::get, "/api/users?q=xiangtan", "",
                   {{"Authorization", "Bearer " + admin}});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto account = parse(r.body)["items"].as_array().at(0).as_object();
  EXPECT_EQ(account["member_no"].as_string(), approved.at("member_no").as_string());
  EXPECT_EQ(account["member_name"].as_string(), "湘潭经济技术开发区");

  r = http_request(app_.port(), http::verb::post, "/api/session",
                   R"({"username":"xiangtan.etdz","password":"Apply-Pass-2026"})", json);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto user = parse(r.body)["user"].as_object();
  EXPECT_EQ(user["roles"].as_array().at(0).as_string(), "member");
  EXPECT_EQ(user["member_id"].as_int64(), approved.at("member_id").as_int64());

  // The new member edits its own contacts with its session cookie and CSRF token.
  const std::string set_cookie = r.header("Set-Cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const Headers as_new_member{
      {"Cookie", cookie},
      {"X-CSRF-Token", std::string(parse(r.body)["csrf_token"].as_string())},
      {"Content-Type", "application/json"}};
  const std::string contacts =
      "/api/members/" + std::to_string(approved.at("member_id").as_int64()) + "/contacts";
  r = http_request(app_.port(), http::verb::post, contacts,
                   R"({"role":"finance","name":"钱七","mobile":"139-0732-0099"})", as_new_member);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse(r.body)["mobile"].as_string(), "13907320099");
  r = http_request(app_.port(), http::verb::get, contacts, "", as_new_member);
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(parse(r.body)["items"].as_array().size(), 2u) << "representative + finance";

  // The directory: staff see every field, a member sees other units' public fields only.
  const long long member_id = approved.at("member_id").as_int64();
  r = http_request(app_.port(), http::verb::get, "/api/members?sort=name", "", as_staff);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto item = parse(r.body)["items"].as_array().at(0).as_object();
  EXPECT_EQ(item["uscc"].as_string(), uscc);
  EXPECT_EQ(item["status"].as_string(), "active");
  const std::string other = token_for(Role::member, "other.member");
  r = http_request(app_.port(), http::verb::get, "/api/members", "",
                   {{"Authorization", "Bearer " + other}});
  ASSERT_EQ(r.status, 200u) << r.body;
  item = parse(r.body)["items"].as_array().at(0).as_object();
  EXPECT_EQ(item["name"].as_string(), "湘潭经济技术开发区");
  EXPECT_FALSE(item.contains("uscc")) << "not a public directory field";
  EXPECT_FALSE(item.contains("address"));
  r = http_request(app_.port(), http::verb::get, "/api/members/" + std::to_string(member_id), "",
                   {{"Authorization", "Bearer " + other}});
  EXPECT_FALSE(parse(r.body).contains("uscc"));
  r = http_request(app_.port(), http::verb::get,
                   "/api/members/" + std::to_string(member_id) + "/contacts", "",
                   {{"Authorization", "Bearer " + other}});
  EXPECT_EQ(r.status, 404u) << "another unit's contacts do not exist for a member";
  r = http_request(app_.port(), http::verb::get, "/api/members?sort=size", "", as_staff);
  EXPECT_EQ(r.status, 400u);

  // Export: staff download the directory; CSV is UTF-8 with a BOM, xlsx a workbook.
  // Contact columns only when asked for.
  r = http_request(app_.port(), http::verb::get, "/api/members/export?format=csv", "", as_staff);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body.find("13907320001"), std::string::npos) << "no mobiles unless asked";
  r = http_request(app_.port(), http::verb::get, "/api/members/export?format=csv&fields=phone", "",
                   as_staff);
  EXPECT_EQ(r.status, 400u) << "an unknown field: " << r.body;
  r = http_request(app_.port(), http::verb::get,
                   "/api/members/export?format=csv&fields=mobile,email", "", as_staff);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(r.body.find("会员编号"), std::string::npos);
  EXPECT_NE(r.body.find(uscc), std::string::npos);
  EXPECT_NE(r.body.find("13907320001"), std::string::npos) << "the representative's mobile";
  EXPECT_NE(r.header("Content-Disposition").find("attachment"), std::string::npos);
  r = http_request(app_.port(), http::verb::get, "/api/members/export", "", as_staff);
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.body.substr(0, 2), "PK");
  r = http_request(app_.port(), http::verb::get, "/api/members/export?format=pdf", "", as_staff);
  EXPECT_EQ(r.status, 400u);
  r = http_request(app_.port(), http::verb::get, "/api/members/export", "",
                   {{"Authorization", "Bearer " + other}});
  EXPECT_EQ(r.status, 403u) << "members do not export the directory";

  // Status changes: staff with a reason; the history names who and why.
  const std::string status_path = "/api/members/" + std::to_string(member_id) + "/status";
  r = http_request(app_.port(), http::verb::post, status_path, R"({"status":"suspended"})",
                   as_staff);
  EXPECT_EQ(r.status, 400u) << "a reason is required";
  r = http_request(app_.port(), http::verb::post, status_path,
                   R"({"status":"suspended","reason":"未按章程履行会员义务"})", as_staff);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["status"].as_string(), "suspended");
  r = http_request(app_.port(), http::verb::post, status_path,
                   R"({"status":"suspended","reason":"again"})", as_staff);
  EXPECT_EQ(r.status, 409u);
  r = http_request(app_.port(), http::verb::get,
                   "/api/members/" + std::to_string(member_id) + "/status-history", "", as_staff);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto change = parse(r.body)["items"].as_array().at(0).as_object();
  EXPECT_EQ(change["to"].as_string(), "suspended");
  EXPECT_EQ(change["actor"].as_string(), "review.staff");
  r = http_request(app_.port(), http::verb::post, status_path,
                   R"({"status":"active","reason":"leaders read only"})", as_leader);
  EXPECT_EQ(r.status, 403u);

  // A member cannot find out other units' status or joining order through the directory.
  for (const std::string target : {"/api/members?status=suspended", "/api/members?status=active",
                                   "/api/members?sort=joined"}) {
    r = http_request(app_.port(), http::verb::get, target, "",
                     {{"Authorization", "Bearer " + other}});
    EXPECT_EQ(r.status, 400u) << target << ": " << r.body;
    const auto fields = parse(r.body)["details"].as_object()["fields"].as_object();
    EXPECT_TRUE(fields.contains(target.find("sort") != std::string::npos ? "sort" : "status"))
        << r.body;
  }
  r = http_request(app_.port(), http::verb::get, "/api/members?status=suspended", "", as_staff);
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 1) << "staff still filter by status";
}

TEST_P(MembershipHttpTest, TheApplicantWithdrawsAPendingApplication) {
  const Headers json{{"Content-Type", "application/json"}};
  const std::string body17 = "91430300MA4L00000";
  auto r = http_request(app_.port(), http::verb::post, "/api/applications",
                        application_body(body17 + uscc_check_char(body17), "139 0732 0001"), json);
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string withdraw =
      "/api/applications/" + std::to_string(parse(r.body)["id"].as_int64()) + "/withdraw";
  const std::string staff = token_for(Role::staff, "withdraw.staff");
  r = http_request(app_.port(), http::verb::post, withdraw, "",
                   {{"Authorization", "Bearer " + staff}});
  EXPECT_EQ(r.status, 404u) << "only the applicant withdraws: " << r.body;
  EXPECT_EQ(http_request(app_.port(), http::verb::post, withdraw).status, 401u);

  r = http_request(app_.port(), http::verb::post, "/api/session",
                   R"({"username":"xiangtan.etdz","password":"Apply-Pass-2026"})", json);
  ASSERT_EQ(r.status, 200u) << r.body;
  const std::string set_cookie = r.header("Set-Cookie");
  const Headers as_applicant{
      {"Cookie", set_cookie.substr(0, set_cookie.find(';'))},
      {"X-CSRF-Token", std::string(parse(r.body)["csrf_token"].as_string())}};
  r = http_request(app_.port(), http::verb::post, withdraw, "", as_applicant);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["status"].as_string(), "withdrawn");
  r = http_request(app_.port(), http::verb::post, withdraw, "", as_applicant);
  EXPECT_EQ(r.status, 409u) << "already decided";
  r = http_request(app_.port(), http::verb::get, "/api/applications?status=withdrawn", "",
                   {{"Authorization", "Bearer " + staff}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 1);
}

TEST_P(MembershipHttpTest, ProbingUsernamesThroughTheFormIsRateLimited) {
  const Headers json{{"Content-Type", "application/json"}};
  const std::string body17 = "91430300MA4L00000";
  auto r = http_request(app_.port(), http::verb::post, "/api/applications",
                        application_body(body17 + uscc_check_char(body17), "139 0732 0001"), json);
  ASSERT_EQ(r.status, 201u) << r.body;
  int conflicts = 0, limited = 0;
  for (int i = 1; i <= 20; ++i) {
    const std::string b = "91430300MA4L" + std::to_string(10000 + i);
    // Another unit, the same (taken) username: the answer would confirm the account exists.
    r = http_request(app_.port(), http::verb::post, "/api/applications",
                     application_body(b + uscc_check_char(b), "139 0732 0001"), json);
    if (r.status == 409) ++conflicts;
    if (r.status == 429) ++limited;
  }
  EXPECT_EQ(conflicts, 4) << "the first submission and four probes use up the hour's five";
  EXPECT_EQ(limited, 16);
}

TEST_P(MembershipHttpTest, ControlCharactersAreRefusedAndNothingIsStored) {
  const std::string body17 = "91430300MA4L00000";
  auto body = boost::json::parse(application_body(body17 + uscc_check_char(body17), "13907320001"))
                  .as_object();
  body["org"].as_object()["short_name"] = std::string("湘潭\0经开区", 16);
  body["org"].as_object()["address"] = "湘潭市\x1b[2J岳塘区";
  auto r = http_request(app_.port(), http::verb::post, "/api/applications",
                        boost::json::serialize(body), {{"Content-Type", "application/json"}});
  ASSERT_EQ(r.status, 400u) << r.body;
  std::vector<std::string> fields;
  auto answer = parse(r.body);
  for (const auto& f : answer["details"].as_object()["fields"].as_object()) {
    fields.emplace_back(f.key());
  }
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{"org.address", "org.short_name"}));
  const std::string staff = token_for(Role::staff, "ctl.staff");
  r = http_request(app_.port(), http::verb::get, "/api/applications", "",
                   {{"Authorization", "Bearer " + staff}});
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MembershipHttpTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::testing
