// Meetings and rooms over HTTP (docs/API.md "Meetings and rooms"): rooms, bookings and their
// overlap rule under parallel load, repeating series, meetings with invitations by rule, 回执
// and written proxies, attendance by pass, quorum, resolutions, reminders, xlsx exports,
// materials, and the iCalendar feed read back by an independent parser — on every backend; and
// bookings from two server processes sharing one MariaDB.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/pinyin.hpp"
#include "core/table_import.hpp"
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
using std::chrono::days;
using std::chrono::minutes;

constexpr std::string_view kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

json::object parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << text;
    return {};
  }
  return std::move(v.as_object());
}

json::object details_of(const std::string& body) {
  auto o = parse(body);
  const auto* details = o.if_contains("details");
  return details && details->is_object() ? details->as_object() : json::object{};
}

json::object fields_of(const std::string& body) {
  auto details = details_of(body);
  const auto* fields = details.if_contains("fields");
  return fields && fields->is_object() ? fields->as_object() : json::object{};
}

/// The "items" of a list answer, by value (a range-for over a member of a temporary would
/// dangle).
json::array items_of(const std::string& body) {
  auto o = parse(body);
  const auto* items = o.if_contains("items");
  EXPECT_TRUE(items && items->is_array()) << body;
  return items && items->is_array() ? items->as_array() : json::array{};
}

std::set<std::string> keys_of(const json::object& o) {
  std::set<std::string> out;
  for (const auto& kv : o) out.insert(std::string(kv.key()));
  return out;
}

std::string str(const json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
}

// The server's calendar: Asia/Shanghai.
Date today() { return shanghai_date(SystemClock{}.now()); }
std::string day(int offset) {
  return format_date(Date{std::chrono::sys_days{today()} + days{offset}});
}
/// "YYYY-MM-DDTHH:MM:00+08:00" of the day `offset` days from today.
std::string at(int offset, const std::string& hm) { return day(offset) + "T" + hm + ":00+08:00"; }
/// `instant` moved by `m` minutes, in the answers' form.
std::string plus_minutes(const std::string& instant, long long m) {
  auto t = parse_instant(instant);
  EXPECT_TRUE(t.has_value()) << instant;
  return t ? format_instant(*t + minutes{m}) : std::string{};
}
long long epoch(const std::string& instant) {
  auto t = parse_instant(instant);
  EXPECT_TRUE(t.has_value()) << instant;
  return t ? std::chrono::floor<std::chrono::seconds>(*t).time_since_epoch().count() : -1;
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '_') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

/// A small but well-formed PDF (catalog, page tree, one page, a correct xref table), with the
/// binary comment line real PDF writers put after the header.
std::string minimal_pdf() {
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  const std::vector<std::string> objects{"<< /Type /Catalog /Pages 2 0 R >>",
                                         "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                         "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"};
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    const std::string n = std::to_string(offset);
    pdf += std::string(10 - n.size(), '0') + n + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

/// The VEVENTs of an iCalendar text as read by tests/support/ical_parse.py (Debian's
/// python3-icalendar), by UID; fails the test when the parser refuses the text.
std::map<std::string, json::object> parse_ics(const std::string& ics) {
  std::map<std::string, json::object> out;
  if (!fs::exists("/usr/bin/python3")) {
    ADD_FAILURE() << "/usr/bin/python3 is missing: install Debian's python3 and python3-icalendar";
    return out;
  }
  TempDir dir;
  const std::string path = dir.path() + "/feed.ics";
  {
    std::ofstream file(path, std::ios::binary);
    file << ics;
  }
  const std::string command =
      "/usr/bin/python3 '" XIEHUI_SOURCE_DIR "/tests/support/ical_parse.py' '" + path + "' 2>&1";
  std::string output;
  int exit_code = -1;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) {
      output.append(buffer, n);
    }
    const int status = ::pclose(pipe);
    exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  if (exit_code != 0) {
    ADD_FAILURE() << "the independent iCalendar parser refused the feed (exit " << exit_code
                  << "):\n"
                  << output << "\n--- feed ---\n"
                  << ics;
    return out;
  }
  std::size_t start = 0;
  while (start < output.size()) {
    auto end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    auto event = parse(output.substr(start, end - start));
    const std::string uid = event.contains("uid") ? str(event["uid"]) : "";
    EXPECT_FALSE(out.contains(uid)) << "UID twice: " << uid;
    out[uid] = std::move(event);
    start = end + 1;
  }
  return out;
}

// Units of every tier, with names whose pinyin order differs from their insertion order.
enum Unit : std::size_t {
  kYuelu,     // 岳麓 yue, council — signs in as member_in_
  kXiangtan,  // 湘潭 xiang, council — signs in as member_in2_
  kZhuzhou,   // 株洲 zhu, standing council
  kHengyang,  // 衡阳 heng, vice-president
  kChenzhou,  // 郴州 chen, president
  kYiyang,    // 益阳 yi, ordinary member — signs in as member_out_
  kLoudi,     // 娄底 lou, council but lapsed
  kShaoyang,  // 邵阳 shao, council but suspended
  kUnitCount
};

struct UnitSpec {
  const char* name;
  const char* tier;
  const char* status;
};

constexpr UnitSpec kUnits[kUnitCount] = {
    {"岳麓高新区", "council", "active"},          {"湘潭经开区", "council", "active"},
    {"株洲高新区", "standing_council", "active"}, {"衡阳高新区", "vice_president", "active"},
    {"郴州高新区", "president", "active"},        {"益阳高新区", "member", "active"},
    {"娄底经开区", "council", "lapsed"},          {"邵阳经开区", "council", "suspended"}};

class MeetingsHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    staff_ = bearer(Role::staff, "mt.staff", std::nullopt, &staff_id_);
    leader_ = bearer(Role::leader, "mt.leader", std::nullopt, &leader_id_);
    leader2_ = bearer(Role::leader, "mt.leader2");
    for (const auto& u : kUnits) units_.push_back(add_unit(u.name, u.tier, u.status));
    ASSERT_EQ(units_.size(), static_cast<std::size_t>(kUnitCount));
    member_in_ = bearer(Role::member, "mt.yuelu", units_[kYuelu]);
    member_in2_ = bearer(Role::member, "mt.xiangtan", units_[kXiangtan]);
    member_out_ = bearer(Role::member, "mt.yiyang", units_[kYiyang]);
  }

  Headers bearer(Role role, const std::string& username,
                 std::optional<long long> member_id = std::nullopt, long long* id = nullptr) {
    auto user = app_.app().accounts().create_user(
        {username, username, "Review-Pass-2026", {role}, member_id},
        accounts::command_line_actor());
    EXPECT_TRUE(user.has_value());
    if (!user) return {};
    if (id) *id = user->id;
    Principal p;
    p.user_id = user->id;
    p.username = user->username;
    auto token = app_.app().auth().create_token(p, "test");
    EXPECT_TRUE(token.has_value());
    return token ? Headers{{"Authorization", "Bearer " + token->second}} : Headers{};
  }

  // A unit straight into the database, with the pinyin sort key the membership service writes.
  long long add_unit(const std::string& name, const std::string& tier,
                     const std::string& status = "active") {
    static std::atomic<int> n{0};
    const std::string body = "91430100MA4L" + std::to_string(40000 + n++);
    auto id = app_.app().database().with_transaction([&](soci::session& s) -> Result<long long> {
      const membership::Organisation org{name,
                                         name.substr(0, 6),
                                         body + uscc_check_char(body),
                                         "development_zone",
                                         "provincial",
                                         "430100",
                                         ""};
      const long long unit = membership::membership_repository::insert_member(
                                 s, org, tier, "2020-01-01", pinyin_sort_key(name), Timestamp{})
                                 .first;
      if (status != "active") {
        membership::membership_repository::set_member_status(s, unit, status, Timestamp{});
      }
      return unit;
    });
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  }

  HttpReply call(http::verb verb, const std::string& target, const Headers& who,
                 const std::string& body = {}, std::uint16_t port = 0) {
    Headers h = who;
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return http_request(port ? port : app_.port(), verb, target, body, h);
  }

  HttpReply call(http::verb verb, const std::string& target, const Headers& who,
                 const json::object& body, std::uint16_t port = 0) {
    return call(verb, target, who, json::serialize(body), port);
  }

  long long room(const std::string& name, int capacity = 20) {
    auto r = call(http::verb::post, "/api/rooms", staff_,
                  json::object{{"name", name},
                               {"location", "协会办公楼"},
                               {"capacity", capacity},
                               {"equipment", json::array{"投影仪"}}});
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.status == 201u ? parse(r.body)["id"].as_int64() : 0;
  }

  HttpReply book(long long room_id, const std::string& starts_at, const std::string& ends_at,
                 const std::string& title, const Headers& who, std::uint16_t port = 0) {
    return call(http::verb::post, "/api/bookings", who,
                json::object{{"room_id", room_id},
                             {"starts_at", starts_at},
                             {"ends_at", ends_at},
                             {"title", title},
                             {"booked_for", "秘书处"}},
                port);
  }

  json::array bookings(long long room_id, const std::string& from, const std::string& to,
                       const Headers& who, std::uint16_t port = 0) {
    auto r = call(http::verb::get,
                  "/api/bookings?room_id=" + std::to_string(room_id) + "&from=" + url_encode(from) +
                      "&to=" + url_encode(to),
                  who, std::string{}, port);
    EXPECT_EQ(r.status, 200u) << r.body;
    if (r.status != 200u) return {};
    return items_of(r.body);
  }

  // A meeting of a governing kind on day `d` 09:00–11:30, replies until the end of day
  // d + deadline_offset.
  json::object meeting_body(const std::string& kind, int term, int session, int d,
                            std::optional<long long> room_id, bool rule,
                            const std::vector<long long>& member_ids = {},
                            int deadline_offset = -5) {
    json::array ids;
    for (long long id : member_ids) ids.emplace_back(id);
    json::object body{
        {"kind", kind},
        {"starts_at", at(d, "09:00")},
        {"ends_at", at(d, "11:30")},
        {"mode", "onsite"},
        {"agenda",
         json::array{json::object{{"title", "审议年度工作报告"}, {"presenter", "秘书长"}}}},
        {"invite", {{"rule", rule}, {"member_ids", ids}, {"user_ids", json::array{}}}},
        {"rsvp_deadline", day(d + deadline_offset)}};
    // Seminars and other meetings carry a title instead of 届 and 次.
    if (term > 0) body["term_no"] = term;
    if (session > 0) body["session_no"] = session;
    if (room_id) {
      body["room_id"] = *room_id;
    } else {
      body["room_id"] = nullptr;
      body["venue"] = "长沙市岳麓区";
    }
    return body;
  }

  long long create_meeting(const json::object& body) {
    auto r = call(http::verb::post, "/api/meetings", staff_, body);
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.status == 201u ? parse(r.body)["id"].as_int64() : 0;
  }

  // A council meeting invited by rule: 岳麓, 湘潭, 株洲, 衡阳, 郴州.
  long long council_meeting(int d, std::optional<long long> room_id = std::nullopt,
                            int deadline_offset = -5, int session = 2) {
    return create_meeting(
        meeting_body("council", 3, session, d, room_id, true, {}, deadline_offset));
  }

  std::string meeting_url(long long id, const std::string& rest = "") {
    return "/api/meetings/" + std::to_string(id) + rest;
  }

  json::object rsvp_body(long long member_id, bool attending,
                         std::optional<long long> proxy = std::nullopt,
                         const std::string& mobile = "13900000001") {
    json::array people;
    if (attending) {
      people.push_back(json::object{{"name", "张三"}, {"title", "主任"}, {"mobile", mobile}});
    }
    return {{"member_id", member_id},
            {"attending", attending},
            {"attendees", std::move(people)},
            {"proxy_to_member_id", proxy ? json::value(*proxy) : json::value(nullptr)},
            {"note", ""},
            {"consent_version", 1}};
  }

  HttpReply reply(long long meeting, const json::object& body, const Headers& who,
                  std::uint16_t port = 0) {
    return call(http::verb::post, meeting_url(meeting, "/rsvp"), who, body, port);
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
  Headers staff_, leader_, leader2_, member_in_, member_in2_, member_out_;
  long long staff_id_ = 0, leader_id_ = 0;
  std::vector<long long> units_;
};

// ---- rooms ----

