// Sign-up over HTTP under load: 200 parallel requests at a class of 30 seats, from one server
// process and from two processes sharing one MariaDB.

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>

#include "core/validate.hpp"
#include "services/accounts/accounts_service.hpp"
#include "services/accounts/auth_service.hpp"
#include "services/membership/membership_repository.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/peer_servers.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

boost::json::object parse(const std::string& text) { return boost::json::parse(text).as_object(); }

class TrainingHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto user = app_.app().accounts().create_user(
        {"train.staff", "train.staff", "Review-Pass-2026", {Role::staff}, std::nullopt},
        accounts::command_line_actor());
    ASSERT_TRUE(user.has_value());
    Principal p;
    p.user_id = user->id;
    p.username = user->username;
    auto token = app_.app().auth().create_token(p, "test");
    ASSERT_TRUE(token.has_value());
    staff_ = {{"Authorization", "Bearer " + token->second}, {"Content-Type", "application/json"}};
    auto r =
        http_request(app_.port(), http::verb::post, "/api/courses",
                     R"({"title":"开发区高质量发展研修班","topics":["招商","营商环境"]})", staff_);
    ASSERT_EQ(r.status, 201u) << r.body;
    course_ = parse(r.body)["id"].as_int64();
    for (int i = 0; i < 4; ++i) {
      auto id = app_.app().database().with_transaction([&](soci::session& s) -> Result<long long> {
        const std::string body = "91430100MA4L" + std::to_string(30000 + i);
        const membership::Organisation org{"单位" + std::to_string(i),
                                           "单位",
                                           body + uscc_check_char(body),
                                           "development_zone",
                                           "provincial",
                                           "430100",
                                           ""};
        return membership::membership_repository::insert_member(s, org, "member", "2020-01-01",
                                                                "dan wei", Timestamp{})
            .first;
      });
      ASSERT_TRUE(id.has_value());
      units_.push_back(*id);
    }
  }

  long long enrol(long long cls, long long unit, const std::string& name,
                  const std::string& mobile) {
    const std::string body = boost::json::serialize(
        boost::json::object{{"member_id", unit},
                            {"attendee", {{"name", name}, {"mobile", mobile}}},
                            {"consent_version", 1}});
    auto r = http_request(app_.port(), http::verb::post,
                          "/api/classes/" + std::to_string(cls) + "/enrollments", body, staff_);
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.status == 201u ? parse(r.body)["id"].as_int64() : 0;
  }

  long long open_class(int capacity, std::optional<int> quota = std::nullopt) {
    boost::json::object body{{"venue", "长沙"},         {"starts_at", "2030-12-07T09:00:00+08:00"},
                             {"ends_at", "2030-12-08"}, {"signup_deadline", "2030-11-30"},
                             {"capacity", capacity},    {"per_member_quota", nullptr},
                             {"fee_fen", 120000},       {"status", "open"}};
    if (quota) body["per_member_quota"] = *quota;
    auto r = http_request(app_.port(), http::verb::post,
                          "/api/courses/" + std::to_string(course_) + "/classes",
                          boost::json::serialize(body), staff_);
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.status == 201u ? parse(r.body)["id"].as_int64() : 0;
  }

  struct Outcome {
    std::atomic<int> confirmed{0}, waitlisted{0}, server_errors{0}, other{0};
    std::mutex mutex;
    std::vector<long long> positions;
  };

  // Fires `count` sign-ups at once (one thread each), alternating between `ports`.
  void fire(long long cls, int count, const std::vector<std::uint16_t>& ports, Outcome& out) {
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (int i = 0; i < count; ++i) {
      threads.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        const std::string n = std::to_string(i);
        boost::json::object body{
            {"member_id", units_[static_cast<std::size_t>(i) % units_.size()]},
            {"attendee",
             {{"name", "学员" + n}, {"mobile", "139" + std::string(8 - n.size(), '0') + n}}},
            {"consent_version", 1}};
        auto r = http_request(ports[static_cast<std::size_t>(i) % ports.size()], http::verb::post,
                              "/api/classes/" + std::to_string(cls) + "/enrollments",
                              boost::json::serialize(body), staff_);
        if (r.status >= 500) {
          ++out.server_errors;
        } else if (r.status != 201) {
          ++out.other;
        } else if (parse(r.body)["status"] == "confirmed") {
          ++out.confirmed;
        } else {
          ++out.waitlisted;
          std::lock_guard lock(out.mutex);
          out.positions.push_back(parse(r.body)["waitlist_position"].as_int64());
        }
      });
    }
    go = true;
    for (auto& t : threads) t.join();
  }

  void expect_exact(long long cls, Outcome& out) {
    EXPECT_EQ(out.server_errors.load(), 0);
    EXPECT_EQ(out.other.load(), 0);
    EXPECT_EQ(out.confirmed.load(), 30);
    EXPECT_EQ(out.waitlisted.load(), 170);
    std::sort(out.positions.begin(), out.positions.end());
    std::vector<long long> expected(170);
    std::iota(expected.begin(), expected.end(), 1);
    EXPECT_EQ(out.positions, expected) << "waitlist positions exactly 1..170";
    auto r = http_request(app_.port(), http::verb::get, "/api/classes/" + std::to_string(cls), "",
                          staff_);
    ASSERT_EQ(r.status, 200u) << r.body;
    auto c = parse(r.body);
    EXPECT_EQ(c["confirmed"].as_int64(), 30);
    EXPECT_EQ(c["waitlisted"].as_int64(), 170);
    r = http_request(app_.port(), http::verb::get,
                     "/api/classes/" + std::to_string(cls) + "/enrollments", "", staff_);
    ASSERT_EQ(r.status, 200u) << r.body;
    int confirmed = 0;
    const auto roster = parse(r.body);
    for (const auto& e : roster.at("items").as_array()) {
      if (e.as_object().at("status") == "confirmed") ++confirmed;
    }
    EXPECT_EQ(confirmed, 30) << "the roster agrees with the counters";
  }

  TestDatabase db_{GetParam(), TestDatabase::Schema::migrated};
  RunningApp app_{test_config(db_.connection_string())};
  Headers staff_;
  long long course_ = 0;
  std::vector<long long> units_;
};

