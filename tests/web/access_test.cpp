// Sessions, CSRF, API tokens, throttling and role-based access over HTTP against the real server,
// on every backend. The route-table walk checks every route of web::make_routes() for every role
// against the role → permission table and prints the role × route matrix to the test log.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.hpp"
#include "services/accounts/accounts_service.hpp"
#include "services/accounts/auth_service.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/test_database.hpp"
#include "web/router.hpp"

namespace xiehui::testing {
namespace {

using accounts::Role;
using accounts::User;

constexpr const char* kPassword = "Correct-Horse-9";
const std::string kJson = "application/json";

boost::json::object json_object(const std::string& body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  EXPECT_FALSE(ec) << "not JSON: " << body;
  EXPECT_TRUE(!ec && v.is_object()) << "not a JSON object: " << body;
  return !ec && v.is_object() ? v.as_object() : boost::json::object{};
}

std::string text_at(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return "<missing " + std::string(key) + ">";
  return v->is_string() ? std::string(v->as_string()) : "<not a string: " + serialize(*v) + ">";
}

std::vector<std::string> strings_at(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (!v || !v->is_array()) return {"<missing array " + std::string(key) + ">"};
  for (const auto& e : v->as_array()) {
    out.push_back(e.is_string() ? std::string(e.as_string()) : serialize(e));
  }
  return out;
}

std::vector<std::string> permission_names(Role role) {
  std::vector<std::string> out;
  for (Permission p : kAllPermissions) {
    const Role roles[] = {role};
    if (grants(roles, p)) out.emplace_back(to_string(p));
  }
  return out;
}

Principal principal_of(const User& u) {
  Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.display_name = u.display_name;
  p.roles = u.roles;
  p.member_id = u.member_id;
  p.address = "local";
  return p;
}

std::string user_json(const std::string& username, const std::string& role) {
  return boost::json::serialize(boost::json::object{{"username", username},
                                                    {"display_name", "用户 " + username},
                                                    {"password", "Brand-New-Pass-7"},
                                                    {"roles", boost::json::array{role.c_str()}},
                                                    {"member_id", nullptr}});
}

std::string credentials(const std::string& username, const std::string& password) {
  return boost::json::serialize(
      boost::json::object{{"username", username}, {"password", password}});
}

// A signed-in browser: the cookie ("xiehui_session=…") and the CSRF token.
struct Browser {
  std::string cookie;
  std::string csrf;
  std::string set_cookie;  // the whole Set-Cookie header of the login
  boost::json::object body;
};

class AccessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<RunningApp>(test_config(test_db_.connection_string()));
  }

  web::App& app() { return server_->app(); }

  HttpReply call(http::verb method, const std::string& target, const std::string& body = {},
                 Headers headers = {}) {
    if (!body.empty()) headers.emplace_back("Content-Type", kJson);
    return http_request(server_->port(), method, target, body, headers);
  }

  User add_user(const std::string& username, Role role,
                std::optional<long long> member_id = std::nullopt) {
    auto u =
        app().accounts().create_user({username, "用户 " + username, kPassword, {role}, member_id},
                                     accounts::command_line_actor());
    EXPECT_TRUE(u.has_value()) << (u ? "" : u.error().message.en);
    return u.value_or(User{});
  }

  // Signs in over HTTP; fails the test unless the answer is 200 with a session cookie.
  Browser sign_in(const std::string& username, const std::string& password = kPassword) {
    const HttpReply r = call(http::verb::post, "/api/session", credentials(username, password));
    EXPECT_EQ(r.status, 200u) << r.body;
    Browser b;
    b.set_cookie = r.header("Set-Cookie");
    b.cookie = b.set_cookie.substr(0, b.set_cookie.find(';'));
    EXPECT_TRUE(b.cookie.starts_with("xiehui_session=")) << b.set_cookie;
    b.body = json_object(r.body);
    b.csrf = text_at(b.body, "csrf_token");
    return b;
  }

