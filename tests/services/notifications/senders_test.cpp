// The senders against real local servers (tests/support/sinks.hpp): an SMTP server that parses
// what it receives with Python's email package, and an HTTP server standing in for the SMS
// gateway. Each test states the server's behaviour and checks how the sender classifies it.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "services/notifications/channels.hpp"
#include "tests/support/sinks.hpp"

namespace xiehui::notifications {
namespace {

using namespace std::chrono;
using testing::HttpSink;
using testing::HttpSinkOptions;
using testing::ReceivedMail;
using testing::SmtpSink;
using testing::SmtpSinkOptions;
using Kind = SendOutcome::Kind;

constexpr const char* kUser = "mailer";
constexpr const char* kPassword = "s3cret-pass";

std::string kind_name(Kind k) {
  return k == Kind::sent ? "sent" : k == Kind::temporary ? "temporary" : "permanent";
}

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

OutgoingEmail email() {
  OutgoingEmail e;
  e.message_id = "<outbox-17@xiehui.example.org>";
  e.from = "长沙市软件行业协会 <noreply@xiehui.example.org>";
  e.to = "zhang.san@member.example.com";
  e.to_name = "张三";
  e.subject = "会议提醒：2026 年度理事会将于 12 月 5 日召开，请准时参加并带好会员证件 😀";
  e.text = "您好：\n理事会将于 12 月 5 日 10:00 召开。\n";
  e.html = "<p>您好：</p>\n<p>理事会将于 <b>12 月 5 日</b> 召开。</p>\n";
  e.unsubscribe_url = "https://xiehui.example.org/preferences?token=abc";
  e.date = Timestamp{sys_days{2026y / 12 / 5} + 2h};
  return e;
}

SmtpSettings plain(const SmtpSink& sink) {
  SmtpSettings s;
  s.host = "127.0.0.1";
  s.port = sink.port();
  s.timeout = seconds{10};
  return s;
}

SmtpSettings secured(const SmtpSink& sink) {
  SmtpSettings s = plain(sink);
  s.starttls = true;
  s.ca_file = sink.ca_file().string();
  s.username = kUser;
  s.password = kPassword;
  return s;
}

SmtpSinkOptions tls_with_auth() {
  SmtpSinkOptions o;
  o.tls = true;
  o.auth_user = kUser;
  o.auth_password = kPassword;
  return o;
}

TEST(SmtpSenderTest, DeliversAPlainMessage) {
  SmtpSink sink;
  const OutgoingEmail e = email();
  const SendOutcome outcome = SmtpSender(plain(sink)).send(e);
  ASSERT_EQ(outcome.kind, Kind::sent) << outcome.error;
  EXPECT_EQ(outcome.error, "");

  const std::vector<ReceivedMail> mails = sink.messages();
  ASSERT_EQ(mails.size(), 1u);
  const ReceivedMail& m = mails[0];
  EXPECT_TRUE(m.defects.empty()) << "the parser objected: " << m.defects.front();
  EXPECT_EQ(m.mail_from, "noreply@xiehui.example.org");
  EXPECT_EQ(m.rcpt_to, std::vector<std::string>{"zhang.san@member.example.com"});
  EXPECT_EQ(m.message_id, "<outbox-17@xiehui.example.org>");
  EXPECT_EQ(m.subject, e.subject);
  EXPECT_EQ(m.from_name, "长沙市软件行业协会");
  EXPECT_EQ(m.from_address, "noreply@xiehui.example.org");
  EXPECT_EQ(m.to_name, "张三");
  EXPECT_EQ(m.to_address, "zhang.san@member.example.com");
  EXPECT_EQ(m.list_unsubscribe, "<https://xiehui.example.org/preferences?token=abc>");
  EXPECT_EQ(m.headers.at("list-unsubscribe-post"), "List-Unsubscribe=One-Click");
  EXPECT_EQ(m.headers.at("auto-submitted"), "auto-generated");
  EXPECT_EQ(m.headers.at("date"), "Sat, 05 Dec 2026 10:00:00 +0800");
  EXPECT_EQ(m.content_type, "multipart/alternative");
  EXPECT_EQ(m.text, e.text);
  EXPECT_EQ(m.html, e.html);
  EXPECT_FALSE(m.tls);
  EXPECT_EQ(m.auth_user, "");
  EXPECT_EQ(sink.refused(), 0);
}

TEST(SmtpSenderTest, DeliversOverStartTlsWithAuth) {
  SmtpSink sink(tls_with_auth());
  const SendOutcome outcome = SmtpSender(secured(sink)).send(email());
  ASSERT_EQ(outcome.kind, Kind::sent) << outcome.error;
  const std::vector<ReceivedMail> mails = sink.messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(mails[0].tls);
  EXPECT_EQ(mails[0].auth_user, kUser);
  EXPECT_EQ(mails[0].subject, email().subject);
}

TEST(SmtpSenderTest, WrongPasswordIsPermanent) {
  SmtpSink sink(tls_with_auth());
  SmtpSettings settings = secured(sink);
  settings.password = "wrong";
  const SendOutcome outcome = SmtpSender(settings).send(email());
  EXPECT_EQ(kind_name(outcome.kind), "permanent") << outcome.error;
  EXPECT_NE(outcome.error.find("535"), std::string::npos) << outcome.error;
  EXPECT_TRUE(sink.messages().empty());
}

TEST(SmtpSenderTest, UntrustedCertificateIsNotSent) {
  SmtpSink sink(tls_with_auth());
  SmtpSettings settings = secured(sink);
  settings.ca_file.clear();  // the system store does not know the sink's self-signed certificate
  const SendOutcome outcome = SmtpSender(settings).send(email());
  EXPECT_EQ(kind_name(outcome.kind), "temporary") << outcome.error;
  EXPECT_TRUE(sink.messages().empty());
}

TEST(SmtpSenderTest, WithoutStartTlsAServerRequiringItRefuses) {
  SmtpSink sink(tls_with_auth());
  SmtpSettings settings = secured(sink);
  settings.starttls = false;
  const SendOutcome outcome = SmtpSender(settings).send(email());
  EXPECT_NE(outcome.kind, Kind::sent);
  EXPECT_FALSE(outcome.error.empty());
  EXPECT_TRUE(sink.messages().empty());
}

TEST(SmtpSenderTest, TemporaryRefusalThenSent) {
  SmtpSinkOptions options;
  options.refuse_first = 1;
  SmtpSink sink(options);
  const SmtpSender sender(plain(sink));
  const SendOutcome first = sender.send(email());
  EXPECT_EQ(kind_name(first.kind), "temporary") << first.error;
  EXPECT_NE(first.error.find("451"), std::string::npos) << first.error;
  EXPECT_EQ(sink.refused(), 1);
  EXPECT_TRUE(sink.messages().empty());
  const SendOutcome second = sender.send(email());
  EXPECT_EQ(kind_name(second.kind), "sent") << second.error;
  ASSERT_EQ(sink.messages().size(), 1u);
  EXPECT_EQ(sink.messages()[0].message_id, "<outbox-17@xiehui.example.org>");
}

TEST(SmtpSenderTest, RejectedRecipientIsPermanent) {
  SmtpSinkOptions options;
  options.reject_all = true;
  SmtpSink sink(options);
  const SendOutcome outcome = SmtpSender(plain(sink)).send(email());
  EXPECT_EQ(kind_name(outcome.kind), "permanent") << outcome.error;
  EXPECT_NE(outcome.error.find("550 5.1.1 Mailbox unavailable"), std::string::npos)
      << "the server's own words: " << outcome.error;
  EXPECT_EQ(sink.refused(), 1);
  EXPECT_TRUE(sink.messages().empty());
}

TEST(SmtpSenderTest, UnreachableServerIsTemporary) {
  SmtpSettings settings;
  settings.host = "127.0.0.1";
  settings.port = closed_port();
  settings.timeout = seconds{5};
  const SendOutcome outcome = SmtpSender(settings).send(email());
  EXPECT_EQ(kind_name(outcome.kind), "temporary") << outcome.error;
  EXPECT_NE(outcome.error.find("curl 7"), std::string::npos) << outcome.error;
}

// The server answers DATA only after 30 s; the sender gives up after its timeout, including the
// QUIT it sends when closing (twice the timeout at most; the bound below is generous).
TEST(SmtpSenderTest, SlowServerTimesOutTemporarily) {
  SmtpSinkOptions options;
  options.delay_ms = 30'000;
  SmtpSink sink(options);
  SmtpSettings settings = plain(sink);
  settings.timeout = seconds{1};
  const auto start = steady_clock::now();
  const SendOutcome outcome = SmtpSender(settings).send(email());
  EXPECT_LT(steady_clock::now() - start, seconds{10});
  EXPECT_EQ(kind_name(outcome.kind), "temporary") << outcome.error;
  EXPECT_NE(outcome.error.find("curl 28"), std::string::npos) << outcome.error;
}

TEST(SmtpSenderTest, UnconfiguredSendsNothing) {
  const SmtpSender sender(SmtpSettings{});
  EXPECT_FALSE(sender.configured());
  EXPECT_EQ(sender.send(email()).kind, Kind::permanent);
}

// --- SMS ---

OutgoingSms sms() {
  OutgoingSms s;
  s.message_id = "outbox-42";
  s.mobile = "13800138000";
  s.text = "【协会】张三您好，\"理事会\"明天 10:00 召开。\n回复 TD 退订";
  s.kind = "meeting_reminder";
  return s;
}

SmsSettings gateway(const HttpSink& sink) {
  SmsSettings s;
  s.url = sink.url("/sms/send");
  s.headers = {{"Authorization", "Bearer token-1"}, {"X-Sign", "协会"}};
  s.body_template =
      R"({"to":"{{mobile}}","content":"{{text}}","out_id":"{{id}}","tag":"{{kind}}"})";
  s.timeout = seconds{10};
  return s;
}

TEST(SmsSenderTest, PostsTheRenderedBodyWithTheHeaders) {
  HttpSink sink;
  const SendOutcome outcome = SmsSender(gateway(sink)).send(sms());
  ASSERT_EQ(outcome.kind, Kind::sent) << outcome.error;
  const std::vector<testing::ReceivedRequest> requests = sink.requests();
  ASSERT_EQ(requests.size(), 1u);
  const testing::ReceivedRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/sms/send");
  EXPECT_EQ(r.headers.at("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.headers.at("authorization"), "Bearer token-1");
  const boost::json::object body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("to").as_string(), "13800138000");
  EXPECT_EQ(body.at("content").as_string(), sms().text);
  EXPECT_EQ(body.at("out_id").as_string(), "outbox-42");
  EXPECT_EQ(body.at("tag").as_string(), "meeting_reminder");
  EXPECT_EQ(sink.failed(), 0);
}

TEST(SmsSenderTest, UnavailableGatewayIsTemporaryThenSent) {
  HttpSinkOptions options;
  options.fail_first = 1;
  options.fail_status = 503;
  HttpSink sink(options);
  const SmsSender sender(gateway(sink));
  const SendOutcome first = sender.send(sms());
  EXPECT_EQ(kind_name(first.kind), "temporary") << first.error;
  EXPECT_NE(first.error.find("HTTP 503"), std::string::npos) << first.error;
  EXPECT_NE(first.error.find("sink --fail-first"), std::string::npos) << "the reply body";
  EXPECT_EQ(sink.failed(), 1);
  EXPECT_TRUE(sink.requests().empty());
  const SendOutcome second = sender.send(sms());
  EXPECT_EQ(kind_name(second.kind), "sent") << second.error;
  EXPECT_EQ(sink.requests().size(), 1u);
}

TEST(SmsSenderTest, RateLimitIsTemporary) {
  HttpSinkOptions options;
  options.fail_first = 1;
  options.fail_status = 429;
  HttpSink sink(options);
  const SendOutcome outcome = SmsSender(gateway(sink)).send(sms());
  EXPECT_EQ(kind_name(outcome.kind), "temporary") << outcome.error;
}

TEST(SmsSenderTest, BadRequestIsPermanent) {
  HttpSinkOptions options;
  options.fail_first = 1;
  options.fail_status = 400;
  HttpSink sink(options);
  const SendOutcome outcome = SmsSender(gateway(sink)).send(sms());
  EXPECT_EQ(kind_name(outcome.kind), "permanent") << outcome.error;
  EXPECT_NE(outcome.error.find("HTTP 400"), std::string::npos) << outcome.error;
}

TEST(SmsSenderTest, BrokenTemplateIsPermanentAndSendsNothing) {
  HttpSink sink;
  SmsSettings settings = gateway(sink);
  settings.body_template = R"({"to":"{{phone}}"})";
  const SendOutcome outcome = SmsSender(settings).send(sms());
  EXPECT_EQ(kind_name(outcome.kind), "permanent") << outcome.error;
  EXPECT_NE(outcome.error.find("{{phone}}"), std::string::npos) << outcome.error;
  EXPECT_TRUE(sink.requests().empty());
  EXPECT_EQ(sink.failed(), 0);
}

TEST(SmsSenderTest, UnreachableGatewayIsTemporary) {
  SmsSettings settings;
  settings.url = "http://127.0.0.1:";
  settings.url += std::to_string(closed_port());
  settings.url += "/sms";
  settings.body_template = R"({"to":"{{mobile}}"})";
  settings.timeout = seconds{5};
  const SendOutcome outcome = SmsSender(settings).send(sms());
  EXPECT_EQ(kind_name(outcome.kind), "temporary") << outcome.error;
}

TEST(SmsSenderTest, SlowGatewayTimesOutTemporarily) {
  HttpSinkOptions options;
  options.delay_ms = 30'000;
  HttpSink sink(options);
  SmsSettings settings = gateway(sink);
  settings.timeout = seconds{1};
  const auto start = steady_clock::now();
  const SendOutcome outcome = SmsSender(settings).send(sms());
  EXPECT_LT(steady_clock::now() - start, seconds{10});
  EXPECT_EQ(kind_name(outcome.kind), "temporary") << outcome.error;
  EXPECT_NE(outcome.error.find("curl 28"), std::string::npos) << outcome.error;
}

}  // namespace
}  // namespace xiehui::notifications
