// Notification delivery end to end on every backend: notices written in transactions, fanned
// out to a unit's contacts and accounts by their switches and languages, delivered to a real
// local SMTP server and an HTTP SMS gateway (tests/support/sinks.hpp) with retries, dead
// letters, leases and several dispatchers at once; the inbox, preferences, templates, the
// reminder jobs and password reset mails.

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/db/migrator.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/accounts/password_hasher.hpp"
#include "services/accounts/password_reset.hpp"
#include "services/accounts/user_repository.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/notifications/dispatcher.hpp"
#include "services/notifications/notification_repository.hpp"
#include "services/notifications/notification_rules.hpp"
#include "services/notifications/notification_service.hpp"
#include "services/notifications/outbox_repository.hpp"
#include "services/notifications/reminder_scheduler.hpp"
#include "services/privacy/consent.hpp"
#include "services/training/training_service.hpp"
#include "services/visits/visit_service.hpp"
#include "tests/support/sinks.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::notifications {
namespace {

// The notice version a fresh database is at: what the forms accept.
constexpr long long kConsent = privacy::kFirstNoticeVersion;

using namespace std::chrono_literals;
using testing::BackendName;
using testing::HttpSink;
using testing::HttpSinkOptions;
using testing::ReceivedMail;
using testing::ReceivedRequest;
using testing::SmtpSink;
using testing::SmtpSinkOptions;
using testing::TestDatabase;

constexpr const char* kMailFrom = "湖南省开发区协会 <noreply@xiehui.example.org>";
constexpr const char* kPublicUrl = "https://xiehui.example.org";
constexpr const char* kSmsBody = R"({"to":"{{mobile}}","text":"{{text}}","id":"{{id}}"})";
constexpr const char* kPrefsUrl = "https://xiehui.example.org/notifications/preferences";

constexpr const char* kRepMobile = "13800000001";
constexpr const char* kLiaisonMobile = "13800000002";
constexpr const char* kFinanceMobile = "13800000003";

Timestamp at(const char* iso) { return *parse_instant(iso); }

// A port on 127.0.0.1 that nothing listens on: bound once (so the kernel picked it), then freed.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t length = sizeof addr;
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::set<std::string> fields_of(const Error& e) {
  std::set<std::string> out;
  for (const FieldError& f : e.fields) out.insert(f.field);
  return out;
}

std::string repeat(const std::string& unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

Principal staff() {
  Principal p;
  p.username = "mishu";
  p.roles = {Role::staff};
  return p;
}

Principal member_of(long long id) {
  Principal p;
  p.username = "unit";
  p.username += std::to_string(id);
  p.roles = {Role::member};
  p.member_id = id;
  return p;
}

class NotificationsServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 12);
    ASSERT_TRUE(db.has_value());
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    service_ = std::make_unique<NotificationService>(*db_, clock_);

    const char* names[] = {"长沙经开区", "株洲高新区"};
    for (int i = 0; i < 2; ++i) {
      auto id = db_->with_transaction([&](soci::session& s) -> Result<long long> {
        std::string body = "91430100MA4L";
        body += std::to_string(40000 + i);
        const membership::Organisation org{
            names[i], names[i], body + uscc_check_char(body), "development_zone", "provincial",
            "430100", ""};
        return membership::membership_repository::insert_member(s, org, "member", "2020-01-01",
                                                                "unit", clock_.now())
            .first;
      });
      ASSERT_TRUE(id.has_value());
      (i == 0 ? unit_a_ : unit_b_) = *id;
    }
    unit_a_name_ = names[0];

    auto contacts = db_->with_transaction([&](soci::session& s) -> Result<bool> {
      namespace mr = membership::membership_repository;
      mr::insert_contact(
          s, {0, unit_a_, "representative", {"王代表", "主任", kRepMobile, "rep@a.example"}},
          clock_.now());
      mr::insert_contact(
          s, {0, unit_a_, "liaison", {"李联络", "科长", kLiaisonMobile, "liaison@a.example"}},
          clock_.now());
      mr::insert_contact(
          s, {0, unit_a_, "finance", {"赵财务", "会计", kFinanceMobile, "fin@a.example"}},
          clock_.now());
      return true;
    });
    ASSERT_TRUE(contacts.has_value());

    user_a_ = add_user("unit_a", "Unit A Account", Role::member, unit_a_, "acct@a.example", "en");
    user_b_ = add_user("unit_b", "株洲账号", Role::member, unit_b_, "acct@b.example", "zh-CN");
    admin_ = add_user("admin", "管理员", Role::admin, std::nullopt, std::nullopt, "zh-CN");
    ASSERT_GT(user_a_, 0);
    ASSERT_GT(user_b_, 0);
    ASSERT_GT(admin_, 0);
  }

  long long add_user(const std::string& username, const std::string& display, Role role,
                     std::optional<long long> member, std::optional<std::string> email,
                     const std::string& locale) {
    const std::string hash = hasher_.hash(kOldPassword);
    auto id = db_->with_transaction([&](soci::session& s) -> Result<long long> {
      accounts::NewUser u{username, display, "", {role}, member, email};
      const long long user = accounts::user_repository::insert(s, u, hash, clock_.now());
      notification_repository::update_account(s, user, email, locale, clock_.now());
      return user;
    });
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message.en);
    return id.value_or(0);
  }

  Principal account(long long user_id, std::optional<long long> member) const {
    Principal p;
    p.user_id = user_id;
    p.username = "user";
    p.username += std::to_string(user_id);
    p.roles = {member ? Role::member : Role::admin};
    p.member_id = member;
    return p;
  }
  Principal account_a() const { return account(user_a_, unit_a_); }
  Principal admin() const { return account(admin_, std::nullopt); }

  // Writes the notice in a transaction; returns its id.
  long long write(const Notice& n) {
    auto id = db_->with_transaction([&](soci::session& s) -> Result<long long> {
      notify(s, n, clock_.now());
      long long last = 0;
      s << "SELECT MAX(id) FROM notifications", soci::into(last);
      return last;
    });
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message.en);
    return id.value_or(0);
  }

  long long to_unit(long long unit, const std::string& kind, const std::string& message,
                    const std::string& message_en = "") {
    return write({unit, std::nullopt, kind, message, "enrollment", 5, message_en});
  }

  long long to_user(long long user, const std::string& kind, const std::string& message) {
    return write({std::nullopt, user, kind, message, "user", user});
  }

  DeliverySettings delivery(int smtp_port, const std::string& sms_url) const {
    DeliverySettings d;
    d.mail_from = kMailFrom;
    if (smtp_port > 0) {
      d.smtp.host = "127.0.0.1";
      d.smtp.port = smtp_port;
      d.smtp.timeout = 10s;
    }
    d.sms.url = sms_url;
    d.sms.body_template = kSmsBody;
    d.sms.timeout = 10s;
    d.public_url = kPublicUrl;
    d.retry_base = 1s;
    d.retry_cap = 60s;
    d.workers = 1;
    return d;
  }

  std::vector<OutboxMessage> outbox(const std::string& status = "",
                                    const std::string& channel = "") {
    OutboxFilter f;
    f.status = status;
    f.channel = channel;
    f.page_size = 1000;
    auto page = service_->outbox(f);
    EXPECT_TRUE(page.has_value());
    return page ? page->items : std::vector<OutboxMessage>{};
  }

  OutboxMessage only_message() {
    const auto items = outbox();
    EXPECT_EQ(items.size(), 1u);
    return items.empty() ? OutboxMessage{} : items.front();
  }

  OutboxMessage message(long long id) {
    auto m = db_->with_session([&](soci::session& s) -> Result<std::optional<OutboxMessage>> {
      return outbox_repository::get(s, id);
    });
    EXPECT_TRUE(m && m->has_value());
    return m && *m ? **m : OutboxMessage{};
  }

  long long count(const std::string& sql) {
    auto n = db_->with_session([&](soci::session& s) -> Result<long long> {
      long long v = 0;
      s << sql, soci::into(v);
      return v;
    });
    return n.value_or(-1);
  }

  static constexpr const char* kOldPassword = "initial-password-1";

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  ManualClock clock_{at("2026-12-05T10:00:00+08:00")};
  accounts::PasswordHasher hasher_{{1, 8 * 1024}};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<NotificationService> service_;
  long long unit_a_ = 0, unit_b_ = 0, user_a_ = 0, user_b_ = 0, admin_ = 0;
  std::string unit_a_name_;
};

const std::string kPromotedZh = "王五 已从候补转为正式学员：招商引资专题培训班 第二期";
const std::string kPromotedEn = "Wang Wu moved up from the waitlist: Investment class 2";

