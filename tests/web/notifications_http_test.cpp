// Notifications over HTTP (docs/API.md "Notifications") with a real SMTP server receiving:
// the inbox, preferences, account, templates and the queue for admins, password resets by
// e-mail, retries after refusals, /metrics; and, with separate server processes, two processes
// sharing the queue without sending anything twice and a process killed with SIGKILL in the
// middle of delivery losing nothing.

#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/pinyin.hpp"
#include "core/validate.hpp"
#include "services/accounts/accounts_service.hpp"
#include "services/accounts/auth_service.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/notifications/notification_repository.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/sinks.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

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

// Polls `done` until it holds or the safety bound passes; true when it held.
template <class Pred>
bool eventually(Pred done, std::chrono::milliseconds bound = 60s) {
  const auto until = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return done();
}

std::string mobile(int i) {
  const std::string n = std::to_string(i);
  std::string m = "139";
  m += std::string(8 - n.size(), '0');
  m += n;
  return m;
}

AppConfig with_mail(AppConfig c, int smtp_port, bool dispatch) {
  c.mail.from = "湖南省开发区协会 <noreply@xiehui.example.org>";
  c.mail.host = "127.0.0.1";
  c.mail.port = smtp_port;
  c.public_url = "https://xiehui.example.org";
  c.outbox.dispatch = dispatch;
  c.outbox.poll_milliseconds = 50;
  c.outbox.retry_base_seconds = 1;
  c.outbox.workers = 2;
  return c;
}

class NotificationsHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  virtual SmtpSinkOptions sink_options() { return {}; }
  virtual bool dispatch_here() { return true; }

  void SetUp() override {
    sink_ptr_ = std::make_unique<SmtpSink>(sink_options());  // virtual: not in the constructor
    app_ = std::make_unique<RunningApp>(
        with_mail(test_config(db_.connection_string()), sink().port(), dispatch_here()));
    admin_ = bearer(Role::admin, "nt.admin", std::nullopt, "admin@xiehui.example.org");
    unit_a_ = add_unit("岳麓高新区", 0);
    unit_b_ = add_unit("湘潭经开区", 1);
    member_a_ = bearer(Role::member, "nt.yuelu", unit_a_, "account@yuelu.example.org");
    member_b_ = bearer(Role::member, "nt.xiangtan", unit_b_, "");
  }

  void TearDown() override { app_.reset(); }

  Headers bearer(Role role, const std::string& username, std::optional<long long> member_id,
                 const std::string& email) {
    accounts::NewUser u{username, username, "Review-Pass-2026", {role}, member_id};
    if (!email.empty()) u.email = email;
    auto user = app().accounts().create_user(u, accounts::command_line_actor());
    EXPECT_TRUE(user.has_value()) << (user ? "" : user.error().message.en);
    if (!user) return {};
    Principal p;
    p.user_id = user->id;
    p.username = user->username;
    auto token = app().auth().create_token(p, "test");
    EXPECT_TRUE(token.has_value());
    return token ? Headers{{"Authorization", "Bearer " + token->second}} : Headers{};
  }

  // A unit with a representative who has an e-mail and a mobile.
  long long add_unit(const std::string& name, int n) {
    static std::atomic<int> seq{0};
    std::string body = "91430100MA4N";
    body += std::to_string(60000 + seq++);
    auto id = app().database().with_transaction([&](soci::session& s) -> Result<long long> {
      const membership::Organisation org{
          name, name, body + uscc_check_char(body), "development_zone", "provincial", "430100", ""};
      const long long member = membership::membership_repository::insert_member(
                                   s, org, "member", "2020-01-01", pinyin_sort_key(name), {})
                                   .first;
      std::string mail = "rep";
      mail += std::to_string(n);
      mail += "@unit.example.org";
      membership::membership_repository::insert_contact(
          s, {0, member, "representative", {"代表" + std::to_string(n), "主任", mobile(n), mail}},
          {});
      return member;
    });
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  }

  // Writes `count` notices of `kind` to `unit` in one transaction, as a change would.
  void write_notices(long long unit, int count, const std::string& kind = "system.test") {
    auto done = app().database().with_transaction([&](soci::session& s) -> Result<bool> {
      for (int i = 0; i < count; ++i) {
        notifications::notify(
            s, {unit, std::nullopt, kind, "测试通知 " + std::to_string(i), "member", unit},
            SystemClock{}.now());
      }
      return true;
    });
    ASSERT_TRUE(done.has_value());
  }

  long long count(const std::string& sql) {
    auto n = app().database().with_session([&](soci::session& s) -> Result<long long> {
      long long v = 0;
      s << sql, soci::into(v);
      return v;
    });
    return n.value_or(-1);
  }

  HttpReply call(http::verb verb, const std::string& target, const Headers& who,
                 const std::string& body = {}) {
    Headers h = who;
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return http_request(app_->port(), verb, target, body, h);
  }
  HttpReply call(http::verb verb, const std::string& target, const Headers& who,
                 const json::object& body) {
    return call(verb, target, who, json::serialize(body));
  }

  std::vector<ReceivedMail> mails_to(const std::string& address) {
    std::vector<ReceivedMail> out;
    for (auto& m : sink().messages()) {
      if (!m.rcpt_to.empty() && m.rcpt_to.front() == address) out.push_back(std::move(m));
    }
    return out;
  }

  web::App& app() { return app_->app(); }
  SmtpSink& sink() { return *sink_ptr_; }

  std::unique_ptr<SmtpSink> sink_ptr_;
  TestDatabase db_{GetParam(), TestDatabase::Schema::migrated};
  std::unique_ptr<RunningApp> app_;
  Headers admin_, member_a_, member_b_;
  long long unit_a_ = 0, unit_b_ = 0;
};