TEST_P(MeetingsHttpTest, RoomsAreUniqueSortedByPinyinAndAnInactiveRoomTakesNoBooking) {
  auto r = call(http::verb::post, "/api/rooms", staff_,
                R"({"name":"中庭","location":"协会三楼","capacity":30,)"
                R"("equipment":["投影仪","白板"]})");
  ASSERT_EQ(r.status, 201u) << r.body;
  auto created = parse(r.body);
  EXPECT_EQ(keys_of(created),
            (std::set<std::string>{"id", "name", "location", "capacity", "equipment", "active"}))
      << r.body;
  EXPECT_EQ(created["name"].as_string(), "中庭");
  EXPECT_EQ(created["location"].as_string(), "协会三楼");
  EXPECT_EQ(created["capacity"].as_int64(), 30);
  EXPECT_EQ(created["equipment"], (json::array{"投影仪", "白板"}));
  EXPECT_TRUE(created["active"].as_bool());
  const long long zhongting = created["id"].as_int64();

  // The same name again: 409 naming the field.
  r = call(http::verb::post, "/api/rooms", staff_, R"({"name":"中庭","capacity":10})");
  EXPECT_EQ(r.status, 409u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("name")) << r.body;
  // Capacity 1–10000, an integer.
  for (const char* capacity : {"0", "10001", "-1", "\"30\"", "2.5", "null"}) {
    r = call(http::verb::post, "/api/rooms", staff_,
             std::string(R"({"name":"北厅","capacity":)") + capacity + "}");
    EXPECT_EQ(r.status, 400u) << capacity << ": " << r.body;
    EXPECT_TRUE(fields_of(r.body).contains("capacity")) << capacity << ": " << r.body;
  }
  r = call(http::verb::post, "/api/rooms", staff_, R"({"capacity":10})");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("name")) << r.body;
  // Staff only: members and leaders may not add rooms.
  EXPECT_EQ(
      call(http::verb::post, "/api/rooms", member_in_, R"({"name":"北厅","capacity":8})").status,
      403u);
  EXPECT_EQ(call(http::verb::post, "/api/rooms", leader_, R"({"name":"北厅","capacity":8})").status,
            403u);
  EXPECT_EQ(call(http::verb::post, "/api/rooms", {}, R"({"name":"北厅","capacity":8})").status,
            401u);

  // Sorted by pinyin: an (安) < bai (百) < dong (东) < zhong (中), neither by id nor by code point.
  const long long dongting = room("东厅");
  room("安心室");
  const long long baihua = room("百花厅");
  r = call(http::verb::get, "/api/rooms", member_out_);
  ASSERT_EQ(r.status, 200u) << r.body;
  std::vector<std::string> names;
  for (const auto& v : items_of(r.body)) {
    names.emplace_back(v.as_object().at("name").as_string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"安心室", "百花厅", "东厅", "中庭"})) << r.body;

  // Deactivate 东厅: listed without ?active=true, not with it; booking it is 409.
  r = call(http::verb::patch, "/api/rooms/" + std::to_string(dongting), staff_,
           R"({"active":false})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(parse(r.body)["active"].as_bool());
  EXPECT_EQ(parse(r.body)["name"].as_string(), "东厅") << "the other fields stay";
  EXPECT_EQ(call(http::verb::patch, "/api/rooms/" + std::to_string(dongting), member_in_,
                 R"({"active":true})")
                .status,
            403u);
  r = call(http::verb::patch, "/api/rooms/" + std::to_string(baihua), staff_, R"({"name":"中庭"})");
  EXPECT_EQ(r.status, 409u) << "renamed onto another room's name: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("name")) << r.body;
  EXPECT_EQ(call(http::verb::patch, "/api/rooms/999999", staff_, R"({"active":false})").status,
            404u);
  r = call(http::verb::get, "/api/rooms?active=true", member_out_);
  ASSERT_EQ(r.status, 200u) << r.body;
  names.clear();
  for (const auto& v : items_of(r.body)) {
    names.emplace_back(v.as_object().at("name").as_string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"安心室", "百花厅", "中庭"})) << r.body;
  r = call(http::verb::get, "/api/rooms", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(items_of(r.body).size(), 4u);

  r = book(dongting, at(9, "10:00"), at(9, "11:00"), "停用后预订", staff_);
  EXPECT_EQ(r.status, 409u) << "an inactive room: " << r.body;
  EXPECT_EQ(parse(r.body)["code"].as_string(), "conflict") << r.body;
  EXPECT_TRUE(bookings(dongting, day(9), day(9), staff_).empty());
  ASSERT_EQ(call(http::verb::patch, "/api/rooms/" + std::to_string(dongting), staff_,
                 R"({"active":true})")
                .status,
            200u);
  EXPECT_EQ(book(dongting, at(9, "10:00"), at(9, "11:00"), "启用后预订", staff_).status, 201u);
  EXPECT_EQ(book(zhongting, at(9, "10:00"), at(9, "11:00"), "另一间", staff_).status, 201u)
      << "the same time in another room";
}

// ---- bookings ----

TEST_P(MeetingsHttpTest, BookingsRefuseOverlapsButNotTouchingIntervals) {
  const long long rm = room("第一会议室");
  const int d = 10;
  // Input with another offset: 02:00Z is 10:00 in Shanghai, and answers are in +08:00.
  auto r = call(http::verb::post, "/api/bookings", staff_,
                json::object{{"room_id", rm},
                             {"starts_at", day(d) + "T02:00:00Z"},
                             {"ends_at", at(d, "11:00")},
                             {"title", "理事会筹备会"},
                             {"booked_for", "秘书处"},
                             {"meeting_id", nullptr}});
  ASSERT_EQ(r.status, 201u) << r.body;
  auto b = parse(r.body);
  EXPECT_EQ(keys_of(b), (std::set<std::string>{"id", "room_id", "room_name", "starts_at", "ends_at",
                                               "title", "booked_for", "meeting_id", "class_id",
                                               "series_id", "status", "created_by", "version"}))
      << r.body;
  const long long first = b["id"].as_int64();
  EXPECT_EQ(b["room_id"].as_int64(), rm);
  EXPECT_EQ(b["room_name"].as_string(), "第一会议室");
  EXPECT_EQ(b["starts_at"].as_string(), at(d, "10:00"));
  EXPECT_EQ(b["ends_at"].as_string(), at(d, "11:00"));
  EXPECT_EQ(b["title"].as_string(), "理事会筹备会");
  EXPECT_EQ(b["booked_for"].as_string(), "秘书处");
  EXPECT_TRUE(b["meeting_id"].is_null());
  EXPECT_TRUE(b["class_id"].is_null());
  EXPECT_TRUE(b["series_id"].is_null());
  EXPECT_EQ(b["status"].as_string(), "active");
  EXPECT_EQ(b["created_by"].as_int64(), staff_id_);
  EXPECT_EQ(b["version"].as_int64(), 1);

  // An overlap: 409 naming the booking in the way, in the details and in the message.
  r = book(rm, at(d, "10:30"), at(d, "11:30"), "招商座谈", leader_);
  ASSERT_EQ(r.status, 409u) << r.body;
  auto e = parse(r.body);
  EXPECT_EQ(e["code"].as_string(), "conflict");
  auto details = details_of(r.body);
  EXPECT_EQ(details["booking_id"].as_int64(), first) << r.body;
  ASSERT_EQ(details["conflicts"].as_array().size(), 1u) << r.body;
  auto c = details["conflicts"].as_array()[0].as_object();
  EXPECT_EQ(c["booking_id"].as_int64(), first);
  EXPECT_EQ(c["title"].as_string(), "理事会筹备会");
  EXPECT_EQ(c["starts_at"].as_string(), at(d, "10:00"));
  EXPECT_EQ(c["ends_at"].as_string(), at(d, "11:00"));
  EXPECT_NE(std::string(e["message"].as_string()).find("理事会筹备会"), std::string::npos)
      << e["message"];
  EXPECT_NE(std::string(e["message"].as_string()).find("10:00"), std::string::npos)
      << "the time of the booking in the way: " << e["message"];
  Headers english = leader_;
  english.emplace_back("Accept-Language", "en");
  r = book(rm, at(d, "10:30"), at(d, "11:30"), "招商座谈", english);
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_NE(r.body.find("overlaps the booking"), std::string::npos) << r.body;
  EXPECT_NE(std::string(parse(r.body)["message"].as_string()).find("理事会筹备会"),
            std::string::npos)
      << r.body;
  // Inside, around, identical: all 409.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"10:15", "10:45"}, {"09:00", "12:00"}, {"10:00", "11:00"}, {"09:59", "10:01"}}) {
    r = book(rm, at(d, from), at(d, to), "重叠", staff_);
    EXPECT_EQ(r.status, 409u) << from << "–" << to << ": " << r.body;
    EXPECT_EQ(details_of(r.body)["booking_id"].as_int64(), first) << r.body;
  }

  // Touching intervals do not overlap.
  r = book(rm, at(d, "11:00"), at(d, "12:00"), "接待", leader_);
  EXPECT_EQ(r.status, 201u) << r.body;
  r = book(rm, at(d, "09:00"), at(d, "10:00"), "早会", staff_);
  EXPECT_EQ(r.status, 201u) << r.body;

  // Times: the end after the start, at most 14 days later.
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{at(d, "15:00"), at(d, "14:00")},
                                                        {at(d, "15:00"), at(d, "15:00")},
                                                        {at(d, "15:00"), at(d + 15, "15:00")}}) {
    r = book(rm, from, to, "时间不对", staff_);
    EXPECT_EQ(r.status, 400u) << from << "–" << to << ": " << r.body;
    EXPECT_TRUE(fields_of(r.body).contains("ends_at")) << r.body;
  }
  r = book(rm, "2026-13-01T10:00:00+08:00", at(d, "15:00"), "日期不对", staff_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("starts_at")) << r.body;
  r = book(rm, day(d) + "T10:00:00", at(d, "15:00"), "没有时区", staff_);
  EXPECT_EQ(r.status, 400u) << "an instant without an offset: " << r.body;

  // Malformed bodies and wrong types.
  r = call(http::verb::post, "/api/bookings", staff_, R"({"room_id":)");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("body")) << r.body;
  r = call(http::verb::post, "/api/bookings", staff_, "[1,2]");
  EXPECT_EQ(r.status, 400u) << r.body;
  r = call(http::verb::post, "/api/bookings", staff_,
           R"({"room_id":"一","starts_at":5,"ends_at":true,"title":7,"booked_for":[]})");
  ASSERT_EQ(r.status, 400u) << r.body;
  auto fields = fields_of(r.body);
  for (const char* f : {"room_id", "starts_at", "ends_at", "title", "booked_for"}) {
    EXPECT_TRUE(fields.contains(f)) << f << ": " << r.body;
  }
  r = call(http::verb::post, "/api/bookings", staff_, "{}");
  ASSERT_EQ(r.status, 400u) << r.body;
  fields = fields_of(r.body);
  for (const char* f : {"room_id", "starts_at", "ends_at", "title"}) {
    EXPECT_TRUE(fields.contains(f)) << f << " is required: " << r.body;
  }
  r = http_request(app_.port(), http::verb::post, "/api/bookings",
                   json::serialize(json::object{{"room_id", rm},
                                                {"starts_at", at(d, "16:00")},
                                                {"ends_at", at(d, "17:00")},
                                                {"title", "纯文本"}}),
                   [&] {
                     Headers h = staff_;
                     h.emplace_back("Content-Type", "text/plain");
                     return h;
                   }());
  EXPECT_EQ(r.status, 400u) << "not application/json: " << r.body;
  r = book(999999, at(d, "16:00"), at(d, "17:00"), "没有这间", staff_);
  EXPECT_EQ(r.status, 404u) << r.body;
  std::string long_title;
  for (int i = 0; i < 101; ++i) long_title += "会";
  r = book(rm, at(d, "16:00"), at(d, "17:00"), long_title, staff_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("title")) << r.body;
  r = book(rm, at(d, "16:00"), at(d, "17:00"), "控制\x1b字符", staff_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("title")) << r.body;
  // Members book nothing.
  r = book(rm, at(d, "16:00"), at(d, "17:00"), "会员预订", member_in_);
  EXPECT_EQ(r.status, 403u) << r.body;

  // Listing needs from and to.
  const std::string list = "/api/bookings?room_id=" + std::to_string(rm);
  r = call(http::verb::get, list, staff_);
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("from")) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("to")) << r.body;
  r = call(http::verb::get, list + "&from=" + day(d), staff_);
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("to")) << r.body;
  EXPECT_FALSE(fields_of(r.body).contains("from")) << r.body;
  r = call(http::verb::get, list + "&from=tomorrow&to=" + day(d), staff_);
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("from")) << r.body;
  r = call(http::verb::get, "/api/bookings?room_id=999999&from=" + day(d) + "&to=" + day(d),
           staff_);
  EXPECT_EQ(r.status, 404u) << r.body;

  // Staff see what each booking is for, ordered by time; a member sees only that it is taken.
  auto items = bookings(rm, day(d), day(d), staff_);
  ASSERT_EQ(items.size(), 3u);
  std::vector<std::string> titles, starts;
  for (const auto& v : items) {
    titles.emplace_back(v.as_object().at("title").as_string());
    starts.emplace_back(v.as_object().at("starts_at").as_string());
  }
  EXPECT_EQ(titles, (std::vector<std::string>{"早会", "理事会筹备会", "接待"}));
  EXPECT_EQ(starts, (std::vector<std::string>{at(d, "09:00"), at(d, "10:00"), at(d, "11:00")}));
  items = bookings(rm, day(d), day(d), member_in_);
  ASSERT_EQ(items.size(), 3u);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& o = items[i].as_object();
    EXPECT_EQ(o.at("title").as_string(), "已预订") << json::serialize(o);
    EXPECT_TRUE(!o.contains("booked_for") || o.at("booked_for") == "") << json::serialize(o);
    EXPECT_EQ(o.at("starts_at").as_string(), starts[i]);
  }
  r = call(http::verb::get, list + "&from=" + day(d) + "&to=" + day(d), member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body.find("理事会筹备会"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("秘书处"), std::string::npos) << r.body;
  EXPECT_TRUE(bookings(rm, day(d + 1), day(d + 1), staff_).empty()) << "another day";
}

