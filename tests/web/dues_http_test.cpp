// Dues over HTTP: schedules, bill runs, invoices, idempotent payments with gapless receipt
// numbers, reversals, receipts and their public check, what a member account may see, arrears,
// reports, the fee ledger and 开票信息 — on every backend; and payments from two server processes
// sharing one MariaDB.

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "core/time.hpp"
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

// The server's calendar: today in Asia/Shanghai, as the dues code reads it.
Date today() { return shanghai_date(SystemClock{}.now()); }
int this_year() { return static_cast<int>(today().year()); }
std::string today_text() { return format_date(today()); }
std::string tomorrow_text() {
  return format_date(Date{std::chrono::sys_days{today()} + std::chrono::days{1}});
}

std::string receipt_no(int year, long long seq) {
  std::string n = std::to_string(seq);
  return std::to_string(year) + "-" + std::string(n.size() < 6 ? 6 - n.size() : 0, '0') + n;
}

std::string schedule_body(int year, int present = 20, bool secret = true) {
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
                      {"present", present},
                      {"votes_for", std::min(present, 15)},
                      {"votes_against", 3},
                      {"abstentions", 1},
                      {"secret_ballot", secret},
                      {"resolution_id", nullptr}}}};
  return json::serialize(body);
}

std::string payment_body(long long fen, const std::string& paid_on,
                         const std::string& method = "bank_transfer",
                         const std::string& reference = "") {
  return json::serialize(json::object{
      {"amount_fen", fen}, {"paid_on", paid_on}, {"method", method}, {"reference", reference}});
}

class DuesHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    staff_ = app_.bearer(Role::staff, "dues.staff");
    add_units(3);
    ASSERT_EQ(units_.size(), 3u);
    // Unit 0 signs in like a browser (cookie and CSRF token); unit 1 uses an API token.
    auto user = app_.app().accounts().create_user(
        {"unit.zero", "unit.zero", "Review-Pass-2026", {Role::member}, units_[0]},
        accounts::command_line_actor());
    ASSERT_TRUE(user.has_value());
    auto r = http_request(app_.port(), http::verb::post, "/api/session",
                          R"({"username":"unit.zero","password":"Review-Pass-2026"})",
                          {{"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 200u) << r.body;
    const std::string set_cookie = r.header("Set-Cookie");
    member_a_ = {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))},
                 {"X-CSRF-Token", std::string(parse(r.body)["csrf_token"].as_string())}};
    member_b_ = app_.bearer(Role::member, "unit.one", units_[1]);
  }

  // Active units of tier "member", joined long before this year, straight into the database.
  void add_units(int count) {
    const int first = static_cast<int>(units_.size());
    auto ids = app_.app().database().with_transaction(
        [&](soci::session& s) -> Result<std::vector<long long>> {
          std::vector<long long> out;
          for (int i = first; i < first + count; ++i) {
            const std::string body = "91430100MA4L" + std::to_string(30000 + i);
            const membership::Organisation org{"测试开发区" + std::to_string(i),
                                               "测试" + std::to_string(i),
                                               body + uscc_check_char(body),
                                               "development_zone",
                                               "provincial",
                                               "430100",
                                               ""};
            out.push_back(membership::membership_repository::insert_member(
                              s, org, "member", "2020-01-01", "ce shi", Timestamp{})
                              .first);
            usccs_.push_back(org.uscc);
          }
          return out;
        });
    ASSERT_TRUE(ids.has_value());
    units_.insert(units_.end(), ids->begin(), ids->end());
  }

  HttpReply call(http::verb verb, const std::string& target, const Headers& who,
                 const std::string& body = {}, std::uint16_t port = 0) {
    Headers h = who;
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return http_request(port ? port : app_.port(), verb, target, body, h);
  }

  HttpReply pay(long long invoice, const std::string& key, const std::string& body,
                std::uint16_t port = 0, const Headers* who = nullptr) {
    Headers h = who ? *who : staff_;
    if (!key.empty()) h.emplace_back("Idempotency-Key", key);
    return call(http::verb::post, "/api/dues/invoices/" + std::to_string(invoice) + "/payments", h,
                body, port);
  }

  // Sets, publishes and bills `year`; returns member id → invoice id.
  std::map<long long, long long> bill(int year) {
    const std::string y = std::to_string(year);
    auto r = call(http::verb::put, "/api/dues/schedules/" + y, staff_, schedule_body(year));
    EXPECT_EQ(r.status, 200u) << r.body;
    r = call(http::verb::post, "/api/dues/schedules/" + y + "/publish", staff_);
    EXPECT_EQ(r.status, 200u) << r.body;
    r = call(http::verb::post, "/api/dues/bill-runs", staff_, R"({"year":)" + y + "}");
    EXPECT_EQ(r.status, 200u) << r.body;
    return invoices(year);
  }

  std::map<long long, long long> invoices(int year) {
    std::map<long long, long long> out;
    for (int page = 1;; ++page) {
      auto r = call(http::verb::get,
                    "/api/dues/invoices?page_size=200&year=" + std::to_string(year) +
                        "&page=" + std::to_string(page),
                    staff_);
      EXPECT_EQ(r.status, 200u) << r.body;
      if (r.status != 200u) return out;
      const auto items = parse(r.body)["items"].as_array();
      for (const auto& i : items) {
        out[i.as_object().at("member_id").as_int64()] = i.as_object().at("id").as_int64();
      }
      if (items.size() < 200) return out;
    }
  }

  json::object invoice(long long id, const Headers* who = nullptr) {
    auto r = call(http::verb::get, "/api/dues/invoices/" + std::to_string(id), who ? *who : staff_);
    EXPECT_EQ(r.status, 200u) << r.body;
    return parse(r.body);
  }

  long long scalar(const std::string& sql) {
    auto n = app_.app().database().with_session([&](soci::session& s) -> Result<long long> {
      long long v = -1;
      s << sql, soci::into(v);
      return v;
    });
    EXPECT_TRUE(n.has_value()) << sql;
    return n.value_or(-1);
  }

  TestDatabase db_{GetParam(), TestDatabase::Schema::migrated};
  RunningApp app_{test_config(db_.connection_string())};
  Headers staff_, member_a_, member_b_;
  std::vector<long long> units_;
  std::vector<std::string> usccs_;
};

// ---- contract: schedules, bill runs, invoices ----

