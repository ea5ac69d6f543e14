// Reports over HTTP (docs/API.md "Reports") on every backend: every report for leaders and
// staff with its documented fields, a member account cut to its own unit (dashboard and
// engagement) and refused the rest, 400 naming each bad parameter, downloads as xlsx and CSV,
// and the term settings.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/accounts/accounts_service.hpp"
#include "services/accounts/auth_service.hpp"
#include "services/membership/membership_repository.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

namespace json = boost::json;

json::object parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << text;
    return {};
  }
  return std::move(v.as_object());
}

json::object fields_of(const std::string& body) {
  auto o = parse(body);
  const auto* details = o.if_contains("details");
  if (!details || !details->is_object()) return {};
  const auto* fields = details->as_object().if_contains("fields");
  return fields && fields->is_object() ? fields->as_object() : json::object{};
}

std::set<std::string> keys_of(const json::object& o) {
  std::set<std::string> out;
  for (const auto& kv : o) out.insert(std::string(kv.key()));
  return out;
}

Date today() { return shanghai_date(SystemClock{}.now()); }
int this_year() { return static_cast<int>(today().year()); }

std::string schedule_body(int year) {
  json::object body{{"tiers",
                     {{"member", 200000},
                      {"council", 500000},
                      {"standing_council", 800000},
                      {"vice_president", 1000000},
                      {"president", 1500000}}},
                    {"effective_on", std::to_string(year) + "-01-01"},
                    {"decision",
                     {{"meeting_name", "第三届会员大会第二次会议"},
                      {"held_on", std::to_string(year - 1) + "-12-20"},
                      {"entitled", 30},
                      {"present", 20},
                      {"votes_for", 15},
                      {"votes_against", 3},
                      {"abstentions", 1},
                      {"secret_ballot", true},
                      {"resolution_id", nullptr}}}};
  return json::serialize(body);
}

class ReportsHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    leader_ = app_.bearer(Role::leader, "rp.leader");
    staff_ = app_.bearer(Role::staff, "rp.staff");
    admin_ = app_.bearer(Role::admin, "rp.admin");
    unit_a_ = add_unit("岳麓高新区", "430100", "council", 0);
    unit_b_ = add_unit("湘潭经开区", "430300", "member", 1);
    unit_c_ = add_unit("岳阳综保区", "430600", "member", 2);
    member_a_ = app_.bearer(Role::member, "rp.yuelu", unit_a_);
  }

  long long add_unit(const std::string& name, const std::string& city, const std::string& tier,
                     int n) {
    const std::string body = "91430100MA4P" + std::to_string(40000 + n);
    auto id = app_.app().database().with_transaction([&](soci::session& s) -> Result<long long> {
      const membership::Organisation org{
          name, name, body + uscc_check_char(body), "development_zone", "provincial", city, ""};
      return membership::membership_repository::insert_member(
                 s, org, tier, "2020-01-01", "dan wei " + std::to_string(n), Timestamp{})
          .first;
    });
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  }

  HttpReply call(http::verb verb, const std::string& target, const Headers& who,
                 const std::string& body = {}) {
    Headers h = who;
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return http_request(app_.port(), verb, target, body, h);
  }

  HttpReply get(const std::string& target, const Headers& who) {
    return call(http::verb::get, target, who);
  }

  /// Bills this year and pays unit B's invoice in full: some dues figures to read.
  void bill_and_pay() {
    const std::string y = std::to_string(this_year());
    auto r = call(http::verb::put, "/api/dues/schedules/" + y, staff_, schedule_body(this_year()));
    ASSERT_EQ(r.status, 200u) << r.body;
    r = call(http::verb::post, "/api/dues/schedules/" + y + "/publish", staff_);
    ASSERT_EQ(r.status, 200u) << r.body;
    r = call(http::verb::post, "/api/dues/bill-runs", staff_, R"({"year":)" + y + "}");
    ASSERT_EQ(r.status, 200u) << r.body;
    r = get("/api/dues/invoices?page_size=100&year=" + y, staff_);
    ASSERT_EQ(r.status, 200u) << r.body;
    const json::object list = parse(r.body);
    for (const auto& i : list.at("items").as_array()) {
      if (i.as_object().at("member_id").as_int64() != unit_b_) continue;
      Headers with_key = staff_;
      with_key.emplace_back("Idempotency-Key", "reports-pay-b");
      const json::object payment{{"amount_fen", 200000},
                                 {"paid_on", format_date(today())},
                                 {"method", "bank_transfer"},
                                 {"reference", ""}};
      auto p = call(
          http::verb::post,
          "/api/dues/invoices/" + std::to_string(i.as_object().at("id").as_int64()) + "/payments",
          with_key, json::serialize(payment));
      ASSERT_EQ(p.status, 201u) << p.body;
    }
  }

  TestDatabase db_{GetParam(), TestDatabase::Schema::migrated};
  RunningApp app_{test_config(db_.connection_string())};
  Headers leader_, staff_, admin_, member_a_;
  long long unit_a_ = 0, unit_b_ = 0, unit_c_ = 0;
};