TEST_P(MeetingsHttpTest, BookingsMoveThroughTheSameCheckAndBelongToTheirCreator) {
  const long long rm = room("第二会议室");
  const int d = 11;
  auto r = book(rm, at(d, "10:00"), at(d, "11:00"), "A会", staff_);
  ASSERT_EQ(r.status, 201u) << r.body;
  const long long a = parse(r.body)["id"].as_int64();
  r = book(rm, at(d, "14:00"), at(d, "15:00"), "B会", staff_);
  ASSERT_EQ(r.status, 201u) << r.body;
  const std::string b = "/api/bookings/" + std::to_string(parse(r.body)["id"].as_int64());

  // A move onto A: 409 naming A; nothing changed.
  r = call(http::verb::patch, b, staff_,
           json::object{{"starts_at", at(d, "10:30")}, {"ends_at", at(d, "11:30")}});
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(details_of(r.body)["booking_id"].as_int64(), a) << r.body;
  EXPECT_EQ(details_of(r.body)["conflicts"].as_array()[0].as_object().at("title").as_string(),
            "A会");
  auto items = bookings(rm, day(d), day(d), staff_);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].as_object().at("starts_at").as_string(), at(d, "14:00"));
  // A move next to A (touching): 200, version rises.
  r = call(http::verb::patch, b, staff_,
           json::object{{"starts_at", at(d, "11:00")}, {"ends_at", at(d, "12:00")}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["starts_at"].as_string(), at(d, "11:00"));
  EXPECT_EQ(parse(r.body)["title"].as_string(), "B会");
  EXPECT_EQ(parse(r.body)["version"].as_int64(), 2);
  r = call(http::verb::patch, b, staff_, json::object{{"ends_at", at(d, "10:30")}});
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("ends_at")) << r.body;
  EXPECT_EQ(call(http::verb::patch, b, staff_, R"({"room_id":999999})").status, 404u);
  // To another room at the same time.
  const long long rm2 = room("第三会议室");
  r = call(http::verb::patch, b, staff_, json::object{{"room_id", rm2}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["room_id"].as_int64(), rm2);
  EXPECT_EQ(parse(r.body)["room_name"].as_string(), "第三会议室");
  EXPECT_EQ(bookings(rm, day(d), day(d), staff_).size(), 1u);
  EXPECT_EQ(bookings(rm2, day(d), day(d), staff_).size(), 1u);

  // Cancel: 204, then the booking is gone (404 for every later change).
  EXPECT_EQ(call(http::verb::delete_, b, staff_).status, 204u);
  EXPECT_EQ(call(http::verb::delete_, b, staff_).status, 404u);
  EXPECT_EQ(call(http::verb::patch, b, staff_, R"({"title":"复活"})").status, 404u);
  EXPECT_TRUE(bookings(rm2, day(d), day(d), staff_).empty());
  EXPECT_EQ(book(rm2, at(d, "11:00"), at(d, "12:00"), "空出的时段", staff_).status, 201u);
  EXPECT_EQ(call(http::verb::delete_, "/api/bookings/abc", staff_).status, 404u);
  EXPECT_EQ(call(http::verb::delete_, "/api/bookings/999999", staff_).status, 404u);

  // A leader's booking: another leader may not change or cancel it; its creator and staff may.
  r = book(rm, at(d, "15:00"), at(d, "16:00"), "领导接待", leader_);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse(r.body)["created_by"].as_int64(), leader_id_);
  const std::string l = "/api/bookings/" + std::to_string(parse(r.body)["id"].as_int64());
  r = call(http::verb::patch, l, leader2_, R"({"title":"改名"})");
  EXPECT_EQ(r.status, 403u) << r.body;
  EXPECT_EQ(call(http::verb::delete_, l, leader2_).status, 403u);
  EXPECT_EQ(call(http::verb::patch, l, member_in_, R"({"title":"改名"})").status, 403u);
  EXPECT_EQ(call(http::verb::delete_, l, member_in_).status, 403u);
  r = call(http::verb::patch, l, leader_, R"({"title":"领导接待（改）"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["title"].as_string(), "领导接待（改）");
  r = call(http::verb::patch, l, staff_,
           json::object{{"starts_at", at(d, "16:00")}, {"ends_at", at(d, "17:00")}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["starts_at"].as_string(), at(d, "16:00"));
  EXPECT_EQ(parse(r.body)["version"].as_int64(), 3);
  EXPECT_EQ(call(http::verb::delete_, l, staff_).status, 204u);
  items = bookings(rm, day(d), day(d), staff_);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].as_object().at("id").as_int64(), a);
}