  long long audit_count(const std::string& action) {
    auto n = app().database().with_session([&](soci::session& s) -> Result<long long> {
      int count = -1;
      s << "SELECT COUNT(*) FROM audit_log WHERE action = :a", soci::use(action), soci::into(count);
      return count;
    });
    EXPECT_TRUE(n.has_value());
    return n.value_or(-1);
  }

  long long user_count() {
    auto page = app().accounts().list_users("", 1, 200);
    EXPECT_TRUE(page.has_value());
    return page ? page->total : -1;
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  std::unique_ptr<RunningApp> server_;
};

Headers with_cookie(const Browser& b, bool csrf) {
  Headers h{{"Cookie", b.cookie}};
  if (csrf) h.emplace_back("X-CSRF-Token", b.csrf);
  return h;
}

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// ---- sessions over HTTP ----

TEST_P(AccessTest, LoginSetsAHardenedCookieAndLogoutKillsTheSession) {
  add_user("wang.mishu", Role::staff);
  const Browser b = sign_in("wang.mishu");
  EXPECT_NE(b.set_cookie.find("HttpOnly"), std::string::npos) << b.set_cookie;
  EXPECT_NE(b.set_cookie.find("SameSite=Lax"), std::string::npos) << b.set_cookie;
  EXPECT_NE(b.set_cookie.find("Path=/"), std::string::npos) << b.set_cookie;
  EXPECT_EQ(b.set_cookie.find("Secure"), std::string::npos) << "not configured behind TLS";
  const std::string token = b.cookie.substr(std::string("xiehui_session=").size());
  EXPECT_EQ(token.size(), 43u);
  EXPECT_FALSE(b.csrf.empty());
  ASSERT_TRUE(b.body.contains("user"));
  const auto& user = b.body.at("user").as_object();
  EXPECT_EQ(text_at(user, "username"), "wang.mishu");
  EXPECT_EQ(strings_at(user, "roles"), std::vector<std::string>{"staff"});

  // GET /api/session: the user with its permissions, and the same CSRF token.
  const HttpReply current = call(http::verb::get, "/api/session", {}, with_cookie(b, false));
  ASSERT_EQ(current.status, 200u) << current.body;
  const auto session = json_object(current.body);
  EXPECT_EQ(text_at(session, "csrf_token"), b.csrf);
  ASSERT_TRUE(session.contains("user"));
  EXPECT_EQ(strings_at(session.at("user").as_object(), "permissions"),
            permission_names(Role::staff));
  EXPECT_EQ(current.body.find(token), std::string::npos) << "the session token is never echoed";

  // Logout is an unsafe request: without the CSRF token it is refused and the session lives.
  EXPECT_EQ(call(http::verb::delete_, "/api/session", {}, with_cookie(b, false)).status, 403u);
  EXPECT_EQ(call(http::verb::get, "/api/session", {}, with_cookie(b, false)).status, 200u);

  const HttpReply out = call(http::verb::delete_, "/api/session", {}, with_cookie(b, true));
  EXPECT_EQ(out.status, 204u) << out.body;
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos)
      << out.header("Set-Cookie");
  // The old cookie is dead server-side, whatever the browser does with it.
  EXPECT_EQ(call(http::verb::get, "/api/session", {}, with_cookie(b, false)).status, 401u);
  EXPECT_EQ(call(http::verb::get, "/api/tokens", {}, with_cookie(b, false)).status, 401u);
}