std::map<std::string, ReceivedMail> by_address(const std::vector<ReceivedMail>& mails) {
  std::map<std::string, ReceivedMail> out;
  for (const ReceivedMail& m : mails) {
    EXPECT_TRUE(out.emplace(m.to_address, m).second) << "twice to " << m.to_address;
  }
  return out;
}

// --- 1. fan-out and delivery ---

TEST_P(NotificationsServiceTest, FanOutReachesContactsAndAccountsEachInTheirLanguage) {
  SmtpSink smtp;
  HttpSink sms;
  Dispatcher dispatcher(*db_, clock_, delivery(smtp.port(), sms.url()));
  const long long id = to_unit(unit_a_, "training.promoted", kPromotedZh, kPromotedEn);

  auto sent = dispatcher.run_until_idle();
  ASSERT_TRUE(sent.has_value()) << sent.error().message.en;
  EXPECT_EQ(*sent, 5);

  const std::vector<ReceivedMail> mails = smtp.messages();
  ASSERT_EQ(mails.size(), 3u);
  const auto mail = by_address(mails);
  EXPECT_EQ((std::set<std::string>{"rep@a.example", "liaison@a.example", "acct@a.example"}), [&] {
    std::set<std::string> s;
    for (const auto& [to, m] : mail) s.insert(to);
    return s;
  }()) << "the finance contact gets nothing";

  std::set<std::string> ids;
  std::string pattern = "^<n";
  pattern += std::to_string(id);
  pattern += R"(\.email\.[0-9a-f]{12}@xiehui\.example\.org>$)";
  const std::regex id_shape(pattern);
  for (const ReceivedMail& m : mails) {
    EXPECT_TRUE(m.defects.empty()) << m.defects.front();
    EXPECT_TRUE(std::regex_match(m.message_id, id_shape)) << m.message_id;
    EXPECT_TRUE(m.message_id.ends_with("@xiehui.example.org>")) << m.message_id;
    ids.insert(m.message_id);
    EXPECT_EQ(m.mail_from, "noreply@xiehui.example.org");
    EXPECT_EQ(m.from_address, "noreply@xiehui.example.org");
    EXPECT_EQ(m.from_name, "湖南省开发区协会");
    EXPECT_EQ(m.rcpt_to, std::vector<std::string>{m.to_address});
    std::string unsubscribe = "<";
    unsubscribe += kPrefsUrl;
    unsubscribe += ">";
    EXPECT_EQ(m.list_unsubscribe, unsubscribe);
    EXPECT_TRUE(contains(m.list_unsubscribe, "/notifications/preferences"));
    EXPECT_EQ(m.content_type, "multipart/alternative");
    EXPECT_EQ(m.headers.at("auto-submitted"), "auto-generated");
    EXPECT_TRUE(contains(m.text, "https://xiehui.example.org/training/mine")) << m.text;
    EXPECT_TRUE(contains(m.html, "https://xiehui.example.org/training/mine")) << m.html;
    EXPECT_TRUE(contains(m.html, kPrefsUrl)) << m.html;
  }
  EXPECT_EQ(ids.size(), 3u) << "one Message-ID per recipient";

  // The account reads English: the en template, the English message, its own name.
  const ReceivedMail& acct = mail.at("acct@a.example");
  EXPECT_EQ(acct.subject, "[Hunan Development Zones Association] Moved up from the waitlist");
  EXPECT_TRUE(contains(acct.subject, "Moved up from the waitlist"));
  EXPECT_TRUE(contains(acct.text, kPromotedEn)) << acct.text;
  EXPECT_TRUE(contains(acct.text, "Unit A Account,")) << acct.text;
  EXPECT_FALSE(contains(acct.text, kPromotedZh)) << acct.text;
  EXPECT_TRUE(contains(acct.html, kPromotedEn)) << acct.html;
  EXPECT_TRUE(contains(acct.html, "Notification settings")) << acct.html;
  EXPECT_EQ(acct.to_name, "Unit A Account");

  // The contacts read Chinese.
  for (const char* to : {"rep@a.example", "liaison@a.example"}) {
    const ReceivedMail& m = mail.at(to);
    EXPECT_EQ(m.subject, "【湖南省开发区协会】候补转正") << to;
    EXPECT_TRUE(contains(m.subject, "候补转正"));
    EXPECT_TRUE(contains(m.text, kPromotedZh)) << m.text;
    EXPECT_TRUE(contains(m.html, kPromotedZh)) << m.html;
    EXPECT_TRUE(contains(m.html, "通知设置")) << m.html;
  }
  EXPECT_EQ(mail.at("rep@a.example").to_name, "王代表");
  EXPECT_TRUE(contains(mail.at("rep@a.example").text, "王代表，您好"));
  EXPECT_TRUE(contains(mail.at("liaison@a.example").text, "李联络，您好"));

  // training.promoted goes by SMS by default: the two contacts with mobiles.
  const std::vector<ReceivedRequest> requests = sms.requests();
  ASSERT_EQ(requests.size(), 2u);
  std::set<std::string> mobiles, sms_ids;
  for (const ReceivedRequest& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/sms");
    const boost::json::value parsed = boost::json::parse(r.body);
    const boost::json::object& body = parsed.as_object();
    mobiles.insert(std::string(body.at("to").as_string()));
    EXPECT_EQ(body.at("text").as_string(), kPromotedZh);
    sms_ids.insert(std::string(body.at("id").as_string()));
  }
  EXPECT_EQ(mobiles, (std::set<std::string>{kRepMobile, kLiaisonMobile}));
  EXPECT_EQ(sms_ids.size(), 2u);

  // The outbox lists the five, sent once each.
  OutboxFilter all;
  all.page_size = 100;
  auto page = service_->outbox(all);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->total, 5);
  EXPECT_EQ(page->counts.at("sent"), 5);
  EXPECT_EQ(page->counts.at("pending"), 0);
  EXPECT_EQ(page->counts.at("dead"), 0);
  ASSERT_EQ(page->items.size(), 5u);
  int emails = 0;
  for (const OutboxMessage& m : page->items) {
    EXPECT_EQ(m.status, "sent") << m.recipient;
    EXPECT_EQ(m.attempts, 1);
    EXPECT_EQ(m.failures, 0);
    EXPECT_TRUE(m.sent_at.has_value());
    EXPECT_EQ(m.notification_id, id);
    EXPECT_EQ(m.kind, "training.promoted");
    EXPECT_FALSE(m.secret);
    if (m.channel == "email") {
      ++emails;
      EXPECT_TRUE(ids.contains(m.message_id)) << m.message_id;
    } else {
      EXPECT_EQ(m.channel, "sms");
      EXPECT_TRUE(sms_ids.contains(m.message_id)) << m.message_id;
      EXPECT_TRUE(m.recipient == kRepMobile || m.recipient == kLiaisonMobile) << m.recipient;
      EXPECT_EQ(m.body_text, kPromotedZh);
    }
  }
  EXPECT_EQ(emails, 3);
  OutboxFilter sms_only;
  sms_only.channel = "sms";
  EXPECT_EQ(service_->outbox(sms_only)->total, 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE delivered_at IS NULL"), 0);

  // Nothing more to do: a second run sends nothing.
  auto again = dispatcher.run_until_idle();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(smtp.messages().size(), 3u);
  EXPECT_EQ(sms.requests().size(), 2u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 5);
}

TEST_P(NotificationsServiceTest, WithoutSmtpOrMailFromNoMailIsQueued) {
  HttpSink sms;
  DeliverySettings settings = delivery(0, sms.url());
  Dispatcher dispatcher(*db_, clock_, settings);
  to_unit(unit_a_, "training.promoted", kPromotedZh);
  ASSERT_TRUE(dispatcher.run_until_idle());
  EXPECT_EQ(outbox("", "email").size(), 0u);
  EXPECT_EQ(outbox("sent", "sms").size(), 2u);
  EXPECT_EQ(sms.requests().size(), 2u);

  SmtpSink smtp;
  settings = delivery(smtp.port(), "");
  settings.mail_from.clear();
  Dispatcher no_from(*db_, clock_, settings);
  to_unit(unit_a_, "training.promoted", kPromotedZh);
  ASSERT_TRUE(no_from.run_until_idle());
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 2) << "neither e-mail nor SMS queued";
  EXPECT_TRUE(smtp.messages().empty());
}

// --- 2. preferences ---

