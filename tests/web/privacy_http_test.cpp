// Subject requests over HTTP (docs/API.md "Privacy") on every backend: one person entered as an
// applicant's contact, a unit's representative, a trainee, a delegate and a meeting attendee is
// found in every record, exported, and erased. After erasure the number is in no text column of
// any table, the counts and the certificate number stay, the audit chain verifies, and another
// person's records are untouched.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "core/xlsx_reader.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/schema_text.hpp"
#include "tests/support/test_database.hpp"
#include "web/router.hpp"

namespace xiehui::testing {
namespace {

namespace json = boost::json;

constexpr const char* kPerson = "13973001234";
constexpr const char* kOther = "13973005678";

json::object parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << text;
    return {};
  }
  return std::move(v.as_object());
}

std::string day(int offset) {
  return format_date(
      Date{std::chrono::sys_days{shanghai_date(SystemClock{}.now())} + std::chrono::days{offset}});
}

std::string at(int offset, const std::string& hm) { return day(offset) + "T" + hm + ":00+08:00"; }

json::object fields_of(const std::string& body) {
  auto o = parse(body);
  const auto* details = o.if_contains("details");
  if (!details || !details->is_object()) return {};
  const auto* fields = details->as_object().if_contains("fields");
  return fields && fields->is_object() ? fields->as_object() : json::object{};
}

std::set<std::string> kinds_of(const std::string& body) {
  std::set<std::string> out;
  const auto o = parse(body);  // kept: a range-for over a temporary's member dangles
  for (const auto& r : o.at("records").as_array()) {
    out.insert(std::string(r.as_object().at("kind").as_string()));
  }
  return out;
}

class PrivacyHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    staff_ = app_.bearer(Role::staff, "pv.staff");
    leader_ = app_.bearer(Role::leader, "pv.leader");
    admin_ = app_.bearer(Role::admin, "pv.admin");
  }

  HttpReply call(http::verb verb, const std::string& target, const Headers& who,
                 const json::object& body = {}) {
    Headers h = who;
    std::string text;
    if (!body.empty()) {
      h.emplace_back("Content-Type", "application/json");
      text = json::serialize(body);
    }
    return http_request(app_.port(), verb, target, text, h);
  }

  // An application with the person as its contact, approved: they become the new unit's
  // representative too. Returns the unit's id (not `approve`: rejected, the application's id).
  long long applied_and_approved(const std::string& mobile = kPerson,
                                 const std::string& email = "privacy.person@example.cn",
                                 bool approve = true) {
    static std::atomic<int> n{0};
    const std::string body = "91430300MA4L" + std::to_string(61000 + n++);
    json::object application{
        {"org",
         {{"name", "湘潭天易经济开发区"},
          {"short_name", "天易经开区"},
          {"uscc", body + uscc_check_char(body)},
          {"type", "development_zone"},
          {"level", "provincial"},
          {"city_code", "430300"},
          {"address", "湘潭县天易大道1号"}}},
        {"contact",
         {{"name", "隐私测试人"}, {"title", "办公室主任"}, {"mobile", mobile}, {"email", email}}},
        {"account",
         {{"username", "tianyi.apply" + std::to_string(n.load())},
          {"password", "Apply-Pass-2026"}}},
        {"consent_version", 1}};
    auto r = call(http::verb::post, "/api/applications", {}, application);
    EXPECT_EQ(r.status, 201u) << r.body;
    const long long id = parse(r.body)["id"].as_int64();
    if (!approve) {
      r = call(http::verb::post, "/api/applications/" + std::to_string(id) + "/reject", staff_,
               {{"reason", "材料不全"}});
      EXPECT_EQ(r.status, 200u) << r.body;
      return id;
    }
    r = call(http::verb::post, "/api/applications/" + std::to_string(id) + "/approve", staff_,
             {{"tier", "council"}});
    EXPECT_EQ(r.status, 200u) << r.body;
    return parse(r.body)["member_id"].as_int64();
  }

  long long class_with(long long unit) {
    auto r =
        call(http::verb::post, "/api/courses", staff_,
             {{"title", "开发区招商实务"}, {"description", "招商"}, {"topics", json::array{}}});
    EXPECT_EQ(r.status, 201u) << r.body;
    const long long course = parse(r.body)["id"].as_int64();
    r = call(http::verb::post, "/api/courses/" + std::to_string(course) + "/classes", staff_,
             {{"starts_at", at(20, "09:00")},
              {"ends_at", at(21, "17:00")},
              {"venue", "长沙"},
              {"capacity", 1},
              {"per_member_quota", nullptr},
              {"fee_fen", 80000},
              {"signup_deadline", day(10)},
              {"status", "open"}});
    EXPECT_EQ(r.status, 201u) << r.body;
    const long long cls = parse(r.body)["id"].as_int64();
    for (const char* mobile : {kPerson, kOther}) {
      r = call(http::verb::post, "/api/classes/" + std::to_string(cls) + "/enrollments", staff_,
               {{"member_id", unit},
                {"attendee",
                 {{"name", mobile == kPerson ? "隐私测试人" : "另一学员"},
                  {"title", "科长"},
                  {"mobile", mobile}}},
                {"consent_version", 1}});
      EXPECT_EQ(r.status, 201u) << r.body;
    }
    return cls;
  }

  long long delegate_in_visit(long long unit) {
    auto r =
        call(http::verb::post, "/api/visits", staff_,
             {{"title", "赴苏州工业园区考察学习"},
              {"theme", "园区运营"},
              {"destination", "江苏苏州"},
              {"hosts",
               json::array{json::object{{"member_id", nullptr}, {"name", "苏州工业园区管委会"}}}},
              {"starts_on", day(30)},
              {"ends_on", day(31)},
              {"capacity", 10},
              {"per_member_quota", nullptr},
              {"cost_fen", 0},
              {"cost_covers", ""},
              {"apply_deadline", day(20)},
              {"status", "open"},
              {"itinerary", json::array{}}});
    EXPECT_EQ(r.status, 201u) << r.body;
    const long long visit = parse(r.body)["id"].as_int64();
    r = call(http::verb::post, "/api/visits/" + std::to_string(visit) + "/applications", staff_,
             {{"member_id", unit},
              {"delegates", json::array{json::object{{"name", "隐私测试人"},
                                                     {"title", "办公室主任"},
                                                     {"gender", "f"},
                                                     {"mobile", kPerson},
                                                     {"dietary", "清真"},
                                                     {"shares_room", true}}}},
              {"consent_version", 1}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return visit;
  }

  long long attendee_of_meeting(long long unit) {
    auto r =
        call(http::verb::post, "/api/meetings", staff_,
             {{"kind", "seminar"},
              {"title", "园区数字化研讨会"},
              {"starts_at", at(15, "09:00")},
              {"ends_at", at(15, "11:00")},
              {"mode", "onsite"},
              {"room_id", nullptr},
              {"venue", "长沙市岳麓区"},
              {"agenda", json::array{}},
              {"invite",
               {{"rule", false}, {"member_ids", json::array{unit}}, {"user_ids", json::array{}}}},
              {"rsvp_deadline", day(10)}});
    EXPECT_EQ(r.status, 201u) << r.body;
    const long long meeting = parse(r.body)["id"].as_int64();
    r = call(
        http::verb::post, "/api/meetings/" + std::to_string(meeting) + "/rsvp", staff_,
        {{"member_id", unit},
         {"attending", true},
         {"attendees", json::array{json::object{
                           {"name", "隐私测试人"}, {"title", "办公室主任"}, {"mobile", kPerson}}}},
         {"consent_version", 1}});
    EXPECT_EQ(r.status, 200u) << r.body;
    return meeting;
  }

  TestDatabase db_{GetParam(), TestDatabase::Schema::migrated};
  RunningApp app_{test_config(db_.connection_string())};
  Headers staff_, leader_, admin_;
};

TEST_P(PrivacyHttpTest, APersonIsFoundExportedAndErasedWithoutATrace) {
  const long long unit = applied_and_approved();
  const long long cls = class_with(unit);
  delegate_in_visit(unit);
  attendee_of_meeting(unit);
  ASSERT_FALSE(HasFatalFailure());

  // Found in every kind of record.
  auto r = call(http::verb::get, std::string("/api/people?mobile=") + kPerson, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(kinds_of(r.body), (std::set<std::string>{"application", "member_contact", "enrollment",
                                                     "visit_delegate", "meeting_attendee"}));
  r = call(http::verb::get,
           "/api/people?name=" + std::string("%E9%9A%90%E7%A7%81%E6%B5%8B%E8%AF%95%E4%BA%BA"),
           staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["records"].as_array().size(), 5u) << "by name: the same five records";

  // Exported for the person, as JSON and as a workbook.
  r = call(http::verb::get, std::string("/api/people/export?format=json&mobile=") + kPerson,
           staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["records"].as_array().size(), 5u);
  r = call(http::verb::get, std::string("/api/people/export?mobile=") + kPerson, staff_);
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(r.body.substr(0, 2), "PK");

  // The person is in the database now, in more places than the five records.
  auto& db = app_.app().database();
  EXPECT_GE(columns_containing(db, kPerson).size(), 5u);

  auto before = call(http::verb::get, "/api/classes/" + std::to_string(cls), staff_);
  ASSERT_EQ(before.status, 200u) << before.body;

  r = call(
      http::verb::post, "/api/people/erase", staff_,
      {{"mobile", kPerson},
       {"reason", std::string("隐私测试人（privacy.person@example.cn）来电要求删除 ") + kPerson}});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto report = parse(r.body);
  EXPECT_EQ(report["records"].as_int64(), 5);
  EXPECT_GE(report["audit_rows"].as_int64(), 1) << "the enrolment's audit row named the person";

  // No trace of the number in any text column of any table.
  EXPECT_EQ(columns_containing(db, kPerson), std::set<std::string>{});
  EXPECT_EQ(columns_containing(db, "privacy.person@example.cn"), std::set<std::string>{});
  // Nor of the name, where it was the person's.
  for (const auto& column : columns_containing(db, "隐私测试人")) {
    ADD_FAILURE() << "the erased name is still in " << column;
  }

  // Counts and places stay; the other trainee is untouched.
  auto after = call(http::verb::get, "/api/classes/" + std::to_string(cls), staff_);
  ASSERT_EQ(after.status, 200u);
  EXPECT_EQ(parse(after.body)["confirmed"], parse(before.body)["confirmed"]);
  EXPECT_EQ(parse(after.body)["waitlisted"], parse(before.body)["waitlisted"]);
  r = call(http::verb::get, std::string("/api/people?mobile=") + kOther, staff_);
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(kinds_of(r.body), std::set<std::string>{"enrollment"});

  // The audit chain verifies, and the erasure is in it.
  r = call(http::verb::get, "/api/audit/verify", admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["ok"], true) << r.body;
  r = call(http::verb::get, "/api/audit?action=person.erase", admin_);
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(parse(r.body)["total"], 1);

  // Nothing holds the number any more.
  r = call(http::verb::get, std::string("/api/people?mobile=") + kPerson, staff_);
  EXPECT_EQ(parse(r.body)["records"].as_array().size(), 0u);
  r = call(http::verb::post, "/api/people/erase", staff_,
           {{"mobile", kPerson}, {"reason", "再次"}});
  EXPECT_EQ(r.status, 404u) << r.body;
}

TEST_P(PrivacyHttpTest, BadInputAndOtherRolesAreRefused) {
  auto r = call(http::verb::get, "/api/people", staff_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("mobile")) << r.body;
  r = call(http::verb::get, "/api/people?mobile=12345", staff_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(fields_of(r.body).contains("mobile")) << r.body;
  r = call(http::verb::get, "/api/people/export?mobile=13973009999&format=pdf", staff_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(fields_of(r.body).contains("format")) << r.body;
  r = call(http::verb::get, "/api/people/export?mobile=13973009999", staff_);
  EXPECT_EQ(r.status, 404u) << r.body;
  r = call(http::verb::post, "/api/people/erase", staff_, {{"mobile", "13973009999"}});
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(fields_of(r.body).contains("reason")) << r.body;
  r = call(http::verb::post, "/api/people/erase", staff_, {{"mobile", 139}, {"reason", "x"}});
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(fields_of(r.body).contains("mobile")) << r.body;
  r = call(http::verb::post, "/api/people/erase", staff_,
           {{"mobile", "13973009999"}, {"reason", "无此人"}});
  EXPECT_EQ(r.status, 404u) << r.body;
  for (const Headers* who : {&leader_, &admin_}) {
    r = call(http::verb::get, std::string("/api/people?mobile=") + kPerson, *who);
    EXPECT_EQ(r.status, 403u) << r.body;
    r = call(http::verb::post, "/api/people/erase", *who,
             {{"mobile", kPerson}, {"reason", "越权"}});
    EXPECT_EQ(r.status, 403u) << r.body;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, PrivacyHttpTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

// Notice and consent: every form that takes personal data names the notice version accepted,
// a new version refuses the old one, and an account is asked again at its next sign-in.
TEST_P(PrivacyHttpTest, ConsentIsRecordedAndAskedAgainOnANewVersion) {
  auto r = call(http::verb::get, "/api/privacy/notice", {});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["version"].as_int64(), 1);
  EXPECT_NE(std::string(parse(r.body)["text_zh"].as_string()).find("个人信息"), std::string::npos);

  const long long unit = applied_and_approved();
  const long long cls = class_with(unit);
  const long long visit = delegate_in_visit(unit);
  const long long meeting = attendee_of_meeting(unit);
  const std::string enrol = "/api/classes/" + std::to_string(cls) + "/enrollments";
  const json::object trainee{{"name", "同意测试"}, {"mobile", "13973009999"}};
  // Missing, of the wrong type, or not positive: 400 naming consent_version, nothing written.
  for (const json::value& given : {json::value(nullptr), json::value("1"), json::value(0)}) {
    json::object body{{"member_id", unit}, {"attendee", trainee}};
    if (!given.is_null()) body["consent_version"] = given;
    r = call(http::verb::post, enrol, staff_, body);
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_TRUE(fields_of(r.body).contains("consent_version")) << r.body;
  }
  r = call(http::verb::post, "/api/visits/" + std::to_string(visit) + "/applications", staff_,
           {{"member_id", unit},
            {"delegates", json::array{json::object{
                              {"name", "同意测试"}, {"gender", "m"}, {"mobile", "13973009999"}}}}});
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("consent_version")) << r.body;
  const std::string rsvp = "/api/meetings/" + std::to_string(meeting) + "/rsvp";
  r = call(
      http::verb::post, rsvp, staff_,
      {{"member_id", unit},
       {"attending", true},
       {"attendees", json::array{json::object{{"name", "同意测试"}, {"mobile", "13973009999"}}}}});
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("consent_version")) << r.body;
  // A reply naming nobody takes no personal data.
  r = call(http::verb::post, rsvp, staff_, {{"member_id", unit}, {"attending", false}});
  EXPECT_EQ(r.status, 200u) << r.body;
  r = call(http::verb::post, "/api/applications", {},
           {{"org",
             {{"name", "同意测试开发区"},
              {"uscc", "91430300MA4L61999" + std::string(1, uscc_check_char("91430300MA4L61999"))},
              {"type", "development_zone"},
              {"level", "provincial"},
              {"city_code", "430300"}}},
            {"contact", {{"name", "同意测试"}, {"mobile", "13973009999"}, {"email", "c@x.cn"}}},
            {"account", {{"username", "consent.apply"}, {"password", "Apply-Pass-2026"}}}});
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(fields_of(r.body).size(), 1u) << "only the consent is missing: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("consent_version")) << r.body;

  // The account's own acceptance, asked at sign-in.
  r = call(http::verb::get, "/api/session", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto privacy = parse(r.body)["privacy"].as_object();
  EXPECT_EQ(privacy["version"].as_int64(), 1);
  EXPECT_TRUE(privacy["accepted_version"].is_null()) << r.body;
  r = call(http::verb::post, "/api/privacy/consent", staff_, {{"consent_version", 1}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["accepted_version"].as_int64(), 1);

  // Only an admin publishes; the same texts publish nothing new; a text is required.
  const json::object texts{{"text_zh", "第二版声明：我们收集姓名和手机号用于联络。"},
                           {"text_en", "Second notice: names and mobiles, for contact."}};
  EXPECT_EQ(call(http::verb::put, "/api/privacy/notice", staff_, texts).status, 403u);
  EXPECT_EQ(call(http::verb::put, "/api/privacy/notice", leader_, texts).status, 403u);
  r = call(http::verb::put, "/api/privacy/notice", admin_, {{"text_zh", " "}, {"text_en", "x"}});
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("text_zh")) << r.body;
  r = call(http::verb::put, "/api/privacy/notice", admin_, texts);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["version"].as_int64(), 2);
  r = call(http::verb::put, "/api/privacy/notice", admin_, texts);
  EXPECT_EQ(parse(r.body)["version"].as_int64(), 2) << "the same texts are not a new version";
  r = call(http::verb::get, "/api/session", admin_);
  EXPECT_EQ(parse(r.body)["privacy"].as_object()["accepted_version"].as_int64(), 2)
      << "its author has accepted it: " << r.body;
  EXPECT_EQ(parse(call(http::verb::get, "/api/privacy/notice", {}).body)["text_en"],
            texts.at("text_en"));

  // The old version is refused and the message names the new one; the new one is recorded.
  r = call(http::verb::post, enrol, staff_,
           {{"member_id", unit}, {"attendee", trainee}, {"consent_version", 1}});
  EXPECT_EQ(r.status, 400u) << r.body;
  const auto refused = fields_of(r.body);
  ASSERT_TRUE(refused.contains("consent_version")) << r.body;
  EXPECT_NE(json::serialize(refused.at("consent_version")).find("第 2 版"), std::string::npos)
      << r.body;
  r = call(http::verb::post, enrol, staff_,
           {{"member_id", unit}, {"attendee", trainee}, {"consent_version", 2}});
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse(r.body)["consent_version"].as_int64(), 2);

  // Asked again: the session says the accepted version is not the one in force.
  r = call(http::verb::get, "/api/session", staff_);
  privacy = parse(r.body)["privacy"].as_object();
  EXPECT_EQ(privacy["version"].as_int64(), 2);
  EXPECT_EQ(privacy["accepted_version"].as_int64(), 1);
  r = call(http::verb::post, "/api/privacy/consent", staff_, {{"consent_version", 1}});
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("consent_version")) << r.body;
  r = call(http::verb::post, "/api/privacy/consent", staff_, {{"consent_version", 2}});
  ASSERT_EQ(r.status, 200u) << r.body;
  r = call(http::verb::get, "/api/session", staff_);
  privacy = parse(r.body)["privacy"].as_object();
  EXPECT_EQ(privacy["accepted_version"].as_int64(), 2);
  EXPECT_FALSE(privacy["accepted_at"].is_null());
  // Signing in with a password answers the same.
  r = call(http::verb::post, "/api/session", {},
           {{"username", "pv.staff"}, {"password", "Review-Pass-2026"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["privacy"].as_object()["accepted_version"].as_int64(), 2);
}

// The text of a reply as a person would read it: a workbook's first sheet cell by cell, anything
// else as sent.
std::string readable(const HttpReply& r) {
  if (!r.body.starts_with("PK")) return r.body;
  auto sheet = read_xlsx(r.body, SheetLimits{});
  if (!sheet) return "unreadable workbook";
  std::string text;
  for (const auto& h : sheet->headers) text += h + "\t";
  for (const auto& row : sheet->rows) {
    for (const auto& c : row.cells) text += c + "\t";
  }
  return text;
}

// Masking over the route table: every GET route, its {id} filled with the records of one person
// (a unit's representative and applicant, a trainee, a delegate, a meeting attendee), read as
// JSON and as xlsx and CSV exports with every contact field asked for. A leader never sees the
// person's mobile or e-mail in full, nor does another unit's account or an admin; staff do, and
// every such view or export is a row of the access log.
TEST_P(PrivacyHttpTest, NoRouteShowsAPersonInFullToAnyoneButStaff) {
  const long long unit = applied_and_approved();
  const long long cls = class_with(unit);
  const long long visit = delegate_in_visit(unit);
  const long long meeting = attendee_of_meeting(unit);
  const long long other_unit = applied_and_approved("13973002222", "other.unit@example.cn");
  const long long application = applied_and_approved("13973003333", "x@example.cn", false);
  ASSERT_FALSE(HasFatalFailure());
  std::map<std::string, long long> ids{{"/api/classes/", cls},
                                       {"/api/visits/", visit},
                                       {"/api/meetings/", meeting},
                                       {"/api/members/", unit},
                                       {"/api/applications/", application}};
  auto r = call(http::verb::get, std::string("/api/people?mobile=") + kPerson, staff_);
  const auto found = parse(r.body);  // kept: a range-for over a temporary's member dangles
  for (const auto& rec : found.at("records").as_array()) {
    const auto& o = rec.as_object();
    const std::string ref(o.at("ref").as_string());
    if (o.at("kind") == "enrollment") ids["/api/enrollments/"] = std::stoll(ref);
    if (o.at("kind") == "visit_delegate") ids["/api/visit-delegates/"] = std::stoll(ref);
  }
  r = call(http::verb::get, "/api/visits/" + std::to_string(visit) + "/applications", staff_);
  ids["/api/visit-applications/"] =
      parse(r.body)["items"].as_array()[0].as_object()["id"].as_int64();
  ASSERT_EQ(ids.size(), 8u);

  const Headers other = app_.bearer(Role::member, "pv.other", other_unit);
  const std::vector<std::pair<std::string, const Headers*>> outsiders{
      {"leader", &leader_}, {"another unit", &other}, {"admin", &admin_}};
  const std::vector<std::string> secrets{kPerson, kOther, "privacy.person@example.cn"};
  int checked = 0;
  for (const web::Route& route : web::make_routes()) {
    if (route.method != http::verb::get) continue;
    std::string path = route.pattern;
    if (const auto at = path.find("{id}"); at != std::string::npos) {
      const auto prefix = std::ranges::find_if(
          ids, [&](const auto& entry) { return path.starts_with(entry.first); });
      path.replace(at, 4, std::to_string(prefix == ids.end() ? 1 : prefix->second));
    }
    if (path.find('{') != std::string::npos) continue;  // tokens, days: nothing to guess
    for (const char* query :
         {"", "?format=xlsx&fields=mobile,email", "?format=csv&fields=mobile,email"}) {
      for (const auto& [who, headers] : outsiders) {
        const auto reply = call(http::verb::get, path + query, *headers);
        const std::string text = readable(reply);
        // Admins manage accounts: an applicant's account carries the contact's e-mail (where
        // its password reset goes), which the user list shows them in full.
        if (who == std::string("admin") && route.pattern.starts_with("/api/users")) continue;
        for (const auto& secret : secrets) {
          EXPECT_EQ(text.find(secret), std::string::npos)
              << who << " reads " << secret << " in full at " << path << query;
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 300);

  // Leaders read the roster, the delegation and the reply matrix, masked.
  const std::string masked = "139****1234";
  for (const std::string& path :
       std::vector<std::string>{"/api/classes/" + std::to_string(cls) + "/enrollments",
                                "/api/visits/" + std::to_string(visit) + "/delegates",
                                "/api/meetings/" + std::to_string(meeting) + "/rsvps",
                                "/api/members/" + std::to_string(unit) + "/contacts"}) {
    r = call(http::verb::get, path, leader_);
    ASSERT_EQ(r.status, 200u) << path << " " << r.body;
    EXPECT_NE(r.body.find(masked), std::string::npos) << path << " " << r.body;
    EXPECT_NE(r.body.find("隐私测试人"), std::string::npos) << "names are shown: " << path;
  }
  r = call(http::verb::get,
           "/api/classes/" + std::to_string(cls) + "/enrollments?format=xlsx&fields=mobile",
           leader_);
  EXPECT_NE(readable(r).find(masked), std::string::npos);

  // Staff read them in full, and each page and file is one row of the access log.
  r = call(http::verb::get, "/api/access-log?actor=pv.staff", admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const long long logged_before = parse(r.body)["total"].as_int64();
  r = call(http::verb::get, "/api/classes/" + std::to_string(cls) + "/enrollments", staff_);
  EXPECT_NE(r.body.find(kPerson), std::string::npos);
  r = call(http::verb::get, "/api/classes/" + std::to_string(cls) + "/enrollments?format=xlsx",
           staff_);
  EXPECT_EQ(readable(r).find(kPerson), std::string::npos) << "no mobiles unless asked";
  r = call(http::verb::get,
           "/api/classes/" + std::to_string(cls) + "/enrollments?format=xlsx&fields=mobile",
           staff_);
  EXPECT_NE(readable(r).find(kPerson), std::string::npos);
  EXPECT_EQ(
      call(http::verb::get,
           "/api/classes/" + std::to_string(cls) + "/enrollments?format=xlsx&fields=phone", staff_)
          .status,
      400u);
  r = call(http::verb::get, "/api/access-log?actor=pv.staff", admin_);
  auto log = parse(r.body);
  EXPECT_EQ(log["total"].as_int64(), logged_before + 3);
  const auto& newest = log["items"].as_array();
  ASSERT_GE(newest.size(), 3u);
  EXPECT_EQ(newest[0].as_object().at("action"), "personal.export");
  EXPECT_NE(std::string(newest[0].as_object().at("summary").as_string()).find("手机"),
            std::string::npos)
      << "the export names its fields";
  EXPECT_EQ(newest[2].as_object().at("action"), "personal.view");
  EXPECT_EQ(newest[2].as_object().at("entity_id").as_string(), std::to_string(cls));
  EXPECT_FALSE(std::string(newest[2].as_object().at("address").as_string()).empty());
  // Only admins search it; the filters are checked; the chain still verifies.
  EXPECT_EQ(call(http::verb::get, "/api/access-log", staff_).status, 403u);
  EXPECT_EQ(call(http::verb::get, "/api/access-log?from=yesterday", admin_).status, 400u);
  r = call(http::verb::get, "/api/access-log?actor=pv.staff&from=" + day(1), admin_);
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 0);
  r = call(http::verb::get, "/api/audit/verify", admin_);
  EXPECT_EQ(parse(r.body)["ok"], true) << r.body;
}

// Correcting a person reaches every record holding their number; a new number that would give
// them two places in one class is refused.
TEST_P(PrivacyHttpTest, APersonIsCorrectedInEveryRecord) {
  const long long unit = applied_and_approved();
  class_with(unit);
  delegate_in_visit(unit);
  attendee_of_meeting(unit);
  ASSERT_FALSE(HasFatalFailure());
  auto r = call(http::verb::patch, "/api/people", staff_,
                {{"mobile", kPerson}, {"name", "更正后姓名"}, {"reason", "本人来电更正"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["records"].as_int64(), 5);
  r = call(http::verb::get, std::string("/api/people?mobile=") + kPerson, staff_);
  const auto found = parse(r.body);  // kept: a range-for over a temporary's member dangles
  for (const auto& rec : found.at("records").as_array()) {
    EXPECT_EQ(rec.as_object().at("name"), "更正后姓名") << rec;
  }
  // kOther holds a place in the same class: the person cannot take that number.
  r = call(http::verb::patch, "/api/people", staff_,
           {{"mobile", kPerson}, {"new_mobile", kOther}, {"reason", "换号"}});
  EXPECT_EQ(r.status, 409u) << r.body;
  r = call(http::verb::patch, "/api/people", staff_,
           {{"mobile", kPerson}, {"new_mobile", "123"}, {"email", "bad"}, {"reason", "x"}});
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("new_mobile") && fields_of(r.body).contains("email"))
      << r.body;
  r = call(http::verb::patch, "/api/people", staff_, {{"mobile", kPerson}, {"reason", "x"}});
  EXPECT_EQ(r.status, 400u) << "nothing to correct: " << r.body;
  r = call(http::verb::patch, "/api/people", staff_,
           {{"mobile", "13973000000"}, {"name", "某人"}, {"reason", "x"}});
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_EQ(call(http::verb::patch, "/api/people", leader_,
                 {{"mobile", kPerson}, {"name", "某人"}, {"reason", "x"}})
                .status,
            403u);
  r = call(http::verb::patch, "/api/people", staff_,
           {{"mobile", kPerson}, {"new_mobile", "13973008888"}, {"reason", "换号"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  r = call(http::verb::get, std::string("/api/people?mobile=") + kPerson, staff_);
  EXPECT_TRUE(parse(r.body)["records"].as_array().empty()) << r.body;
  r = call(http::verb::get, "/api/people?mobile=13973008888", staff_);
  EXPECT_EQ(parse(r.body)["records"].as_array().size(), 5u) << r.body;
  r = call(http::verb::get, "/api/access-log?actor=pv.staff", admin_);
  EXPECT_NE(r.body.find("person.correct"), std::string::npos);
}

// Retention: what is past its time is anonymised in place, a dry run reports exactly what the
// run then does, and a record once anonymised is not counted again.
TEST_P(PrivacyHttpTest, RetentionDryRunEqualsTheRun) {
  const long long unit = applied_and_approved();
  const long long cls = class_with(unit);
  const long long visit = delegate_in_visit(unit);
  const long long meeting = attendee_of_meeting(unit);
  applied_and_approved("13973003333", "x@example.cn", false);
  ASSERT_FALSE(HasFatalFailure());
  auto r = call(http::verb::get, "/api/retention/settings", admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["enrollment_years"].as_int64(), 3);
  r = call(http::verb::put, "/api/retention/settings", admin_,
           {{"enrollment_years", 0}, {"outbox_days", 5}});
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("enrollment_years") &&
              fields_of(r.body).contains("outbox_days"))
      << r.body;
  EXPECT_EQ(call(http::verb::put, "/api/retention/settings", staff_, {{"daily", true}}).status,
            403u);
  r = call(http::verb::put, "/api/retention/settings", admin_, {{"enrollment_years", 2}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["enrollment_years"].as_int64(), 2);
  EXPECT_EQ(parse(r.body)["visit_delegate_years"].as_int64(), 3) << "the rest unchanged";

  // Nothing is old yet.
  r = call(http::verb::post, "/api/retention-runs", admin_, {{"dry_run", true}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 0) << r.body;
  // The class, the visit, the meeting and the rejection were four years ago.
  ASSERT_TRUE(app_.app().database().with_transaction([&](soci::session& s) -> Status {
    s << "UPDATE classes SET starts_at = '2022-01-01 01:00:00.000000', ends_at = "
         "'2022-01-02 09:00:00.000000' WHERE id = :id",
        soci::use(cls);
    s << "UPDATE visits SET starts_on = '2022-01-01', ends_on = '2022-01-02' WHERE id = :id",
        soci::use(visit);
    s << "UPDATE meetings SET starts_at = '2022-01-01 01:00:00.000000', ends_at = "
         "'2022-01-01 03:00:00.000000' WHERE id = :id",
        soci::use(meeting);
    s << "UPDATE applications SET decided_at = '2022-01-01 01:00:00.000000' WHERE status = "
         "'rejected'";
    return {};
  }));
  r = call(http::verb::post, "/api/retention-runs", admin_, {{"dry_run", true}});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto dry = parse(r.body);
  EXPECT_EQ(dry["dry_run"], true);
  std::map<std::string, long long> expected{{"enrollment", 2},
                                            {"visit_delegate", 1},
                                            {"meeting_attendee", 1},
                                            {"rejected_application", 1}};
  for (const auto& item : dry["items"].as_array()) {
    const auto& o = item.as_object();
    const std::string kind(o.at("kind").as_string());
    if (expected.contains(kind)) {
      EXPECT_EQ(o.at("records").as_int64(), expected[kind]) << kind;
    }
  }
  // Still there after a dry run; gone after the run, which reports the same.
  r = call(http::verb::get, std::string("/api/people?mobile=") + kPerson, staff_);
  EXPECT_EQ(parse(r.body)["records"].as_array().size(), 5u);
  r = call(http::verb::post, "/api/retention-runs", admin_, {{"dry_run", false}});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto real = parse(r.body);
  EXPECT_EQ(real["dry_run"], false);
  EXPECT_EQ(real["total"], dry["total"]);
  EXPECT_EQ(real["items"], dry["items"]);
  r = call(http::verb::get, std::string("/api/people?mobile=") + kPerson, staff_);
  std::set<std::string> left;
  const auto found = parse(r.body);  // kept: a range-for over a temporary's member dangles
  for (const auto& rec : found.at("records").as_array()) {
    left.insert(std::string(rec.as_object().at("kind").as_string()));
  }
  EXPECT_EQ(left, (std::set<std::string>{"member_contact", "application"}))
      << "the unit's representative and its (approved) application stay";
  // The trainee keeps the name and place; the class keeps its count.
  r = call(http::verb::get, "/api/classes/" + std::to_string(cls) + "/enrollments", staff_);
  const auto roster = parse(r.body);
  for (const auto& e : roster.at("items").as_array()) {
    EXPECT_EQ(e.as_object().at("attendee").as_object().at("mobile"), "已删除");
  }
  r = call(http::verb::post, "/api/retention-runs", admin_, {{"dry_run", true}});
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 0) << "nothing counted twice: " << r.body;
  r = call(http::verb::get, "/api/retention-runs", admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["items"].as_array().size(), 4u);
  r = call(http::verb::post, "/api/retention-runs", admin_, {{"dry_run", "yes"}});
  EXPECT_EQ(r.status, 400u);
  r = call(http::verb::get, "/api/audit/verify", admin_);
  EXPECT_EQ(parse(r.body)["ok"], true) << r.body;
}

}  // namespace
}  // namespace xiehui::testing