TEST_P(AccessTest, MissingWrongOrCrossSiteCsrfIsRefusedAndNothingIsCreated) {
  add_user("root", Role::admin);
  const Browser admin = sign_in("root");
  const long long users = user_count();

  Headers no_token = with_cookie(admin, false);
  const HttpReply missing =
      call(http::verb::post, "/api/users", user_json("csrf.one", "staff"), no_token);
  EXPECT_EQ(missing.status, 403u) << missing.body;
  EXPECT_EQ(text_at(json_object(missing.body), "code"), "permission_denied");

  Headers wrong{{"Cookie", admin.cookie}, {"X-CSRF-Token", std::string(64, '0')}};
  EXPECT_EQ(call(http::verb::post, "/api/users", user_json("csrf.two", "staff"), wrong).status,
            403u);
  Headers token_as_csrf{{"Cookie", admin.cookie},
                        {"X-CSRF-Token", admin.cookie.substr(admin.cookie.find('=') + 1)}};
  EXPECT_EQ(
      call(http::verb::post, "/api/users", user_json("csrf.three", "staff"), token_as_csrf).status,
      403u);

  Headers evil = with_cookie(admin, true);
  evil.emplace_back("Origin", "http://evil.example");
  EXPECT_EQ(call(http::verb::post, "/api/users", user_json("csrf.four", "staff"), evil).status,
            403u)
      << "a cross-site Origin is refused even with the right token";
  EXPECT_EQ(user_count(), users) << "nothing was created";

  // The same requests with the right token (and a same-site Origin) go through.
  const std::string host = "127.0.0.1:" + std::to_string(server_->port());
  Headers same = with_cookie(admin, true);
  same.emplace_back("Host", host);
  same.emplace_back("Origin", "http://" + host);
  const HttpReply ok = call(http::verb::post, "/api/users", user_json("csrf.five", "staff"), same);
  EXPECT_EQ(ok.status, 201u) << ok.body;
  const HttpReply plain = call(http::verb::post, "/api/users", user_json("csrf.six", "staff"),
                               with_cookie(admin, true));
  EXPECT_EQ(plain.status, 201u) << plain.body;
  EXPECT_EQ(user_count(), users + 2);
}

TEST_P(AccessTest, BearerTokensNeedNoCsrfAndCarryTheOwnersRoles) {
  add_user("root", Role::admin);
  add_user("clerk", Role::staff);
  const Browser admin = sign_in("root");
  const Browser staff = sign_in("clerk");

  // Making a token with the cookie is an unsafe request: it needs the CSRF token.
  EXPECT_EQ(
      call(http::verb::post, "/api/tokens", R"({"name":"x"})", with_cookie(staff, false)).status,
      403u);
  const HttpReply made =
      call(http::verb::post, "/api/tokens", R"({"name":"export"})", with_cookie(staff, true));
  ASSERT_EQ(made.status, 201u) << made.body;
  const auto made_json = json_object(made.body);
  const std::string staff_token = text_at(made_json, "token");
  const long long staff_token_id = made_json.at("id").to_number<long long>();
  const HttpReply admin_made =
      call(http::verb::post, "/api/tokens", R"({"name":"admin script"})", with_cookie(admin, true));
  ASSERT_EQ(admin_made.status, 201u) << admin_made.body;
  const std::string admin_token = text_at(json_object(admin_made.body), "token");

  // The staff token is the staff user: staff roles and permissions, no CSRF token.
  const HttpReply who = call(http::verb::get, "/api/session", {}, bearer(staff_token));
  ASSERT_EQ(who.status, 200u) << who.body;
  const auto who_json = json_object(who.body);
  const auto& user = who_json.at("user").as_object();
  EXPECT_EQ(text_at(user, "username"), "clerk");
  EXPECT_EQ(strings_at(user, "roles"), std::vector<std::string>{"staff"});
  EXPECT_EQ(strings_at(user, "permissions"), permission_names(Role::staff));
  EXPECT_TRUE(who_json.at("csrf_token").is_null());
  EXPECT_EQ(call(http::verb::get, "/api/users", {}, bearer(staff_token)).status, 403u);
  // Unsafe requests with a bearer token need no CSRF token.
  EXPECT_EQ(
      call(http::verb::post, "/api/tokens", R"({"name":"second"})", bearer(staff_token)).status,
      201u);

  // The admin token can do what an admin can, without CSRF.
  const long long users = user_count();
  const HttpReply created =
      call(http::verb::post, "/api/users", user_json("by.script", "leader"), bearer(admin_token));
  EXPECT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(user_count(), users + 1);
  // Another user's token cannot be revoked (404), the owner's can.
  EXPECT_EQ(call(http::verb::delete_, "/api/tokens/" + std::to_string(staff_token_id), {},
                 bearer(admin_token))
                .status,
            404u);
  EXPECT_EQ(call(http::verb::get, "/api/tokens", {}, bearer(staff_token)).status, 200u);
  EXPECT_EQ(call(http::verb::delete_, "/api/tokens/" + std::to_string(staff_token_id), {},
                 bearer(staff_token))
                .status,
            204u);
  EXPECT_EQ(call(http::verb::get, "/api/tokens", {}, bearer(staff_token)).status, 401u)
      << "a revoked token is unknown";
  EXPECT_EQ(call(http::verb::get, "/api/tokens", {}, bearer("xh_made_up")).status, 401u);
}