TEST_P(DuesHttpTest, ScheduleBillRunAndInvoiceList) {
  const int year = this_year();
  const std::string y = std::to_string(year);

  // A decision below the charter's quorum (19 of 30 < 2/3) or without a secret ballot: 400.
  auto r = call(http::verb::put, "/api/dues/schedules/" + y, staff_, schedule_body(year, 19));
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("decision")) << r.body;
  r = call(http::verb::put, "/api/dues/schedules/" + y, staff_, schedule_body(year, 20, false));
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("decision")) << r.body;
  r = call(http::verb::put, "/api/dues/schedules/" + y, member_b_, schedule_body(year));
  EXPECT_EQ(r.status, 403u) << "members do not set dues";

  r = call(http::verb::put, "/api/dues/schedules/" + y, staff_, schedule_body(year));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto s = parse(r.body);
  EXPECT_EQ(s["year"].as_int64(), year);
  EXPECT_EQ(s["tiers"].as_object()["member"].as_int64(), 200000);
  EXPECT_TRUE(s["decision"].as_object()["passes"].as_bool());
  EXPECT_TRUE(s["published_at"].is_null());
  EXPECT_TRUE(s["history"].as_array().empty());
  EXPECT_EQ(call(http::verb::get, "/api/dues/schedules/" + y, member_b_).status, 404u)
      << "members read published schedules only";

  // Billing needs a published schedule.
  r = call(http::verb::post, "/api/dues/bill-runs", staff_, R"({"year":)" + y + "}");
  EXPECT_EQ(r.status, 409u) << r.body;
  r = call(http::verb::post, "/api/dues/schedules/" + y + "/publish", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(parse(r.body)["published_at"].is_string()) << r.body;
  r = call(http::verb::post, "/api/dues/schedules/" + y + "/publish", staff_);
  EXPECT_EQ(r.status, 409u) << "published twice: " << r.body;
  r = call(http::verb::get, "/api/dues/schedules/" + y, member_b_);
  EXPECT_EQ(r.status, 200u) << r.body;

  // Dry run: what it would create, and nothing created.
  r = call(http::verb::post, "/api/dues/bill-runs", staff_,
           R"({"year":)" + y + R"(,"dry_run":true})");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto run = parse(r.body);
  EXPECT_EQ(run["created"].as_int64(), 3);
  EXPECT_EQ(run["skipped"].as_int64(), 0);
  ASSERT_EQ(run["items"].as_array().size(), 3u) << r.body;
  std::set<long long> planned;
  for (const auto& v : run["items"].as_array()) {
    const auto& i = v.as_object();
    planned.insert(i.at("member_id").as_int64());
    EXPECT_EQ(i.at("tier").as_string(), "member");
    EXPECT_EQ(i.at("amount_fen").as_int64(), 200000);
    EXPECT_EQ(i.at("reduced_fen").as_int64(), 0);
    EXPECT_EQ(i.at("proration").as_string(), "full");
    EXPECT_TRUE(i.at("member_name").is_string());
  }
  EXPECT_EQ(planned, std::set<long long>(units_.begin(), units_.end()));
  r = call(http::verb::get, "/api/dues/invoices", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 0) << "a dry run writes nothing";

  // The real run, then again: only what is missing.
  r = call(http::verb::post, "/api/dues/bill-runs", staff_, R"({"year":)" + y + "}");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["created"].as_int64(), 3) << r.body;
  EXPECT_FALSE(parse(r.body).contains("items")) << r.body;
  r = call(http::verb::post, "/api/dues/bill-runs", staff_, R"({"year":)" + y + "}");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["created"].as_int64(), 0) << r.body;
  EXPECT_EQ(parse(r.body)["skipped"].as_int64(), 3) << r.body;

  // Asynchronously: a fourth unit is billed by a job.
  add_units(1);
  r = call(http::verb::post, "/api/dues/bill-runs?async=true", staff_, R"({"year":)" + y + "}");
  ASSERT_EQ(r.status, 202u) << r.body;
  const std::string job = "/api/jobs/" + std::to_string(parse(r.body)["job_id"].as_int64());
  json::object state;
  for (int i = 0; i < 300; ++i) {
    r = call(http::verb::get, job, staff_);
    ASSERT_EQ(r.status, 200u) << r.body;
    state = parse(r.body);
    if (state["status"] == "succeeded" || state["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(state["status"].as_string(), "succeeded") << json::serialize(state);
  EXPECT_EQ(state["result"].as_object()["created"].as_int64(), 1) << json::serialize(state);
  EXPECT_EQ(state["kind"].as_string(), "dues_bill_run");

  // The list.
  r = call(http::verb::get, "/api/dues/invoices?year=" + y, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto list = parse(r.body);
  EXPECT_EQ(list["total"].as_int64(), 4);
  ASSERT_EQ(list["items"].as_array().size(), 4u);
  const std::set<std::string> required{
      "id",          "member_id", "member_name",     "year",   "tier",     "amount_fen",
      "reduced_fen", "paid_fen",  "outstanding_fen", "status", "issued_on"};
  for (const auto& v : list["items"].as_array()) {
    const auto& i = v.as_object();
    const auto keys = keys_of(i);
    EXPECT_TRUE(std::includes(keys.begin(), keys.end(), required.begin(), required.end()))
        << json::serialize(i);
    EXPECT_EQ(i.at("year").as_int64(), year);
    EXPECT_EQ(i.at("status").as_string(), "unpaid");
    EXPECT_EQ(i.at("amount_fen").as_int64(), 200000);
    EXPECT_EQ(i.at("paid_fen").as_int64(), 0);
    EXPECT_EQ(i.at("outstanding_fen").as_int64(), 200000);
    EXPECT_EQ(i.at("issued_on").as_string(), y + "-01-01");
  }
  r = call(http::verb::get, "/api/dues/invoices?status=paid", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 0);
  EXPECT_EQ(call(http::verb::get, "/api/dues/invoices?status=late", staff_).status, 400u);
  EXPECT_EQ(call(http::verb::get, "/api/dues/invoices?year=abc", staff_).status, 400u);

  r = call(http::verb::get, "/api/dues/invoices?format=xlsx&year=" + y, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.body.starts_with("PK")) << "an xlsx (zip) file";
  EXPECT_NE(r.header("Content-Type").find("spreadsheetml"), std::string::npos)
      << r.header("Content-Type");
  EXPECT_NE(r.header("Content-Disposition").find("attachment"), std::string::npos)
      << r.header("Content-Disposition");

  // One invoice with its payments.
  const auto ids = invoices(year);
  const long long id = ids.at(units_[0]);
  auto detail = invoice(id);
  EXPECT_EQ(detail["member_id"].as_int64(), units_[0]);
  ASSERT_TRUE(detail["payments"].is_array());
  EXPECT_TRUE(detail["payments"].as_array().empty());
  r = pay(id, "contract-1", payment_body(80000, today_text(), "cash", "现金"));
  ASSERT_EQ(r.status, 201u) << r.body;
  detail = invoice(id);
  ASSERT_EQ(detail["payments"].as_array().size(), 1u);
  const auto p = detail["payments"].as_array()[0].as_object();
  EXPECT_EQ(p.at("amount_fen").as_int64(), 80000);
  EXPECT_EQ(p.at("method").as_string(), "cash");
  EXPECT_EQ(p.at("status").as_string(), "valid");
  EXPECT_EQ(p.at("receipt_no").as_string(), receipt_no(year, 1));
  EXPECT_EQ(detail["status"].as_string(), "partial");
  EXPECT_EQ(detail["paid_fen"].as_int64(), 80000);
  EXPECT_EQ(detail["outstanding_fen"].as_int64(), 120000);
  EXPECT_EQ(call(http::verb::get, "/api/dues/invoices/999999", staff_).status, 404u);
}

// ---- payments ----

TEST_P(DuesHttpTest, PaymentsAreIdempotentValidatedAndNeverExceedTheOutstanding) {
  const int year = this_year();
  const auto ids = bill(year);
  ASSERT_EQ(ids.size(), 3u);
  const long long a = ids.at(units_[0]);
  const long long b = ids.at(units_[1]);
  const std::string body = payment_body(50000, today_text(), "bank_transfer", "转账 0001");

  // No key, or one that is no printable ASCII: 400 naming the header, nothing recorded.
  auto r = pay(a, "", body);
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("Idempotency-Key")) << r.body;
  r = pay(a, std::string(256, 'k'), body);
  EXPECT_EQ(r.status, 400u) << r.body;

  // 201 with exactly the documented fields.
  r = pay(a, "pay-a-1", body);
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string first_body = r.body;
  auto first = parse(r.body);
  EXPECT_EQ(keys_of(first), (std::set<std::string>{"payment_id", "receipt_no", "invoice_status",
                                                   "outstanding_fen"}))
      << r.body;
  EXPECT_EQ(first["receipt_no"].as_string(), receipt_no(year, 1));
  EXPECT_EQ(first["invoice_status"].as_string(), "partial");
  EXPECT_EQ(first["outstanding_fen"].as_int64(), 150000);
  EXPECT_TRUE(r.header("Idempotent-Replayed").empty());

  // The same key and body: the same answer, replayed, and still one payment.
  r = pay(a, "pay-a-1", body);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse(r.body), first);
  EXPECT_EQ(r.body, first_body);
  EXPECT_EQ(r.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(invoice(a)["payments"].as_array().size(), 1u);

  // The same key with another body, or for another invoice: 422.
  r = pay(a, "pay-a-1", payment_body(50001, today_text(), "bank_transfer", "转账 0001"));
  ASSERT_EQ(r.status, 422u) << r.body;
  EXPECT_EQ(parse(r.body)["code"].as_string(), "idempotency_mismatch");
  r = pay(b, "pay-a-1", body);
  EXPECT_EQ(r.status, 422u) << r.body;
  EXPECT_EQ(invoice(a)["payments"].as_array().size(), 1u);
  EXPECT_EQ(invoice(b)["payments"].as_array().size(), 0u);

  // Keys are per caller: another staff member's "pay-a-1" is a new request.
  const Headers other_staff = app_.bearer(Role::staff, "dues.staff2");
  r = pay(a, "pay-a-1", body, 0, &other_staff);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse(r.body)["receipt_no"].as_string(), receipt_no(year, 2));
  EXPECT_EQ(parse(r.body)["outstanding_fen"].as_int64(), 100000);

  // More than is outstanding: 409 with the figure; stored, so a retry answers the same.
  r = pay(a, "pay-a-over", payment_body(100001, today_text()));
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(parse(r.body)["code"].as_string(), "conflict");
  EXPECT_EQ(parse(r.body)["details"].as_object()["outstanding_fen"].as_int64(), 100000) << r.body;
  r = pay(a, "pay-a-over", payment_body(100001, today_text()));
  EXPECT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(parse(r.body)["details"].as_object()["outstanding_fen"].as_int64(), 100000) << r.body;
  EXPECT_EQ(r.header("Idempotent-Replayed"), "true");

  // Bad input: 400 naming the field.
  const std::string url = "/api/dues/invoices/" + std::to_string(a) + "/payments";
  r = pay(a, "bad-json", R"({"amount_fen":100,)");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(parse(r.body)["code"].as_string(), "invalid_argument") << r.body;
  const std::string d = today_text();
  const struct {
    std::string key, body, field;
  } bad[] = {
      {"bad-string", R"({"amount_fen":"100","paid_on":")" + d + R"(","method":"cash"})",
       "amount_fen"},
      {"bad-fraction", R"({"amount_fen":100.5,"paid_on":")" + d + R"(","method":"cash"})",
       "amount_fen"},
      {"bad-negative", R"({"amount_fen":-100,"paid_on":")" + d + R"(","method":"cash"})",
       "amount_fen"},
      {"bad-zero", R"({"amount_fen":0,"paid_on":")" + d + R"(","method":"cash"})", "amount_fen"},
      {"bad-method", R"({"amount_fen":100,"paid_on":")" + d + R"(","method":"bitcoin"})", "method"},
      {"bad-date", R"({"amount_fen":100,"paid_on":"yesterday","method":"cash"})", "paid_on"},
      {"bad-future", R"({"amount_fen":100,"paid_on":")" + tomorrow_text() + R"(","method":"cash"})",
       "paid_on"},
      {"bad-missing", R"({"paid_on":")" + d + R"(","method":"cash"})", "amount_fen"},
  };
  for (const auto& c : bad) {
    r = pay(a, c.key, c.body);
    EXPECT_EQ(r.status, 400u) << c.key << ": " << r.body;
    EXPECT_TRUE(fields_of(r.body).contains(c.field)) << c.key << ": " << r.body;
  }
  // A refused request stored nothing: the same key may be used again, now well formed.
  r = pay(a, "bad-future", payment_body(100, d, "cash"));
  EXPECT_EQ(r.status, 201u) << "a 400 does not keep its key: " << r.body;
  EXPECT_EQ(parse(r.body)["receipt_no"].as_string(), receipt_no(year, 3));
  r = pay(a, "bad-string", payment_body(100, d, "cash"));
  EXPECT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(invoice(a)["payments"].as_array().size(), 4u);

  // An unknown invoice: 404.
  r = pay(999999, "unknown-invoice", body);
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_EQ(call(http::verb::post, "/api/dues/invoices/abc/payments", staff_, body).status, 404u);

  // A member account records no payments, not even for its own unit.
  r = pay(a, "member-key", body, 0, &member_a_);
  EXPECT_EQ(r.status, 403u) << r.body;
  r = pay(b, "member-key", body, 0, &member_b_);
  EXPECT_EQ(r.status, 403u) << r.body;
  EXPECT_EQ(invoice(b)["payments"].as_array().size(), 0u);
}

TEST_P(DuesHttpTest, TwentyParallelRequestsWithOneKeyRecordOnePayment) {
  const int year = this_year();
  const auto ids = bill(year);
  const long long b = ids.at(units_[1]);
  const std::string body = payment_body(200000, today_text(), "wechat", "微信 42");
  constexpr int kRequests = 20;
  std::vector<HttpReply> replies(kRequests);
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      replies[static_cast<std::size_t>(i)] = pay(b, "one-key-for-twenty", body);
    });
  }
  go = true;
  for (auto& t : threads) t.join();

  int created = 0, in_flight = 0, fresh = 0;
  std::set<std::string> bodies;
  for (const auto& r : replies) {
    if (r.status == 201u) {
      ++created;
      bodies.insert(json::serialize(parse(r.body)));
      if (r.header("Idempotent-Replayed").empty()) ++fresh;
    } else if (r.status == 409u) {
      ++in_flight;
      EXPECT_EQ(parse(r.body)["code"].as_string(), "conflict") << r.body;
    } else {
      ADD_FAILURE() << "unexpected " << r.status << ": " << r.body;
    }
  }
  EXPECT_EQ(created + in_flight, kRequests);
  EXPECT_GE(created, 1);
  EXPECT_EQ(fresh, 1) << "exactly one request recorded the payment";
  EXPECT_EQ(bodies.size(), 1u) << "every 201 carries the same body";
  auto detail = invoice(b);
  ASSERT_EQ(detail["payments"].as_array().size(), 1u);
  EXPECT_EQ(detail["status"].as_string(), "paid");
  EXPECT_EQ(detail["payments"].as_array()[0].as_object().at("receipt_no").as_string(),
            receipt_no(year, 1));
  // Afterwards the key replays the one answer.
  auto r = pay(b, "one-key-for-twenty", body);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(json::serialize(parse(r.body)), *bodies.begin());
  EXPECT_EQ(r.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM dues_payments"), 1);
}