TEST_P(NotificationsServiceTest, PreferencesDecideTheChannelsAndContactsFollowTheUnitsAccounts) {
  SmtpSink smtp;
  HttpSink sms;
  Dispatcher dispatcher(*db_, clock_, delivery(smtp.port(), sms.url()));

  auto saved = service_->set_preferences({{"dues.invoice", {false, false}}}, account_a());
  ASSERT_TRUE(saved.has_value()) << saved.error().message.en;
  EXPECT_FALSE(saved->kinds.at("dues.invoice").email);
  EXPECT_FALSE(saved->kinds.at("dues.invoice").sms);

  // The unit's only account turned e-mail off: neither it nor the contacts get the invoice.
  to_unit(unit_a_, "dues.invoice", "2027 年度会费通知单已开具");
  // Unit B's account keeps its default.
  to_unit(unit_b_, "dues.invoice", "2027 年度会费通知单已开具");
  ASSERT_TRUE(dispatcher.run_until_idle());
  auto mails = smtp.messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to_address, "acct@b.example");
  EXPECT_EQ(mails[0].subject, "【湖南省开发区协会】会费通知单");
  EXPECT_TRUE(sms.requests().empty()) << "dues.invoice has no SMS by default";
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE delivered_at IS NULL"), 0);
  // Another kind still reaches unit A by e-mail.
  to_unit(unit_a_, "system.test", "测试通知");
  ASSERT_TRUE(dispatcher.run_until_idle());
  EXPECT_EQ(smtp.messages().size(), 4u);

  // SMS on for the invoice: the contacts' mobiles get it, still no e-mail.
  saved = service_->set_preferences({{"dues.invoice", {false, true}}}, account_a());
  ASSERT_TRUE(saved.has_value());
  to_unit(unit_a_, "dues.invoice", "2027 年度会费通知单（补）");
  ASSERT_TRUE(dispatcher.run_until_idle());
  EXPECT_EQ(smtp.messages().size(), 4u);
  const auto requests = sms.requests();
  ASSERT_EQ(requests.size(), 2u);
  std::set<std::string> mobiles;
  for (const ReceivedRequest& r : requests) {
    const boost::json::value parsed = boost::json::parse(r.body);
    const boost::json::object& body = parsed.as_object();
    mobiles.insert(std::string(body.at("to").as_string()));
    EXPECT_EQ(body.at("text").as_string(), "2027 年度会费通知单（补）");
  }
  EXPECT_EQ(mobiles, (std::set<std::string>{kRepMobile, kLiaisonMobile}));

  // A second account of the unit that keeps e-mail on turns it back on for the contacts.
  const long long second =
      add_user("unit_a2", "第二账号", Role::member, unit_a_, std::nullopt, "zh-CN");
  ASSERT_GT(second, 0);
  to_unit(unit_a_, "dues.invoice", "2027 年度会费通知单（再补）");
  ASSERT_TRUE(dispatcher.run_until_idle());
  mails = smtp.messages();
  ASSERT_EQ(mails.size(), 6u);
  std::set<std::string> last_two{mails[4].to_address, mails[5].to_address};
  EXPECT_EQ(last_two, (std::set<std::string>{"rep@a.example", "liaison@a.example"}))
      << "the account with e-mail off gets none; the second has no address";

  // preferences() reflects the saved choices over the defaults.
  auto prefs = service_->preferences(account_a());
  ASSERT_TRUE(prefs.has_value());
  EXPECT_EQ(prefs->kinds.size(), kind_catalog().size());
  EXPECT_FALSE(prefs->kinds.at("dues.invoice").email);
  EXPECT_TRUE(prefs->kinds.at("dues.invoice").sms);
  EXPECT_TRUE(prefs->kinds.at("training.promoted").email);
  EXPECT_TRUE(prefs->kinds.at("training.promoted").sms);
  EXPECT_TRUE(prefs->kinds.at("account.password_reset").email);
  EXPECT_FALSE(prefs->kinds.at("account.password_reset").sms);
  auto other = service_->preferences(account(user_b_, unit_b_));
  ASSERT_TRUE(other.has_value());
  EXPECT_TRUE(other->kinds.at("dues.invoice").email) << "per user";
}

TEST_P(NotificationsServiceTest, PreferencesRefuseLockedUnknownAndSmslessChoices) {
  auto locked =
      service_->set_preferences({{"account.password_reset", {false, false}}}, account_a());
  ASSERT_FALSE(locked.has_value());
  EXPECT_EQ(locked.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(fields_of(locked.error()), std::set<std::string>{"kinds.account.password_reset.email"});

  auto lapsed = service_->set_preferences({{"dues.lapsed", {false, true}}}, account_a());
  ASSERT_FALSE(lapsed.has_value());
  EXPECT_EQ(fields_of(lapsed.error()), std::set<std::string>{"kinds.dues.lapsed.email"});

  auto unknown = service_->set_preferences({{"nope", {true, false}}}, account_a());
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(fields_of(unknown.error()), std::set<std::string>{"kinds.nope"});

  auto smsless = service_->set_preferences({{"account.locked", {true, true}}}, account_a());
  ASSERT_FALSE(smsless.has_value());
  EXPECT_EQ(fields_of(smsless.error()), std::set<std::string>{"kinds.account.locked.sms"});

  // A refused request saves none of its kinds, not even the valid ones.
  auto mixed = service_->set_preferences({{"dues.invoice", {false, true}}, {"nope", {true, false}}},
                                         account_a());
  ASSERT_FALSE(mixed.has_value());
  auto prefs = service_->preferences(account_a());
  ASSERT_TRUE(prefs.has_value());
  EXPECT_TRUE(prefs->kinds.at("dues.invoice").email);
  EXPECT_FALSE(prefs->kinds.at("dues.invoice").sms);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_prefs"), 0);

  // A locked kind's e-mail left on is fine, and kinds left out keep their setting.
  ASSERT_TRUE(service_->set_preferences({{"training.promoted", {true, false}}}, account_a()));
  ASSERT_TRUE(service_->set_preferences({{"account.password_reset", {true, false}}}, account_a()));
  prefs = service_->preferences(account_a());
  ASSERT_TRUE(prefs.has_value());
  EXPECT_FALSE(prefs->kinds.at("training.promoted").sms);
  EXPECT_TRUE(prefs->kinds.at("training.promoted").email);
}

// --- 3. templates ---

TEST_P(NotificationsServiceTest, TemplatesAreCheckedUsedByTheNextFanOutAndReset) {
  const Template bad{"【{{association}}】{{title}}", "您好 {{foo}}", "{{message}}"};
  auto refused = service_->save_template("training.promoted", "zh-CN", bad, admin());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(fields_of(refused.error()), std::set<std::string>{"body"});
  ASSERT_FALSE(refused.error().fields.empty());
  EXPECT_TRUE(contains(refused.error().fields.front().message.en, "foo"));
  auto unknown =
      service_->save_template("nope", "zh-CN", default_template("nope", "zh-CN"), admin());
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  auto bad_locale = service_->save_template(
      "training.promoted", "fr", default_template("training.promoted", "zh-CN"), admin());
  ASSERT_FALSE(bad_locale.has_value());
  EXPECT_EQ(fields_of(bad_locale.error()), std::set<std::string>{"locale"});
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_templates"), 0);

  const Template custom{"【{{association}}】自定义：{{title}}（{{unit_name}}）",
                        "{{recipient_name}}：{{message}}（{{date}}）\n详情 {{link}}",
                        "短信：{{message}}"};
  auto saved = service_->save_template("training.promoted", "zh-CN", custom, admin());
  ASSERT_TRUE(saved.has_value()) << saved.error().message.en;
  EXPECT_TRUE(saved->customized);
  auto got = service_->get_template("training.promoted", "zh-CN");
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->customized);
  EXPECT_EQ(got->text.subject, custom.subject);
  EXPECT_EQ(got->text.body, custom.body);
  EXPECT_EQ(got->text.sms, custom.sms);
  EXPECT_FALSE(service_->get_template("training.promoted", "en")->customized);
  auto list = service_->templates();
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->size(), 2 * kind_catalog().size());
  for (const TemplateView& v : *list) {
    EXPECT_EQ(v.customized, v.kind == "training.promoted" && v.locale == "zh-CN")
        << v.kind << " " << v.locale;
  }

  SmtpSink smtp;
  HttpSink sms;
  Dispatcher dispatcher(*db_, clock_, delivery(smtp.port(), sms.url()));
  to_unit(unit_a_, "training.promoted", kPromotedZh, kPromotedEn);
  ASSERT_TRUE(dispatcher.run_until_idle());
  auto mail = by_address(smtp.messages());
  ASSERT_EQ(mail.size(), 3u);
  std::string subject = "【湖南省开发区协会】自定义：候补转正（";
  subject += unit_a_name_;
  subject += "）";
  std::string text = "王代表：";
  text += kPromotedZh;
  text += "（2026-12-05）\n详情 https://xiehui.example.org/training/mine";
  EXPECT_EQ(mail.at("rep@a.example").subject, subject);
  EXPECT_EQ(mail.at("rep@a.example").text, text);
  EXPECT_EQ(mail.at("liaison@a.example").subject, subject);
  // The English template was not changed.
  EXPECT_EQ(mail.at("acct@a.example").subject,
            "[Hunan Development Zones Association] Moved up from the waitlist");
  const auto requests = sms.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const ReceivedRequest& r : requests) {
    const boost::json::value parsed = boost::json::parse(r.body);
    std::string expected = "短信：";
    expected += kPromotedZh;
    EXPECT_EQ(parsed.as_object().at("text").as_string(), expected);
  }

  // Back to the built-in template.
  ASSERT_TRUE(service_->reset_template("training.promoted", "zh-CN", admin()));
  got = service_->get_template("training.promoted", "zh-CN");
  ASSERT_TRUE(got.has_value());
  EXPECT_FALSE(got->customized);
  EXPECT_EQ(got->text.subject, default_template("training.promoted", "zh-CN").subject);
  EXPECT_EQ(got->text.body, default_template("training.promoted", "zh-CN").body);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notification_templates"), 0);
  to_unit(unit_a_, "training.promoted", "第二条通知");
  ASSERT_TRUE(dispatcher.run_until_idle());
  const auto mails = smtp.messages();
  ASSERT_EQ(mails.size(), 6u);
  for (std::size_t i = 3; i < 6; ++i) {
    if (mails[i].to_address == "acct@a.example") continue;
    EXPECT_EQ(mails[i].subject, "【湖南省开发区协会】候补转正");
    EXPECT_TRUE(contains(mails[i].text, "第二条通知"));
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'notification_template.%'"), 2);
}