TEST_P(NotificationsHttpTest, ANoticeArrivesByMailAndInTheInbox) {
  write_notices(unit_a_, 1, "training.promoted");
  ASSERT_TRUE(eventually([&] { return sink().messages().size() >= 2; }))
      << sink().messages().size();
  std::this_thread::sleep_for(200ms);  // nothing more should come
  const auto all = sink().messages();
  ASSERT_EQ(all.size(), 2u) << "the representative and the unit's account, once each";
  const auto rep = mails_to("rep0@unit.example.org");
  ASSERT_EQ(rep.size(), 1u);
  const ReceivedMail& m = rep.front();
  EXPECT_EQ(m.subject, "【湖南省开发区协会】候补转正");
  EXPECT_EQ(m.content_type, "multipart/alternative");
  EXPECT_NE(m.text.find("测试通知 0"), std::string::npos) << m.text;
  EXPECT_NE(m.html.find("测试通知 0"), std::string::npos) << m.html;
  EXPECT_NE(m.list_unsubscribe.find("https://xiehui.example.org/notifications/preferences"),
            std::string::npos);
  EXPECT_TRUE(m.message_id.starts_with("<n") && m.message_id.ends_with("@xiehui.example.org>"))
      << m.message_id;
  EXPECT_EQ(m.mail_from, "noreply@xiehui.example.org");
  EXPECT_EQ(mails_to("account@yuelu.example.org").size(), 1u);
  EXPECT_NE(all[0].message_id, all[1].message_id);

  // The same notice in the unit's inbox, with its link; another unit cannot touch it.
  auto inbox = call(http::verb::get, "/api/notifications", member_a_);
  ASSERT_EQ(inbox.status, 200u) << inbox.body;
  auto page = parse(inbox.body);
  ASSERT_EQ(page["items"].as_array().size(), 1u) << inbox.body;
  auto item = page["items"].as_array()[0].as_object();
  EXPECT_EQ(item["title"], "候补转正");
  EXPECT_EQ(item["body"], "测试通知 0");
  EXPECT_TRUE(item["read_at"].is_null());
  EXPECT_EQ(page["unread"].as_int64(), 1);
  const std::string id = std::to_string(item["id"].as_int64());
  EXPECT_EQ(call(http::verb::post, "/api/notifications/" + id + "/read", member_b_).status, 404u);
  EXPECT_EQ(call(http::verb::get, "/api/notifications?unread=true", member_b_).status, 200u);
  EXPECT_EQ(parse(call(http::verb::get, "/api/notifications", member_b_).body)["total"], 0);
  EXPECT_EQ(call(http::verb::post, "/api/notifications/" + id + "/read", member_a_).status, 204u);
  EXPECT_EQ(parse(call(http::verb::get, "/api/notifications/unread-count", member_a_).body),
            (json::object{{"unread", 0}}));
  EXPECT_EQ(call(http::verb::post, "/api/notifications/abc/read", member_a_).status, 404u);
  EXPECT_EQ(call(http::verb::get, "/api/notifications?unread=maybe", member_a_).status, 400u);
  EXPECT_EQ(call(http::verb::get, "/api/notifications", {}).status, 401u);
}

