// The caller's own security over HTTP (docs/API.md "Security") on every backend: enrolling an
// authenticator, signing in with a code (drift of one step, a code never accepted twice, asking
// for the code costs no attempt), an admin taking a lost second factor away, turning it off; the
// list of one's signed-in sessions and ending one; the security settings admins review.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

#include "core/clock.hpp"
#include "core/totp.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

namespace json = boost::json;

constexpr const char* kPassword = "Review-Pass-2026";  // RunningApp::bearer's

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

// The code of `secret` (base32) `offset` steps from now.
std::string code_of(const std::string& secret, int offset) {
  const auto key = base32_decode(secret);
  EXPECT_TRUE(key.has_value()) << secret;
  return totp_code(key.value_or(std::vector<unsigned char>{}),
                   totp_step(SystemClock{}.now()) + offset);
}

class SecurityHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
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

  HttpReply sign_in(const std::string& username, const std::string& code = {}) {
    json::object body{{"username", username}, {"password", kPassword}};
    if (!code.empty()) body["totp_code"] = code;
    return call(http::verb::post, "/api/session", {}, body);
  }

  // The cookie and CSRF headers of a successful sign-in.
  static Headers cookie_of(const HttpReply& r) {
    const std::string set_cookie = r.header("Set-Cookie");
    return {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))},
            {"X-CSRF-Token", std::string(parse(r.body)["csrf_token"].as_string())}};
  }

  // Enrols `who` and returns the secret; the confirming code is this step's.
  std::string enrol(const Headers& who) {
    auto r = call(http::verb::post, "/api/account/two-factor", who);
    EXPECT_EQ(r.status, 200u) << r.body;
    auto setup = parse(r.body);
    const std::string secret(setup["secret"].as_string());
    r = call(http::verb::post, "/api/account/two-factor/confirm", who,
             {{"code", code_of(secret, 0)}});
    EXPECT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(parse(r.body)["enabled"], true);
    return secret;
  }

  TestDatabase db_{GetParam(), TestDatabase::Schema::migrated};
  RunningApp app_{test_config(db_.connection_string())};
};