TEST_P(NotificationsServiceTest, PreviewRendersSampleValuesAndCountsSmsSegments) {
  Template t = default_template("training.promoted", "zh-CN");
  t.sms = repeat("中", 71);
  auto p = service_->preview("training.promoted", "zh-CN", t);
  ASSERT_TRUE(p.has_value()) << p.error().message.en;
  EXPECT_EQ(p->sms_characters, 71);
  EXPECT_EQ(p->sms_segments, 2);
  EXPECT_EQ(p->subject, "【湖南省开发区协会】候补转正");
  EXPECT_EQ(p->body.find("{{"), std::string::npos);
  EXPECT_TRUE(contains(p->body, "张三，您好"));
  EXPECT_TRUE(p->html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(contains(p->html, kPrefsUrl));

  t.sms = repeat("中", 70);
  p = service_->preview("training.promoted", "zh-CN", t);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->sms_characters, 70);
  EXPECT_EQ(p->sms_segments, 1);

  t.sms = repeat("a", 161);
  p = service_->preview("training.promoted", "zh-CN", t);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->sms_characters, 161);
  EXPECT_EQ(p->sms_segments, 2);

  const Template en = default_template("training.promoted", "en");
  p = service_->preview("training.promoted", "en", en);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->subject, "[Hunan Development Zones Association] Moved up from the waitlist");
  EXPECT_TRUE(contains(p->html, "Notification settings"));
  EXPECT_GT(p->sms_segments, 0);

  t.body = "{{nope}}";
  auto refused = service_->preview("training.promoted", "zh-CN", t);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(fields_of(refused.error()), std::set<std::string>{"body"});
  EXPECT_EQ(service_->preview("nope", "zh-CN", en).error().code, ErrorCode::not_found);
  EXPECT_EQ(fields_of(service_->preview("training.promoted", "de", en).error()),
            std::set<std::string>{"locale"});
}

// --- 4. retries and dead letters ---

TEST_P(NotificationsServiceTest, TemporaryFailuresAreRetriedWithBackoffUntilSent) {
  SmtpSinkOptions options;
  options.refuse_first = 2;
  SmtpSink smtp(options);
  Dispatcher dispatcher(*db_, clock_, delivery(smtp.port(), ""));
  to_user(user_a_, "system.test", "测试通知");
  auto fanned = dispatcher.fan_out();
  ASSERT_TRUE(fanned.has_value());
  EXPECT_EQ(*fanned, 1);
  OutboxMessage m = only_message();
  EXPECT_EQ(m.status, "pending");
  EXPECT_EQ(m.attempts, 0);

  auto tried = dispatcher.deliver();
  ASSERT_TRUE(tried.has_value());
  EXPECT_EQ(*tried, 1);
  m = only_message();
  EXPECT_EQ(m.status, "failed");
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.failures, 1);
  ASSERT_TRUE(m.last_error.has_value());
  EXPECT_TRUE(contains(*m.last_error, "451")) << *m.last_error;
  ASSERT_TRUE(m.next_attempt_at.has_value());
  EXPECT_GT(*m.next_attempt_at, clock_.now());
  EXPECT_LE(*m.next_attempt_at, clock_.now() + 2s) << "1 s × [0.5, 1.5), rounded";
  EXPECT_EQ(smtp.refused(), 1);

  // Not due yet at the same instant.
  EXPECT_EQ(dispatcher.deliver().value_or(-1), 0);
  EXPECT_EQ(only_message().attempts, 1);

  clock_.advance(10s);
  EXPECT_EQ(dispatcher.deliver().value_or(-1), 1);
  m = only_message();
  EXPECT_EQ(m.status, "failed");
  EXPECT_EQ(m.attempts, 2);
  EXPECT_EQ(m.failures, 2);
  ASSERT_TRUE(m.next_attempt_at.has_value());
  EXPECT_GT(*m.next_attempt_at, clock_.now());
  EXPECT_LE(*m.next_attempt_at, clock_.now() + 3s) << "2 s × [0.5, 1.5)";

  clock_.advance(10s);
  EXPECT_EQ(dispatcher.deliver().value_or(-1), 1);
  m = only_message();
  EXPECT_EQ(m.status, "sent");
  EXPECT_EQ(m.attempts, 3);
  EXPECT_EQ(m.failures, 2);
  EXPECT_EQ(m.sent_at, clock_.now());
  EXPECT_FALSE(m.next_attempt_at.has_value());

  clock_.advance(1h);
  EXPECT_EQ(dispatcher.run_until_idle().value_or(-1), 0);
  const auto mails = smtp.messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].message_id, m.message_id);
  EXPECT_EQ(mails[0].to_address, "acct@a.example");
  EXPECT_EQ(smtp.refused(), 2);

  auto stats = service_->stats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->failures_by_channel.at("email"), 2);
  EXPECT_EQ(stats->failures_by_channel.at("sms"), 0);
  EXPECT_EQ(stats->by_status.at("sent"), 1);
  EXPECT_EQ(stats->by_status.at("pending"), 0);
  EXPECT_EQ(stats->oldest_pending_seconds, 0.0);
}

TEST_P(NotificationsServiceTest, PermanentRefusalIsDeadAtOnceAndCanBeRetriedByHand) {
  SmtpSinkOptions options;
  options.reject_all = true;
  SmtpSink rejecting(options);
  Dispatcher dispatcher(*db_, clock_, delivery(rejecting.port(), ""));
  to_user(user_a_, "system.test", "测试通知");
  EXPECT_EQ(dispatcher.run_until_idle().value_or(-1), 1);
  OutboxMessage m = only_message();
  EXPECT_EQ(m.status, "dead");
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.failures, 1);
  ASSERT_TRUE(m.last_error.has_value());
  EXPECT_TRUE(contains(*m.last_error, "550")) << *m.last_error;
  EXPECT_FALSE(m.next_attempt_at.has_value());
  clock_.advance(24h);
  EXPECT_EQ(dispatcher.run_until_idle().value_or(-1), 0) << "a dead letter stays dead";
  EXPECT_EQ(rejecting.refused(), 1);
  EXPECT_TRUE(rejecting.messages().empty());

  // Cancelling a dead message is not allowed; retrying one is.
  auto cancelled = service_->cancel(m.id, admin());
  ASSERT_FALSE(cancelled.has_value());
  EXPECT_EQ(cancelled.error().code, ErrorCode::conflict);
  auto retried = service_->retry(m.id, admin());
  ASSERT_TRUE(retried.has_value()) << retried.error().message.en;
  EXPECT_EQ(retried->status, "pending");
  EXPECT_EQ(retried->next_attempt_at, clock_.now());

  // The mail server accepts now (another server, another dispatcher).
  SmtpSink accepting;
  Dispatcher second(*db_, clock_, delivery(accepting.port(), ""));
  EXPECT_EQ(second.run_until_idle().value_or(-1), 1);
  m = only_message();
  EXPECT_EQ(m.status, "sent");
  EXPECT_EQ(m.attempts, 2);
  const auto mails = accepting.messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].message_id, m.message_id) << "the same Message-ID on every attempt";

  // A sent message can be neither cancelled nor retried; unknown ids are not found.
  auto late = service_->cancel(m.id, admin());
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::conflict);
  auto resend = service_->retry(m.id, admin());
  ASSERT_FALSE(resend.has_value());
  EXPECT_EQ(resend.error().code, ErrorCode::conflict);
  EXPECT_EQ(service_->retry(m.id + 1000, admin()).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->cancel(m.id + 1000, admin()).error().code, ErrorCode::not_found);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'outbox.retry'"), 1);
}