TEST_P(ReportsHttpTest, LeadersAndStaffReadEveryReportWithItsDocumentedFields) {
  bill_and_pay();
  const std::map<std::string, std::set<std::string>> documented = {
      {"/api/reports/dashboard", {"year", "scope", "headline", "charts", "term"}},
      {"/api/reports/membership",
       {"year", "total", "at_year_end", "by_status", "by_city", "by_type", "by_level", "by_tier",
        "flows"}},
      {"/api/reports/dues",
       {"year", "units", "billed_fen", "reduced_fen", "collected_fen", "outstanding_fen",
        "collection_rate", "by_tier", "by_city", "by_month", "arrears_by_age"}},
      {"/api/reports/training",
       {"year", "classes", "capacity", "places", "fill_rate", "attended", "attendance_rate",
        "certificates", "by_city", "by_unit"}},
      {"/api/reports/meetings",
       {"year", "meetings_held", "invitations", "replies", "reply_rate", "attending", "present",
        "attendance_rate", "meetings", "by_unit"}},
      {"/api/reports/visits",
       {"year", "visits_held", "delegates", "cost_fen", "visits", "by_unit"}},
      {"/api/reports/engagement",
       {"years", "through_year", "inactive_units", "items", "total", "page", "page_size"}},
      {"/api/reports/annual",
       {"year", "members_at_year_end", "joined", "left", "activities", "training_participants",
        "training_certificates", "meetings_held", "meeting_attendance_rate", "dues_billed_fen",
        "dues_income_fen", "units_paid"}},
      {"/api/reports/drill?dimension=city&key=430100", {"items", "total", "page", "page_size"}},
      {"/api/reports/settings", {"term_no", "term_ends_on"}},
  };
  for (const Headers& who : {leader_, staff_}) {
    for (const auto& [path, fields] : documented) {
      auto r = get(path, who);
      ASSERT_EQ(r.status, 200u) << path << ": " << r.body;
      const auto keys = keys_of(parse(r.body));
      for (const std::string& f : fields) {
        EXPECT_TRUE(keys.contains(f)) << path << " lacks \"" << f << "\": " << r.body;
      }
    }
  }

  auto dash = parse(get("/api/reports/dashboard", leader_).body);
  EXPECT_EQ(std::string(dash["scope"].as_string()), "association");
  EXPECT_EQ(dash["year"].as_int64(), this_year());
  std::set<std::string> headline;
  for (const auto& h : dash["headline"].as_array()) {
    headline.insert(std::string(h.as_object().at("key").as_string()));
    EXPECT_EQ(keys_of(h.as_object()),
              (std::set<std::string>{"key", "value", "previous", "kind", "link"}));
  }
  EXPECT_EQ(headline,
            (std::set<std::string>{"units", "joined", "left", "dues_rate", "dues_collected_fen",
                                   "training_classes", "training_places", "meetings_held",
                                   "meeting_attendance_rate", "visits_held", "visit_delegates"}));
  const auto charts = keys_of(dash["charts"].as_object());
  for (const char* c : {"by_city", "by_type", "by_level", "by_tier", "by_status", "dues_by_month",
                        "training_by_city", "activity_days"}) {
    EXPECT_TRUE(charts.contains(c)) << c;
  }

  // The figures: three units billed 900,000 fen (council 500,000 + 2 × member 200,000), one
  // invoice of 200,000 paid.
  auto dues_report = parse(get("/api/reports/dues", staff_).body);
  EXPECT_EQ(dues_report["units"].as_int64(), 3);
  EXPECT_EQ(dues_report["billed_fen"].as_int64(), 900000);
  EXPECT_EQ(dues_report["collected_fen"].as_int64(), 200000);
  EXPECT_EQ(dues_report["outstanding_fen"].as_int64(), 700000);
  const auto ages = keys_of(dues_report["arrears_by_age"].as_object());
  EXPECT_EQ(ages, (std::set<std::string>{"current", "1y", "2y", "3y+"}));
  EXPECT_EQ(
      dues_report["arrears_by_age"].as_object().at("current").as_object().at("units").as_int64(),
      2);
  auto members = parse(get("/api/reports/membership", staff_).body);
  EXPECT_EQ(members["total"].as_int64(), 3);
  auto filtered = parse(get("/api/reports/membership?city_code=430300", staff_).body);
  EXPECT_EQ(filtered["total"].as_int64(), 1);
  auto drill = parse(get("/api/reports/drill?dimension=city&key=430100", staff_).body);
  ASSERT_EQ(drill["items"].as_array().size(), 1u);
  EXPECT_EQ(drill["items"].as_array()[0].as_object().at("member_id").as_int64(), unit_a_);
  EXPECT_EQ(drill["total"].as_int64(), 1);
  auto engagement = parse(get("/api/reports/engagement", leader_).body);
  EXPECT_EQ(engagement["total"].as_int64(), 3);
  EXPECT_EQ(engagement["inactive_units"].as_int64(), 3);
  EXPECT_EQ(engagement["items"].as_array().size(), 3u);
  auto annual = parse(get("/api/reports/annual", leader_).body);
  EXPECT_EQ(annual["dues_income_fen"].as_int64(), 200000);
  EXPECT_EQ(annual["units_paid"].as_int64(), 1);
}