TEST_P(SecurityHttpTest, SignInWithAnAuthenticatorApp) {
  const Headers admin = app_.bearer(Role::admin, "sec.admin");
  (void)app_.bearer(Role::staff, "sec.staff");
  auto r = sign_in("sec.staff");
  ASSERT_EQ(r.status, 200u) << r.body;
  const Headers staff = cookie_of(r);

  r = call(http::verb::get, "/api/account/two-factor", staff);
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(parse(r.body)["enabled"], false);

  // A secret with its URI and QR code; a wrong code does not turn it on.
  r = call(http::verb::post, "/api/account/two-factor", staff);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto setup = parse(r.body);
  const std::string secret(setup["secret"].as_string());
  EXPECT_EQ(secret.size(), 32u) << "160 bits in base32";
  EXPECT_TRUE(
      std::string(setup["uri"].as_string()).starts_with("otpauth://totp/xiehui:sec.staff?"));
  EXPECT_NE(std::string(setup["qr_svg"].as_string()).find("<svg"), std::string::npos);
  const std::string now_code = code_of(secret, 0);
  const std::string wrong = now_code == "000000" ? "111111" : "000000";
  r = call(http::verb::post, "/api/account/two-factor/confirm", staff, {{"code", wrong}});
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(fields_of(r.body).contains("code")) << r.body;
  r = call(http::verb::post, "/api/account/two-factor/confirm", staff, {{"code", now_code}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["enabled"], true);
  r = call(http::verb::post, "/api/account/two-factor", staff);
  EXPECT_EQ(r.status, 409u) << "enabled: turn it off before a new secret";

  // The password alone is not enough; asking for the code is not counted as a failure.
  for (int i = 0; i < 7; ++i) {
    r = sign_in("sec.staff");
    ASSERT_EQ(r.status, 401u) << r.body;
    EXPECT_TRUE(fields_of(r.body).contains("totp_code")) << r.body;
  }
  // The code that confirmed the secret was used; the next step's is accepted, once.
  r = sign_in("sec.staff", now_code);
  EXPECT_EQ(r.status, 401u) << "a used code: " << r.body;
  r = sign_in("sec.staff", code_of(secret, 1));
  ASSERT_EQ(r.status, 200u) << r.body;
  r = sign_in("sec.staff", code_of(secret, 1));
  EXPECT_EQ(r.status, 401u) << "the same code twice";
  r = sign_in("sec.staff", "12345");
  EXPECT_EQ(r.status, 401u);

  // The phone is lost: an admin takes the second factor away and the user's sessions end.
  r = call(http::verb::get, "/api/users", admin);
  ASSERT_EQ(r.status, 200u);
  long long staff_id = 0;
  const auto users = parse(r.body);
  for (const auto& u : users.at("items").as_array()) {
    if (u.as_object().at("username") != "sec.staff") continue;
    staff_id = u.as_object().at("id").as_int64();
    EXPECT_EQ(u.as_object().at("two_factor"), true) << "the list says who has a second factor";
  }
  ASSERT_GT(staff_id, 0);
  r = call(http::verb::delete_, "/api/users/" + std::to_string(staff_id) + "/two-factor", staff);
  EXPECT_EQ(r.status, 403u) << "only an admin";
  r = call(http::verb::delete_, "/api/users/" + std::to_string(staff_id) + "/two-factor", admin);
  ASSERT_EQ(r.status, 204u) << r.body;
  r = call(http::verb::get, "/api/users?q=sec.admin", admin);
  const long long admin_id =
      parse(r.body)["items"].as_array().at(0).as_object().at("id").as_int64();
  r = call(http::verb::delete_, "/api/users/" + std::to_string(admin_id) + "/two-factor", admin);
  EXPECT_EQ(r.status, 409u) << "not one's own: " << r.body;
  r = call(http::verb::get, "/api/session", staff);
  EXPECT_EQ(r.status, 401u) << "sessions ended with the reset";
  r = call(http::verb::get, "/api/users/" + std::to_string(staff_id), admin);
  EXPECT_EQ(parse(r.body)["two_factor"], false);
  r = call(http::verb::delete_, "/api/users/" + std::to_string(staff_id) + "/two-factor", admin);
  EXPECT_EQ(r.status, 404u) << "nothing left to remove";
  r = sign_in("sec.staff");
  ASSERT_EQ(r.status, 200u) << "the password alone again: " << r.body;

  // Turning it off takes a current code.
  const Headers again = cookie_of(r);
  const std::string second = enrol(again);
  r = call(http::verb::post, "/api/account/two-factor/disable", again, {{"code", "abcdef"}});
  EXPECT_EQ(r.status, 400u);
  r = call(http::verb::post, "/api/account/two-factor/disable", again,
           {{"code", code_of(second, 1)}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["enabled"], false);
  r = call(http::verb::post, "/api/account/two-factor/disable", again,
           {{"code", code_of(second, 1)}});
  EXPECT_EQ(r.status, 409u) << "not on";
}

TEST_P(SecurityHttpTest, OnesSessionsAreListedAndEnded) {
  const Headers other = app_.bearer(Role::staff, "sec.other");
  (void)app_.bearer(Role::leader, "sec.leader");
  auto a = sign_in("sec.leader");
  auto b = sign_in("sec.leader");
  ASSERT_EQ(a.status, 200u);
  ASSERT_EQ(b.status, 200u);
  const Headers first = cookie_of(a), second = cookie_of(b);
  auto r = call(http::verb::get, "/api/account/sessions", first);
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto list = parse(r.body);
  const auto& items = list.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  long long other_session = 0;
  int current = 0;
  for (const auto& s : items) {
    const auto& o = s.as_object();
    EXPECT_EQ(o.at("address"), "127.0.0.1");
    if (o.at("current").as_bool()) {
      ++current;
    } else {
      other_session = o.at("id").as_int64();
    }
  }
  EXPECT_EQ(current, 1);
  ASSERT_GT(other_session, 0);

  // Another user cannot end it; its owner can, and it is signed out at once.
  r = call(http::verb::delete_, "/api/account/sessions/" + std::to_string(other_session), other);
  EXPECT_EQ(r.status, 404u);
  r = call(http::verb::delete_, "/api/account/sessions/99999999", first);
  EXPECT_EQ(r.status, 404u);
  r = call(http::verb::delete_, "/api/account/sessions/" + std::to_string(other_session), first);
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_EQ(call(http::verb::get, "/api/session", second).status, 401u);
  EXPECT_EQ(call(http::verb::get, "/api/session", first).status, 200u);
  r = call(http::verb::delete_, "/api/account/sessions/" + std::to_string(other_session), first);
  EXPECT_EQ(r.status, 404u) << "ended already";
  r = call(http::verb::get, "/api/account/sessions", first);
  const auto left = parse(r.body);
  ASSERT_EQ(left.at("items").as_array().size(), 1u);
  EXPECT_TRUE(r.header("Set-Cookie").empty());

  // Ending the session in use signs out, and the browser is told to drop the cookie.
  const long long own = left.at("items").as_array().at(0).as_object().at("id").as_int64();
  r = call(http::verb::delete_, "/api/account/sessions/" + std::to_string(own), first);
  ASSERT_EQ(r.status, 204u) << r.body;
  EXPECT_NE(r.header("Set-Cookie").find("Max-Age=0"), std::string::npos) << r.header("Set-Cookie");
  EXPECT_EQ(call(http::verb::get, "/api/session", first).status, 401u);
}

TEST_P(SecurityHttpTest, AdminsReadTheSecuritySettings) {
  const Headers admin = app_.bearer(Role::admin, "sec.admin2");
  const Headers staff = app_.bearer(Role::staff, "sec.staff2");
  auto r = call(http::verb::get, "/api/security/settings", admin);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto o = parse(r.body);
  EXPECT_EQ(o["password_min_length"], 10);
  EXPECT_EQ(o["password_max_length"], 128);
  EXPECT_GT(o["session_idle_minutes"].as_int64(), 0);
  EXPECT_EQ(o["two_factor"], "totp");
  EXPECT_EQ(call(http::verb::get, "/api/security/settings", staff).status, 403u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SecurityHttpTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

// The requirement: while it is on, a staff or admin session without a second factor reaches
// only its own setup (and the session and the notice) until it has one; leaders are not held.
TEST_P(SecurityHttpTest, StaffMustSetUpASecondFactorWhenRequired) {
  const Headers admin = app_.bearer(Role::admin, "req.admin");
  (void)app_.bearer(Role::staff, "req.staff");
  (void)app_.bearer(Role::leader, "req.leader");
  auto r = sign_in("req.staff");
  ASSERT_EQ(r.status, 200u) << r.body;
  const Headers before = cookie_of(r);
  EXPECT_EQ(parse(r.body)["two_factor_setup_required"], false);

  EXPECT_EQ(call(http::verb::put, "/api/security/settings", before, {{"require_two_factor", true}})
                .status,
            403u)
      << "staff may not change it";
  r = call(http::verb::put, "/api/security/settings", admin, {{"require_two_factor", "yes"}});
  EXPECT_EQ(r.status, 400u) << r.body;
  r = call(http::verb::put, "/api/security/settings", admin, {{"require_two_factor", true}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["require_two_factor"], true);

  // A session opened before is held back too, as is a new one.
  r = call(http::verb::get, "/api/members", before);
  EXPECT_EQ(r.status, 403u) << r.body;
  EXPECT_EQ(parse(r.body)["code"], "two_factor_required") << r.body;
  r = sign_in("req.staff");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["two_factor_setup_required"], true);
  const Headers staff = cookie_of(r);
  EXPECT_EQ(call(http::verb::get, "/api/members", staff).status, 403u);
  EXPECT_EQ(call(http::verb::get, "/api/session", staff).status, 200u);
  EXPECT_EQ(call(http::verb::get, "/api/privacy/notice", staff).status, 200u);
  // A leader is not asked.
  r = sign_in("req.leader");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["two_factor_setup_required"], false);
  EXPECT_EQ(call(http::verb::get, "/api/members", cookie_of(r)).status, 200u);

  // Setting one up frees the session at once.
  const std::string secret = enrol(staff);
  r = call(http::verb::get, "/api/members", staff);
  EXPECT_EQ(r.status, 200u) << r.body;
  r = call(http::verb::get, "/api/session", staff);
  EXPECT_EQ(parse(r.body)["two_factor_setup_required"], false);
  r = sign_in("req.staff", code_of(secret, 1));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["two_factor_setup_required"], false);

  // Turned off: nobody is held back.
  r = call(http::verb::put, "/api/security/settings", admin, {{"require_two_factor", false}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["require_two_factor"], false);
}

}  // namespace
}  // namespace xiehui::testing