TEST_P(NotificationsHttpTest, PreferencesAndAccountFollowTheContract) {
  auto prefs = call(http::verb::get, "/api/notification-preferences", member_a_);
  ASSERT_EQ(prefs.status, 200u) << prefs.body;
  auto p = parse(prefs.body);
  EXPECT_EQ(p["kinds"].as_object()["training.promoted"].as_object()["sms"], true);
  EXPECT_FALSE(p["catalog"].as_array().empty());

  auto bad = call(
      http::verb::put, "/api/notification-preferences", member_a_,
      json::object{
          {"kinds",
           json::object{{"account.password_reset", json::object{{"email", false}, {"sms", false}}},
                        {"nope", json::object{{"email", true}, {"sms", false}}}}}});
  EXPECT_EQ(bad.status, 400u) << bad.body;
  auto f = fields_of(bad.body);
  EXPECT_TRUE(f.contains("kinds.account.password_reset.email")) << bad.body;
  EXPECT_TRUE(f.contains("kinds.nope")) << bad.body;
  EXPECT_EQ(call(http::verb::put, "/api/notification-preferences", member_a_,
                 std::string("{\"kinds\":{\"dues.invoice\":{\"email\":\"yes\",\"sms\":false}}}"))
                .status,
            400u);
  EXPECT_EQ(
      call(http::verb::put, "/api/notification-preferences", member_a_, std::string("{")).status,
      400u);

  // The unit's only account turns e-mail off: its representative gets none either.
  auto ok =
      call(http::verb::put, "/api/notification-preferences", member_a_,
           json::object{{"kinds", json::object{{"dues.invoice",
                                                json::object{{"email", false}, {"sms", false}}}}}});
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(parse(ok.body)["kinds"].as_object()["dues.invoice"].as_object()["email"], false);
  write_notices(unit_a_, 1, "dues.invoice");
  write_notices(unit_b_, 1, "dues.invoice");
  ASSERT_TRUE(eventually([&] { return !mails_to("rep1@unit.example.org").empty(); }));
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(mails_to("rep0@unit.example.org").empty());
  EXPECT_TRUE(mails_to("account@yuelu.example.org").empty());

  auto account = call(http::verb::get, "/api/account", member_a_);
  ASSERT_EQ(account.status, 200u);
  EXPECT_EQ(parse(account.body)["email"], "account@yuelu.example.org");
  auto wrong = call(http::verb::patch, "/api/account", member_a_,
                    json::object{{"email", "not-an-address"}, {"locale", "fr"}});
  EXPECT_EQ(wrong.status, 400u);
  EXPECT_TRUE(fields_of(wrong.body).contains("email") || fields_of(wrong.body).contains("locale"))
      << wrong.body;
  auto english = call(http::verb::patch, "/api/account", member_a_,
                      json::object{{"locale", "en"}, {"email", nullptr}});
  ASSERT_EQ(english.status, 200u) << english.body;
  EXPECT_EQ(parse(english.body)["locale"], "en");
  EXPECT_TRUE(parse(english.body)["email"].is_null());
}