TEST_P(NotificationsServiceTest, AnUnreachableServerIsDeadAfterMaxAttempts) {
  DeliverySettings settings = delivery(closed_port(), "");
  settings.max_attempts = 3;
  Dispatcher dispatcher(*db_, clock_, settings);
  to_user(user_a_, "system.test", "测试通知");
  const Timestamp written = clock_.now();
  ASSERT_TRUE(dispatcher.fan_out());

  EXPECT_EQ(dispatcher.deliver().value_or(-1), 1);
  OutboxMessage m = only_message();
  EXPECT_EQ(m.status, "failed");
  EXPECT_EQ(m.attempts, 1);
  ASSERT_TRUE(m.last_error.has_value());
  EXPECT_FALSE(m.last_error->empty());

  auto stats = service_->stats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->by_status.at("failed"), 1);
  EXPECT_EQ(stats->failures_by_channel.at("email"), 1);

  clock_.advance(1min);
  EXPECT_EQ(dispatcher.deliver().value_or(-1), 1);
  EXPECT_EQ(only_message().status, "failed");
  EXPECT_EQ(only_message().attempts, 2);
  clock_.advance(1min);
  EXPECT_EQ(dispatcher.deliver().value_or(-1), 1);
  m = only_message();
  EXPECT_EQ(m.status, "dead");
  EXPECT_EQ(m.attempts, 3);
  EXPECT_EQ(m.failures, 3);
  ASSERT_TRUE(m.last_error.has_value());
  EXPECT_FALSE(m.last_error->empty());
  EXPECT_FALSE(m.next_attempt_at.has_value());
  clock_.advance(1h);
  EXPECT_EQ(dispatcher.deliver().value_or(-1), 0);

  stats = service_->stats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->by_status.at("dead"), 1);
  EXPECT_EQ(stats->failures_by_channel.at("email"), 3);
  EXPECT_EQ(stats->oldest_pending_seconds, 0.0) << "a dead letter is not waiting";

  // Retried, then cancelled while pending, then retried again: the queue depth follows.
  ASSERT_TRUE(service_->retry(m.id, admin()));
  stats = service_->stats();
  EXPECT_EQ(stats->by_status.at("pending"), 1);
  EXPECT_EQ(stats->by_status.at("dead"), 0);
  EXPECT_DOUBLE_EQ(stats->oldest_pending_seconds,
                   std::chrono::duration<double>(clock_.now() - written).count());
  auto cancelled = service_->cancel(m.id, admin());
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(cancelled->status, "cancelled");
  EXPECT_FALSE(cancelled->next_attempt_at.has_value());
  EXPECT_EQ(service_->stats()->by_status.at("cancelled"), 1);
  EXPECT_EQ(dispatcher.deliver().value_or(-1), 0) << "a cancelled message is not sent";
  ASSERT_TRUE(service_->retry(m.id, admin()));
  EXPECT_EQ(only_message().status, "pending");

  // The server is back.
  SmtpSink smtp;
  Dispatcher back(*db_, clock_, delivery(smtp.port(), ""));
  EXPECT_EQ(back.run_until_idle().value_or(-1), 1);
  EXPECT_EQ(only_message().status, "sent");
  EXPECT_EQ(smtp.messages().size(), 1u);
}

TEST_P(NotificationsServiceTest, SmsGatewayFailuresAreRetriedOrDeadLettered) {
  HttpSinkOptions options;
  options.fail_first = 1;
  options.fail_status = 503;
  HttpSink busy(options);
  Dispatcher dispatcher(*db_, clock_, delivery(0, busy.url()));
  to_unit(unit_a_, "training.promoted", kPromotedZh);
  EXPECT_EQ(dispatcher.run_until_idle().value_or(-1), 2);
  auto failed = outbox("failed", "sms");
  ASSERT_EQ(failed.size(), 1u);
  ASSERT_TRUE(failed[0].last_error.has_value());
  EXPECT_TRUE(contains(*failed[0].last_error, "503")) << *failed[0].last_error;
  EXPECT_EQ(outbox("sent", "sms").size(), 1u);
  EXPECT_EQ(busy.failed(), 1);

  clock_.advance(5s);
  EXPECT_EQ(dispatcher.run_until_idle().value_or(-1), 1);
  EXPECT_EQ(outbox("sent", "sms").size(), 2u);
  std::set<std::string> mobiles;
  for (const ReceivedRequest& r : busy.requests()) {
    const boost::json::value parsed = boost::json::parse(r.body);
    mobiles.insert(std::string(parsed.as_object().at("to").as_string()));
  }
  EXPECT_EQ(mobiles, (std::set<std::string>{kRepMobile, kLiaisonMobile}));
  EXPECT_EQ(service_->stats()->failures_by_channel.at("sms"), 1);
  EXPECT_EQ(service_->stats()->failures_by_channel.at("email"), 0);

  // A 4xx is the gateway refusing the message itself: dead at once.
  options.fail_first = 5;
  options.fail_status = 400;
  HttpSink refusing(options);
  Dispatcher second(*db_, clock_, delivery(0, refusing.url()));
  to_unit(unit_a_, "training.promoted", kPromotedZh);
  EXPECT_EQ(second.run_until_idle().value_or(-1), 2);
  EXPECT_EQ(outbox("dead", "sms").size(), 2u);
  EXPECT_EQ(refusing.failed(), 2);
  EXPECT_EQ(service_->stats()->failures_by_channel.at("sms"), 3);
}

// --- 5. inbox ---