TEST_P(TrainingHttpTest, TwoHundredParallelSignUpsForThirtySeats) {
  const long long cls = open_class(30);
  Outcome out;
  fire(cls, 200, {app_.port()}, out);
  expect_exact(cls, out);
}

// Several processes on one MariaDB, or three on three Galera nodes (multi_process_backends).

class TrainingTwoProcessTest : public TrainingHttpTest {
 protected:
  // The audit chain, written by every process, verifies whole (asked of the last process).
  void expect_audit_chain_intact(std::uint16_t port) {
    const Headers admin = app_.bearer(Role::admin, "train.admin");
    auto r = http_request(port, http::verb::get, "/api/audit/verify", "", admin);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_TRUE(parse(r.body)["ok"].as_bool()) << r.body;
    EXPECT_GT(parse(r.body)["checked"].as_int64(), 200) << r.body;
  }
};

TEST_P(TrainingTwoProcessTest, TwoServerProcessesOnOneDatabaseNeverOverbook) {
  const PeerServers peers(db_, GetParam());
  ASSERT_TRUE(peers.started());
  const long long cls = open_class(30);
  Outcome out;
  fire(cls, 200, peers.with(app_.port()), out);
  expect_exact(cls, out);
  expect_audit_chain_intact(peers.ports().back());
  if (HasFailure()) ADD_FAILURE() << peers.stderr_text();
}

TEST_P(TrainingTwoProcessTest, AUnitsQuotaHoldsAcrossProcesses) {
  const PeerServers peers(db_, GetParam());
  ASSERT_TRUE(peers.started());
  const std::vector<std::uint16_t> ports = peers.with(app_.port());
  const long long cls = open_class(100, 4);
  std::map<unsigned, int> statuses;
  std::mutex mutex;
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int i = 0; i < 24; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      const std::string n = std::to_string(i);
      const std::string body = boost::json::serialize(boost::json::object{
          {"member_id", units_[0]},
          {"attendee",
           {{"name", "限额" + n}, {"mobile", "137" + std::string(8 - n.size(), '0') + n}}},
          {"consent_version", 1}});
      auto r = http_request(ports[static_cast<std::size_t>(i) % ports.size()], http::verb::post,
                            "/api/classes/" + std::to_string(cls) + "/enrollments", body, staff_);
      std::lock_guard lock(mutex);
      ++statuses[r.status];
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(statuses[201u], 4) << "the unit's quota of 4";
  EXPECT_EQ(statuses[409u], 20);
  auto r =
      http_request(app_.port(), http::verb::get, "/api/classes/" + std::to_string(cls), "", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["confirmed"].as_int64(), 4);
  if (HasFailure()) ADD_FAILURE() << peers.stderr_text();
}