// ---- login failures ----

TEST_P(AccessTest, WrongPasswordAndUnknownUserLookAlikeAndTheSixthAttemptIs429) {
  add_user("lihua", Role::leader);
  const HttpReply wrong =
      call(http::verb::post, "/api/session", credentials("lihua", "Wrong-Horse-99"));
  const HttpReply unknown =
      call(http::verb::post, "/api/session", credentials("no.such.user", "Wrong-Horse-99"));
  EXPECT_EQ(wrong.status, 401u) << wrong.body;
  EXPECT_EQ(unknown.status, 401u) << unknown.body;
  auto a = json_object(wrong.body);
  auto b = json_object(unknown.body);
  EXPECT_NE(text_at(a, "request_id"), text_at(b, "request_id"));
  a.erase("request_id");
  b.erase("request_id");
  EXPECT_EQ(a, b) << wrong.body << " vs " << unknown.body;
  EXPECT_EQ(wrong.header("Set-Cookie"), "");
  EXPECT_EQ(unknown.header("Set-Cookie"), "");

  for (int i = 2; i <= 5; ++i) {
    EXPECT_EQ(call(http::verb::post, "/api/session", credentials("lihua", "Wrong-Horse-99")).status,
              401u)
        << "failure " << i;
  }
  const HttpReply sixth = call(http::verb::post, "/api/session", credentials("lihua", kPassword));
  EXPECT_EQ(sixth.status, 429u) << "locked, even with the right password: " << sixth.body;
  EXPECT_EQ(text_at(json_object(sixth.body), "code"), "rate_limited");
  EXPECT_EQ(sixth.header("Set-Cookie"), "");
}

// ---- the route table ----