TEST_P(NotificationsServiceTest, InboxShowsTheUnitsAndTheUsersNoticesWithReadMarksPerUser) {
  const long long a1 = to_unit(unit_a_, "training.promoted", kPromotedZh, kPromotedEn);
  clock_.advance(1min);
  const long long a2 = to_unit(unit_a_, "dues.invoice", "会费通知单已开具");
  clock_.advance(1min);
  const long long own = to_user(user_a_, "account.locked", "您的账号已被锁定");
  const long long b1 = to_unit(unit_b_, "training.promoted", "株洲的通知");
  const long long b_own = to_user(user_b_, "system.test", "株洲账号的通知");
  const long long reset =
      write({std::nullopt, user_a_, "account.password_reset", "重置密码链接", "user", user_a_, "",
             std::nullopt, "https://xiehui.example.org/reset-password?token=abc"});
  ASSERT_GT(reset, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE in_app = 0"), 1);

  auto page = service_->inbox(account_a(), {}, "zh-CN");
  ASSERT_TRUE(page.has_value()) << page.error().message.en;
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(page->unread, 3);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].id, own) << "newest first";
  EXPECT_EQ(page->items[1].id, a2);
  EXPECT_EQ(page->items[2].id, a1);
  for (const InboxItem& item : page->items) {
    EXPECT_NE(item.id, b1);
    EXPECT_NE(item.id, b_own);
    EXPECT_NE(item.id, reset);
    EXPECT_NE(item.kind, "account.password_reset");
    EXPECT_FALSE(item.read_at.has_value());
  }
  EXPECT_EQ(page->items[2].title, "候补转正");
  EXPECT_EQ(page->items[2].body, kPromotedZh);
  EXPECT_EQ(page->items[2].link, "/training/mine");
  EXPECT_EQ(page->items[1].title, "会费通知单");
  EXPECT_EQ(page->items[0].link, "/account");

  // In English: English labels, the English text where there is one.
  auto en = service_->inbox(account_a(), {}, "en");
  ASSERT_TRUE(en.has_value());
  ASSERT_EQ(en->items.size(), 3u);
  EXPECT_EQ(en->items[2].title, "Moved up from the waitlist");
  EXPECT_EQ(en->items[2].body, kPromotedEn);
  EXPECT_EQ(en->items[1].body, "会费通知单已开具") << "no English text: the Chinese one";

  // Filters and pages.
  InboxFilter by_kind;
  by_kind.kind = "dues.invoice";
  auto invoices = service_->inbox(account_a(), by_kind, "zh-CN");
  ASSERT_TRUE(invoices.has_value());
  EXPECT_EQ(invoices->total, 1);
  ASSERT_EQ(invoices->items.size(), 1u);
  EXPECT_EQ(invoices->items[0].id, a2);
  InboxFilter small;
  small.page = 2;
  small.page_size = 2;
  auto second_page = service_->inbox(account_a(), small, "zh-CN");
  ASSERT_TRUE(second_page.has_value());
  EXPECT_EQ(second_page->total, 3);
  ASSERT_EQ(second_page->items.size(), 1u);
  EXPECT_EQ(second_page->items[0].id, a1);

  // Unit B's account sees B's only.
  auto b_page = service_->inbox(account(user_b_, unit_b_), {}, "zh-CN");
  ASSERT_TRUE(b_page.has_value());
  EXPECT_EQ(b_page->total, 2);
  EXPECT_EQ(service_->unread_count(account(user_b_, unit_b_)).value_or(-1), 2);

  // Marking read.
  EXPECT_EQ(service_->unread_count(account_a()).value_or(-1), 3);
  auto foreign = service_->mark_read(b1, account_a());
  ASSERT_FALSE(foreign.has_value());
  EXPECT_EQ(foreign.error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->mark_read(b_own, account_a()).error().code, ErrorCode::not_found);
  EXPECT_EQ(service_->mark_read(reset, account_a()).error().code, ErrorCode::not_found)
      << "a reset notice is not in the inbox";
  EXPECT_EQ(service_->mark_read(999999, account_a()).error().code, ErrorCode::not_found);
  ASSERT_TRUE(service_->mark_read(a1, account_a()));
  ASSERT_TRUE(service_->mark_read(a1, account_a())) << "reading twice is fine";
  EXPECT_EQ(service_->unread_count(account_a()).value_or(-1), 2);
  InboxFilter unread;
  unread.unread_only = true;
  auto unread_page = service_->inbox(account_a(), unread, "zh-CN");
  ASSERT_TRUE(unread_page.has_value());
  EXPECT_EQ(unread_page->total, 2);
  for (const InboxItem& item : unread_page->items) EXPECT_NE(item.id, a1);
  auto all = service_->inbox(account_a(), {}, "zh-CN");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->items[2].read_at, clock_.now());

  auto marked = service_->mark_all_read(account_a());
  ASSERT_TRUE(marked.has_value());
  EXPECT_EQ(*marked, 2);
  EXPECT_EQ(service_->unread_count(account_a()).value_or(-1), 0);
  EXPECT_EQ(service_->mark_all_read(account_a()).value_or(-1), 0);
  EXPECT_EQ(service_->unread_count(account(user_b_, unit_b_)).value_or(-1), 2)
      << "unit B's reads are its own";

  // A second account of unit A reads the unit's notices on its own, not the first one's.
  const long long second =
      add_user("unit_a2", "第二账号", Role::member, unit_a_, std::nullopt, "zh-CN");
  ASSERT_GT(second, 0);
  auto second_inbox = service_->inbox(account(second, unit_a_), {}, "zh-CN");
  ASSERT_TRUE(second_inbox.has_value());
  EXPECT_EQ(second_inbox->total, 2) << "the unit's two, not the first account's own";
  EXPECT_EQ(second_inbox->unread, 2);
  EXPECT_EQ(service_->mark_read(own, account(second, unit_a_)).error().code, ErrorCode::not_found);

  // An admin without a unit sees only notices addressed to it.
  EXPECT_EQ(service_->unread_count(admin()).value_or(-1), 0);
}

// --- 6. several dispatchers at once ---

TEST_P(NotificationsServiceTest, SeveralDispatchersShareTheWorkWithoutDuplicates) {
  SmtpSink smtp;
  HttpSink sms;
  constexpr int kNotices = 120;
  for (int i = 0; i < kNotices; ++i) {
    std::string text = "测试通知 ";
    text += std::to_string(i);
    to_unit(i % 2 == 0 ? unit_a_ : unit_b_, "system.test", text);
  }
  // Unit A: representative, liaison, account; unit B: its account.
  const std::size_t expected = kNotices / 2 * 3 + kNotices / 2 * 1;

  std::vector<std::unique_ptr<Dispatcher>> dispatchers;
  std::set<std::string> owners;
  for (int i = 0; i < 3; ++i) {
    DeliverySettings settings = delivery(smtp.port(), sms.url());
    settings.batch = 5;
    dispatchers.push_back(std::make_unique<Dispatcher>(*db_, clock_, settings));
    owners.insert(dispatchers.back()->owner());
  }
  EXPECT_EQ(owners.size(), 3u) << "each its own lease holder";

  std::atomic<int> errors{0};
  std::atomic<int> attempted{0};
  std::vector<std::thread> threads;
  for (auto& d : dispatchers) {
    threads.emplace_back([&, dispatcher = d.get()] {
      auto n = dispatcher->run_until_idle();
      if (!n) {
        ++errors;
        return;
      }
      attempted += *n;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(static_cast<std::size_t>(attempted.load()), expected)
      << "each message attempted once in all";

  const auto mails = smtp.messages();
  EXPECT_EQ(mails.size(), expected);
  std::set<std::string> ids;
  for (const ReceivedMail& m : mails) {
    EXPECT_TRUE(ids.insert(m.message_id).second) << "sent twice: " << m.message_id;
  }
  EXPECT_EQ(ids.size(), expected);
  EXPECT_TRUE(sms.requests().empty()) << "system.test has no SMS by default";

  const auto items = outbox();
  EXPECT_EQ(items.size(), expected);
  for (const OutboxMessage& m : items) {
    EXPECT_EQ(m.status, "sent") << m.id;
    EXPECT_EQ(m.attempts, 1) << m.id;
    EXPECT_TRUE(ids.contains(m.message_id)) << m.message_id;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE delivered_at IS NULL"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL"), 0);
  // Per unit: unit A's notices went to three addresses each.
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE recipient = 'rep@a.example'"), kNotices / 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE recipient = 'acct@b.example'"), kNotices / 2);
}

// --- 7. a lease taken over ---