TEST_P(NotificationsHttpTest, TemplatesAndTheQueueAreForAdmins) {
  EXPECT_EQ(call(http::verb::get, "/api/outbox", member_a_).status, 403u);
  EXPECT_EQ(call(http::verb::get, "/api/notification-templates", member_a_).status, 403u);
  EXPECT_EQ(call(http::verb::get, "/api/outbox?status=lost", admin_).status, 400u);
  EXPECT_EQ(call(http::verb::get, "/api/notification-templates/no.such", admin_).status, 404u);

  auto broken = call(http::verb::put, "/api/notification-templates/training.promoted", admin_,
                     json::object{{"locale", "zh-CN"},
                                  {"subject", "【协会】{{title}}"},
                                  {"body", "{{recipient_name}}：{{foo}}"},
                                  {"sms", "{{message"}});
  EXPECT_EQ(broken.status, 400u) << broken.body;
  auto bf = fields_of(broken.body);
  EXPECT_TRUE(bf.contains("body") && bf.contains("sms")) << broken.body;

  std::string chinese;
  for (int i = 0; i < 71; ++i) chinese += "通";
  auto preview =
      call(http::verb::post, "/api/notification-templates/training.promoted/preview", admin_,
           json::object{{"locale", "zh-CN"},
                        {"subject", "{{title}}：{{unit_name}}"},
                        {"body", "<b>{{message}}</b>"},
                        {"sms", chinese}});
  ASSERT_EQ(preview.status, 200u) << preview.body;
  auto pv = parse(preview.body);
  EXPECT_EQ(pv["sms_segments"], 2);
  EXPECT_EQ(pv["sms_characters"], 71);
  EXPECT_EQ(std::string(pv["html"].as_string()).find("<b>"), std::string::npos)
      << "the body's text is escaped in the HTML part";

  auto saved = call(http::verb::put, "/api/notification-templates/training.promoted", admin_,
                    json::object{{"locale", "zh-CN"},
                                 {"subject", "候补转正通知：{{unit_name}}"},
                                 {"body", "{{message}}"},
                                 {"sms", "{{message}}"}});
  ASSERT_EQ(saved.status, 200u) << saved.body;
  EXPECT_EQ(parse(saved.body)["customized"], true);
  write_notices(unit_b_, 1, "training.promoted");
  ASSERT_TRUE(eventually([&] { return !mails_to("rep1@unit.example.org").empty(); }));
  EXPECT_EQ(mails_to("rep1@unit.example.org").front().subject, "候补转正通知：湘潭经开区");

  // The sink has the mail a moment before the dispatcher records it sent.
  json::object q;
  ASSERT_TRUE(eventually([&] {
    q = parse(call(http::verb::get, "/api/outbox?status=sent&channel=email", admin_).body);
    return !q["items"].as_array().empty();
  }));
  EXPECT_GE(q["counts"].as_object()["sent"].as_int64(), 1);
  const long long sent_id = q["items"].as_array()[0].as_object()["id"].as_int64();
  EXPECT_EQ(
      call(http::verb::post, "/api/outbox/" + std::to_string(sent_id) + "/cancel", admin_).status,
      409u);
  EXPECT_EQ(call(http::verb::post, "/api/outbox/999999/retry", admin_).status, 404u);
  EXPECT_EQ(call(http::verb::delete_, "/api/notification-templates/training.promoted?locale=zh-CN",
                 admin_)
                .status,
            204u);

  auto metrics = call(http::verb::get, "/metrics", {});
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find("xiehui_outbox_depth "), std::string::npos);
  EXPECT_NE(metrics.body.find("xiehui_outbox_messages{status=\"sent\"}"), std::string::npos);
  EXPECT_NE(metrics.body.find("xiehui_outbox_failures_total{channel=\"email\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("xiehui_outbox_oldest_pending_seconds"), std::string::npos);
}

TEST_P(NotificationsHttpTest, APasswordIsResetByMail) {
  for (const char* who : {"nobody-here", "nobody@example.org", "nt.xiangtan"}) {
    auto r =
        call(http::verb::post, "/api/password-reset", {}, json::object{{"username_or_email", who}});
    EXPECT_EQ(r.status, 202u) << who << r.body;
  }
  auto r = call(http::verb::post, "/api/password-reset", {},
                json::object{{"username_or_email", "ACCOUNT@yuelu.example.org"}});
  ASSERT_EQ(r.status, 202u) << r.body;
  ASSERT_TRUE(eventually([&] { return !mails_to("account@yuelu.example.org").empty(); }));
  const std::string text = mails_to("account@yuelu.example.org").front().text;
  const std::string marker = "https://xiehui.example.org/reset-password?token=";
  const auto at = text.find(marker);
  ASSERT_NE(at, std::string::npos) << text;
  std::string token = text.substr(at + marker.size(), 43);
  EXPECT_TRUE(mails_to("rep1@unit.example.org").empty()) << "no mail for an account without one";

  // One character changed (a token may itself start with 'x').
  std::string forged = token;
  forged[0] = forged[0] == 'x' ? 'y' : 'x';
  EXPECT_EQ(call(http::verb::post, "/api/password-reset/confirm", {},
                 json::object{{"token", forged}, {"password", "Brand-new-pass-2026"}})
                .status,
            400u);
  auto weak = call(http::verb::post, "/api/password-reset/confirm", {},
                   json::object{{"token", token}, {"password", "short"}});
  EXPECT_EQ(weak.status, 400u);
  EXPECT_TRUE(fields_of(weak.body).contains("password")) << weak.body;
  EXPECT_EQ(call(http::verb::post, "/api/password-reset/confirm", {},
                 json::object{{"token", token}, {"password", "Brand-new-pass-2026"}})
                .status,
            204u);
  auto again = call(http::verb::post, "/api/password-reset/confirm", {},
                    json::object{{"token", token}, {"password", "Another-new-pass-2026"}});
  EXPECT_EQ(again.status, 400u);
  EXPECT_TRUE(fields_of(again.body).contains("token")) << again.body;
  EXPECT_EQ(call(http::verb::get, "/api/account", member_a_).status, 401u)
      << "a new password ends the account's tokens";
  auto login = call(http::verb::post, "/api/session", {},
                    json::object{{"username", "nt.yuelu"}, {"password", "Brand-new-pass-2026"}});
  EXPECT_EQ(login.status, 200u) << login.body;

  // The mail's text no longer holds the link once sent; it cannot be sent again.
  ASSERT_TRUE(eventually([&] {
    return count(
               "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND kind = "
               "'account.password_reset'") == 1;
  }));
  auto queue = parse(call(http::verb::get, "/api/outbox", admin_).body);
  long long reset_id = 0;
  for (const auto& v : queue["items"].as_array()) {
    if (v.as_object().at("kind") == "account.password_reset")
      reset_id = v.as_object().at("id").as_int64();
  }
  ASSERT_NE(reset_id, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE body_text LIKE '%token=%'"), 0);
  EXPECT_EQ(
      call(http::verb::post, "/api/outbox/" + std::to_string(reset_id) + "/retry", admin_).status,
      409u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE action_url LIKE '%token=%'"), 0);

  EXPECT_EQ(
      call(http::verb::post, "/api/password-reset", {}, std::string("{\"username_or_email\":"))
          .status,
      400u);
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    if (call(http::verb::post, "/api/password-reset", {},
             json::object{{"username_or_email", "nobody-here"}})
            .status == 429u) {
      ++limited;
    }
  }
  EXPECT_GE(limited, 1) << "more than 10 an hour from one address are refused";
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationsHttpTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

// A sink that refuses the first two messages: the dispatcher retries after a backoff.
class NotificationsRetryTest : public NotificationsHttpTest {
  SmtpSinkOptions sink_options() override {
    SmtpSinkOptions o;
    o.refuse_first = 2;
    return o;
  }
};

TEST_P(NotificationsRetryTest, RefusedMailIsRetriedAndArrivesOnce) {
  write_notices(unit_b_, 1, "system.test");
  ASSERT_TRUE(eventually([&] { return !mails_to("rep1@unit.example.org").empty(); }, 30s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(mails_to("rep1@unit.example.org").size(), 1u);
  EXPECT_EQ(sink().refused(), 2);
  json::object queue;
  ASSERT_TRUE(eventually([&] {
    queue = parse(call(http::verb::get, "/api/outbox?status=sent", admin_).body);
    return queue["items"].as_array().size() == 1u;
  }));
  EXPECT_EQ(queue["items"].as_array()[0].as_object()["attempts"], 3);
  auto metrics = call(http::verb::get, "/metrics", {});
  EXPECT_NE(metrics.body.find("xiehui_outbox_failures_total{channel=\"email\"} 2"),
            std::string::npos)
      << metrics.body.substr(metrics.body.find("xiehui_outbox"));
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationsRetryTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

// Separate xiehui processes doing the delivery (this test process only writes notices).
class NotificationsProcessTest : public NotificationsHttpTest {
 protected:
  bool dispatch_here() override { return false; }

  void TearDown() override {
    children_.clear();
    NotificationsHttpTest::TearDown();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Starts `xiehui serve` on the test's database, delivering to the sink; returns it.
  Child& start_process(int lease_seconds) {
    if (dir_.empty()) {
      static std::atomic<int> n{0};
      dir_ = fs::temp_directory_path() /
             ("xiehui-notify-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
      fs::create_directories(dir_);
    }
    const fs::path config = dir_ / ("config-" + std::to_string(children_.size()) + ".json");
    std::ofstream(config) << json::serialize(
        json::object{{"mail_from", "湖南省开发区协会 <noreply@xiehui.example.org>"},
                     {"smtp", json::object{{"host", "127.0.0.1"}, {"port", sink().port()}}},
                     {"public_url", "https://xiehui.example.org"},
                     {"dues_daily_run", false},
                     {"scheduler", false},
                     {"log_level", "warn"},
                     {"outbox", json::object{{"poll_milliseconds", 50},
                                             {"lease_seconds", lease_seconds},
                                             {"retry_base_seconds", 1},
                                             {"workers", 2},
                                             {"batch", 10}}}});
    // On Galera the processes are on nodes 2 and 3; this test writes the notices through node 1.
    const std::string db = db_.process_connection_strings(3)[1 + children_.size() % 2];
    children_.push_back(
        std::make_unique<Child>(std::vector<std::string>{"serve", "--config", config.string(),
                                                         "--db", db, "--listen", "127.0.0.1:0"},
                                dir_));
    EXPECT_NE(read_listening_port(*children_.back()), 0);
    return *children_.back();
  }

  // The Message-IDs every committed notice should have produced (one per address).
  std::set<std::string> expected_ids() {
    std::set<std::string> out;
    auto rows = app().database().with_session([&](soci::session& s) -> Result<bool> {
      soci::rowset<std::string> ids = (s.prepare << "SELECT message_id FROM outbox");
      for (const auto& id : ids) out.insert(id);
      return true;
    });
    EXPECT_TRUE(rows.has_value());
    return out;
  }

  long long unsent() {
    return count("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'") +
           count("SELECT COUNT(*) FROM notifications WHERE delivered_at IS NULL");
  }

  fs::path dir_;
  std::vector<std::unique_ptr<Child>> children_;
};

class NotificationsTwoProcessTest : public NotificationsProcessTest {};

TEST_P(NotificationsTwoProcessTest, TwoProcessesShareTheQueueAndSendEachMessageOnce) {
  start_process(120);
  start_process(120);
  constexpr int kNotices = 200;  // to two units of two addresses and one: 2 × 200 + 200 mails
  const auto start = std::chrono::steady_clock::now();
  write_notices(unit_a_, kNotices);
  write_notices(unit_b_, kNotices);
  ASSERT_TRUE(eventually([&] { return unsent() == 0; }, 120s)) << unsent() << " not sent";
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto mails = sink().messages();
  std::map<std::string, int> seen;
  for (const auto& m : mails) ++seen[m.message_id];
  const std::set<std::string> expected = expected_ids();
  EXPECT_EQ(expected.size(), static_cast<std::size_t>(3 * kNotices));
  EXPECT_EQ(mails.size(), expected.size());
  int duplicates = 0;
  for (const auto& [id, n] : seen) duplicates += n - 1;
  EXPECT_EQ(duplicates, 0);
  for (const auto& id : expected) EXPECT_EQ(seen[id], 1) << id;
  // Both processes took part (each leases under its own name).
  EXPECT_GE(
      count("SELECT COUNT(DISTINCT lease_owner) FROM outbox WHERE lease_owner IS NOT NULL") + 2, 2);
  const double rate = static_cast<double>(mails.size()) / seconds;
  RecordProperty("messages_per_second", std::to_string(rate));
  std::cout << "two processes: " << mails.size() << " mails in " << seconds << " s (" << rate
            << "/s), duplicates " << duplicates << "\n";
}

INSTANTIATE_TEST_SUITE_P(Processes, NotificationsTwoProcessTest,
                         ::testing::ValuesIn(multi_process_backends()), BackendName());
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(NotificationsTwoProcessTest);

// A slow SMTP server, so that the kill lands while messages are leased and in flight.
class NotificationsKillTest : public NotificationsProcessTest {
  SmtpSinkOptions sink_options() override {
    SmtpSinkOptions o;
    o.delay_ms = 20;
    return o;
  }
};

TEST_P(NotificationsKillTest, KillingAProcessMidDeliveryLosesNothing) {
  Child& first = start_process(3);
  constexpr int kNotices = 150;  // 300 mails
  write_notices(unit_a_, kNotices, "system.test");
  ASSERT_TRUE(eventually([&] { return sink().messages().size() >= 40; }, 60s));
  ASSERT_EQ(::kill(first.pid(), SIGKILL), 0);
  const int status = first.wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  const std::size_t before_restart = sink().messages().size();
  EXPECT_GT(unsent(), 0) << "the kill came too late to test anything";
  start_process(3);
  ASSERT_TRUE(eventually([&] { return unsent() == 0; }, 120s)) << unsent() << " not sent";
  std::map<std::string, int> seen;
  for (const auto& m : sink().messages()) ++seen[m.message_id];
  const std::set<std::string> expected = expected_ids();
  EXPECT_EQ(expected.size(), static_cast<std::size_t>(2 * kNotices));
  int duplicates = 0;
  for (const auto& id : expected) {
    EXPECT_GE(seen[id], 1) << id << " never arrived";
    duplicates += std::max(0, seen[id] - 1);
  }
  // At most what the killed process had leased and sent without recording: its batches.
  EXPECT_LE(duplicates, 2 * 10);
  std::cout << "kill -9 after " << before_restart << " of " << expected.size()
            << " mails: all arrived after restart, duplicates " << duplicates << "\n";
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationsKillTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui::testing