TEST_P(ReportsHttpTest, AMemberReadsItsOwnUnitOnly) {
  bill_and_pay();
  for (const char* path : {"/api/reports/membership", "/api/reports/dues", "/api/reports/training",
                           "/api/reports/meetings", "/api/reports/visits", "/api/reports/annual",
                           "/api/reports/drill?dimension=city&key=430100", "/api/reports/settings",
                           "/api/reports/dues?format=xlsx", "/api/reports/membership?format=csv"}) {
    auto r = get(path, member_a_);
    EXPECT_EQ(r.status, 403u) << path << ": " << r.body;
  }

  auto r = get("/api/reports/dashboard", member_a_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto dash = parse(r.body);
  EXPECT_EQ(std::string(dash["scope"].as_string()), "unit");
  ASSERT_TRUE(dash.contains("unit")) << r.body;
  EXPECT_EQ(dash["unit"].as_object().at("member_id").as_int64(), unit_a_);
  EXPECT_FALSE(dash.contains("headline")) << "no association figures: " << r.body;
  EXPECT_FALSE(dash.contains("charts")) << r.body;
  EXPECT_EQ(r.body.find(std::string("湘潭经开区")), std::string::npos) << "another unit's name";
  EXPECT_EQ(r.body.find(std::string("岳阳综保区")), std::string::npos) << "another unit's name";
  const auto& unit_dues = dash["unit"].as_object().at("dues").as_object();
  EXPECT_EQ(unit_dues.at("outstanding_fen").as_int64(), 500000) << "its council dues, unpaid";
  EXPECT_EQ(unit_dues.at("oldest_arrears_year").as_int64(), this_year());

  r = get("/api/reports/engagement", member_a_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto e = parse(r.body);
  ASSERT_EQ(e["items"].as_array().size(), 1u) << r.body;
  EXPECT_EQ(e["items"].as_array()[0].as_object().at("member_id").as_int64(), unit_a_);
  EXPECT_EQ(e["total"].as_int64(), 1);
  // Filters and paging cannot widen it.
  r = get("/api/reports/engagement?city_code=430300&page=2&page_size=1", member_a_);
  ASSERT_EQ(r.status, 200u) << r.body;
  e = parse(r.body);
  ASSERT_EQ(e["items"].as_array().size(), 1u) << r.body;
  EXPECT_EQ(e["items"].as_array()[0].as_object().at("member_id").as_int64(), unit_a_);
  EXPECT_EQ(r.body.find(std::string("湘潭经开区")), std::string::npos);
  // Its own line as a download too.
  r = get("/api/reports/engagement?format=csv", member_a_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_NE(r.body.find(std::string("岳麓高新区")), std::string::npos);
  EXPECT_EQ(r.body.find(std::string("湘潭经开区")), std::string::npos);
  EXPECT_EQ(r.body.find(std::string("岳阳综保区")), std::string::npos);
}

TEST_P(ReportsHttpTest, BadParametersAreNamedAndStrangersAreRefused) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"/api/reports/membership?year=abc", "year"},
      {"/api/reports/membership?year=1999", "year"},
      {"/api/reports/dues?year=2101", "year"},
      {"/api/reports/dashboard?year=1999", "year"},
      {"/api/reports/membership?city_code=999999", "city_code"},
      {"/api/reports/dues?type=x", "type"},
      {"/api/reports/training?tier=x", "tier"},
      {"/api/reports/engagement?years=0", "years"},
      {"/api/reports/engagement?years=11", "years"},
      {"/api/reports/dues?format=pdf", "format"},
      {"/api/reports/training?page_size=1000", "page_size"},
      {"/api/reports/drill?dimension=colour&key=x", "dimension"},
      {"/api/reports/drill?dimension=age&report=dues&key=9y", "key"},
  };
  for (const auto& [path, field] : bad) {
    auto r = get(path, leader_);
    EXPECT_EQ(r.status, 400u) << path << ": " << r.body;
    EXPECT_TRUE(fields_of(r.body).contains(field))
        << path << " should name " << field << ": " << r.body;
  }
  auto r = get("/api/reports/engagement?years=0", member_a_);
  EXPECT_EQ(r.status, 400u) << "a member's bad parameter is still named: " << r.body;

  for (const char* path : {"/api/reports/dashboard", "/api/reports/membership",
                           "/api/reports/engagement", "/api/reports/settings"}) {
    EXPECT_EQ(get(path, {}).status, 401u) << path;
  }
  EXPECT_EQ(call(http::verb::put, "/api/reports/settings", {}, R"({"term_no":4})").status, 401u);
}