TEST_P(NotificationsServiceTest, AnExpiredLeaseIsTakenOverAndTheDeadOwnerCannotFinish) {
  SmtpSink smtp;
  Dispatcher dispatcher(*db_, clock_, delivery(smtp.port(), ""));
  to_user(user_a_, "system.test", "测试通知一");
  to_user(user_b_, "system.test", "测试通知二");
  ASSERT_EQ(dispatcher.fan_out().value_or(-1), 2);

  // A process claims both and dies before sending.
  auto claimed = db_->with_transaction([&](soci::session& s) -> Result<std::vector<OutboxMessage>> {
    return outbox_repository::claim_due(s, "dead-process", 10, clock_.now(), clock_.now() + 60s);
  });
  ASSERT_TRUE(claimed.has_value());
  ASSERT_EQ(claimed->size(), 2u);
  for (const OutboxMessage& m : *claimed) {
    EXPECT_EQ(m.status, "sending");
    EXPECT_EQ(m.attempts, 1);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE lease_owner = 'dead-process'"), 2);

  // While its lease runs, nobody else sends them.
  EXPECT_EQ(dispatcher.run_until_idle().value_or(-1), 0);
  clock_.advance(59s);
  EXPECT_EQ(dispatcher.run_until_idle().value_or(-1), 0);
  EXPECT_TRUE(smtp.messages().empty());

  // Once it has run out, the live dispatcher takes them over.
  clock_.advance(2s);
  EXPECT_EQ(dispatcher.run_until_idle().value_or(-1), 2);
  const auto mails = smtp.messages();
  ASSERT_EQ(mails.size(), 2u);
  for (const OutboxMessage& m : outbox()) {
    EXPECT_EQ(m.status, "sent");
    EXPECT_EQ(m.attempts, 2);
  }

  // The dead process wakes up: its lease was taken over, it cannot record anything.
  for (const OutboxMessage& m : *claimed) {
    auto finished = db_->with_transaction([&](soci::session& s) -> Result<bool> {
      return outbox_repository::finish_sent(s, m.id, "dead-process", clock_.now());
    });
    ASSERT_TRUE(finished.has_value());
    EXPECT_FALSE(*finished);
    auto failed = db_->with_transaction([&](soci::session& s) -> Result<bool> {
      return outbox_repository::finish_failed(s, m.id, "dead-process", "late", std::nullopt,
                                              clock_.now());
    });
    ASSERT_TRUE(failed.has_value());
    EXPECT_FALSE(*failed);
    const OutboxMessage after = message(m.id);
    EXPECT_EQ(after.status, "sent");
    EXPECT_FALSE(after.last_error.has_value());
  }
  EXPECT_EQ(smtp.messages().size(), 2u);
}

// --- 8. reminders ---

TEST_P(NotificationsServiceTest, ClassRemindersGoOutOnceFromNineTheDayBefore) {
  training::TrainingService training(*db_, clock_);
  auto course = training.create_course({0, "园区招商引资专题培训", "", {"招商"}}, staff());
  ASSERT_TRUE(course.has_value()) << course.error().message.en;
  const auto open_class = [&](const char* title, const char* starts) {
    training::TrainingClass c;
    c.course_id = course->id;
    c.title = title;
    c.venue = "长沙";
    c.starts_at = at(starts);
    c.ends_at = c.starts_at + 8h;
    c.signup_deadline = at("2026-12-05T23:00:00+08:00");
    c.capacity = 10;
    c.fee_fen = 0;
    c.status = "open";
    auto r = training.create_class(c, staff());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message.en);
    return r ? r->id : 0;
  };
  const long long first = open_class("第1期", "2026-12-06T09:00:00+08:00");
  const long long second = open_class("第2期", "2026-12-06T14:00:00+08:00");
  const long long later = open_class("第3期", "2026-12-08T09:00:00+08:00");
  ASSERT_TRUE(first > 0 && second > 0 && later > 0);
  const auto sign_up = [&](long long cls, long long unit, const char* name, const char* mobile) {
    auto e =
        training.enroll(cls, {unit, "", {name, "", mobile, "", ""}, kConsent}, member_of(unit));
    ASSERT_TRUE(e.has_value()) << e.error().message.en;
    EXPECT_EQ(e->status, "confirmed");
  };
  sign_up(first, unit_a_, "学员甲", "13900000001");
  sign_up(first, unit_a_, "学员乙", "13900000002");
  sign_up(second, unit_b_, "学员丙", "13900000003");
  sign_up(later, unit_a_, "学员丁", "13900000004");

  const auto reminders = [&] {
    return count("SELECT COUNT(*) FROM notifications WHERE kind = 'training.class_reminder'");
  };
  // Before nine: nothing yet.
  clock_.set(at("2026-12-05T08:00:00+08:00"));
  EXPECT_EQ(send_class_reminders(*db_, clock_.now()).value_or(-1), 0);
  EXPECT_EQ(reminders(), 0);

  clock_.set(at("2026-12-05T10:00:00+08:00"));
  EXPECT_EQ(send_class_reminders(*db_, clock_.now()).value_or(-1), 2) << "one per unit and class";
  EXPECT_EQ(reminders(), 2);
  auto rows = db_->with_session([&](soci::session& s) -> Result<std::vector<NoticeRow>> {
    std::vector<NoticeRow> out;
    soci::rowset<soci::row> rs =
        (s.prepare << "SELECT member_id, entity_id, message, message_en FROM notifications WHERE "
                      "kind = 'training.class_reminder' ORDER BY entity_id");
    for (const soci::row& r : rs) {
      NoticeRow n;
      n.member_id = db::get_int64(r, 0);
      n.entity_id = db::get_int64(r, 1);
      n.message = r.get<std::string>(2);
      if (r.get_indicator(3) == soci::i_ok) n.message_en = r.get<std::string>(3);
      out.push_back(std::move(n));
    }
    return out;
  });
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 2u);
  const NoticeRow& a = (*rows)[0];
  EXPECT_EQ(a.member_id, unit_a_);
  EXPECT_EQ(a.entity_id, first);
  EXPECT_TRUE(contains(a.message, "学员甲")) << a.message;
  EXPECT_TRUE(contains(a.message, "学员乙")) << a.message;
  EXPECT_TRUE(contains(a.message, "2026-12-06 09:00")) << a.message;
  EXPECT_FALSE(contains(a.message, "学员丁")) << "another class";
  EXPECT_TRUE(contains(a.message_en, "学员甲")) << a.message_en;
  EXPECT_TRUE(contains(a.message_en, "Class starts tomorrow")) << a.message_en;
  EXPECT_EQ((*rows)[1].member_id, unit_b_);
  EXPECT_TRUE(contains((*rows)[1].message, "学员丙"));

  // Again later that day, and from two threads at once: nothing new.
  clock_.set(at("2026-12-05T15:00:00+08:00"));
  EXPECT_EQ(send_class_reminders(*db_, clock_.now()).value_or(-1), 0);
  std::atomic<int> written{0}, failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      auto n = send_class_reminders(*db_, clock_.now());
      if (n) {
        written += *n;
      } else {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(written.load(), 0);
  EXPECT_EQ(reminders(), 2);

  // The next morning it is the later class's turn... not yet: it starts the day after.
  clock_.set(at("2026-12-06T10:00:00+08:00"));
  EXPECT_EQ(send_class_reminders(*db_, clock_.now()).value_or(-1), 0);
  // On the 7th the class of the 8th is due; two threads race for it, one writes it.
  clock_.set(at("2026-12-07T09:00:00+08:00"));
  threads.clear();
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      auto n = send_class_reminders(*db_, clock_.now());
      if (n) {
        written += *n;
      } else {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(written.load(), 1);
  EXPECT_EQ(reminders(), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM scheduled_runs WHERE job = 'training.class_reminder'"), 3);

  // The reminders are delivered like any notice.
  SmtpSink smtp;
  Dispatcher dispatcher(*db_, clock_, delivery(smtp.port(), ""));
  ASSERT_TRUE(dispatcher.run_until_idle());
  bool found = false;
  for (const ReceivedMail& m : smtp.messages()) {
    if (m.to_address == "rep@a.example" && contains(m.subject, "开课提醒")) {
      found = found || contains(m.text, "学员甲");
    }
  }
  EXPECT_TRUE(found);
}

TEST_P(NotificationsServiceTest, DepartureNoticesGoToUnitsWithApprovedDelegatesOnce) {
  testing::TempDir data_dir;
  visits::VisitService visits(*db_, clock_, data_dir.path());
  visits::Visit v;
  v.title = "赴苏州工业园区考察学习";
  v.destination = "江苏苏州";
  v.hosts = {{std::nullopt, "苏州工业园区管委会"}};
  v.starts_on = *parse_date("2026-12-07");
  v.ends_on = *parse_date("2026-12-08");
  v.capacity = 10;
  v.cost_fen = 0;
  v.apply_deadline = at("2026-12-05T23:59:59+08:00");
  v.withdraw_cutoff = *parse_date("2026-12-01");
  v.status = "open";
  v.itinerary = {{"2026-12-07", "pm", "苏州工业园区", "听取园区招商工作介绍", "", "大巴"}};
  auto created = visits.create_visit(v, staff());
  ASSERT_TRUE(created.has_value()) << created.error().message.en;
  const auto delegate = [](const char* name, const char* mobile) {
    visits::Delegate d;
    d.name = name;
    d.title = "副主任";
    d.gender = "m";
    d.mobile = mobile;
    return d;
  };
  auto applied = visits.apply(
      created->id, unit_a_, {delegate("团员甲", "13700000001"), delegate("团员乙", "13700000002")},
      "", kConsent, member_of(unit_a_));
  ASSERT_TRUE(applied.has_value()) << applied.error().message.en;
  ASSERT_EQ(applied->delegates.size(), 2u);
  for (const auto& d : applied->delegates) {
    auto approved = visits.approve(d.id, staff());
    ASSERT_TRUE(approved.has_value()) << approved.error().message.en;
    EXPECT_EQ(approved->status, "approved");
  }
  // Unit B applies but is not approved: no departure notice for it.
  auto pending = visits.apply(created->id, unit_b_, {delegate("团员丙", "13700000003")}, "",
                              kConsent, member_of(unit_b_));
  ASSERT_TRUE(pending.has_value()) << pending.error().message.en;

  const auto departures = [&] {
    return count("SELECT COUNT(*) FROM notifications WHERE kind = 'visit.departure'");
  };
  clock_.set(at("2026-12-05T08:00:00+08:00"));
  EXPECT_EQ(send_departure_notices(*db_, clock_.now()).value_or(-1), 0);
  EXPECT_EQ(departures(), 0);
  clock_.set(at("2026-12-05T10:00:00+08:00"));
  EXPECT_EQ(send_departure_notices(*db_, clock_.now()).value_or(-1), 1);
  EXPECT_EQ(departures(), 1);
  std::string for_a = "SELECT COUNT(*) FROM notifications WHERE kind = 'visit.departure' AND ";
  for_a += "member_id = ";
  for_a += std::to_string(unit_a_);
  EXPECT_EQ(count(for_a), 1);
  auto text = db_->with_session([&](soci::session& s) -> Result<std::string> {
    std::string m;
    s << "SELECT message FROM notifications WHERE kind = 'visit.departure'", soci::into(m);
    return m;
  });
  ASSERT_TRUE(text.has_value());
  EXPECT_TRUE(contains(*text, "团员甲")) << *text;
  EXPECT_TRUE(contains(*text, "团员乙")) << *text;
  EXPECT_TRUE(contains(*text, "2026-12-07")) << *text;
  EXPECT_FALSE(contains(*text, "团员丙")) << *text;

  // Again, the next day, and from two threads at once: once per visit.
  EXPECT_EQ(send_departure_notices(*db_, clock_.now()).value_or(-1), 0);
  clock_.set(at("2026-12-06T09:30:00+08:00"));
  std::atomic<int> written{0}, failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      auto n = send_departure_notices(*db_, clock_.now());
      if (n) {
        written += *n;
      } else {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(written.load(), 0);
  EXPECT_EQ(departures(), 1);

  // The scheduler runs all jobs; nothing is due twice.
  ReminderScheduler scheduler(reminder_jobs(*db_, clock_));
  EXPECT_EQ(scheduler.run_due(), 0);
  EXPECT_EQ(departures(), 1);
}

// --- 9. password reset ---

std::string token_in(const std::string& text) {
  static const std::regex kLink(
      R"(https://xiehui\.example\.org/reset-password\?token=([A-Za-z0-9_-]+))");
  std::smatch m;
  if (!std::regex_search(text, m, kLink)) return {};
  return m.str(1);
}

TEST_P(NotificationsServiceTest, PasswordResetMailsAOneTimeLinkThatWorksOnce) {
  accounts::PasswordResetPolicy policy;
  policy.base_url = kPublicUrl;
  accounts::PasswordResetService resets(*db_, hasher_, clock_, policy);
  const auto resets_queued = [&] {
    return count("SELECT COUNT(*) FROM notifications WHERE kind = 'account.password_reset'");
  };

  ASSERT_TRUE(resets.request("unit_a", "203.0.113.5"));
  EXPECT_EQ(resets_queued(), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'account.password_reset' AND "
                  "action_url LIKE '%reset-password?token=%'"),
            1);

  SmtpSink smtp;
  Dispatcher dispatcher(*db_, clock_, delivery(smtp.port(), ""));
  EXPECT_EQ(dispatcher.run_until_idle().value_or(-1), 1);
  auto mails = smtp.messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to_address, "acct@a.example");
  EXPECT_EQ(mails[0].subject, "[Hunan Development Zones Association] Reset your password");
  EXPECT_TRUE(contains(mails[0].text, "https://xiehui.example.org/reset-password?token="))
      << mails[0].text;
  const std::string token = token_in(mails[0].text);
  ASSERT_EQ(token.size(), 43u) << mails[0].text;
  EXPECT_TRUE(contains(mails[0].html, token)) << "the link is in the HTML part too";

  // Once sent, neither the notice nor the outbox keeps the token.
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'account.password_reset' AND "
                  "action_url IS NOT NULL"),
            0);
  const OutboxMessage sent = only_message();
  EXPECT_TRUE(sent.secret);
  EXPECT_EQ(sent.status, "sent");
  EXPECT_FALSE(contains(sent.body_text, token)) << sent.body_text;
  EXPECT_FALSE(contains(sent.body_html, token)) << sent.body_html;
  EXPECT_FALSE(contains(sent.body_text, "reset-password")) << sent.body_text;
  EXPECT_EQ(sent.subject, mails[0].subject) << "the subject stays";
  auto again = service_->retry(sent.id, admin());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  // Not in the inbox.
  auto inbox = service_->inbox(account_a(), {}, "en");
  ASSERT_TRUE(inbox.has_value());
  EXPECT_EQ(inbox->total, 0);

  // The link sets the password once.
  const auto password_hash = [&] {
    auto c = db_->with_session([&](soci::session& s) -> Result<std::string> {
      auto found = accounts::user_repository::find_credentials(s, "unit_a");
      return found ? found->password_hash : std::string();
    });
    return c.value_or("");
  };
  ASSERT_TRUE(hasher_.verify(password_hash(), kOldPassword));
  auto confirmed = resets.confirm(token, "a-new-long-password-1");
  ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message.en;
  EXPECT_TRUE(hasher_.verify(password_hash(), "a-new-long-password-1"));
  EXPECT_FALSE(hasher_.verify(password_hash(), kOldPassword));
  auto twice = resets.confirm(token, "another-long-password-2");
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(fields_of(twice.error()), std::set<std::string>{"token"});
  EXPECT_TRUE(hasher_.verify(password_hash(), "a-new-long-password-1"));
  EXPECT_EQ(fields_of(resets.confirm("not a token!", "another-long-password-2").error()),
            std::set<std::string>{"token"});

  // A link older than 30 minutes is refused.
  clock_.advance(1min);
  ASSERT_TRUE(resets.request("unit_a", "203.0.113.5"));
  ASSERT_EQ(dispatcher.run_until_idle().value_or(-1), 1);
  mails = smtp.messages();
  ASSERT_EQ(mails.size(), 2u);
  const std::string late = token_in(mails[1].text);
  ASSERT_FALSE(late.empty());
  EXPECT_NE(late, token);
  clock_.advance(31min);
  auto expired = resets.confirm(late, "another-long-password-2");
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(fields_of(expired.error()), std::set<std::string>{"token"});
  EXPECT_TRUE(hasher_.verify(password_hash(), "a-new-long-password-1"));

  // An unknown name is answered the same, and nothing is queued.
  const long long before = count("SELECT COUNT(*) FROM notifications");
  ASSERT_TRUE(resets.request("nobody-here", "203.0.113.5"));
  ASSERT_TRUE(resets.request("nobody@nowhere.example", "203.0.113.5"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications"), before);
  EXPECT_EQ(dispatcher.run_until_idle().value_or(-1), 0);

  // One address may ask ten times an hour; the eleventh is refused.
  for (int i = 0; i < 10; ++i) {
    std::string name = "nobody-";
    name += std::to_string(i);
    auto r = resets.request(name, "198.51.100.7");
    ASSERT_TRUE(r.has_value()) << i << ": " << r.error().message.en;
  }
  auto limited = resets.request("unit_a", "198.51.100.7");
  ASSERT_FALSE(limited.has_value());
  EXPECT_EQ(limited.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(resets_queued(), 2);
}

TEST_P(NotificationsServiceTest, ParallelResetRequestsForOneAccountKeepToItsHourlyLimit) {
  accounts::PasswordResetPolicy policy;
  policy.base_url = kPublicUrl;
  policy.per_account_per_hour = 3;
  accounts::PasswordResetService resets(*db_, hasher_, clock_, policy);
  std::atomic<bool> go{false};
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      // Each from its own address: only the account's limit applies.
      if (resets.request("unit_a", "203.0.113." + std::to_string(10 + i))) ++answered;
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(answered.load(), 10) << "the same answer whether a link was sent or not";
  EXPECT_EQ(count("SELECT COUNT(*) FROM password_resets"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'account.password_reset'"), 3);
}

TEST_P(NotificationsServiceTest, AResetMailThatFailedIsWipedAndCannotBeRetried) {
  accounts::PasswordResetPolicy policy;
  policy.base_url = kPublicUrl;
  accounts::PasswordResetService resets(*db_, hasher_, clock_, policy);
  // By address (any case) as well as by name.
  ASSERT_TRUE(resets.request("ACCT@a.example", "203.0.113.9"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'account.password_reset'"), 1);

  SmtpSinkOptions options;
  options.reject_all = true;
  SmtpSink rejecting(options);
  Dispatcher dispatcher(*db_, clock_, delivery(rejecting.port(), ""));
  ASSERT_TRUE(dispatcher.fan_out());
  const OutboxMessage queued = only_message();
  EXPECT_TRUE(queued.secret);
  EXPECT_TRUE(contains(queued.body_text, "reset-password?token=")) << "until it is finished";
  EXPECT_EQ(dispatcher.deliver().value_or(-1), 1);

  const OutboxMessage dead = only_message();
  EXPECT_EQ(dead.status, "dead");
  EXPECT_FALSE(contains(dead.body_text, "token=")) << dead.body_text;
  EXPECT_FALSE(contains(dead.body_html, "token=")) << dead.body_html;
  auto retried = service_->retry(dead.id, admin());
  ASSERT_FALSE(retried.has_value());
  EXPECT_EQ(retried.error().code, ErrorCode::conflict);
  EXPECT_EQ(only_message().status, "dead");

  // At most three mails an hour per account, silently.
  ASSERT_TRUE(resets.request("unit_a", "203.0.113.10"));
  ASSERT_TRUE(resets.request("unit_a", "203.0.113.11"));
  ASSERT_TRUE(resets.request("unit_a", "203.0.113.12"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'account.password_reset'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM password_resets"), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationsServiceTest,
                         ::testing::ValuesIn(testing::test_backends()), BackendName());

}  // namespace
}  // namespace xiehui::notifications