TEST_P(AccessTest, EveryRouteAnswers401ToStrangersAnd403ExactlyToRolesWithoutItsPermission) {
  // Users are made in this order so that user 1 is the admin.
  const std::vector<std::pair<Role, User>> users{
      {Role::admin, add_user("walk.admin", Role::admin)},
      {Role::staff, add_user("walk.staff", Role::staff)},
      {Role::leader, add_user("walk.leader", Role::leader)},
      {Role::member, add_user("walk.member", Role::member, 1)},
  };
  // Token 1 is a spare of the admin's, so that DELETE /api/tokens/1 revokes nothing in use.
  ASSERT_TRUE(app().auth().create_token(principal_of(users[0].second), "spare"));
  std::map<Role, std::string> tokens;
  for (const auto& [role, user] : users) {
    auto t = app().auth().create_token(principal_of(user), "walk");
    ASSERT_TRUE(t.has_value()) << t.error().message.en;
    tokens[role] = t->second;
  }
  const long long denied_before = audit_count("access.denied");

  const std::vector<web::Route> routes = web::make_routes();
  ASSERT_FALSE(routes.empty());
  std::ostringstream table;
  table << std::left << std::setw(34) << "route" << std::setw(7) << "anon";
  for (Role r : kAllRoles) table << std::setw(7) << to_string(r);
  table << "access\n";
  int forbidden = 0;
  for (const web::Route& route : routes) {
    std::string path;  // "{param}" → "1"
    for (std::size_t i = 0; i < route.pattern.size();) {
      if (route.pattern[i] == '{') {
        path += "1";
        i = route.pattern.find('}', i) + 1;
      } else {
        path += route.pattern[i++];
      }
    }
    const bool with_body = route.method == http::verb::post || route.method == http::verb::put ||
                           route.method == http::verb::patch;
    const std::string body = with_body ? "{}" : "";
    const std::string name = std::string(http::to_string(route.method)) + " " + route.pattern;
    SCOPED_TRACE(name);

    const HttpReply anon = call(route.method, path, body);
    if (!route.access.is_public()) {
      EXPECT_EQ(anon.status, 401u) << "no credentials: " << anon.body;
      EXPECT_EQ(call(route.method, path, body, bearer("xh_not_a_token")).status, 401u)
          << "an unknown bearer token";
      EXPECT_EQ(call(route.method, path, body, {{"Cookie", "xiehui_session=not-a-session"}}).status,
                401u)
          << "an unknown session cookie";
    }
    table << std::setw(34) << name << std::setw(7) << anon.status;
    for (Role role : kAllRoles) {
      Principal p;
      p.roles = {role};
      const bool allowed = route.access.allows(&p);
      const HttpReply r = call(route.method, path, body, bearer(tokens.at(role)));
      if (allowed) {
        EXPECT_NE(r.status, 401u) << to_string(role) << ": " << r.body;
        EXPECT_NE(r.status, 403u) << to_string(role) << ": " << r.body;
      } else {
        EXPECT_EQ(r.status, 403u) << to_string(role) << ": " << r.body;
        EXPECT_EQ(text_at(json_object(r.body), "code"), "permission_denied");
      }
      if (r.status == 403u) ++forbidden;
      table << std::setw(7) << r.status;
    }
    switch (route.access.kind()) {
      case Access::Kind::public_route:
        table << "public";
        break;
      case Access::Kind::signed_in:
        table << "signed in";
        break;
      case Access::Kind::permission:
        table << to_string(route.access.permission());
        if (route.access.alternative() != route.access.permission()) {
          table << "|" << to_string(route.access.alternative());
        }
        break;
    }
    table << "\n";
  }
  std::cout << "\nrole x route (" << GetParam() << ", HTTP status with a bearer token):\n"
            << table.str() << std::flush;

  EXPECT_GT(forbidden, 0) << "the table has routes some roles may not call";
  EXPECT_EQ(audit_count("access.denied"), denied_before + forbidden)
      << "every 403 wrote one access.denied row";
  // Read with SQL: this checks the row, not the audit list endpoint (tested below).
  auto refusal = app().database().with_session([&](soci::session& s) -> Result<bool> {
    long long actor = 0;
    std::string type;
    s << "SELECT actor_id, entity_type FROM audit_log WHERE action = 'access.denied' AND "
         "actor_name = 'walk.staff' AND summary LIKE 'GET /api/users (%'",
        soci::into(actor), soci::into(type);
    if (!s.got_data()) return false;
    EXPECT_EQ(actor, users[1].second.id);
    EXPECT_EQ(type, "route");
    return true;
  });
  ASSERT_TRUE(refusal.has_value());
  const bool found = *refusal;
  EXPECT_TRUE(found) << "the staff user's refused GET /api/users is in the audit log";
  auto verified = app().audit().verify();
  ASSERT_TRUE(verified.has_value());
  EXPECT_TRUE(verified->ok);
}

// ---- the newcomer's first steps ----