TEST_P(MeetingsHttpTest, SixtyFourParallelOverlappingBookingsOneSucceeds) {
  const long long rm = room("并发会议室");
  const int d = 12;
  // Every interval is two hours long and starts within 63 minutes of 09:00: all overlap.
  constexpr int kClients = 64;
  std::mutex mutex;
  std::map<unsigned, int> statuses;
  std::set<long long> winners, named;
  std::vector<std::string> odd;
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      const std::string from = plus_minutes(at(d, "09:00"), i);
      auto r = book(rm, from, plus_minutes(from, 120), "并发" + std::to_string(i),
                    i % 2 ? staff_ : leader_);
      std::lock_guard lock(mutex);
      ++statuses[r.status];
      if (r.status == 201u) {
        winners.insert(parse(r.body)["id"].as_int64());
      } else if (r.status == 409u) {
        named.insert(details_of(r.body)["booking_id"].as_int64());
      } else if (odd.size() < 5) {
        odd.push_back(std::to_string(r.status) + ": " + r.body);
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  std::string summary;
  for (const auto& [status, n] : statuses)
    summary += std::to_string(status) + "×" + std::to_string(n) + " ";
  for (const auto& o : odd) summary += "\n  " + o;
  EXPECT_EQ(statuses[201u], 1) << summary;
  EXPECT_EQ(statuses[409u], kClients - 1) << summary;
  EXPECT_EQ(statuses.size(), 2u) << "nothing but 201 and 409, never 5xx: " << summary;
  EXPECT_EQ(named, winners) << "every 409 names the one booking that won";
  const auto items = bookings(rm, day(d), day(d), staff_);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_TRUE(winners.contains(items[0].as_object().at("id").as_int64()));
}

// ---- series ----

TEST_P(MeetingsHttpTest, SeriesReportConflictsBookAllOrOnlyTheFreeOnesAndCancelFromADate) {
  const long long rm = room("系列会议室");
  const int d = 7;
  // Two single bookings in the way of the 3rd and 5th weekly occurrence.
  auto r = book(rm, at(d + 14, "09:30"), at(d + 14, "10:30"), "党建学习", staff_);
  ASSERT_EQ(r.status, 201u) << r.body;
  const long long third = parse(r.body)["id"].as_int64();
  r = book(rm, at(d + 28, "08:00"), at(d + 28, "09:01"), "早班", leader_);
  ASSERT_EQ(r.status, 201u) << r.body;
  const long long fifth = parse(r.body)["id"].as_int64();
  // Touching the 2nd occurrence only.
  ASSERT_EQ(book(rm, at(d + 7, "10:00"), at(d + 7, "11:00"), "紧接着", staff_).status, 201u);

  const auto series = [&](const std::string& on_conflict, bool dry_run) {
    return json::object{{"room_id", rm},
                        {"title", "周例会"},
                        {"booked_for", "秘书处"},
                        {"starts_at", at(d, "09:00")},
                        {"ends_at", at(d, "10:00")},
                        {"rule", {{"freq", "weekly"}, {"interval", 1}, {"count", 5}}},
                        {"except", json::array{}},
                        {"on_conflict", on_conflict},
                        {"dry_run", dry_run}};
  };
  const auto all_bookings = [&] { return bookings(rm, day(d), day(d + 35), staff_); };
  ASSERT_EQ(all_bookings().size(), 3u);

  // Dry run: every occurrence, the conflicting ones with the booking in the way; nothing booked.
  r = call(http::verb::post, "/api/booking-series", staff_, series("fail", true));
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto occurrences = parse(r.body)["occurrences"].as_array();
  ASSERT_EQ(occurrences.size(), 5u) << r.body;
  for (int k = 0; k < 5; ++k) {
    const auto& o = occurrences[static_cast<std::size_t>(k)].as_object();
    EXPECT_EQ(o.at("starts_at").as_string(), at(d + 7 * k, "09:00")) << k;
    EXPECT_EQ(o.at("ends_at").as_string(), at(d + 7 * k, "10:00")) << k;
    if (k == 2 || k == 4) {
      ASSERT_TRUE(o.at("conflict").is_object()) << k << ": " << r.body;
      const auto& other = o.at("conflict").as_object();
      EXPECT_EQ(other.at("booking_id").as_int64(), k == 2 ? third : fifth);
      EXPECT_EQ(other.at("title").as_string(), k == 2 ? "党建学习" : "早班");
      EXPECT_TRUE(other.contains("starts_at") && other.contains("ends_at"));
    } else {
      EXPECT_TRUE(o.at("conflict").is_null()) << k << ": " << r.body;
    }
  }
  EXPECT_EQ(all_bookings().size(), 3u) << "a dry run books nothing";

  // fail: 409 listing every conflict; nothing booked.
  r = call(http::verb::post, "/api/booking-series", staff_, series("fail", false));
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(parse(r.body)["code"].as_string(), "conflict");
  const auto conflicts = details_of(r.body)["conflicts"].as_array();
  ASSERT_EQ(conflicts.size(), 2u) << r.body;
  EXPECT_EQ(conflicts[0].as_object().at("occurrence_starts_at").as_string(), at(d + 14, "09:00"));
  EXPECT_EQ(conflicts[0].as_object().at("booking_id").as_int64(), third);
  EXPECT_EQ(conflicts[0].as_object().at("title").as_string(), "党建学习");
  EXPECT_EQ(conflicts[1].as_object().at("occurrence_starts_at").as_string(), at(d + 28, "09:00"));
  EXPECT_EQ(conflicts[1].as_object().at("booking_id").as_int64(), fifth);
  EXPECT_EQ(all_bookings().size(), 3u) << "with fail, a conflict books nothing";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM booking_series"), 0);

  // skip: the three free occurrences are booked, the two conflicts reported.
  r = call(http::verb::post, "/api/booking-series", staff_, series("skip", false));
  ASSERT_EQ(r.status, 201u) << r.body;
  auto made = parse(r.body);
  const long long id = made["id"].as_int64();
  const auto booked = made["booked"].as_array();
  ASSERT_EQ(booked.size(), 3u) << r.body;
  std::vector<std::string> booked_starts;
  for (const auto& v : booked) {
    const auto& o = v.as_object();
    EXPECT_EQ(o.at("series_id").as_int64(), id);
    EXPECT_EQ(o.at("title").as_string(), "周例会");
    EXPECT_EQ(o.at("status").as_string(), "active");
    booked_starts.emplace_back(o.at("starts_at").as_string());
  }
  EXPECT_EQ(booked_starts,
            (std::vector<std::string>{at(d, "09:00"), at(d + 7, "09:00"), at(d + 21, "09:00")}));
  const auto skipped = made["conflicts"].as_array();
  ASSERT_EQ(skipped.size(), 2u) << r.body;
  EXPECT_EQ(skipped[0].as_object().at("booking_id").as_int64(), third);
  EXPECT_EQ(skipped[1].as_object().at("booking_id").as_int64(), fifth);
  EXPECT_EQ(all_bookings().size(), 6u);

  // The series as stored; a member sees it masked.
  const std::string url = "/api/booking-series/" + std::to_string(id);
  r = call(http::verb::get, url, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto got = parse(r.body);
  EXPECT_EQ(got["room_id"].as_int64(), rm);
  EXPECT_EQ(got["title"].as_string(), "周例会");
  EXPECT_EQ(got["rule"].as_object().at("freq").as_string(), "weekly");
  EXPECT_EQ(got["rule"].as_object().at("count").as_int64(), 5);
  EXPECT_EQ(got["occurrences"].as_array().size(), 3u);
  r = call(http::verb::get, url, member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body.find("周例会"), std::string::npos) << r.body;
  EXPECT_EQ(call(http::verb::get, "/api/booking-series/999999", staff_).status, 404u);

  // Every occurrence in conflict with skip: 409, nothing booked.
  r = call(http::verb::post, "/api/booking-series", staff_, series("skip", false));
  EXPECT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(all_bookings().size(), 6u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM booking_series"), 1);

  // This and following: from the 2nd occurrence's date, the 2nd and 4th are cancelled.
  EXPECT_EQ(call(http::verb::delete_, url + "?from=tomorrow", staff_).status, 400u);
  EXPECT_EQ(call(http::verb::delete_, url + "?from=" + day(d + 7), member_in_).status, 403u);
  EXPECT_EQ(call(http::verb::delete_, url + "?from=" + day(d + 7), leader_).status, 403u)
      << "another's series";
  r = call(http::verb::delete_, url + "?from=" + day(d + 7), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["cancelled"].as_int64(), 2);
  r = call(http::verb::delete_, url + "?from=" + day(d + 7), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["cancelled"].as_int64(), 0);
  r = call(http::verb::get, url, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto left = parse(r.body)["occurrences"].as_array();
  ASSERT_EQ(left.size(), 1u) << r.body;
  EXPECT_EQ(left[0].as_object().at("starts_at").as_string(), at(d, "09:00"));
  EXPECT_EQ(all_bookings().size(), 4u);
  // The whole series (from now on): the first occurrence lies ahead, so it goes too.
  r = call(http::verb::delete_, url, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["cancelled"].as_int64(), 1);
  EXPECT_EQ(all_bookings().size(), 3u);
  EXPECT_EQ(call(http::verb::delete_, "/api/booking-series/999999", staff_).status, 404u);

  // A bad rule: 400 naming the rule's fields.
  const auto bad_rule = [&](json::object rule) {
    auto body = series("fail", true);
    body["rule"] = std::move(rule);
    return call(http::verb::post, "/api/booking-series", staff_, body);
  };
  r = bad_rule({{"freq", "weekly"}, {"count", 3}, {"until", day(d + 30)}});
  ASSERT_EQ(r.status, 400u) << "count and until both: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("rule.until")) << r.body;
  r = bad_rule({{"freq", "weekly"}});
  ASSERT_EQ(r.status, 400u) << "neither count nor until: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("rule.until")) << r.body;
  r = bad_rule({{"freq", "weekly"}, {"by_weekday", json::array{1, 8}}, {"count", 3}});
  ASSERT_EQ(r.status, 400u) << "weekday 8: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("rule.by_weekday")) << r.body;
  r = bad_rule({{"freq", "daily"}, {"count", 3}});
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("rule.freq")) << r.body;
  r = bad_rule({{"freq", "weekly"}, {"count", 201}});
  ASSERT_EQ(r.status, 400u) << "over 200 occurrences: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("rule.count")) << r.body;
  r = bad_rule({{"freq", "weekly"}, {"until", day(d - 1)}});
  ASSERT_EQ(r.status, 400u) << "until before the first: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("rule.until")) << r.body;
  for (const auto& [name, value] : fields_of(r.body)) {
    EXPECT_TRUE(std::string(name).starts_with("rule")) << name;
  }
  auto body = series("maybe", false);
  r = call(http::verb::post, "/api/booking-series", staff_, body);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("on_conflict")) << r.body;
  EXPECT_EQ(call(http::verb::post, "/api/booking-series", member_in_, series("skip", false)).status,
            403u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM booking_series"), 1) << "no bad request made a series";
}

// ---- meetings: numbers, invitations, visibility, 回执 ----

TEST_P(MeetingsHttpTest, MeetingsComposeTitlesInviteByRuleAndShowOnlyToInvitees) {
  const long long rm = room("大会议室", 100);
  const int d = 30;
  auto r = call(http::verb::get, "/api/meetings/next-number?kind=council", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["term_no"].as_int64(), 1);
  EXPECT_EQ(parse(r.body)["session_no"].as_int64(), 1);
  EXPECT_EQ(parse(r.body)["title"].as_string(), "第一届第一次理事会");

  // Validation first: nothing of these is created.
  auto body = meeting_body("council", 3, 2, d, rm, true);
  body.erase("term_no");
  r = call(http::verb::post, "/api/meetings", staff_, body);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("term_no")) << r.body;
  body = meeting_body("seminar", 0, 0, d, std::nullopt, false);
  r = call(http::verb::post, "/api/meetings", staff_, body);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("title")) << "a seminar names itself: " << r.body;
  body = meeting_body("council", 3, 2, d, rm, true, {}, +1);
  r = call(http::verb::post, "/api/meetings", staff_, body);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("rsvp_deadline")) << r.body;
  body = meeting_body("council", 3, 2, d, rm, true);
  body["venue"] = "外部酒店";
  r = call(http::verb::post, "/api/meetings", staff_, body);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("venue")) << "a room or a venue: " << r.body;
  body = meeting_body("annual_party", 3, 2, d, rm, true);
  r = call(http::verb::post, "/api/meetings", staff_, body);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("kind")) << r.body;
  EXPECT_EQ(call(http::verb::post, "/api/meetings", member_in_,
                 meeting_body("council", 3, 2, d, rm, true))
                .status,
            403u);
  EXPECT_EQ(
      call(http::verb::post, "/api/meetings", leader_, meeting_body("council", 3, 2, d, rm, true))
          .status,
      403u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM meetings"), 0);

  // The meeting: its title composed, its room booked, the council tiers invited.
  r = call(http::verb::post, "/api/meetings", staff_, meeting_body("council", 3, 2, d, rm, true));
  ASSERT_EQ(r.status, 201u) << r.body;
  auto m = parse(r.body);
  const long long id = m["id"].as_int64();
  EXPECT_EQ(m["title"].as_string(), "第三届第二次理事会");
  EXPECT_EQ(m["kind"].as_string(), "council");
  EXPECT_EQ(m["term_no"].as_int64(), 3);
  EXPECT_EQ(m["session_no"].as_int64(), 2);
  EXPECT_EQ(m["status"].as_string(), "scheduled");
  EXPECT_EQ(m["mode"].as_string(), "onsite");
  EXPECT_EQ(m["starts_at"].as_string(), at(d, "09:00"));
  EXPECT_EQ(m["ends_at"].as_string(), at(d, "11:30"));
  EXPECT_EQ(m["rsvp_deadline"].as_string(), day(d - 5) + "T23:59:59+08:00");
  EXPECT_EQ(m["room_id"].as_int64(), rm);
  EXPECT_EQ(m["room_name"].as_string(), "大会议室");
  ASSERT_TRUE(m["booking_id"].is_int64()) << r.body;
  EXPECT_EQ(m["invited"].as_int64(), 5);
  EXPECT_EQ(m["replied"].as_int64(), 0);
  ASSERT_EQ(m["agenda"].as_array().size(), 1u);
  EXPECT_EQ(m["agenda"].as_array()[0].as_object().at("title").as_string(), "审议年度工作报告");
  EXPECT_TRUE(m["materials"].as_array().empty());
  const auto room_bookings = bookings(rm, day(d), day(d), staff_);
  ASSERT_EQ(room_bookings.size(), 1u);
  EXPECT_EQ(room_bookings[0].as_object().at("id").as_int64(), m["booking_id"].as_int64());
  EXPECT_EQ(room_bookings[0].as_object().at("meeting_id").as_int64(), id);
  EXPECT_EQ(room_bookings[0].as_object().at("title").as_string(), "第三届第二次理事会");

  // A second meeting in the same room at the same time: 409 naming the first one's booking.
  r = call(http::verb::post, "/api/meetings", staff_,
           meeting_body("standing_council", 3, 1, d, rm, true));
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(details_of(r.body)["booking_id"].as_int64(), m["booking_id"].as_int64()) << r.body;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM meetings"), 1) << "nothing of it is kept";

  // The next number: same 届, next 次.
  r = call(http::verb::get, "/api/meetings/next-number?kind=council", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["term_no"].as_int64(), 3);
  EXPECT_EQ(parse(r.body)["session_no"].as_int64(), 3);
  EXPECT_EQ(parse(r.body)["title"].as_string(), "第三届第三次理事会");
  r = call(http::verb::get, "/api/meetings/next-number?kind=general_assembly", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["title"].as_string(), "第一届第一次会员大会") << "per kind";
  r = call(http::verb::get, "/api/meetings/next-number?kind=party", staff_);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(call(http::verb::get, "/api/meetings/next-number?kind=council", member_in_).status,
            403u);

  // Invited by rule: exactly the active units of council tier and above.
  r = call(http::verb::get, meeting_url(id, "/invitees"), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  std::map<long long, std::string> invited;
  for (const auto& v : items_of(r.body)) {
    const auto& i = v.as_object();
    invited[i.at("member_id").as_int64()] = std::string(i.at("tier").as_string());
    EXPECT_EQ(i.at("source").as_string(), "rule");
  }
  const std::map<long long, std::string> expected{{units_[kYuelu], "council"},
                                                  {units_[kXiangtan], "council"},
                                                  {units_[kZhuzhou], "standing_council"},
                                                  {units_[kHengyang], "vice_president"},
                                                  {units_[kChenzhou], "president"}};
  EXPECT_EQ(invited, expected) << r.body;
  EXPECT_TRUE(parse(r.body)["users"].as_array().empty());
  const std::string notified =
      "SELECT COUNT(*) FROM notifications WHERE kind = 'meeting.invited' "
      "AND entity_id = " +
      std::to_string(id);
  EXPECT_EQ(scalar(notified), 5) << "each invited unit is notified";
  EXPECT_EQ(scalar(notified + " AND member_id IN (" + std::to_string(units_[kYiyang]) + "," +
                   std::to_string(units_[kLoudi]) + "," + std::to_string(units_[kShaoyang]) + ")"),
            0);

  // A unit that is not invited: the meeting does not exist for it.
  r = call(http::verb::get, meeting_url(id), member_out_);
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_EQ(r.body.find("理事会"), std::string::npos) << r.body;
  r = call(http::verb::get, "/api/meetings", member_out_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(items_of(r.body).empty()) << r.body;
  EXPECT_EQ(call(http::verb::get, meeting_url(id, "/rsvp"), member_out_).status, 404u);
  EXPECT_EQ(reply(id, rsvp_body(units_[kYiyang], true), member_out_).status, 404u);
  EXPECT_EQ(call(http::verb::get, meeting_url(id, "/resolutions"), member_out_).status, 404u);
  EXPECT_EQ(call(http::verb::get, meeting_url(id, "/pass"), member_out_).status, 404u);
  EXPECT_EQ(call(http::verb::get, meeting_url(999999), staff_).status, 404u);

  // An invited unit sees it, with no reply yet; leaders see every meeting.
  r = call(http::verb::get, meeting_url(id), member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  ASSERT_TRUE(parse(r.body).contains("my_reply")) << r.body;
  EXPECT_TRUE(parse(r.body)["my_reply"].is_null()) << r.body;
  r = call(http::verb::get, "/api/meetings", member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  ASSERT_EQ(items_of(r.body).size(), 1u) << r.body;
  EXPECT_EQ(items_of(r.body)[0].as_object().at("id").as_int64(), id);
  EXPECT_EQ(call(http::verb::get, meeting_url(id), leader_).status, 200u);
  r = call(http::verb::get, "/api/meetings?kind=council&status=scheduled", leader_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(items_of(r.body).size(), 1u);
  EXPECT_EQ(call(http::verb::get, "/api/meetings?kind=party", leader_).status, 400u);
  r = call(http::verb::get, "/api/meetings?from=" + day(d + 1), leader_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(items_of(r.body).empty()) << "a range after the meeting";
  r = call(http::verb::get, meeting_url(id, "/rsvp"), member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body, "null");

  // Staff-only views.
  for (const std::string& path :
       {std::string("/rsvps"), std::string("/invitees"), std::string("/sign-in-sheet"),
        std::string("/rsvps?format=xlsx")}) {
    EXPECT_EQ(call(http::verb::get, meeting_url(id, path), member_in_).status, 403u) << path;
  }
  EXPECT_EQ(call(http::verb::post, meeting_url(id, "/reminders"), member_in_).status, 403u);
  EXPECT_EQ(call(http::verb::get, meeting_url(id, "/quorum"), member_in_).status, 403u);

  // The 回执: for its own unit only; names, titles and valid mobiles.
  r = reply(id, rsvp_body(units_[kXiangtan], true), member_in_);
  EXPECT_EQ(r.status, 403u) << "another unit's reply: " << r.body;
  r = reply(id, rsvp_body(units_[kYuelu], true, std::nullopt, "123"), member_in_);
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("attendees[0].mobile")) << r.body;
  auto none = rsvp_body(units_[kYuelu], true);
  none["attendees"] = json::array{};
  r = reply(id, none, member_in_);
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("attendees")) << r.body;
  r = reply(id, rsvp_body(units_[kYuelu], true), member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto rsvp = parse(r.body);
  EXPECT_EQ(rsvp["member_id"].as_int64(), units_[kYuelu]);
  EXPECT_EQ(rsvp["member_name"].as_string(), "岳麓高新区");
  EXPECT_TRUE(rsvp["attending"].as_bool());
  ASSERT_EQ(rsvp["attendees"].as_array().size(), 1u);
  EXPECT_EQ(rsvp["attendees"].as_array()[0].as_object().at("name").as_string(), "张三");
  EXPECT_EQ(rsvp["attendees"].as_array()[0].as_object().at("mobile").as_string(), "13900000001");
  EXPECT_TRUE(rsvp["proxy_to_member_id"].is_null());
  EXPECT_TRUE(rsvp["replied_at"].is_string());
  r = call(http::verb::get, meeting_url(id), member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  m = parse(r.body);
  ASSERT_TRUE(m["my_reply"].is_object()) << r.body;
  EXPECT_EQ(m["my_reply"].as_object().at("member_id").as_int64(), units_[kYuelu]);
  EXPECT_TRUE(m["my_reply"].as_object().at("attending").as_bool());
  EXPECT_EQ(m["replied"].as_int64(), 1);
  EXPECT_EQ(m["attending"].as_int64(), 1);
  r = call(http::verb::get, "/api/meetings", member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(items_of(r.body)[0].as_object().at("my_reply").is_object());
  r = call(http::verb::get, meeting_url(id, "/rsvp"), member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["member_id"].as_int64(), units_[kYuelu]);
  // Another invited unit does not see 岳麓's reply as its own.
  r = call(http::verb::get, meeting_url(id), member_in2_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(parse(r.body)["my_reply"].is_null()) << r.body;
  EXPECT_EQ(r.body.find("张三"), std::string::npos) << r.body;
  // Changed until the deadline.
  r = reply(id, rsvp_body(units_[kYuelu], false), member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(parse(r.body)["attending"].as_bool());
  EXPECT_TRUE(parse(r.body)["attendees"].as_array().empty());

  // Invitations by hand: 益阳 is added (and then sees the meeting), then withdrawn again; a unit
  // that has replied cannot be withdrawn.
  r = call(http::verb::post, meeting_url(id, "/invitees"), staff_,
           json::object{{"member_ids", json::array{units_[kYiyang]}}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["added"].as_int64(), 1);
  EXPECT_EQ(call(http::verb::get, meeting_url(id), member_out_).status, 200u);
  EXPECT_EQ(call(http::verb::delete_,
                 meeting_url(id, "/invitees/" + std::to_string(units_[kYiyang])), staff_)
                .status,
            204u);
  EXPECT_EQ(call(http::verb::get, meeting_url(id), member_out_).status, 404u);
  EXPECT_EQ(call(http::verb::delete_,
                 meeting_url(id, "/invitees/" + std::to_string(units_[kYuelu])), staff_)
                .status,
            409u);
}

TEST_P(MeetingsHttpTest, ProxiesGoOnlyToAnotherInvitedUnitWithinTheLimit) {
  const long long id = council_meeting(30);
  const long long yuelu = units_[kYuelu], xiangtan = units_[kXiangtan];
  const auto expect_proxy_refused = [&](const HttpReply& r, const std::string& why) {
    EXPECT_EQ(r.status, 409u) << why << ": " << r.body;
    EXPECT_TRUE(fields_of(r.body).contains("proxy_to_member_id")) << why << ": " << r.body;
  };
  expect_proxy_refused(reply(id, rsvp_body(xiangtan, false, xiangtan), member_in2_), "to itself");
  expect_proxy_refused(reply(id, rsvp_body(xiangtan, false, units_[kYiyang]), member_in2_),
                       "to an uninvited unit");
  expect_proxy_refused(reply(id, rsvp_body(xiangtan, false, units_[kLoudi]), member_in2_),
                       "to a lapsed, uninvited unit");
  expect_proxy_refused(reply(id, rsvp_body(xiangtan, false, 999999), member_in2_),
                       "to no unit at all");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM meeting_rsvps"), 0);

  auto r = reply(id, rsvp_body(xiangtan, false, yuelu), member_in2_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["proxy_to_member_id"].as_int64(), yuelu);
  EXPECT_EQ(parse(r.body)["proxy_to_name"].as_string(), "岳麓高新区");
  EXPECT_FALSE(parse(r.body)["attending"].as_bool());
  // 岳麓 holds one proxy: the default limit.
  expect_proxy_refused(reply(id, rsvp_body(units_[kZhuzhou], false, yuelu), staff_),
                       "a holder at its limit");
  // A holder cannot give its own proxy away; nor can a unit hold one after giving its own.
  expect_proxy_refused(reply(id, rsvp_body(yuelu, false, units_[kHengyang]), staff_),
                       "a holder gives its own");
  expect_proxy_refused(reply(id, rsvp_body(units_[kHengyang], false, xiangtan), staff_),
                       "to a unit that gave its own");

  r = call(http::verb::get, meeting_url(id, "/rsvps"), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto matrix = parse(r.body);
  std::map<long long, json::object> rows;
  for (const auto& v : matrix["items"].as_array()) {
    rows[v.as_object().at("member_id").as_int64()] = v.as_object();
  }
  ASSERT_EQ(rows.size(), 5u) << r.body;
  EXPECT_EQ(rows[yuelu]["proxies_held"], (json::array{xiangtan}));
  EXPECT_EQ(rows[yuelu]["state"].as_string(), "none");
  EXPECT_EQ(rows[xiangtan]["state"].as_string(), "proxy");
  EXPECT_TRUE(rows[units_[kZhuzhou]]["reply"].is_null());
  auto counts = matrix["counts"].as_object();
  EXPECT_EQ(counts["invited"].as_int64(), 5);
  EXPECT_EQ(counts["replied"].as_int64(), 1);
  EXPECT_EQ(counts["proxy"].as_int64(), 1);
  EXPECT_EQ(counts["none"].as_int64(), 4);

  // The limit is a setting: at two, 株洲 may give its proxy to 岳麓 too.
  r = call(http::verb::put, "/api/meetings/settings", member_in_,
           R"({"max_proxies_per_holder":2})");
  EXPECT_EQ(r.status, 403u);
  r = call(http::verb::put, "/api/meetings/settings", staff_, R"({"max_proxies_per_holder":11})");
  EXPECT_EQ(r.status, 400u) << r.body;
  r = call(http::verb::put, "/api/meetings/settings", staff_, R"({"max_proxies_per_holder":2})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["max_proxies_per_holder"].as_int64(), 2);
  r = reply(id, rsvp_body(units_[kZhuzhou], false, yuelu), staff_);
  EXPECT_EQ(r.status, 200u) << r.body;
  expect_proxy_refused(reply(id, rsvp_body(units_[kChenzhou], false, yuelu), staff_),
                       "the third for a limit of two");

  // A kind without proxies (常务理事会 by default).
  const long long standing =
      create_meeting(meeting_body("standing_council", 3, 1, 31, std::nullopt, true));
  expect_proxy_refused(
      reply(standing, rsvp_body(units_[kZhuzhou], false, units_[kHengyang]), staff_),
      "a standing council takes no proxies");
}

TEST_P(MeetingsHttpTest, TenParallelProxiesToOneHolderOneSucceeds) {
  std::vector<long long> ids;
  for (int i = 0; i < 11; ++i) {
    ids.push_back(add_unit("受托测试单位" + std::to_string(i), "member"));
  }
  const long long holder = ids[0];
  const long long id = create_meeting(meeting_body("council", 3, 4, 30, std::nullopt, false, ids));
  ASSERT_NE(id, 0);
  std::mutex mutex;
  std::map<unsigned, int> statuses;
  std::vector<std::string> odd;
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (std::size_t i = 1; i < ids.size(); ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      auto r = reply(id, rsvp_body(ids[i], false, holder), staff_);
      std::lock_guard lock(mutex);
      ++statuses[r.status];
      if (r.status == 409u && !fields_of(r.body).contains("proxy_to_member_id")) {
        odd.push_back(r.body);
      } else if (r.status != 200u && r.status != 409u) {
        odd.push_back(std::to_string(r.status) + ": " + r.body);
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(statuses[200u], 1);
  EXPECT_EQ(statuses[409u], 9);
  EXPECT_TRUE(odd.empty()) << odd.front();
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM meeting_rsvps WHERE proxy_to_member_id = " +
                   std::to_string(holder)),
            1);
  auto r = call(http::verb::get, meeting_url(id, "/rsvps"), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  for (const auto& v : items_of(r.body)) {
    const auto& row = v.as_object();
    if (row.at("member_id").as_int64() == holder) {
      EXPECT_EQ(row.at("proxies_held").as_array().size(), 1u) << json::serialize(row);
    }
  }
  EXPECT_EQ(parse(r.body)["counts"].as_object().at("proxy").as_int64(), 1);
}

// ---- deadline, attendance, quorum, resolutions ----

TEST_P(MeetingsHttpTest, DeadlinePassesAttendanceQuorumAndResolutions) {
  // Replies closed yesterday; the meeting is the day after tomorrow.
  const long long id = council_meeting(2, std::nullopt, -3);
  ASSERT_NE(id, 0);
  auto r = reply(id, rsvp_body(units_[kYuelu], true), member_in_);
  EXPECT_EQ(r.status, 409u) << "after the deadline: " << r.body;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM meeting_rsvps"), 0);
  r = reply(id, rsvp_body(units_[kYuelu], true), staff_);
  EXPECT_EQ(r.status, 200u) << "staff record late replies: " << r.body;

  // The unit's pass; staff check it in by its token.
  r = call(http::verb::get, meeting_url(id, "/pass"), member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto pass = parse(r.body);
  EXPECT_EQ(pass["member_id"].as_int64(), units_[kYuelu]);
  EXPECT_EQ(pass["member_name"].as_string(), "岳麓高新区");
  const std::string token(pass["token"].as_string());
  EXPECT_TRUE(std::string(pass["check_in_url"].as_string())
                  .ends_with("/meeting-check-in/" + std::to_string(id) + "/" + token))
      << r.body;
  EXPECT_TRUE(pass["qr_svg"].as_string().starts_with("<svg"));
  EXPECT_EQ(
      call(http::verb::get, meeting_url(id, "/pass?member_id=" + std::to_string(units_[kXiangtan])),
           member_in_)
          .status,
      404u)
      << "another unit's pass";
  r = call(http::verb::get, meeting_url(id, "/pass?member_id=" + std::to_string(units_[kXiangtan])),
           staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_NE(parse(r.body)["token"].as_string(), token);

  const long long other = council_meeting(3, std::nullopt, -3, 3);
  r = call(http::verb::get, meeting_url(other, "/pass?member_id=" + std::to_string(units_[kYuelu])),
           staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const std::string other_token(parse(r.body)["token"].as_string());
  const std::string attendance = meeting_url(id, "/attendance");
  r = call(http::verb::post, attendance, staff_, json::object{{"token", other_token}});
  EXPECT_EQ(r.status, 404u) << "a token of another meeting: " << r.body;
  EXPECT_EQ(call(http::verb::post, attendance, staff_, json::object{{"token", "garbage"}}).status,
            404u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM meeting_attendance"), 0);
  r = call(http::verb::post, attendance, staff_, json::object{{"token", token}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["member_id"].as_int64(), units_[kYuelu]);
  EXPECT_EQ(parse(r.body)["member_name"].as_string(), "岳麓高新区");
  EXPECT_TRUE(parse(r.body)["present"].as_bool());
  EXPECT_TRUE(parse(r.body)["new"].as_bool());
  r = call(http::verb::post, attendance, staff_, json::object{{"token", token}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(parse(r.body)["new"].as_bool()) << "checked in once";
  EXPECT_EQ(call(http::verb::post, attendance, member_in_, json::object{{"token", token}}).status,
            403u);
  r = call(http::verb::post, attendance, staff_, "{}");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("member_id")) << r.body;
  EXPECT_EQ(call(http::verb::post, attendance, staff_,
                 json::object{{"member_id", units_[kYiyang]}, {"present", true}})
                .status,
            404u)
      << "not invited";
  const auto check_in = [&](long long unit, bool present) {
    auto x = call(http::verb::post, attendance, staff_,
                  json::object{{"member_id", unit}, {"present", present}});
    EXPECT_EQ(x.status, 200u) << x.body;
  };
  check_in(units_[kXiangtan], true);
  // 株洲 gives its proxy to 岳麓, who is present.
  ASSERT_EQ(reply(id, rsvp_body(units_[kZhuzhou], false, units_[kYuelu]), staff_).status, 200u);

  const auto quorum = [&](const Headers& who = {}) {
    auto q = call(http::verb::get, meeting_url(id, "/quorum"), who.empty() ? staff_ : who);
    EXPECT_EQ(q.status, 200u) << q.body;
    return parse(q.body);
  };
  auto q = quorum();
  EXPECT_EQ(q["entitled"].as_int64(), 5);
  EXPECT_EQ(q["in_person"].as_int64(), 2);
  EXPECT_EQ(q["proxies"].as_int64(), 1);
  EXPECT_EQ(q["present"].as_int64(), 3);
  EXPECT_EQ(q["required"].as_int64(), 4) << "⌈5 × 2/3⌉";
  EXPECT_FALSE(q["reached"].as_bool());
  EXPECT_EQ(q["ratio"].as_object().at("num").as_int64(), 2);
  EXPECT_EQ(q["ratio"].as_object().at("den").as_int64(), 3);
  // A lapsed unit invited by hand and present has no vote.
  ASSERT_EQ(call(http::verb::post, meeting_url(id, "/invitees"), staff_,
                 json::object{{"member_ids", json::array{units_[kLoudi]}}})
                .status,
            200u);
  check_in(units_[kLoudi], true);
  q = quorum(leader_);
  EXPECT_EQ(q["entitled"].as_int64(), 5);
  EXPECT_EQ(q["in_person"].as_int64(), 2);
  EXPECT_EQ(q["present"].as_int64(), 3);
  check_in(units_[kHengyang], true);
  q = quorum();
  EXPECT_EQ(q["present"].as_int64(), 4);
  EXPECT_TRUE(q["reached"].as_bool());
  check_in(units_[kXiangtan], false);
  q = quorum();
  EXPECT_EQ(q["in_person"].as_int64(), 2);
  EXPECT_EQ(q["present"].as_int64(), 3);
  EXPECT_FALSE(q["reached"].as_bool());
  check_in(units_[kXiangtan], true);
  EXPECT_TRUE(quorum()["reached"].as_bool());

  // Resolutions: the live figures (5 entitled, 4 present) unless given.
  const std::string resolutions = meeting_url(id, "/resolutions");
  const auto resolve = [&](const std::string& kind, const std::string& method, int votes_for,
                           int against, int abstentions,
                           std::optional<std::pair<int, int>> figures = std::nullopt) {
    json::object body{{"title", "关于" + kind + "的决议"},
                      {"kind", kind},
                      {"method", method},
                      {"votes_for", votes_for},
                      {"votes_against", against},
                      {"abstentions", abstentions}};
    if (figures) {
      body["entitled"] = figures->first;
      body["present"] = figures->second;
    }
    return call(http::verb::post, resolutions, staff_, body);
  };
  r = resolve("ordinary", "secret_ballot", 3, 1, 0);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto res = parse(r.body);
  EXPECT_TRUE(res["passed"].as_bool()) << "3 of 4 is more than half";
  EXPECT_EQ(res["entitled"].as_int64(), 5);
  EXPECT_EQ(res["present"].as_int64(), 4);
  EXPECT_EQ(res["rule"].as_string(), "赞成票超过实到人数的1/2");
  EXPECT_EQ(res["method_label"].as_string(), "无记名投票");
  const long long first_resolution = res["id"].as_int64();
  r = resolve("ordinary", "show_of_hands", 2, 2, 0);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_FALSE(parse(r.body)["passed"].as_bool()) << "exactly half is not more than half";
  EXPECT_EQ(parse(r.body)["method_label"].as_string(), "举手表决");
  r = resolve("charter", "secret_ballot", 3, 1, 0);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_TRUE(parse(r.body)["passed"].as_bool()) << "3 ≥ ⌈4 × 2/3⌉";
  EXPECT_EQ(parse(r.body)["rule"].as_string(), "赞成票不少于实到人数的2/3");
  r = resolve("charter", "secret_ballot", 2, 1, 1);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_FALSE(parse(r.body)["passed"].as_bool());
  r = resolve("dues", "written", 14, 5, 1, std::pair{30, 20});
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_TRUE(parse(r.body)["passed"].as_bool()) << "14 ≥ 20 × 2/3";
  EXPECT_EQ(parse(r.body)["entitled"].as_int64(), 30);
  EXPECT_EQ(parse(r.body)["present"].as_int64(), 20);
  EXPECT_EQ(parse(r.body)["method_label"].as_string(), "通讯表决");
  r = resolve("dues", "written", 13, 6, 1, std::pair{30, 20});
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_FALSE(parse(r.body)["passed"].as_bool()) << "13 < 20 × 2/3";
  // Bad figures: 400, nothing recorded.
  r = resolve("ordinary", "secret_ballot", 3, 1, 1);
  EXPECT_EQ(r.status, 400u) << "5 votes of 4 present: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("votes_for")) << r.body;
  r = resolve("ordinary", "secret_ballot", 3, 0, 0, std::pair{30, 31});
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("present")) << r.body;
  r = resolve("ordinary", "secret_ballot", -1, 0, 0);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("votes_for")) << r.body;
  r = resolve("ordinary", "applause", 3, 0, 0);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("method")) << r.body;
  r = resolve("budget", "secret_ballot", 3, 0, 0);
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("kind")) << r.body;
  r = call(http::verb::post, resolutions, staff_,
           R"({"title":"x","method":"written","entitled":10,"votes_for":1,)"
           R"("votes_against":0,"abstentions":0})");
  // Entitled given, present not: present is the live figure (docs/API.md).
  ASSERT_EQ(r.status, 201u) << "entitled without present: " << r.body;
  EXPECT_EQ(parse(r.body)["entitled"].as_int64(), 10);
  EXPECT_EQ(
      parse(r.body)["present"].as_int64(),
      parse(call(http::verb::get, meeting_url(id, "/quorum"), staff_).body)["present"].as_int64());
  EXPECT_EQ(call(http::verb::delete_,
                 "/api/resolutions/" + std::to_string(parse(r.body)["id"].as_int64()), staff_)
                .status,
            204u);
  r = call(http::verb::post, resolutions, member_in_,
           R"({"title":"x","method":"written","votes_for":1,"votes_against":0,"abstentions":0})");
  EXPECT_EQ(r.status, 403u);
  r = call(http::verb::get, resolutions, member_in_);
  ASSERT_EQ(r.status, 200u) << "an invitee reads the resolutions: " << r.body;
  EXPECT_EQ(items_of(r.body).size(), 6u) << r.body;
  EXPECT_EQ(
      call(http::verb::delete_, "/api/resolutions/" + std::to_string(first_resolution), member_in_)
          .status,
      403u);
  EXPECT_EQ(
      call(http::verb::delete_, "/api/resolutions/" + std::to_string(first_resolution), staff_)
          .status,
      204u);
  EXPECT_EQ(
      call(http::verb::delete_, "/api/resolutions/" + std::to_string(first_resolution), staff_)
          .status,
      404u);
  r = call(http::verb::get, resolutions, staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(items_of(r.body).size(), 5u);
}

// ---- reminders, exports, cancellation ----

TEST_P(MeetingsHttpTest, RemindersExportsAndCancellationFreesTheRoom) {
  const long long rm = room("礼堂", 300);
  const int d = 30;
  const long long id = council_meeting(d, rm);
  ASSERT_NE(id, 0);
  auto body = rsvp_body(units_[kYuelu], true);
  body["attendees"] =
      json::array{json::object{{"name", "王五"}, {"title", "主任"}, {"mobile", "13900000005"}},
                  json::object{{"name", "赵六"}, {"title", "科员"}, {"mobile", "13900000006"}}};
  auto r = reply(id, body, member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;

  // Reminders: the four units without a reply, then none again the same day.
  r = call(http::verb::post, meeting_url(id, "/reminders"), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["sent"].as_int64(), 4) << r.body;
  r = call(http::verb::post, meeting_url(id, "/reminders"), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["sent"].as_int64(), 0) << "once per unit per day: " << r.body;
  const std::string reminded =
      "SELECT COUNT(*) FROM notifications WHERE kind = 'meeting.reminder' AND entity_id = " +
      std::to_string(id);
  EXPECT_EQ(scalar(reminded), 4);
  EXPECT_EQ(scalar(reminded + " AND member_id = " + std::to_string(units_[kYuelu])), 0)
      << "the unit that replied is not reminded";

  // The reply matrix, by pinyin: chen, heng, xiang, yue, zhu.
  const std::vector<std::string> by_pinyin{"郴州高新区", "衡阳高新区", "湘潭经开区", "岳麓高新区",
                                           "株洲高新区"};
  r = call(http::verb::get, meeting_url(id, "/rsvps"), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto matrix = parse(r.body);
  std::vector<std::string> names;
  for (const auto& v : matrix["items"].as_array()) {
    const auto& row = v.as_object();
    names.emplace_back(row.at("member_name").as_string());
    if (row.at("member_id").as_int64() == units_[kYuelu]) {
      EXPECT_EQ(row.at("state").as_string(), "attending");
      EXPECT_EQ(row.at("reply").as_object().at("attendees").as_array().size(), 2u);
      EXPECT_FALSE(row.at("present").as_bool());
    } else {
      EXPECT_EQ(row.at("state").as_string(), "none");
      EXPECT_TRUE(row.at("reply").is_null());
    }
  }
  EXPECT_EQ(names, by_pinyin);
  auto counts = matrix["counts"].as_object();
  EXPECT_EQ(counts["invited"].as_int64(), 5);
  EXPECT_EQ(counts["replied"].as_int64(), 1);
  EXPECT_EQ(counts["attending"].as_int64(), 1);
  EXPECT_EQ(counts["absent"].as_int64(), 0);
  EXPECT_EQ(counts["proxy"].as_int64(), 0);
  EXPECT_EQ(counts["none"].as_int64(), 4);

  // The 回执 summary and the 签到表 as xlsx, rows by pinyin of the unit.
  r = call(http::verb::get, meeting_url(id, "/rsvps?format=xlsx"), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("Content-Type"), kXlsxType);
  EXPECT_TRUE(r.body.starts_with("PK"));
  EXPECT_TRUE(r.header("Content-Disposition").starts_with("attachment"))
      << r.header("Content-Disposition");
  auto sheet = read_sheet(r.body);
  ASSERT_TRUE(sheet.has_value()) << sheet.error().message.en;
  ASSERT_FALSE(sheet->headers.empty());
  EXPECT_EQ(sheet->headers[0], "单位");
  ASSERT_EQ(sheet->rows.size(), 5u);
  names.clear();
  for (const auto& row : sheet->rows) names.push_back(row.cells.empty() ? "" : row.cells[0]);
  EXPECT_EQ(names, by_pinyin);
  ASSERT_GE(sheet->rows[3].cells.size(), 4u);
  EXPECT_EQ(sheet->rows[3].cells[2], "参加");
  EXPECT_NE(sheet->rows[3].cells[3].find("王五"), std::string::npos);

  r = call(http::verb::get, meeting_url(id, "/sign-in-sheet"), staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("Content-Type"), kXlsxType);
  EXPECT_TRUE(r.body.starts_with("PK"));
  sheet = read_sheet(r.body);
  ASSERT_TRUE(sheet.has_value()) << sheet.error().message.en;
  EXPECT_EQ(sheet->headers,
            (std::vector<std::string>{"序号", "单位", "姓名", "职务", "手机", "签名"}));
  std::vector<std::pair<std::string, std::string>> lines;
  for (const auto& row : sheet->rows) {
    lines.emplace_back(row.cells.size() > 1 ? row.cells[1] : "",
                       row.cells.size() > 2 ? row.cells[2] : "");
  }
  const std::vector<std::pair<std::string, std::string>> expected_lines{
      {"郴州高新区", ""},     {"衡阳高新区", ""},     {"湘潭经开区", ""},
      {"岳麓高新区", "王五"}, {"岳麓高新区", "赵六"}, {"株洲高新区", ""}};
  EXPECT_EQ(lines, expected_lines);

  // Cancelling the meeting cancels its booking: the slot can be booked again.
  ASSERT_EQ(bookings(rm, day(d), day(d), staff_).size(), 1u);
  EXPECT_EQ(book(rm, at(d, "10:00"), at(d, "10:30"), "抢占", staff_).status, 409u);
  r = call(http::verb::patch, meeting_url(id), member_in_, R"({"status":"cancelled"})");
  EXPECT_EQ(r.status, 403u);
  r = call(http::verb::patch, meeting_url(id), staff_, R"({"status":"postponed"})");
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("status")) << r.body;
  r = call(http::verb::patch, meeting_url(id), staff_, R"({"status":"cancelled"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["status"].as_string(), "cancelled");
  EXPECT_TRUE(bookings(rm, day(d), day(d), staff_).empty());
  r = book(rm, at(d, "09:00"), at(d, "11:30"), "改作培训", staff_);
  EXPECT_EQ(r.status, 201u) << "the freed slot: " << r.body;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'meeting.cancelled' AND "
                   "entity_id = " +
                   std::to_string(id)),
            5);
  EXPECT_EQ(call(http::verb::patch, meeting_url(id), staff_, R"({"status":"scheduled"})").status,
            409u);
  EXPECT_EQ(reply(id, rsvp_body(units_[kYuelu], false), staff_).status, 409u);
  EXPECT_EQ(call(http::verb::post, meeting_url(id, "/attendance"), staff_,
                 json::object{{"member_id", units_[kYuelu]}, {"present", true}})
                .status,
            409u);
  EXPECT_EQ(call(http::verb::post, meeting_url(id, "/reminders"), staff_).status, 409u);
  r = call(http::verb::get, meeting_url(id), member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(parse(r.body)["status"].as_string(), "cancelled");
}

// A room switched off after a meeting was put in it: the meeting can still be finished and get
// its minutes; only moving a meeting into a switched-off room is refused. Only one figure of a
// vote given: the other is the live one.
TEST_P(MeetingsHttpTest, AMeetingInARoomSwitchedOffLaterCanStillBeFinished) {
  const long long hall = room("旧礼堂");
  const long long id = council_meeting(12, hall);
  ASSERT_NE(id, 0);
  ASSERT_EQ(
      call(http::verb::patch, "/api/rooms/" + std::to_string(hall), staff_, R"({"active":false})")
          .status,
      200u);
  auto r = call(http::verb::patch, meeting_url(id), staff_, R"({"minutes":"会议纪要"})");
  EXPECT_EQ(r.status, 200u) << r.body;
  r = call(http::verb::post, meeting_url(id, "/resolutions"), staff_,
           json::object{{"title", "决议"},
                        {"kind", "ordinary"},
                        {"method", "show_of_hands"},
                        {"present", 0},
                        {"votes_for", 0},
                        {"votes_against", 0},
                        {"abstentions", 0}});
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(parse(r.body)["present"].as_int64(), 0);
  EXPECT_GT(parse(r.body)["entitled"].as_int64(), 0) << "entitled taken from the live quorum";
  r = call(http::verb::patch, meeting_url(id), staff_, R"({"status":"finished"})");
  EXPECT_EQ(r.status, 200u) << r.body;
  const long long other = council_meeting(14, std::nullopt, -5, 4);
  r = call(http::verb::patch, meeting_url(other), staff_, json::object{{"room_id", hall}});
  EXPECT_EQ(r.status, 409u) << "moving into a switched-off room: " << r.body;
}

// ---- materials ----

TEST_P(MeetingsHttpTest, MaterialsAreTypeCheckedAndServedOnlyToInvitees) {
  const long long id = council_meeting(30);
  const long long other = council_meeting(31, std::nullopt, -5, 3);
  ASSERT_NE(id, 0);
  const std::string pdf = minimal_pdf();
  const auto upload = [&](const std::string& query, const std::string& bytes, const Headers& who) {
    Headers h = who;
    h.emplace_back("Content-Type", "application/octet-stream");
    return http_request(app_.port(), http::verb::post, meeting_url(id, "/materials" + query), bytes,
                        h);
  };
  const std::string agenda = url_encode("议程.pdf");
  auto r = upload("?filename=" + agenda, pdf, staff_);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto material = parse(r.body);
  EXPECT_EQ(material["filename"].as_string(), "议程.pdf");
  EXPECT_EQ(material["size"].as_int64(), static_cast<long long>(pdf.size()));
  EXPECT_EQ(material["content_type"].as_string(), "application/pdf");
  const long long mid = material["id"].as_int64();
  const std::string download = meeting_url(id, "/materials/" + std::to_string(mid));

  // The same file as a browser form sends it (multipart/form-data): the name comes from the part.
  {
    Headers h = staff_;
    h.emplace_back("Content-Type", "multipart/form-data; boundary=----xiehui7MA4YWxk");
    const std::string form =
        "------xiehui7MA4YWxk\r\nContent-Disposition: form-data; name=\"file\"; "
        "filename=\"会议须知.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" +
        pdf + "\r\n------xiehui7MA4YWxk--\r\n";
    auto m = http_request(app_.port(), http::verb::post, meeting_url(id, "/materials"), form, h);
    ASSERT_EQ(m.status, 201u) << m.body;
    EXPECT_EQ(parse(m.body)["filename"].as_string(), "会议须知.pdf");
    EXPECT_EQ(parse(m.body)["size"].as_int64(), static_cast<long long>(pdf.size()));
    const std::string url =
        meeting_url(id, "/materials/" + std::to_string(parse(m.body)["id"].as_int64()));
    EXPECT_EQ(call(http::verb::get, url, member_in_).body, pdf) << "the part's bytes, not the form";
    EXPECT_EQ(call(http::verb::delete_, url, staff_).status, 204u);
    auto bad = http_request(app_.port(), http::verb::post, meeting_url(id, "/materials"),
                            "------xiehui7MA4YWxk\r\nbroken", h);
    EXPECT_EQ(bad.status, 400u) << bad.body;
    EXPECT_TRUE(fields_of(bad.body).contains("file")) << bad.body;
  }

  r = call(http::verb::get, meeting_url(id), member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto listed = parse(r.body)["materials"].as_array();
  ASSERT_EQ(listed.size(), 1u) << r.body;
  EXPECT_EQ(listed[0].as_object().at("id").as_int64(), mid);
  EXPECT_EQ(listed[0].as_object().at("filename").as_string(), "议程.pdf");

  // An invitee downloads the same bytes, as an attachment under its name.
  r = call(http::verb::get, download, member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body, pdf);
  EXPECT_EQ(r.header("Content-Type"), "application/pdf");
  const std::string disposition = r.header("Content-Disposition");
  EXPECT_TRUE(disposition.starts_with("attachment")) << disposition;
  EXPECT_NE(disposition.find("filename*=UTF-8''" + agenda), std::string::npos) << disposition;
  EXPECT_EQ(call(http::verb::get, download, staff_).body, pdf);
  // Leaders read every meeting, but materials go to invitees and staff only.
  EXPECT_EQ(call(http::verb::get, download, leader_).status, 404u);
  // Not invited, unknown, or under another meeting: 404.
  r = call(http::verb::get, download, member_out_);
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_EQ(r.body.find("%PDF"), std::string::npos);
  EXPECT_EQ(call(http::verb::get, meeting_url(id, "/materials/999999"), member_in_).status, 404u);
  EXPECT_EQ(
      call(http::verb::get, meeting_url(other, "/materials/" + std::to_string(mid)), staff_).status,
      404u);
  EXPECT_EQ(call(http::verb::get, download, {}).status, 401u);

  // Content must match the extension; the name must be allowed; the body must not be empty.
  r = upload("?filename=x.docx", pdf, staff_);
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("file")) << r.body;
  EXPECT_FALSE(fields_of(r.body).contains("filename")) << r.body;
  r = upload("?filename=" + url_encode("议程.pdf"), "#!/bin/sh\necho pwned\n", staff_);
  ASSERT_EQ(r.status, 400u) << "a script renamed .pdf: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("file")) << r.body;
  r = upload("?filename=" + url_encode("议程.exe"), pdf, staff_);
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("filename")) << r.body;
  r = upload("?filename=agenda", pdf, staff_);
  ASSERT_EQ(r.status, 400u) << "no extension: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("filename")) << r.body;
  r = upload("", pdf, staff_);
  ASSERT_EQ(r.status, 400u) << "no filename: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("filename")) << r.body;
  r = upload("?filename=a.pdf", "", staff_);
  ASSERT_EQ(r.status, 400u) << "empty body: " << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("file")) << r.body;
  for (const char* path : {"../b.pdf", "a/b.pdf", "a\\b.pdf"}) {
    r = upload("?filename=" + url_encode(path), pdf, staff_);
    EXPECT_EQ(r.status, 400u) << "a path for a name, " << path << ": " << r.body;
    EXPECT_TRUE(fields_of(r.body).contains("filename")) << path << ": " << r.body;
  }
  r = upload("?filename=a.pdf", pdf, member_in_);
  EXPECT_EQ(r.status, 403u) << r.body;
  // Over the setting's size limit: 400 naming file, with the limit.
  ASSERT_EQ(
      call(http::verb::put, "/api/meetings/settings", staff_, R"({"material_max_bytes":1024})")
          .status,
      200u);
  std::string big = pdf;
  big.insert(big.size() - 6, std::string(2000, ' '));
  r = upload("?filename=big.pdf", big, staff_);
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_TRUE(fields_of(r.body).contains("file")) << r.body;
  EXPECT_EQ(details_of(r.body)["max_bytes"].as_int64(), 1024) << r.body;
  r = call(http::verb::get, meeting_url(id), staff_);
  EXPECT_EQ(parse(r.body)["materials"].as_array().size(), 1u) << "no refused file was kept";

  // Withdrawn: gone for everyone.
  EXPECT_EQ(call(http::verb::delete_, download, member_in_).status, 403u);
  EXPECT_EQ(call(http::verb::delete_, download, staff_).status, 204u);
  EXPECT_EQ(call(http::verb::get, download, member_in_).status, 404u);
  EXPECT_EQ(call(http::verb::delete_, download, staff_).status, 404u);
  r = call(http::verb::get, meeting_url(id), member_in_);
  EXPECT_TRUE(parse(r.body)["materials"].as_array().empty()) << r.body;
}

// ---- the calendar feed ----

TEST_P(MeetingsHttpTest, CalendarFeedParsesWithAnIndependentParser) {
  const long long rm = room("日历会议室");
  const long long invited = council_meeting(20, rm);
  const long long cancelled = council_meeting(22, std::nullopt, -5, 3);
  auto seminar = meeting_body("seminar", 0, 0, 21, std::nullopt, false, {units_[kXiangtan]});
  seminar["title"] = "招商专题会";
  const long long uninvited = create_meeting(seminar);
  ASSERT_TRUE(invited && cancelled && uninvited);
  auto r = book(rm, at(23, "14:00"), at(23, "15:30"), "接待来访", staff_);
  ASSERT_EQ(r.status, 201u) << r.body;
  const long long staff_booking = parse(r.body)["id"].as_int64();

  EXPECT_EQ(call(http::verb::get, "/api/calendar/feed", {}).status, 401u);
  r = call(http::verb::get, "/api/calendar/feed", member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const std::string url(parse(r.body)["url"].as_string());
  const auto path_of = [](const std::string& u) {
    const auto at_path = u.find("/api/calendar.ics?token=");
    EXPECT_NE(at_path, std::string::npos) << u;
    return at_path == std::string::npos ? u : u.substr(at_path);
  };
  EXPECT_TRUE(url.starts_with("http://") || url.starts_with("https://")) << url;
  const std::string feed = path_of(url);
  r = call(http::verb::get, "/api/calendar/feed", member_in_);
  EXPECT_EQ(std::string(parse(r.body)["url"].as_string()), url) << "stable until renewed";

  // The feed itself: no cookie, no bearer; the key in the URL is the credential.
  const auto fetch = [&](const std::string& path) {
    return http_request(app_.port(), http::verb::get, path, {}, {});
  };
  r = fetch(feed);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_TRUE(r.body.starts_with("BEGIN:VCALENDAR\r\n")) << r.body;
  EXPECT_NE(r.body.find("TZID:Asia/Shanghai"), std::string::npos);
  auto events = parse_ics(r.body);
  const std::string invited_uid = "meeting-" + std::to_string(invited) + "@xiehui";
  const std::string cancelled_uid = "meeting-" + std::to_string(cancelled) + "@xiehui";
  ASSERT_TRUE(events.contains(invited_uid)) << r.body;
  auto e = events[invited_uid];
  EXPECT_EQ(e["start"].to_number<long long>(), epoch(at(20, "09:00")));
  EXPECT_EQ(e["end"].to_number<long long>(), epoch(at(20, "11:30")));
  EXPECT_EQ(str(e["summary"]), "第三届第二次理事会");
  EXPECT_EQ(str(e["location"]), "日历会议室");
  EXPECT_EQ(str(e["status"]), "CONFIRMED");
  EXPECT_FALSE(events.contains("meeting-" + std::to_string(uninvited) + "@xiehui"))
      << "a meeting the unit is not invited to";
  EXPECT_FALSE(events.contains("booking-" + std::to_string(staff_booking) + "@xiehui"))
      << "a booking the owner did not make";
  ASSERT_TRUE(events.contains(cancelled_uid)) << r.body;
  EXPECT_EQ(str(events[cancelled_uid]["status"]), "CONFIRMED");
  const long long sequence_before = events[cancelled_uid]["sequence"].to_number<long long>();
  for (const auto& [uid, event] : events) {
    EXPECT_TRUE(uid.starts_with("meeting-")) << "only its meetings: " << uid;
  }

  // Cancelled: still in the feed, STATUS:CANCELLED with a higher SEQUENCE.
  r = call(http::verb::patch, meeting_url(cancelled), staff_, R"({"status":"cancelled"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  r = fetch(feed);
  ASSERT_EQ(r.status, 200u) << r.body;
  events = parse_ics(r.body);
  ASSERT_TRUE(events.contains(cancelled_uid)) << r.body;
  EXPECT_EQ(str(events[cancelled_uid]["status"]), "CANCELLED");
  EXPECT_GT(events[cancelled_uid]["sequence"].to_number<long long>(), sequence_before);
  EXPECT_EQ(str(events[invited_uid]["status"]), "CONFIRMED");
  EXPECT_EQ(events[invited_uid]["start"].to_number<long long>(), epoch(at(20, "09:00")));

  // Staff see every meeting and every booking, with its times.
  r = call(http::verb::get, "/api/calendar/feed", staff_);
  ASSERT_EQ(r.status, 200u) << r.body;
  r = fetch(path_of(std::string(parse(r.body)["url"].as_string())));
  ASSERT_EQ(r.status, 200u) << r.body;
  events = parse_ics(r.body);
  EXPECT_TRUE(events.contains("meeting-" + std::to_string(uninvited) + "@xiehui"));
  const std::string booking_uid = "booking-" + std::to_string(staff_booking) + "@xiehui";
  ASSERT_TRUE(events.contains(booking_uid)) << r.body;
  EXPECT_EQ(events[booking_uid]["start"].to_number<long long>(), epoch(at(23, "14:00")));
  EXPECT_EQ(events[booking_uid]["end"].to_number<long long>(), epoch(at(23, "15:30")));
  EXPECT_EQ(str(events[booking_uid]["summary"]), "接待来访");

  // Renewing kills the old URL; revoking kills the new one.
  r = call(http::verb::post, "/api/calendar/feed", member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const std::string renewed = path_of(std::string(parse(r.body)["url"].as_string()));
  EXPECT_NE(renewed, feed);
  EXPECT_EQ(fetch(feed).status, 404u) << "the old URL after renewal";
  EXPECT_EQ(fetch(renewed).status, 200u);
  EXPECT_EQ(call(http::verb::delete_, "/api/calendar/feed", member_in_).status, 204u);
  EXPECT_EQ(fetch(renewed).status, 404u) << "after revocation";
  EXPECT_EQ(fetch(feed).status, 404u);
  r = call(http::verb::get, "/api/calendar/feed", member_in_);
  ASSERT_EQ(r.status, 200u) << r.body;
  const std::string fresh = path_of(std::string(parse(r.body)["url"].as_string()));
  EXPECT_NE(fresh, renewed);
  EXPECT_NE(fresh, feed);
  EXPECT_EQ(fetch(fresh).status, 200u);

  // Garbage tokens.
  EXPECT_EQ(fetch("/api/calendar.ics?token=garbage!!").status, 404u);
  EXPECT_EQ(fetch("/api/calendar.ics?token=" + std::string(32, 'A')).status, 404u);
  EXPECT_EQ(fetch("/api/calendar.ics?token=").status, 404u);
  EXPECT_EQ(fetch("/api/calendar.ics").status, 404u);
}

INSTANTIATE_TEST_SUITE_P(Backends, MeetingsHttpTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

// ---- two server processes on one MariaDB, three on three Galera nodes ----

class MeetingsTwoProcessTest : public MeetingsHttpTest {
 protected:
  // The peers of the in-process App; a failure prints their stderr.
  const PeerServers& start_peers() {
    peers_ = std::make_unique<PeerServers>(db_, GetParam());
    return *peers_;
  }

  void TearDown() override {
    if (HasFailure() && peers_) ADD_FAILURE() << peers_->stderr_text();
  }

  std::unique_ptr<PeerServers> peers_;
};

TEST_P(MeetingsTwoProcessTest, HundredOverlappingBookingsFromTwoProcessesOneSucceeds) {
  ASSERT_TRUE(start_peers().started());
  const std::vector<std::uint16_t> ports = peers_->with(app_.port());
  const long long rm = room("双进程会议室");
  const int d = 12;
  constexpr int kClients = 100;
  std::mutex mutex;
  std::map<unsigned, int> statuses;
  std::vector<int> answered(ports.size());
  std::set<long long> winners;
  std::vector<std::string> odd;
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      // Two hours each, starting within 99 minutes of 09:00: every pair overlaps.
      const std::string from = plus_minutes(at(d, "09:00"), i);
      const std::size_t which = static_cast<std::size_t>(i) % ports.size();
      auto r = book(rm, from, plus_minutes(from, 120), "双进程" + std::to_string(i),
                    i % 4 < 2 ? staff_ : leader_, ports[which]);
      std::lock_guard lock(mutex);
      ++statuses[r.status];
      if (r.status == 201u || r.status == 409u) ++answered[which];
      if (r.status == 201u) {
        winners.insert(parse(r.body)["id"].as_int64());
      } else if (r.status != 409u && odd.size() < 5) {
        odd.push_back(std::to_string(r.status) + " via process " + std::to_string(which) + ": " +
                      r.body);
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  std::string summary;
  for (const auto& [status, n] : statuses)
    summary += std::to_string(status) + "×" + std::to_string(n) + " ";
  for (const auto& o : odd) summary += "\n  " + o;
  EXPECT_EQ(statuses[201u], 1) << summary;
  EXPECT_EQ(statuses[409u], kClients - 1) << summary;
  for (std::size_t p = 0; p < ports.size(); ++p) {
    const std::size_t n = ports.size();
    const auto share = static_cast<int>((static_cast<std::size_t>(kClients) - p + n - 1) / n);
    EXPECT_EQ(answered[p], share) << "process " << p + 1 << " answered its share: " << summary;
  }
  for (const std::uint16_t port : ports) {
    const auto items = bookings(rm, day(d), day(d), staff_, port);
    ASSERT_EQ(items.size(), 1u) << "port " << port;
    EXPECT_TRUE(winners.contains(items[0].as_object().at("id").as_int64()));
  }
}

TEST_P(MeetingsTwoProcessTest, ASeriesRacingSingleBookingsOnAnotherProcessNeverOverlaps) {
  ASSERT_TRUE(start_peers().started());
  const std::vector<std::uint16_t> others = peers_->ports();
  const long long rm = room("系列竞争会议室");
  const int d = 7;
  constexpr int kWeeks = 20;
  const json::object series{{"room_id", rm},
                            {"title", "每周例会"},
                            {"starts_at", at(d, "09:00")},
                            {"ends_at", at(d, "10:00")},
                            {"rule", {{"freq", "weekly"}, {"count", kWeeks}}},
                            {"on_conflict", "skip"}};
  std::mutex mutex;
  HttpReply series_reply;
  std::map<unsigned, int> statuses;
  std::set<long long> single_ids;
  std::vector<std::string> odd;
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  threads.emplace_back([&] {
    while (!go.load()) std::this_thread::yield();
    auto r = call(http::verb::post, "/api/booking-series", staff_, series, app_.port());
    std::lock_guard lock(mutex);
    series_reply = std::move(r);
  });
  for (int k = 0; k < kWeeks; ++k) {
    threads.emplace_back([&, k] {
      while (!go.load()) std::this_thread::yield();
      auto r = book(rm, at(d + 7 * k, "09:30"), at(d + 7 * k, "10:30"), "单次" + std::to_string(k),
                    k % 2 ? staff_ : leader_, others[static_cast<std::size_t>(k) % others.size()]);
      std::lock_guard lock(mutex);
      ++statuses[r.status];
      if (r.status == 201u) {
        single_ids.insert(parse(r.body)["id"].as_int64());
      } else if (r.status != 409u) {
        odd.push_back(std::to_string(r.status) + ": " + r.body);
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();

  EXPECT_TRUE(odd.empty()) << odd.size() << " singles answered neither 201 nor 409, first "
                           << (odd.empty() ? "" : odd.front());
  const int singles_won = statuses[201u];
  EXPECT_EQ(singles_won + statuses[409u], kWeeks);
  // How the race went (in the XML report): weeks taken by single bookings before the series.
  RecordProperty("singles_won", singles_won);
  RecordProperty("series_status", static_cast<int>(series_reply.status));
  if (series_reply.status == 201u) {
    auto made = parse(series_reply.body);
    const auto conflicts = made["conflicts"].as_array();
    EXPECT_EQ(made["booked"].as_array().size() + conflicts.size(),
              static_cast<std::size_t>(kWeeks));
    EXPECT_EQ(conflicts.size(), static_cast<std::size_t>(singles_won))
        << "the series skipped exactly the weeks a single booking took first";
    for (const auto& c : conflicts) {
      EXPECT_TRUE(single_ids.contains(c.as_object().at("booking_id").as_int64()));
    }
  } else {
    EXPECT_EQ(series_reply.status, 409u) << series_reply.body;
    EXPECT_EQ(singles_won, kWeeks) << "a series is refused only when every week was taken";
  }

  // Afterwards: one active booking per week, and no two of them overlap.
  const auto items = bookings(rm, day(d), day(d + 7 * (kWeeks - 1)), staff_);
  EXPECT_EQ(items.size(), static_cast<std::size_t>(kWeeks));
  std::vector<std::pair<Timestamp, Timestamp>> spans;
  for (const auto& v : items) {
    const auto& o = v.as_object();
    auto s = parse_instant(o.at("starts_at").as_string());
    auto e = parse_instant(o.at("ends_at").as_string());
    ASSERT_TRUE(s && e) << json::serialize(o);
    spans.emplace_back(*s, *e);
  }
  for (std::size_t i = 0; i < spans.size(); ++i) {
    for (std::size_t j = i + 1; j < spans.size(); ++j) {
      EXPECT_FALSE(spans[i].first < spans[j].second && spans[j].first < spans[i].second)
          << json::serialize(items[i]) << " overlaps " << json::serialize(items[j]);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Processes, MeetingsTwoProcessTest,
                         ::testing::ValuesIn(multi_process_backends()), BackendName());
// Without XIEHUI_TEST_MYSQL there is nothing to instantiate (CI always sets it).
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(MeetingsTwoProcessTest);

}  // namespace
}  // namespace xiehui::testing
