// The hot paths' queries use an index. Every statement SQLite prepares while the demo is used as
// people use it most (signing in, a member's page, the directory, a sign-up, a payment, a visit
// application) is recorded, then explained: a full scan of a table that grows with the
// association (members, enrolments, invoices, payments, the audit log, sessions…) fails the test
// with the statement and its plan. Statements are read where SQLite prepares them, so the test
// follows the repositories' SQL as it changes.

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <boost/json.hpp>

#include <unistd.h>
#include <filesystem>
#include <functional>
#include <mutex>
#include <regex>
#include <set>
#include <string>

#include "services/demo/demo_seed.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"

namespace xiehui::testing {
namespace {

// Tables that grow with members, years and activity. Small lists (settings, rooms, courses, the
// report aggregates keyed by year) may be scanned.
const std::set<std::string> kGrowingTables = {
    "members",       "member_contacts", "member_history", "applications",    "users",
    "sessions",      "api_tokens",      "audit_log",      "enrollments",     "classes",
    "dues_invoices", "dues_payments",   "fees",           "visit_delegates", "visit_applications",
    "notifications", "outbox",          "bookings",       "meetings",        "meeting_invitees",
    "report_units"};

struct Recorder {
  std::mutex mutex;
  std::set<std::string> statements;
};

int record(unsigned type, void* context, void* statement, void*) {
  if (type != SQLITE_TRACE_STMT) return 0;
  auto* recorder = static_cast<Recorder*>(context);
  const char* sql = sqlite_api::sqlite3_sql(static_cast<sqlite_api::sqlite3_stmt*>(statement));
  if (sql == nullptr) return 0;
  std::lock_guard lock(recorder->mutex);
  recorder->statements.insert(sql);
  return 0;
}

sqlite_api::sqlite3* handle_of(soci::session& s) {
  return static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
}

// The plan's lines ("SEARCH members USING INTEGER PRIMARY KEY (rowid=?)", "SCAN enrollments").
std::vector<std::string> plan_of(sqlite_api::sqlite3* db, const std::string& sql) {
  std::vector<std::string> lines;
  sqlite_api::sqlite3_stmt* stmt = nullptr;
  const std::string explain = "EXPLAIN QUERY PLAN " + sql;
  if (sqlite_api::sqlite3_prepare_v2(db, explain.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot explain: " << sql << ": " << sqlite_api::sqlite3_errmsg(db);
    return lines;
  }
  while (sqlite_api::sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* detail = sqlite_api::sqlite3_column_text(stmt, 3);
    if (detail) lines.emplace_back(reinterpret_cast<const char*>(detail));
  }
  sqlite_api::sqlite3_finalize(stmt);
  return lines;
}

boost::json::object parse(const std::string& text) { return boost::json::parse(text).as_object(); }

constexpr std::size_t kPoolSize = 3;

// Runs fn on every pooled connection: holds a lease on each (nested), so all are covered.
void on_every_connection(db::Database& db, const std::function<void(soci::session&)>& fn,
                         std::size_t left = kPoolSize) {
  if (left == 0) return;
  ASSERT_TRUE(db.with_session([&](soci::session& s) -> Result<int> {
                  fn(s);
                  on_every_connection(db, fn, left - 1);
                  return 0;
                }).has_value());
}

class QueryPlanTest : public ::testing::Test {
 protected:
  static AppConfig config() {
    const auto dir =
        std::filesystem::temp_directory_path() / ("xiehui-plan-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    AppConfig c = test_config("sqlite3://db=" + (dir / "xiehui.db").string());
    c.db_pool_size = kPoolSize;
    return c;
  }

  Headers bearer(const char* username, const char* password) {
    auto login = app_.app().auth().login(username, password, "127.0.0.1", "test");
    EXPECT_TRUE(login.has_value());
    auto who = app_.app().auth().authenticate_session(login->token, "127.0.0.1");
    EXPECT_TRUE(who.has_value());
    auto token = app_.app().auth().create_token(*who, "plan");
    EXPECT_TRUE(token.has_value());
    return {{"Authorization", "Bearer " + token->second}, {"Content-Type", "application/json"}};
  }

  RunningApp app_{config()};
  SystemClock clock_;
};

TEST_F(QueryPlanTest, HotPathsNeverScanAGrowingTable) {
  ASSERT_TRUE(
      demo::seed_demo(app_.app().database(), app_.app().accounts(), app_.app().membership(), clock_)
          .has_value());
  const Headers staff = bearer("mishu", "Demo-Staff-2026");
  const Headers member = bearer("changsha", "Demo-Member-2026");
  const auto port = app_.port();

  Recorder recorder;
  on_every_connection(app_.app().database(), [&](soci::session& s) {
    sqlite_api::sqlite3_trace_v2(handle_of(s), SQLITE_TRACE_STMT, record, &recorder);
  });

  // Signing in with a password and with the session cookie it gives.
  auto signed_in = http_request(port, http::verb::post, "/api/session",
                                R"({"username":"huizhang","password":"Demo-Leader-2026"})",
                                {{"Content-Type", "application/json"}});
  ASSERT_EQ(signed_in.status, 200u) << signed_in.body;
  const std::string cookie =
      signed_in.header("Set-Cookie").substr(0, signed_in.header("Set-Cookie").find(';'));
  EXPECT_EQ(http_request(port, http::verb::get, "/api/session", {}, {{"Cookie", cookie}}).status,
            200u);

  // A member's own page, the directory, a member unit's view.
  auto mine = http_request(port, http::verb::get, "/api/session", {}, member);
  ASSERT_EQ(mine.status, 200u) << mine.body;
  auto page = http_request(port, http::verb::get, "/api/members?page=1&page_size=50", {}, staff);
  ASSERT_EQ(page.status, 200u) << page.body;
  const boost::json::object page_json = parse(page.body);
  const auto first = page_json.at("items").as_array().at(0).as_object();
  const std::string member_path = "/api/members/" + std::to_string(first.at("id").as_int64());
  EXPECT_EQ(http_request(port, http::verb::get, member_path, {}, staff).status, 200u);
  // (A name search, ?q=, is a substring LIKE: it scans members by nature and is not here.)

  // A sign-up for the first class with seats.
  auto classes = http_request(port, http::verb::get, "/api/classes?with_seats=true", {}, member);
  ASSERT_EQ(classes.status, 200u) << classes.body;
  const boost::json::object classes_json = parse(classes.body);
  for (const auto& c : classes_json.at("items").as_array()) {
    if (c.as_object().at("status").as_string() != "open") continue;
    const std::string path =
        "/api/classes/" + std::to_string(c.as_object().at("id").as_int64()) + "/enrollments";
    const auto unit = parse(mine.body).at("user").as_object().at("member_id").as_int64();
    auto signup = http_request(
        port, http::verb::post, path,
        R"({"member_id":)" + std::to_string(unit) +
            R"(,"attendee":{"name":"计划测试","mobile":"13900001111"},"consent_version":1})",
        member);
    EXPECT_TRUE(signup.status == 201u || signup.status == 409u) << signup.body;
    break;
  }

  // A payment on the first unpaid invoice.
  auto invoices =
      http_request(port, http::verb::get, "/api/dues/invoices?status=unpaid&page=1", {}, staff);
  ASSERT_EQ(invoices.status, 200u) << invoices.body;
  const boost::json::object invoices_json = parse(invoices.body);
  const auto& unpaid = invoices_json.at("items").as_array();
  if (!unpaid.empty()) {
    const std::string path = "/api/dues/invoices/" +
                             std::to_string(unpaid.at(0).as_object().at("id").as_int64()) +
                             "/payments";
    Headers with_key = staff;
    with_key.emplace_back("Idempotency-Key", "plan-test-payment");
    auto paid = http_request(
        port, http::verb::post, path,
        R"({"amount_fen":100,"paid_on":"2026-03-01","method":"bank_transfer"})", with_key);
    EXPECT_EQ(paid.status, 201u) << paid.body;
  }
  EXPECT_EQ(http_request(port, http::verb::get, "/api/notifications?page=1", {}, member).status,
            200u);

  std::set<std::string> statements;
  on_every_connection(app_.app().database(), [](soci::session& s) {
    sqlite_api::sqlite3_trace_v2(handle_of(s), 0, nullptr, nullptr);
  });
  {
    std::lock_guard lock(recorder.mutex);
    statements = recorder.statements;
  }
  ASSERT_GT(statements.size(), 20u) << "the recorder saw too little to judge";

  const std::regex table_scan(R"(^SCAN (\w+)(?: AS \w+)?$)");
  int explained = 0;
  app_.app().database().with_session([&](soci::session& s) -> Result<int> {
    for (const std::string& sql : statements) {
      if (!sql.starts_with("SELECT") && !sql.starts_with("UPDATE") && !sql.starts_with("DELETE") &&
          !sql.starts_with("INSERT") && !sql.starts_with("WITH")) {
        continue;
      }
      ++explained;
      const auto plan = plan_of(handle_of(s), sql);
      for (const std::string& line : plan) {
        std::smatch m;
        if (std::regex_match(line, m, table_scan) && kGrowingTables.contains(m[1].str())) {
          std::string all;
          for (const auto& l : plan) all += "\n  " + l;
          ADD_FAILURE() << "full scan of " << m[1] << " in:\n" << sql << "\nplan:" << all;
        }
      }
    }
    return 0;
  });
  EXPECT_GT(explained, 20);
}

}  // namespace
}  // namespace xiehui::testing