TEST_P(AccessTest, TheInitialAdminCreatesAStaffUserAndSeesBothInTheAuditLog) {
  auto initial = app().accounts().ensure_initial_admin("Admin-Pass-2026x");
  ASSERT_TRUE(initial.has_value()) << initial.error().message.en;
  EXPECT_FALSE(initial->has_value()) << "a given password is not echoed";

  const Browser admin = sign_in("admin", "Admin-Pass-2026x");
  EXPECT_EQ(strings_at(admin.body.at("user").as_object(), "roles"),
            std::vector<std::string>{"admin"});
  const std::string new_user =
      boost::json::serialize(boost::json::object{{"username", "wang.mishu"},
                                                 {"display_name", "王秘书"},
                                                 {"password", "Staff-Pass-2026x"},
                                                 {"roles", boost::json::array{"staff"}},
                                                 {"member_id", nullptr}});
  const HttpReply created =
      call(http::verb::post, "/api/users", new_user, with_cookie(admin, true));
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto created_json = json_object(created.body);
  const long long staff_id = created_json.at("id").to_number<long long>();
  EXPECT_EQ(strings_at(created_json, "roles"), std::vector<std::string>{"staff"});
  EXPECT_EQ(created.body.find("Staff-Pass-2026x"), std::string::npos);

  const Browser staff = sign_in("wang.mishu", "Staff-Pass-2026x");
  EXPECT_EQ(strings_at(staff.body.at("user").as_object(), "roles"),
            std::vector<std::string>{"staff"});
  EXPECT_EQ(call(http::verb::get, "/api/audit", {}, with_cookie(staff, false)).status, 403u)
      << "staff cannot read the audit log";

  const HttpReply log =
      call(http::verb::get, "/api/audit?page_size=200", {}, with_cookie(admin, false));
  ASSERT_EQ(log.status, 200u) << log.body;
  const auto log_json = json_object(log.body);
  bool user_create = false, admin_login = false, staff_login = false;
  for (const auto& item : log_json.at("items").as_array()) {
    const auto& o = item.as_object();
    const std::string action = text_at(o, "action");
    const std::string actor = text_at(o, "actor");
    if (action == "user.create" && actor == "admin" &&
        text_at(o, "entity_id") == std::to_string(staff_id)) {
      user_create = true;
      EXPECT_NE(text_at(o, "summary").find("wang.mishu"), std::string::npos);
      EXPECT_EQ(text_at(o, "summary").find("Staff-Pass"), std::string::npos);
    }
    if (action == "session.login" && actor == "admin") admin_login = true;
    if (action == "session.login" && actor == "wang.mishu") staff_login = true;
    EXPECT_EQ(serialize(item).find("Pass-2026x"), std::string::npos) << "no password in the log";
  }
  EXPECT_TRUE(user_create) << log.body;
  EXPECT_TRUE(admin_login) << log.body;
  EXPECT_TRUE(staff_login) << log.body;

  const HttpReply verify =
      call(http::verb::get, "/api/audit/verify", {}, with_cookie(admin, false));
  ASSERT_EQ(verify.status, 200u) << verify.body;
  const auto v = json_object(verify.body);
  EXPECT_TRUE(v.at("ok").as_bool()) << verify.body;
  EXPECT_EQ(v.at("checked").to_number<long long>(), log_json.at("total").to_number<long long>());
  EXPECT_TRUE(v.at("first_bad_id").is_null());

  // Paged: newest first.
  const HttpReply second =
      call(http::verb::get, "/api/audit?page_size=1&page=2", {}, with_cookie(admin, false));
  ASSERT_EQ(second.status, 200u) << second.body;
  const auto second_json = json_object(second.body);
  ASSERT_EQ(second_json.at("items").as_array().size(), 1u) << second.body;
  EXPECT_EQ(second_json.at("items").as_array()[0].as_object().at("id").to_number<long long>(),
            log_json.at("total").to_number<long long>() - 1);

  // Filtered by actor and action.
  const HttpReply mine = call(http::verb::get, "/api/audit?action=session.login&actor=wang.mishu",
                              {}, with_cookie(admin, false));
  EXPECT_EQ(mine.status, 200u) << mine.body;
  if (mine.status == 200u) {
    const auto mine_json = json_object(mine.body);
    EXPECT_EQ(mine_json.at("total").to_number<long long>(), 1) << mine.body;
    EXPECT_EQ(mine_json.at("items").as_array().size(), 1u) << mine.body;
  }

  // Filtered by action.
  const HttpReply logins =
      call(http::verb::get, "/api/audit?action=session.login", {}, with_cookie(admin, false));
  ASSERT_EQ(logins.status, 200u) << logins.body;
  const auto logins_json = json_object(logins.body);
  EXPECT_EQ(logins_json.at("total").to_number<long long>(), 2);
  const auto& login_items = logins_json.at("items").as_array();
  EXPECT_EQ(login_items.size(), 2u) << logins.body;
  for (const auto& item : login_items) {
    EXPECT_EQ(text_at(item.as_object(), "action"), "session.login") << logins.body;
  }
}

INSTANTIATE_TEST_SUITE_P(Access, AccessTest, ::testing::ValuesIn(test_backends()), BackendName());

}  // namespace
}  // namespace xiehui::testing