TEST_P(TrainingHttpTest, BadInputIsNamedAndCheckInTokensStayInTheirClass) {
  const long long cls = open_class(5);
  const std::string url = "/api/classes/" + std::to_string(cls) + "/enrollments";
  auto r = http_request(
      app_.port(), http::verb::post, url,
      R"({"member_id":1,"attendee":{"name":"张三","mobile":"123","lodging":"tent"}})", staff_);
  EXPECT_EQ(r.status, 400u);
  auto fields = parse(r.body)["details"].as_object()["fields"].as_object();
  EXPECT_TRUE(fields.contains("attendee.mobile")) << r.body;
  EXPECT_TRUE(fields.contains("attendee.lodging")) << r.body;
  r = http_request(app_.port(), http::verb::post, url, R"({"member_id":1,"attendee":{}})", staff_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(parse(r.body)["details"].as_object()["fields"].as_object().contains("attendee.name"))
      << r.body;
  r = http_request(app_.port(), http::verb::post, url, R"({"attendee":"x"})", staff_);
  EXPECT_EQ(r.status, 400u);
  r = http_request(app_.port(), http::verb::post, "/api/classes/999999/enrollments",
                   R"({"member_id":1,"attendee":{"name":"张三","mobile":"13900000001"},)"
                   R"("consent_version":1})",
                   staff_);
  EXPECT_EQ(r.status, 404u);
  r = http_request(app_.port(), http::verb::post,
                   "/api/courses/" + std::to_string(course_) + "/classes",
                   R"({"venue":"长沙","starts_at":"tomorrow","ends_at":"2030-12-08",)"
                   R"("signup_deadline":"2030-11-30","capacity":10,"fee_fen":1.5})",
                   staff_);
  EXPECT_EQ(r.status, 400u);
  fields = parse(r.body)["details"].as_object()["fields"].as_object();
  EXPECT_TRUE(fields.contains("starts_at"));
  EXPECT_TRUE(fields.contains("fee_fen")) << "money with a fraction is refused";

  const std::string body = boost::json::serialize(
      boost::json::object{{"member_id", units_[0]},
                          {"attendee", {{"name", "张三"}, {"mobile", "13900000001"}}},
                          {"consent_version", 1}});
  r = http_request(app_.port(), http::verb::post, url, body, staff_);
  ASSERT_EQ(r.status, 201u) << r.body;
  const long long id = parse(r.body)["id"].as_int64();
  r = http_request(app_.port(), http::verb::get, "/api/enrollments/" + std::to_string(id) + "/pass",
                   "", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const std::string token(parse(r.body)["token"].as_string());
  EXPECT_TRUE(parse(r.body)["qr_svg"].as_string().starts_with("<svg"));
  const long long other = open_class(5);
  r = http_request(app_.port(), http::verb::post,
                   "/api/classes/" + std::to_string(other) + "/check-in",
                   R"({"token":")" + token + R"(","day":"2030-12-07","half":"am"})", staff_);
  EXPECT_EQ(r.status, 404u) << "a token of another class";
  r = http_request(app_.port(), http::verb::get,
                   "/api/classes/" + std::to_string(cls) + "/check-in/" + token, "", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["attendee"].as_object()["name"].as_string(), "张三");
  r = http_request(app_.port(), http::verb::post,
                   "/api/classes/" + std::to_string(cls) + "/check-in",
                   R"({"token":")" + token + R"(","day":"2030-12-07","half":"am"})", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(parse(r.body)["new"].as_bool());
  r = http_request(app_.port(), http::verb::get,
                   "/api/classes/" + std::to_string(cls) + "/enrollments?format=xlsx", "", staff_);
  EXPECT_EQ(r.status, 200u);
  EXPECT_TRUE(r.body.starts_with("PK"));
}

TEST_P(TrainingHttpTest, OutOfDateCheckInsNeedAReasonUndoAndThePublicPass) {
  const long long cls = open_class(5);
  const std::string body = boost::json::serialize(
      boost::json::object{{"member_id", units_[0]},
                          {"attendee", {{"name", "张三"}, {"mobile", "13900000007"}}},
                          {"consent_version", 1}});
  auto r = http_request(app_.port(), http::verb::post,
                        "/api/classes/" + std::to_string(cls) + "/enrollments", body, staff_);
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string id = std::to_string(parse(r.body)["id"].as_int64());
  r = http_request(app_.port(), http::verb::get, "/api/enrollments/" + id + "/pass", "", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const std::string token(parse(r.body)["token"].as_string());
  EXPECT_TRUE(std::string(parse(r.body)["pass_url"].as_string()).ends_with("/pass/" + token))
      << r.body;

  // The public pass: no session, the class and the name, nothing else of the person.
  r = http_request(app_.port(), http::verb::get, "/api/passes/" + token, "", {});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto pass = parse(r.body);
  std::set<std::string> keys;
  for (const auto& kv : pass) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"class_title", "course_title", "starts_at", "starts_on",
                                         "ends_on", "venue", "attendee_name", "status", "qr_svg"}))
      << r.body;
  EXPECT_EQ(pass["attendee_name"].as_string(), "张三");
  EXPECT_EQ(pass["course_title"].as_string(), "开发区高质量发展研修班");
  EXPECT_EQ(pass["starts_on"].as_string(), "2030-12-07");
  EXPECT_EQ(pass["ends_on"].as_string(), "2030-12-08");
  EXPECT_TRUE(pass["qr_svg"].as_string().starts_with("<svg"));
  EXPECT_EQ(r.body.find("13900000007"), std::string::npos) << "no mobile";
  EXPECT_EQ(r.body.find("单位0"), std::string::npos) << "no unit";
  EXPECT_EQ(http_request(app_.port(), http::verb::get, "/api/passes/not-a-token!", "", {}).status,
            404u);
  EXPECT_EQ(
      http_request(app_.port(), http::verb::get, "/api/passes/" + std::string(32, 'A'), "", {})
          .status,
      404u);

  // A day outside the class: 409 naming "day", unless staff give a reason.
  const std::string by_token = "/api/classes/" + std::to_string(cls) + "/check-in";
  r = http_request(app_.port(), http::verb::post, by_token,
                   R"({"token":")" + token + R"(","day":"2030-12-09","half":"am"})", staff_);
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_TRUE(parse(r.body)["details"].as_object()["fields"].as_object().contains("day")) << r.body;
  r = http_request(
      app_.port(), http::verb::post, by_token,
      R"({"token":")" + token + R"(","day":"2030-12-09","half":"am","override_reason":""})",
      staff_);
  EXPECT_EQ(r.status, 400u) << r.body;
  r = http_request(
      app_.port(), http::verb::post, by_token,
      R"({"token":")" + token + R"(","day":"2030-12-09","half":"am","override_reason":"顺延一天"})",
      staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(parse(r.body)["new"].as_bool());
  const std::string by_id = "/api/enrollments/" + id + "/check-in";
  r = http_request(app_.port(), http::verb::post, by_id, R"({"day":"2030-12-10","half":"pm"})",
                   staff_);
  EXPECT_EQ(r.status, 409u) << r.body;
  r = http_request(app_.port(), http::verb::post, by_id,
                   R"({"day":"2030-12-10","half":"pm","override_reason":"补签"})", staff_);
  EXPECT_EQ(r.status, 200u) << r.body;
  r = http_request(app_.port(), http::verb::post, by_id, R"({"day":"2030-12-08","half":"pm"})",
                   staff_);
  EXPECT_EQ(r.status, 200u) << r.body;

  // Undo: 204, then 404; a malformed half day is 400.
  const std::string undo = "/api/enrollments/" + id + "/check-ins/";
  r = http_request(app_.port(), http::verb::delete_, undo + "2030-12-08/pm", "", staff_);
  EXPECT_EQ(r.status, 204u) << r.body;
  r = http_request(app_.port(), http::verb::delete_, undo + "2030-12-08/pm", "", staff_);
  EXPECT_EQ(r.status, 404u) << r.body;
  r = http_request(app_.port(), http::verb::delete_, undo + "2030-12-09/am", "", staff_);
  EXPECT_EQ(r.status, 204u) << "an overridden check-in too: " << r.body;
  r = http_request(app_.port(), http::verb::delete_, undo + "tomorrow/am", "", staff_);
  EXPECT_EQ(r.status, 400u) << r.body;
  r = http_request(app_.port(), http::verb::delete_, undo + "2030-12-10/noon", "", staff_);
  EXPECT_EQ(r.status, 400u) << r.body;
  r = http_request(app_.port(), http::verb::delete_, undo + "2030-12-10/pm", "", {});
  EXPECT_EQ(r.status, 401u) << "staff only";

  // A cancelled place has no pass.
  r = http_request(app_.port(), http::verb::delete_, "/api/enrollments/" + id, "", staff_);
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(http_request(app_.port(), http::verb::get, "/api/passes/" + token, "", {}).status,
            404u);
}

// A finished class: the attendance sheet, certificates for those who came often enough (80% of
// the half days by default), the attendee's certificate and its public check.
TEST_P(TrainingHttpTest, AttendanceSheetCertificatesAndTheirPublicCheck) {
  const long long cls = open_class(5);
  const std::string url = "/api/classes/" + std::to_string(cls);
  const Headers unit0 = app_.bearer(Role::member, "train.unit0", units_[0]);
  const Headers unit1 = app_.bearer(Role::member, "train.unit1", units_[1]);
  const long long all = enrol(cls, units_[0], "张三", "13900000011");
  const long long once = enrol(cls, units_[0], "李四", "13900000012");
  const long long never = enrol(cls, units_[1], "王五", "13900000013");
  ASSERT_TRUE(all && once && never);
  const auto check_in = [&](long long e, const std::string& day, const std::string& half) {
    auto r = http_request(app_.port(), http::verb::post,
                          "/api/enrollments/" + std::to_string(e) + "/check-in",
                          R"({"day":")" + day + R"(","half":")" + half + R"("})", staff_);
    EXPECT_EQ(r.status, 200u) << r.body;
  };
  for (const char* day : {"2030-12-07", "2030-12-08"}) {
    for (const char* half : {"am", "pm"}) check_in(all, day, half);
  }
  check_in(once, "2030-12-07", "pm");

  // The sheet: four half days, a row per confirmed place in roster order.
  auto r = http_request(app_.port(), http::verb::get, url + "/attendance", "", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto sheet = parse(r.body);
  EXPECT_EQ(sheet["class"].as_object()["id"].as_int64(), cls);
  EXPECT_EQ(sheet["slots"], boost::json::parse(R"([{"day":"2030-12-07","half":"am"},
    {"day":"2030-12-07","half":"pm"},{"day":"2030-12-08","half":"am"},
    {"day":"2030-12-08","half":"pm"}])"))
      << r.body;
  std::map<long long, boost::json::object> rows;
  for (const auto& v : sheet["rows"].as_array()) {
    const auto& row = v.as_object();
    rows[row.at("enrollment").as_object().at("id").as_int64()] = row;
  }
  ASSERT_EQ(rows.size(), 3u) << r.body;
  EXPECT_EQ(rows[all]["present"], boost::json::parse("[true,true,true,true]"));
  EXPECT_TRUE(rows[all]["meets_rule"].as_bool());
  EXPECT_EQ(rows[once]["present"], boost::json::parse("[false,true,false,false]"));
  EXPECT_FALSE(rows[once]["meets_rule"].as_bool()) << "one half day of four is below 80%";
  EXPECT_EQ(rows[never]["present"], boost::json::parse("[false,false,false,false]"));
  EXPECT_FALSE(rows[never]["meets_rule"].as_bool());
  EXPECT_EQ(http_request(app_.port(), http::verb::get, url + "/attendance", "", unit0).status, 403u)
      << "the sheet is the secretariat's";
  EXPECT_EQ(http_request(app_.port(), http::verb::get, "/api/classes/999999/attendance", "", staff_)
                .status,
            404u);

  // Certificates follow a finished class, and only staff issue them.
  r = http_request(app_.port(), http::verb::post, url + "/certificates", "", staff_);
  EXPECT_EQ(r.status, 409u) << "an open class: " << r.body;
  r = http_request(app_.port(), http::verb::patch, url, R"({"status":"finished"})", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  r = http_request(app_.port(), http::verb::post, url + "/certificates", "", unit0);
  EXPECT_EQ(r.status, 403u) << r.body;
  r = http_request(app_.port(), http::verb::post, url + "/certificates", "", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["issued"].as_int64(), 1) << "only the attendee who came often enough";
  r = http_request(app_.port(), http::verb::post, url + "/certificates", "", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["issued"].as_int64(), 0) << "issuing again numbers nobody twice";

  // The attendee's unit and staff read the certificate; another unit cannot.
  const std::string certificate = "/api/enrollments/" + std::to_string(all) + "/certificate";
  r = http_request(app_.port(), http::verb::get, certificate, "", unit0);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto cert = parse(r.body);
  const std::string number(cert["number"].as_string());
  EXPECT_TRUE(number.starts_with("PX2030")) << number;
  EXPECT_TRUE(number.ends_with("-001")) << "first on the roster: " << number;
  EXPECT_EQ(cert["attendee_name"].as_string(), "张三");
  EXPECT_EQ(cert["org_name"].as_string(), "单位0");
  EXPECT_EQ(cert["course_title"].as_string(), "开发区高质量发展研修班");
  EXPECT_EQ(cert["starts_on"].as_string(), "2030-12-07");
  EXPECT_EQ(cert["ends_on"].as_string(), "2030-12-08");
  EXPECT_TRUE(cert["qr_svg"].as_string().starts_with("<svg")) << r.body;
  const std::string verify(cert["verify_url"].as_string());
  const auto at = verify.rfind("/verify-training/");
  ASSERT_NE(at, std::string::npos) << verify;
  const std::string code = verify.substr(at + std::string("/verify-training/").size());
  EXPECT_FALSE(code.empty());
  r = http_request(app_.port(), http::verb::get, certificate, "", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["number"].as_string(), number);
  EXPECT_EQ(http_request(app_.port(), http::verb::get, certificate, "", unit1).status, 404u)
      << "another unit's attendee";
  EXPECT_EQ(http_request(app_.port(), http::verb::get, certificate, "", {}).status, 401u);
  EXPECT_EQ(http_request(app_.port(), http::verb::get,
                         "/api/enrollments/" + std::to_string(once) + "/certificate", "", unit0)
                .status,
            404u)
      << "no certificate below the attendance rule";

  // The sheet now carries the number.
  r = http_request(app_.port(), http::verb::get, url + "/attendance", "", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  sheet = parse(r.body);
  for (const auto& v : sheet["rows"].as_array()) {
    const auto& e = v.as_object().at("enrollment").as_object();
    if (e.at("id").as_int64() == all) {
      EXPECT_EQ(e.at("certificate_no"), boost::json::value(number)) << r.body;
    } else {
      EXPECT_TRUE(e.at("certificate_no").is_null()) << r.body;
    }
  }

  // The public check: no account, name, course, dates and number only.
  r = http_request(app_.port(), http::verb::get, "/api/training-certificates/" + code, "", {});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto check = parse(r.body);
  std::set<std::string> keys;
  for (const auto& kv : check) keys.insert(std::string(kv.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"genuine", "number", "attendee_name", "course_title",
                                         "starts_on", "ends_on"}))
      << r.body;
  EXPECT_TRUE(check["genuine"].as_bool());
  EXPECT_EQ(check["number"].as_string(), number);
  EXPECT_EQ(check["attendee_name"].as_string(), "张三");
  EXPECT_EQ(r.body.find("13900000011"), std::string::npos) << "no mobile";
  EXPECT_EQ(r.body.find("单位0"), std::string::npos) << "no unit";
  EXPECT_EQ(http_request(app_.port(), http::verb::get,
                         "/api/training-certificates/" + std::string(code.size(), 'A'), "", {})
                .status,
            404u);
  EXPECT_EQ(
      http_request(app_.port(), http::verb::get, "/api/training-certificates/not-a-code!", "", {})
          .status,
      404u);
}

INSTANTIATE_TEST_SUITE_P(Backends, TrainingHttpTest, ::testing::ValuesIn(test_backends()),
                         BackendName());
INSTANTIATE_TEST_SUITE_P(Processes, TrainingTwoProcessTest,
                         ::testing::ValuesIn(multi_process_backends()), BackendName());
// Without XIEHUI_TEST_MYSQL there is nothing to instantiate (CI always sets it).
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(TrainingTwoProcessTest);

}  // namespace
}  // namespace xiehui::testing