TEST_P(ReportsHttpTest, DownloadsAreXlsxAndCsvWithABom) {
  bill_and_pay();
  for (const char* report :
       {"membership", "dues", "training", "meetings", "visits", "engagement", "annual"}) {
    const std::string base = std::string("/api/reports/") + report;
    auto x = get(base + "?format=xlsx", staff_);
    ASSERT_EQ(x.status, 200u) << report << ": " << x.body.substr(0, 200);
    EXPECT_EQ(x.body.substr(0, 4), std::string("PK\x03\x04", 4)) << report;
    EXPECT_NE(x.header("Content-Type").find("spreadsheet"), std::string::npos)
        << report << ": " << x.header("Content-Type");
    auto c = get(base + "?format=csv", leader_);
    ASSERT_EQ(c.status, 200u) << report << ": " << c.body;
    EXPECT_EQ(c.body.substr(0, 3), "\xEF\xBB\xBF") << report;
    EXPECT_NE(c.header("Content-Type").find("text/csv"), std::string::npos) << report;
  }
  auto csv = get("/api/reports/membership?format=csv", staff_);
  EXPECT_NE(csv.body.find(std::string("长沙市")), std::string::npos)
      << "the rows name the city: " << csv.body;
}

TEST_P(ReportsHttpTest, TheTermIsSetByAnAdminAndCountsDown) {
  const Date ends{std::chrono::sys_days{today()} + std::chrono::days{100}};
  auto r = call(http::verb::put, "/api/reports/settings", admin_,
                R"({"term_no":4,"term_ends_on":")" + format_date(ends) + R"("})");
  ASSERT_EQ(r.status, 200u) << r.body;

  r = get("/api/reports/settings", leader_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto s = parse(r.body);
  EXPECT_EQ(s["term_no"].as_int64(), 4);
  EXPECT_EQ(std::string(s["term_ends_on"].as_string()), format_date(ends));

  r = get("/api/reports/dashboard", leader_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto term = parse(r.body)["term"].as_object();
  EXPECT_EQ(term.at("term_no").as_int64(), 4);
  EXPECT_EQ(std::string(term.at("ends_on").as_string()), format_date(ends));
  EXPECT_EQ(term.at("days_left").as_int64(), 100);

  r = call(http::verb::put, "/api/reports/settings", leader_, R"({"term_no":5})");
  EXPECT_EQ(r.status, 403u) << r.body;
  r = call(http::verb::put, "/api/reports/settings", staff_, R"({"term_no":5})");
  EXPECT_EQ(r.status, 403u) << r.body;
  r = call(http::verb::put, "/api/reports/settings", admin_,
           R"({"term_no":4,"term_ends_on":"2026-13-40"})");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("term_ends_on")) << r.body;
  r = call(http::verb::put, "/api/reports/settings", admin_, R"({"term_no":100})");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("term_no")) << r.body;

  // Nothing refused was stored.
  s = parse(get("/api/reports/settings", leader_).body);
  EXPECT_EQ(s["term_no"].as_int64(), 4);
  EXPECT_EQ(std::string(s["term_ends_on"].as_string()), format_date(ends));

  // A PUT replaces the term: absent fields are cleared.
  r = call(http::verb::put, "/api/reports/settings", admin_, R"({"term_no":5})");
  ASSERT_EQ(r.status, 200u) << r.body;
  s = parse(get("/api/reports/settings", leader_).body);
  EXPECT_EQ(s["term_no"].as_int64(), 5);
  EXPECT_TRUE(s["term_ends_on"].is_null());
  term = parse(get("/api/reports/dashboard", leader_).body)["term"].as_object();
  EXPECT_TRUE(term.at("days_left").is_null());
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportsHttpTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::testing