// ---- reversal ----

TEST_P(DuesHttpTest, AReversalVoidsThePaymentAndItsReceiptKeepsItsNumber) {
  const int year = this_year();
  const auto ids = bill(year);
  const long long a = ids.at(units_[0]);
  auto r = pay(a, "rev-1", payment_body(200000, today_text(), "alipay", "支付宝 9"));
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse(r.body)["invoice_status"].as_string(), "paid");
  const std::string payment = std::to_string(parse(r.body)["payment_id"].as_int64());
  const std::string no(parse(r.body)["receipt_no"].as_string());
  const std::string reverse = "/api/dues/payments/" + payment + "/reverse";

  // A reason is required.
  r = call(http::verb::post, reverse, staff_, "{}");
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("reason")) << r.body;
  r = call(http::verb::post, reverse, staff_, R"({"reason":""})");
  EXPECT_EQ(r.status, 400u) << r.body;
  r = call(http::verb::post, reverse, staff_, R"({"reason":")" + std::string(501, 'x') + "\"}");
  EXPECT_EQ(r.status, 400u) << r.body;
  r = call(http::verb::post, reverse, member_a_, R"({"reason":"误录"})");
  EXPECT_EQ(r.status, 403u) << r.body;
  EXPECT_EQ(invoice(a)["status"].as_string(), "paid") << "nothing reversed yet";

  r = call(http::verb::post, reverse, staff_, R"({"reason":"银行退票，款项未到账"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto p = parse(r.body);
  EXPECT_EQ(p["status"].as_string(), "void");
  EXPECT_EQ(p["receipt_no"].as_string(), no) << "the receipt keeps its number";
  EXPECT_EQ(p["reverse_reason"].as_string(), "银行退票，款项未到账");
  EXPECT_TRUE(p["reversed_at"].is_string());

  auto detail = invoice(a);
  EXPECT_EQ(detail["status"].as_string(), "unpaid") << "the invoice is open again";
  EXPECT_EQ(detail["paid_fen"].as_int64(), 0);
  EXPECT_EQ(detail["outstanding_fen"].as_int64(), 200000);
  ASSERT_EQ(detail["payments"].as_array().size(), 1u);
  EXPECT_EQ(detail["payments"].as_array()[0].as_object().at("status").as_string(), "void");

  r = call(http::verb::get, "/api/dues/receipts/" + no, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["status"].as_string(), "void");
  EXPECT_EQ(parse(r.body)["receipt_no"].as_string(), no);

  r = call(http::verb::post, reverse, staff_, R"({"reason":"再次冲正"})");
  EXPECT_EQ(r.status, 409u) << "reversed twice: " << r.body;
  r = call(http::verb::post, "/api/dues/payments/999999/reverse", staff_, R"({"reason":"x"})");
  EXPECT_EQ(r.status, 404u) << r.body;

  // The void receipt's number is not reused: the next payment takes the next one.
  r = pay(a, "rev-2", payment_body(200000, today_text()));
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse(r.body)["receipt_no"].as_string(), receipt_no(year, 2));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'dues.payment_reverse'"), 1);
}

// ---- receipts ----

TEST_P(DuesHttpTest, ReceiptsForStaffAndThePayingUnitAndThePublicCheck) {
  const int year = this_year();
  const auto ids = bill(year);
  auto r = pay(ids.at(units_[0]), "receipt-1", payment_body(200000, today_text()));
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string no(parse(r.body)["receipt_no"].as_string());
  EXPECT_EQ(no, receipt_no(year, 1));

  r = call(http::verb::get, "/api/dues/receipts/" + no, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto receipt = parse(r.body);
  EXPECT_EQ(receipt["receipt_no"].as_string(), no);
  EXPECT_EQ(receipt["member_name"].as_string(), "测试开发区0");
  EXPECT_EQ(receipt["uscc"].as_string(), usccs_[0]);
  EXPECT_EQ(receipt["year"].as_int64(), year);
  EXPECT_EQ(receipt["amount_fen"].as_int64(), 200000);
  EXPECT_EQ(receipt["amount_in_words"].as_string(), "人民币贰仟元整");
  EXPECT_EQ(receipt["method"].as_string(), "bank_transfer");
  EXPECT_EQ(receipt["paid_on"].as_string(), today_text());
  EXPECT_EQ(receipt["status"].as_string(), "valid");
  EXPECT_TRUE(receipt["qr_svg"].as_string().starts_with("<svg")) << r.body;
  const std::string url(receipt["verify_url"].as_string());
  const auto slash = url.rfind("/verify-receipt/");
  ASSERT_NE(slash, std::string::npos) << url;
  const std::string code = url.substr(slash + std::string("/verify-receipt/").size());
  EXPECT_FALSE(code.empty());

  // The paying unit's account sees it; another unit's does not.
  r = call(http::verb::get, "/api/dues/receipts/" + no, member_a_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["receipt_no"].as_string(), no);
  EXPECT_EQ(call(http::verb::get, "/api/dues/receipts/" + no, member_b_).status, 404u);
  EXPECT_EQ(call(http::verb::get, "/api/dues/receipts/" + no, {}).status, 401u);
  EXPECT_EQ(call(http::verb::get, "/api/dues/receipts/" + receipt_no(year, 2), staff_).status,
            404u);
  EXPECT_EQ(call(http::verb::get, "/api/dues/receipts/not-a-receipt", staff_).status, 404u);

  // The public check: no sign-in, genuine, and nothing more than the receipt's face.
  r = call(http::verb::get, "/api/receipts/verify/" + code, {});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto check = parse(r.body);
  EXPECT_TRUE(check["genuine"].as_bool());
  EXPECT_EQ(check["receipt_no"].as_string(), no);
  EXPECT_EQ(check["member_name"].as_string(), "测试开发区0");
  EXPECT_EQ(check["amount_fen"].as_int64(), 200000);
  EXPECT_EQ(check["status"].as_string(), "valid");
  EXPECT_EQ(r.body.find(usccs_[0]), std::string::npos) << "no USCC in the public check";
  EXPECT_EQ(call(http::verb::get, "/api/receipts/verify/" + std::string(24, 'A'), {}).status, 404u);
  EXPECT_EQ(call(http::verb::get, "/api/receipts/verify/not-a-code!", {}).status, 404u);
}

// ---- bank statements ----

// A bank statement: its columns named once, stored, its lines matched and confirmed as payments;
// confirming again records nothing twice. Statements are the secretariat's.
TEST_P(DuesHttpTest, ABankStatementIsStoredConfirmedAndNeverRecordedTwice) {
  const int year = this_year();
  const auto ids = bill(year);
  const long long a = ids.at(units_[0]);
  const std::string csv = "记账日期,摘要,对方户名,支出金额,收入金额\n" + today_text() +
                          ",会费,测试开发区0,,1000.00\n" + today_text() +
                          ",货款,某某贸易有限公司,,50.00\n";
  const auto upload = [&](const std::string& query, const Headers& who) {
    Headers h = who;
    h.emplace_back("Content-Type", "text/csv");
    return http_request(app_.port(), http::verb::post, "/api/dues/statements" + query, csv, h);
  };

  // A header the server has not seen: it asks for the columns.
  auto r = upload("?filename=statement.csv", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(parse(r.body)["needs_mapping"].as_bool()) << r.body;
  EXPECT_EQ(parse(r.body)["headers"].as_array().size(), 5u) << r.body;
  EXPECT_EQ(upload("?filename=statement.csv&dry_run=false", member_a_).status, 403u);

  // Stored with its mapping: the unit's line suggests its invoice.
  r = upload("?filename=statement.csv&dry_run=false&map=date:0,payer:2,credit:4,reference:1",
             staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto stored = parse(r.body);
  EXPECT_FALSE(stored["needs_mapping"].as_bool());
  EXPECT_FALSE(stored["dry_run"].as_bool());
  ASSERT_TRUE(stored["id"].is_int64()) << r.body;
  const std::string id = std::to_string(stored["id"].as_int64());
  const std::string url = "/api/dues/statements/" + id;

  r = call(http::verb::get, url, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto statement = parse(r.body);
  EXPECT_EQ(statement["id"].as_int64(), stored["id"].as_int64());
  const auto& lines = statement["lines"].as_array();
  ASSERT_EQ(lines.size(), 2u) << r.body;
  long long unit_line = 0, other_line = 0;
  for (const auto& v : lines) {
    const auto& l = v.as_object();
    EXPECT_FALSE(l.at("recorded").as_bool()) << r.body;
    if (l.at("payer") == "测试开发区0") {
      unit_line = l.at("line").as_int64();
      EXPECT_EQ(l.at("amount_fen").as_int64(), 100000);
      EXPECT_EQ(l.at("date").as_string(), today_text());
      bool suggested = false;
      for (const auto& m : l.at("matches").as_array()) {
        suggested = suggested || m.as_object().at("invoice_id").as_int64() == a;
      }
      EXPECT_TRUE(suggested) << "the unit's invoice is suggested: " << r.body;
    } else {
      other_line = l.at("line").as_int64();
      EXPECT_EQ(l.at("amount_fen").as_int64(), 5000);
    }
  }
  ASSERT_NE(unit_line, 0) << r.body;
  ASSERT_NE(other_line, 0) << r.body;
  EXPECT_EQ(call(http::verb::get, url, member_a_).status, 403u) << "staff only";
  EXPECT_EQ(call(http::verb::get, url, member_b_).status, 403u);
  EXPECT_EQ(call(http::verb::get, url, {}).status, 401u);
  EXPECT_EQ(call(http::verb::get, "/api/dues/statements/999999", staff_).status, 404u);

  // Confirmation: the unit's line becomes a payment; a line the statement lacks is named.
  const std::string confirm = url + "/confirm";
  const std::string matches = R"({"matches":[{"line":)" + std::to_string(unit_line) +
                              R"(,"invoice_id":)" + std::to_string(a) + "}]}";
  EXPECT_EQ(call(http::verb::post, confirm, member_a_, matches).status, 403u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM dues_payments"), 0);
  EXPECT_EQ(call(http::verb::post, confirm, staff_, R"({"matches":"x"})").status, 400u);
  EXPECT_EQ(call(http::verb::post, "/api/dues/statements/999999/confirm", staff_, matches).status,
            404u);
  r = call(http::verb::post, confirm, staff_,
           R"({"matches":[{"line":)" + std::to_string(unit_line) + R"(,"invoice_id":)" +
               std::to_string(a) + R"(},{"line":999,"invoice_id":)" + std::to_string(a) + "}]}");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto report = parse(r.body);
  EXPECT_EQ(report["recorded"].as_int64(), 1) << r.body;
  EXPECT_EQ(report["skipped"].as_int64(), 0) << r.body;
  ASSERT_EQ(report["errors"].as_array().size(), 1u) << r.body;
  EXPECT_EQ(report["errors"].as_array()[0].as_object().at("line").as_int64(), 999);
  auto inv = invoice(a);
  EXPECT_EQ(inv["paid_fen"].as_int64(), 100000) << json::serialize(inv);
  ASSERT_EQ(inv["payments"].as_array().size(), 1u) << json::serialize(inv);
  const auto& payment = inv["payments"].as_array()[0].as_object();
  EXPECT_EQ(payment.at("amount_fen").as_int64(), 100000);
  EXPECT_EQ(payment.at("method").as_string(), "bank_transfer");
  EXPECT_EQ(payment.at("paid_on").as_string(), today_text());
  EXPECT_EQ(payment.at("reference").as_string(), "测试开发区0 会费") << "payer and reference";

  // Confirmed twice: the line is skipped, nothing recorded twice.
  r = call(http::verb::post, confirm, staff_, matches);
  ASSERT_EQ(r.status, 200u) << r.body;
  report = parse(r.body);
  EXPECT_EQ(report["recorded"].as_int64(), 0) << r.body;
  EXPECT_EQ(report["skipped"].as_int64(), 1) << r.body;
  EXPECT_TRUE(report["errors"].as_array().empty()) << r.body;
  EXPECT_EQ(invoice(a)["paid_fen"].as_int64(), 100000);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM dues_payments"), 1);

  // Read back, and uploaded again (the columns remembered): the line is marked recorded.
  r = call(http::verb::get, url, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  statement = parse(r.body);
  for (const auto& v : statement["lines"].as_array()) {
    const auto& l = v.as_object();
    EXPECT_EQ(l.at("recorded").as_bool(), l.at("line").as_int64() == unit_line) << r.body;
  }
  r = upload("?filename=statement.csv", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto again = parse(r.body);
  EXPECT_FALSE(again["needs_mapping"].as_bool()) << r.body;
  EXPECT_TRUE(again["dry_run"].as_bool());
  EXPECT_TRUE(again["id"].is_null()) << "a dry run stores nothing";
  for (const auto& v : again["lines"].as_array()) {
    const auto& l = v.as_object();
    EXPECT_EQ(l.at("recorded").as_bool(), l.at("payer") == "测试开发区0") << r.body;
  }
}

// ---- what a member account sees ----

// A reduction and the income and use statement, read back: besides their contract, these
// answers are checked against the OpenAPI document (and documented by it) like every other.
TEST_P(DuesHttpTest, AReductionAndTheUseStatementRoundTrip) {
  add_units(2);
  const int year = this_year();
  const std::string y = std::to_string(year);
  auto r =
      call(http::verb::post, "/api/dues/reductions", staff_,
           R"({"member_id":)" + std::to_string(units_[0]) + R"(,"year":)" + y +
               R"(,"amount_fen":null,"percent":50,"reason":"受灾","approved_by":"常务理事会"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse(r.body)["percent"], json::value(50)) << r.body;
  r = call(http::verb::get, "/api/dues/reductions?year=" + y, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto reductions = parse(r.body)["items"].as_array();
  ASSERT_EQ(reductions.size(), 1u) << r.body;
  const std::string reduction = std::to_string(reductions[0].as_object().at("id").as_int64());
  r = call(http::verb::delete_, "/api/dues/reductions/" + reduction, staff_);
  EXPECT_EQ(r.status, 204u) << r.body;
  // Units' participation in visits: none yet.
  r = call(http::verb::get, "/api/visit-participation?year=" + y, staff_);
  EXPECT_EQ(r.status, 200u) << r.body;

  r = call(http::verb::put, "/api/dues/use-statements/" + y, staff_,
           R"({"uses":[{"item":"培训","amount_fen":100000}],"note":"年度会费收支"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["published_at"], json::value(nullptr)) << r.body;
  r = call(http::verb::post, "/api/dues/use-statements/" + y + "/publish", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  r = call(http::verb::get, "/api/dues/use-statements/" + y, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(parse(r.body)["published_at"].is_string()) << r.body;
}

TEST_P(DuesHttpTest, AMemberSeesItsOwnUnitsInvoicesOnly) {
  const int year = this_year();
  const auto ids = bill(year);
  const long long a = ids.at(units_[0]);
  const long long b = ids.at(units_[1]);

  EXPECT_EQ(invoice(a, &member_a_)["member_id"].as_int64(), units_[0]);
  auto r = call(http::verb::get, "/api/dues/invoices/" + std::to_string(b), member_a_);
  EXPECT_EQ(r.status, 404u) << "another unit's invoice: " << r.body;
  r = call(http::verb::get, "/api/dues/invoices/" + std::to_string(a), member_b_);
  EXPECT_EQ(r.status, 404u) << r.body;

  for (const std::string& query : {std::string(), "?member_id=" + std::to_string(units_[1])}) {
    r = call(http::verb::get, "/api/dues/invoices" + query, member_a_);
    ASSERT_EQ(r.status, 200u) << r.body;
    auto list = parse(r.body);
    EXPECT_EQ(list["total"].as_int64(), 1) << query << ": " << r.body;
    ASSERT_EQ(list["items"].as_array().size(), 1u) << query;
    EXPECT_EQ(list["items"].as_array()[0].as_object().at("member_id").as_int64(), units_[0]);
  }
  r = call(http::verb::get, "/api/dues/invoices?format=xlsx", member_a_);
  EXPECT_EQ(r.status, 200u);
  EXPECT_TRUE(r.body.starts_with("PK"));

  // Paying is the secretariat's: 403 even with the CSRF token, and nothing recorded.
  r = pay(a, "member-pays", payment_body(200000, today_text()), 0, &member_a_);
  EXPECT_EQ(r.status, 403u) << r.body;
  r = pay(b, "member-pays", payment_body(200000, today_text()), 0, &member_a_);
  EXPECT_EQ(r.status, 403u) << r.body;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM dues_payments"), 0);
  EXPECT_EQ(call(http::verb::get, "/api/dues/payments", member_a_).status, 403u);
}

// ---- arrears, lapse, reminders, reports, fees, 开票信息 ----

TEST_P(DuesHttpTest, ArrearsLapseRemindersReportsFeesAndInvoicing) {
  const int year = this_year();
  const auto last = bill(year - 1);
  const auto ids = bill(year);
  ASSERT_EQ(last.size(), 3u);
  // Unit 0 pays everything, unit 1 this year's only, unit 2 nothing.
  ASSERT_EQ(pay(last.at(units_[0]), "ar-1", payment_body(200000, today_text())).status, 201u);
  ASSERT_EQ(pay(ids.at(units_[0]), "ar-2", payment_body(200000, today_text())).status, 201u);
  ASSERT_EQ(pay(ids.at(units_[1]), "ar-3", payment_body(50000, today_text())).status, 201u);

  auto r = call(http::verb::get, "/api/dues/arrears", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto arrears = parse(r.body);
  std::map<long long, json::object> by_unit;
  for (const auto& v : arrears["items"].as_array()) {
    by_unit[v.as_object().at("member_id").as_int64()] = v.as_object();
  }
  EXPECT_FALSE(by_unit.contains(units_[0])) << "paid up";
  ASSERT_TRUE(by_unit.contains(units_[1])) << r.body;
  ASSERT_TRUE(by_unit.contains(units_[2])) << r.body;
  EXPECT_EQ(by_unit[units_[1]]["outstanding_fen"].as_int64(), 350000);
  EXPECT_EQ(by_unit[units_[1]]["oldest_year"].as_int64(), year - 1);
  EXPECT_EQ(by_unit[units_[1]]["age"].as_string(), "1y");
  EXPECT_EQ(by_unit[units_[2]]["outstanding_fen"].as_int64(), 400000);
  auto totals = arrears["totals"].as_object();
  EXPECT_EQ(totals["units"].as_int64(), 2);
  EXPECT_EQ(totals["outstanding_fen"].as_int64(), 750000);
  r = call(http::verb::get, "/api/dues/arrears?format=xlsx", staff_);
  EXPECT_EQ(r.status, 200u);
  EXPECT_TRUE(r.body.starts_with("PK"));
  EXPECT_EQ(call(http::verb::get, "/api/dues/arrears", member_a_).status, 403u);
  const Headers leader = app_.bearer(Role::leader, "dues.leader");
  EXPECT_EQ(call(http::verb::get, "/api/dues/arrears", leader).status, 200u);

  // Lapse needs a reminder first: nothing to lapse; the reminder run's dry run lists the
  // reminders, the real one sends them; then the lapse dry run names the two units in arrears
  // for last year and changes nothing.
  r = call(http::verb::post, "/api/dues/lapse-runs", staff_, R"({"dry_run":true})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(parse(r.body)["dry_run"].as_bool());
  EXPECT_TRUE(parse(r.body)["lapsed"].as_array().empty()) << r.body;
  r = call(http::verb::post, "/api/dues/reminder-runs", staff_, R"({"dry_run":true})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(parse(r.body)["dry_run"].as_bool());
  const auto reminded = parse(r.body)["reminded"].as_array();
  EXPECT_FALSE(reminded.empty()) << r.body;
  for (const auto& v : reminded) {
    const auto& i = v.as_object();
    EXPECT_NE(i.at("member_id").as_int64(), units_[0]) << "unit 0 owes nothing";
    EXPECT_EQ(i.at("stage").as_int64(), 1);
    EXPECT_TRUE(i.contains("invoice_id") && i.contains("member_name"));
  }
  r = call(http::verb::post, "/api/dues/reminder-runs", staff_, R"({"dry_run":true})");
  EXPECT_EQ(parse(r.body)["reminded"].as_array().size(), reminded.size()) << "a dry run sent none";
  r = call(http::verb::post, "/api/dues/reminder-runs", staff_, R"({"dry_run":false})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["reminded"].as_array().size(), reminded.size());
  r = call(http::verb::post, "/api/dues/lapse-runs", staff_, R"({"dry_run":true})");
  ASSERT_EQ(r.status, 200u) << r.body;
  std::set<long long> lapsing;
  const auto lapse = parse(r.body);
  for (const auto& v : lapse.at("lapsed").as_array()) {
    lapsing.insert(v.as_object().at("member_id").as_int64());
    EXPECT_EQ(v.as_object().at("unpaid_years").as_int64(), 1);
  }
  EXPECT_EQ(lapsing, (std::set<long long>{units_[1], units_[2]})) << r.body;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM members WHERE status = 'lapsed'"), 0)
      << "a dry run lapses nobody";
  EXPECT_EQ(call(http::verb::post, "/api/dues/lapse-runs", member_a_, R"({"dry_run":true})").status,
            403u);
  EXPECT_EQ(call(http::verb::post, "/api/dues/lapse-runs", staff_, R"({"dry_run":"yes"})").status,
            400u);

  // The year's report.
  r = call(http::verb::get, "/api/reports/dues?year=" + std::to_string(year), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto report = parse(r.body);
  EXPECT_EQ(report["year"].as_int64(), year);
  EXPECT_EQ(report["billed_fen"].as_int64(), 600000);
  EXPECT_EQ(report["collected_fen"].as_int64(), 250000);
  EXPECT_EQ(report["outstanding_fen"].as_int64(), 350000);
  EXPECT_NEAR(report["collection_rate"].to_number<double>(), 250000.0 / 600000.0, 1e-9);
  ASSERT_EQ(report["by_tier"].as_array().size(), 1u) << r.body;
  EXPECT_EQ(report["by_tier"].as_array()[0].as_object().at("tier").as_string(), "member");
  EXPECT_EQ(report["by_tier"].as_array()[0].as_object().at("units").as_int64(), 3);
  EXPECT_TRUE(report["by_city"].is_array());
  EXPECT_TRUE(report["arrears_by_age"].is_object());
  r = call(http::verb::get, "/api/reports/dues?format=xlsx&year=" + std::to_string(year), staff_);
  EXPECT_EQ(r.status, 200u);
  EXPECT_TRUE(r.body.starts_with("PK"));
  EXPECT_EQ(call(http::verb::get, "/api/reports/dues?year=abc", staff_).status, 400u);
  EXPECT_EQ(call(http::verb::get, "/api/reports/dues", member_a_).status, 403u);

  // The fee ledger (no fees yet): staff only, filters checked.
  r = call(http::verb::get, "/api/fees", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(parse(r.body)["items"].is_array());
  EXPECT_EQ(parse(r.body)["total"].as_int64(), 0);
  EXPECT_EQ(call(http::verb::get, "/api/fees?kind=training&status=open", staff_).status, 200u);
  EXPECT_EQ(call(http::verb::get, "/api/fees?kind=dues", staff_).status, 400u);
  EXPECT_EQ(call(http::verb::get, "/api/fees", member_a_).status, 403u);
  r = call(http::verb::get, "/api/fees/mine", member_a_);
  EXPECT_EQ(r.status, 200u) << r.body;

  // 开票信息: the unit's name and USCC before any was saved; tax_no must be the USCC.
  const std::string invoicing = "/api/members/" + std::to_string(units_[0]) + "/invoicing";
  r = call(http::verb::get, invoicing, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto inv = parse(r.body);
  EXPECT_EQ(inv["title"].as_string(), "测试开发区0");
  EXPECT_EQ(inv["tax_no"].as_string(), usccs_[0]);
  EXPECT_EQ(inv["address"].as_string(), "");
  const auto invoicing_body = [](const std::string& tax_no) {
    return json::serialize(json::object{{"title", "测试开发区0"},
                                        {"tax_no", tax_no},
                                        {"address", "长沙市岳麓区"},
                                        {"phone", "0731-88888888"},
                                        {"bank_name", "中国银行长沙分行"},
                                        {"bank_account", "6217 0000 0000 0001"}});
  };
  r = call(http::verb::put, invoicing, staff_, invoicing_body(usccs_[1]));
  ASSERT_EQ(r.status, 400u) << "another unit's USCC: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("tax_no")) << r.body;
  r = call(http::verb::put, invoicing, staff_, invoicing_body("91430100MA4L00000X"));
  EXPECT_EQ(r.status, 400u) << r.body;
  r = call(http::verb::put, invoicing, staff_, invoicing_body(usccs_[0]));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["address"].as_string(), "长沙市岳麓区");
  r = call(http::verb::get, invoicing, member_a_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["bank_name"].as_string(), "中国银行长沙分行");
  r = call(http::verb::put, invoicing, member_a_, invoicing_body(usccs_[0]));
  EXPECT_EQ(r.status, 200u) << "the unit itself, with its CSRF token: " << r.body;
  EXPECT_EQ(call(http::verb::get, invoicing, member_b_).status, 404u) << "another unit's";
  EXPECT_EQ(call(http::verb::put, invoicing, member_b_, invoicing_body(usccs_[0])).status, 404u);
  EXPECT_EQ(call(http::verb::get, "/api/members/999999/invoicing", staff_).status, 404u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DuesHttpTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

// ---- two server processes on one MariaDB, three on three Galera nodes ----

class DuesTwoProcessTest : public DuesHttpTest {
 protected:
  void SetUp() override {
    staff_ = app_.bearer(Role::staff, "dues.staff");
    add_units(200);
  }
};

TEST_P(DuesTwoProcessTest, TwoHundredPaymentsFromTwoProcessesGetGaplessUniqueReceipts) {
  const PeerServers peers(db_, GetParam());
  ASSERT_TRUE(peers.started());

  const int year = this_year();
  const auto by_unit = bill(year);
  ASSERT_EQ(by_unit.size(), 200u);
  std::vector<long long> invoice_ids;
  for (const auto& [unit, id] : by_unit) invoice_ids.push_back(id);

  const std::vector<std::uint16_t> ports = peers.with(app_.port());
  const std::string body = payment_body(200000, today_text(), "bank_transfer", "批量到账");
  constexpr std::size_t kThreads = 16;
  std::mutex mutex;
  std::vector<std::string> receipts;
  std::map<unsigned, int> statuses;
  std::vector<std::string> failures;
  std::vector<int> served(ports.size());
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (std::size_t i = t; i < invoice_ids.size(); i += kThreads) {
        const std::size_t which = i % ports.size();
        auto r = pay(invoice_ids[i], "two-process-" + std::to_string(i), body, ports[which]);
        std::lock_guard lock(mutex);
        ++statuses[r.status];
        if (r.status == 201u) {
          ++served[which];
          receipts.emplace_back(parse(r.body)["receipt_no"].as_string());
        } else if (failures.size() < 10) {
          failures.push_back(std::to_string(r.status) + " via port " + std::to_string(which) +
                             ": " + r.body);
        }
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();

  std::string summary;
  for (const auto& [status, n] : statuses) {
    summary += std::to_string(status) + "×" + std::to_string(n) + " ";
  }
  for (const auto& f : failures) summary += "\n  " + f;
  EXPECT_EQ(statuses[201u], 200) << "answers: " << summary;
  for (std::size_t p = 0; p < ports.size(); ++p) {
    EXPECT_GT(served[p], 0) << "process " << p + 1 << " served payments";
  }

  const std::multiset<std::string> got(receipts.begin(), receipts.end());
  const std::set<std::string> distinct(receipts.begin(), receipts.end());
  std::set<std::string> expected;
  for (long long seq = 1; seq <= 200; ++seq) expected.insert(receipt_no(year, seq));
  EXPECT_EQ(got.size(), distinct.size()) << "a receipt number was given twice";
  std::vector<std::string> missing, extra;
  std::ranges::set_difference(expected, distinct, std::back_inserter(missing));
  std::ranges::set_difference(distinct, expected, std::back_inserter(extra));
  EXPECT_TRUE(missing.empty()) << missing.size() << " numbers missing, first "
                               << (missing.empty() ? "" : missing.front());
  EXPECT_TRUE(extra.empty()) << extra.size() << " unexpected numbers, first "
                             << (extra.empty() ? "" : extra.front());

  // The database agrees: 200 payments, 200 distinct numbers 1..200, the counter at 200.
  const std::string y = std::to_string(year);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM dues_payments WHERE receipt_year = " + y), 200);
  EXPECT_EQ(
      scalar("SELECT COUNT(DISTINCT receipt_seq) FROM dues_payments WHERE receipt_year = " + y),
      200);
  EXPECT_EQ(scalar("SELECT MAX(receipt_seq) FROM dues_payments WHERE receipt_year = " + y), 200);
  EXPECT_EQ(scalar("SELECT last_seq FROM dues_receipt_counters WHERE year = " + y), 200);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM dues_invoices WHERE status = 'paid'"), 200);
  if (HasFailure()) ADD_FAILURE() << peers.stderr_text();
}

INSTANTIATE_TEST_SUITE_P(Processes, DuesTwoProcessTest,
                         ::testing::ValuesIn(multi_process_backends()), BackendName());
// Without XIEHUI_TEST_MYSQL there is nothing to instantiate (CI always sets it).
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DuesTwoProcessTest);

}  // namespace
}  // namespace xiehui::testing
