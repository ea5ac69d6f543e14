// Exchange visits over HTTP (docs/API.md "Exchange visits"): the contract's paths and status
// codes, bad input, other units' data, documents, check-in, report and matching on every
// backend; approvals in parallel; and approvals from two server processes on one MariaDB.

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/pinyin.hpp"
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

json::object fields_of(const std::string& body) {
  auto o = parse(body);
  const auto* details = o.if_contains("details");
  if (!details || !details->is_object()) return {};
  const auto* fields = details->as_object().if_contains("fields");
  return fields && fields->is_object() ? fields->as_object() : json::object{};
}

json::array items_of(const std::string& body) {
  auto o = parse(body);
  const auto* items = o.if_contains("items");
  EXPECT_TRUE(items && items->is_array()) << body;
  return items && items->is_array() ? items->as_array() : json::array{};
}

std::string day(int offset) {
  return format_date(
      Date{std::chrono::sys_days{shanghai_date(SystemClock{}.now())} + days{offset}});
}

std::string mobile(int i) {
  const std::string n = std::to_string(i);
  return "137" + std::string(8 - n.size(), '0') + n;
}

json::object delegate(int i, const char* gender = "m") {
  return {{"name", "团员" + std::to_string(i)},
          {"title", "处长"},
          {"gender", gender},
          {"mobile", mobile(i)},
          {"shares_room", true}};
}

class VisitsHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    staff_ = app_.bearer(Role::staff, "vt.staff");
    leader_ = app_.bearer(Role::leader, "vt.leader");
    for (const char* name : {"岳麓高新区", "湘潭经开区", "株洲高新区", "衡阳高新区"}) {
      units_.push_back(add_unit(name));
    }
    member_a_ = app_.bearer(Role::member, "vt.yuelu", units_[0]);
    member_b_ = app_.bearer(Role::member, "vt.xiangtan", units_[1]);
  }

  long long add_unit(const std::string& name) {
    static std::atomic<int> n{0};
    const std::string body = "91430100MA4L" + std::to_string(50000 + n++);
    auto id = app_.app().database().with_transaction([&](soci::session& s) -> Result<long long> {
      const membership::Organisation org{name,
                                         name.substr(0, 6),
                                         body + uscc_check_char(body),
                                         "development_zone",
                                         "provincial",
                                         "430100",
                                         ""};
      return membership::membership_repository::insert_member(s, org, "member", "2020-01-01",
                                                              pinyin_sort_key(name), Timestamp{})
          .first;
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

  json::object visit_body(int capacity, std::optional<int> quota = std::nullopt) {
    return {{"title", "赴苏州工业园区考察学习"},
            {"theme", "园区运营"},
            {"destination", "江苏苏州"},
            {"hosts",
             json::array{json::object{{"member_id", nullptr}, {"name", "苏州工业园区管委会"}}}},
            {"starts_on", day(30)},
            {"ends_on", day(33)},
            {"capacity", capacity},
            {"per_member_quota", quota ? json::value(*quota) : json::value(nullptr)},
            {"cost_fen", 380000},
            {"cost_covers", "住宿、交通"},
            {"apply_deadline", day(20)},
            {"status", "open"},
            {"itinerary", json::array{json::object{{"date", day(30)},
                                                   {"half", "pm"},
                                                   {"place", "苏州工业园区"},
                                                   {"activity", "听取招商工作介绍"}},
                                      json::object{{"date", day(31)},
                                                   {"half", nullptr},
                                                   {"place", "独墅湖科教创新区"},
                                                   {"activity", "参观"}}}}};
  }

  long long create_visit(int capacity, std::optional<int> quota = std::nullopt) {
    auto r = call(http::verb::post, "/api/visits", staff_, visit_body(capacity, quota));
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.status == 201u ? parse(r.body)["id"].as_int64() : 0;
  }

  HttpReply apply(long long visit, long long unit, json::array delegates, const Headers& who,
                  std::uint16_t port = 0) {
    return call(
        http::verb::post, "/api/visits/" + std::to_string(visit) + "/applications", who,
        json::object{
            {"member_id", unit}, {"delegates", std::move(delegates)}, {"consent_version", 1}},
        port);
  }

  std::vector<long long> delegate_ids(const HttpReply& application) {
    std::vector<long long> out;
    const auto o = parse(application.body);  // kept: a range-for over a temporary's member dangles
    const auto* list = o.if_contains("delegates");
    if (!list || !list->is_array()) {
      ADD_FAILURE() << "no delegates: " << application.body;
      return out;
    }
    for (const auto& d : list->as_array()) {
      out.push_back(d.as_object().at("id").as_int64());
    }
    return out;
  }

  long long count(const std::string& sql) {
    auto n = app_.app().database().with_session([&](soci::session& s) -> Result<long long> {
      long long v = -1;
      s << sql, soci::into(v);
      return v;
    });
    return n.value_or(-1);
  }

  TestDatabase db_{GetParam(), TestDatabase::Schema::migrated};
  RunningApp app_{test_config(db_.connection_string())};
  Headers staff_, leader_, member_a_, member_b_;
  std::vector<long long> units_;
};

TEST_P(VisitsHttpTest, TheContractsPathsAndStatusCodes) {
  // A draft is staff's only; members and leaders cannot create visits.
  auto draft_body = visit_body(10);
  draft_body["status"] = "draft";
  auto draft = call(http::verb::post, "/api/visits", staff_, draft_body);
  ASSERT_EQ(draft.status, 201u) << draft.body;
  auto d = parse(draft.body);
  EXPECT_EQ(d["status"], "draft");
  EXPECT_EQ(d["days"], 4);
  EXPECT_EQ(d["places_left"], 10);
  EXPECT_EQ(d["itinerary"].as_array().size(), 2u);
  EXPECT_EQ(d["withdraw_cutoff"].as_string(), day(23));
  const std::string draft_path = "/api/visits/" + std::to_string(d["id"].as_int64());
  EXPECT_EQ(call(http::verb::get, draft_path, member_a_).status, 404u);
  EXPECT_EQ(call(http::verb::post, "/api/visits", member_a_, visit_body(10)).status, 403u);
  EXPECT_EQ(call(http::verb::post, "/api/visits", leader_, visit_body(10)).status, 403u);
  auto opened = call(http::verb::patch, draft_path, staff_, json::object{{"status", "open"}});
  ASSERT_EQ(opened.status, 200u) << opened.body;
  EXPECT_EQ(call(http::verb::get, draft_path, member_a_).status, 200u);
  EXPECT_EQ(call(http::verb::patch, draft_path, staff_, json::object{{"status", "draft"}}).status,
            409u);
  EXPECT_EQ(items_of(call(http::verb::get, "/api/visits?status=open", member_a_).body).size(), 1u);

  const long long v = d["id"].as_int64();
  const std::string base = "/api/visits/" + std::to_string(v);
  auto app = apply(v, units_[0], json::array{delegate(1), delegate(2, "f")}, member_a_);
  ASSERT_EQ(app.status, 201u) << app.body;
  auto ids = delegate_ids(app);
  EXPECT_EQ(parse(app.body)["delegates"].as_array()[0].as_object().at("status"), "pending");
  // A member applies only for its own unit.
  EXPECT_EQ(apply(v, units_[1], json::array{delegate(3)}, member_a_).status, 403u);
  // Staff approve and reject; members cannot.
  const std::string approve = "/api/visit-delegates/" + std::to_string(ids[0]) + "/approve";
  EXPECT_EQ(call(http::verb::post, approve, member_a_, std::string("{}")).status, 403u);
  auto ok = call(http::verb::post, approve, staff_);
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(parse(ok.body)["status"], "approved");
  EXPECT_EQ(parse(ok.body)["charge_status"], "open");
  EXPECT_EQ(call(http::verb::post, approve, staff_).status, 409u);
  const std::string reject = "/api/visit-delegates/" + std::to_string(ids[1]) + "/reject";
  auto no_reason = call(http::verb::post, reject, staff_, json::object{{"reason", ""}});
  EXPECT_EQ(no_reason.status, 400u);
  EXPECT_TRUE(fields_of(no_reason.body).contains("reason")) << no_reason.body;
  auto rejected = call(http::verb::post, reject, staff_, json::object{{"reason", "名额已满"}});
  ASSERT_EQ(rejected.status, 200u) << rejected.body;
  EXPECT_EQ(parse(rejected.body)["reason"], "名额已满");

  // The unit sees its visit counts and delegates; the fee ledger has the charge.
  auto seen = parse(call(http::verb::get, base, member_a_).body);
  EXPECT_EQ(seen["mine"].as_object().at("approved"), 1);
  auto fees = call(http::verb::get, "/api/fees?kind=visit", staff_);
  ASSERT_EQ(fees.status, 200u) << fees.body;
  auto fee_items = items_of(fees.body);
  ASSERT_EQ(fee_items.size(), 1u);
  EXPECT_EQ(fee_items[0].as_object().at("amount_fen"), 380000);
  EXPECT_NE(std::string(fee_items[0].as_object().at("description").as_string()).find("苏州"),
            std::string::npos);

  // Unknown ids are 404; a withdrawal is 204 and a second one 409.
  EXPECT_EQ(call(http::verb::get, "/api/visits/999999", staff_).status, 404u);
  EXPECT_EQ(call(http::verb::get, "/api/visits/abc", staff_).status, 404u);
  EXPECT_EQ(call(http::verb::post, "/api/visit-delegates/999999/approve", staff_).status, 404u);
  const std::string withdraw = "/api/visit-delegates/" + std::to_string(ids[0]);
  EXPECT_EQ(call(http::verb::delete_, withdraw, member_b_).status, 404u);
  EXPECT_EQ(call(http::verb::delete_, withdraw, member_a_).status, 204u);
  EXPECT_EQ(call(http::verb::delete_, withdraw, member_a_).status, 409u);
}

TEST_P(VisitsHttpTest, BadInputIsA400NamingTheFieldAndWritesNothing) {
  const long long v = create_visit(10);
  const std::string target = "/api/visits/" + std::to_string(v) + "/applications";
  auto malformed = call(http::verb::post, target, member_a_, std::string("{\"member_id\": 1,"));
  EXPECT_EQ(malformed.status, 400u);
  auto types = call(http::verb::post, target, member_a_,
                    json::object{{"member_id", "one"}, {"delegates", "many"}});
  EXPECT_EQ(types.status, 400u);
  auto f = fields_of(types.body);
  EXPECT_TRUE(f.contains("member_id") && f.contains("delegates")) << types.body;
  json::object bad = delegate(1);
  bad["mobile"] = "1234";
  bad["gender"] = "x";
  bad["name"] = std::string(60, 'a');
  auto r = apply(v, units_[0], json::array{bad}, member_a_);
  EXPECT_EQ(r.status, 400u);
  f = fields_of(r.body);
  EXPECT_TRUE(f.contains("delegates[0].mobile")) << r.body;
  EXPECT_TRUE(f.contains("delegates[0].gender")) << r.body;
  EXPECT_TRUE(f.contains("delegates[0].name")) << r.body;
  auto empty = apply(v, units_[0], json::array{}, member_a_);
  EXPECT_EQ(empty.status, 400u);
  auto bad_visit = visit_body(0);
  bad_visit["cost_fen"] = 1.5;
  bad_visit["itinerary"].as_array()[0].as_object()["date"] = day(40);
  auto vr = call(http::verb::post, "/api/visits", staff_, bad_visit);
  EXPECT_EQ(vr.status, 400u);
  f = fields_of(vr.body);
  EXPECT_TRUE(f.contains("capacity") && f.contains("cost_fen")) << vr.body;
  bad_visit = visit_body(10);
  bad_visit["itinerary"].as_array()[1].as_object()["date"] = day(40);
  vr = call(http::verb::post, "/api/visits", staff_, bad_visit);
  EXPECT_EQ(vr.status, 400u);
  EXPECT_TRUE(fields_of(vr.body).contains("itinerary[1].date")) << vr.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_delegates"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM visits"), 1);
  // The same mobile from another unit is a conflict naming it.
  ASSERT_EQ(apply(v, units_[0], json::array{delegate(5)}, member_a_).status, 201u);
  auto taken = apply(v, units_[1], json::array{delegate(5)}, member_b_);
  EXPECT_EQ(taken.status, 409u);
  EXPECT_TRUE(fields_of(taken.body).contains("delegates[0].mobile")) << taken.body;
}

TEST_P(VisitsHttpTest, MembersNeverSeeAnotherUnitsDelegatesOrMobiles) {
  const long long v = create_visit(10);
  auto a = apply(v, units_[0], json::array{delegate(1)}, member_a_);
  auto b = apply(v, units_[1], json::array{delegate(2)}, member_b_);
  ASSERT_EQ(a.status, 201u);
  ASSERT_EQ(b.status, 201u);
  const long long theirs = delegate_ids(b)[0];
  const long long their_app = parse(b.body)["id"].as_int64();
  const std::string base = "/api/visits/" + std::to_string(v);
  EXPECT_EQ(
      call(http::verb::get, "/api/visit-delegates/" + std::to_string(theirs), member_a_).status,
      404u);
  EXPECT_EQ(call(http::verb::get, "/api/visit-applications/" + std::to_string(their_app), member_a_)
                .status,
            404u);
  EXPECT_EQ(
      call(http::verb::get, "/api/visit-delegates/" + std::to_string(theirs) + "/pass", member_a_)
          .status,
      404u);
  for (const char* path : {"/delegates", "/applications"}) {
    auto r = call(http::verb::get, base + path, member_a_);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.body.find(mobile(2)), std::string::npos) << path;
    EXPECT_NE(r.body.find(mobile(1)), std::string::npos) << path;
  }
  auto xlsx = call(http::verb::get, base + "/delegates?format=xlsx", member_a_);
  EXPECT_EQ(xlsx.status, 200u);
  EXPECT_EQ(call(http::verb::get, base + "/rooming", member_a_).status, 403u);
  EXPECT_EQ(call(http::verb::get, base + "/attendance", member_a_).status, 403u);
  // Leaders read every delegation.
  auto all = call(http::verb::get, base + "/delegates", leader_);
  EXPECT_EQ(items_of(all.body).size(), 2u);
}

TEST_P(VisitsHttpTest, DocumentsRoomingCheckInAndReport) {
  const long long v = create_visit(10);
  const std::string base = "/api/visits/" + std::to_string(v);
  auto a = apply(v, units_[0], json::array{delegate(1), delegate(2), delegate(3, "f")}, member_a_);
  auto b = apply(v, units_[1], json::array{delegate(4, "f")}, member_b_);
  ASSERT_EQ(a.status, 201u);
  ASSERT_EQ(b.status, 201u);
  for (const auto& app : {a, b}) {
    const std::string path =
        "/api/visit-applications/" + std::to_string(parse(app.body)["id"].as_int64()) + "/approve";
    ASSERT_EQ(call(http::verb::post, path, staff_).status, 200u);
  }
  for (const char* path :
       {"/delegates?format=xlsx", "/itinerary?format=xlsx", "/rooming?format=xlsx"}) {
    auto r = call(http::verb::get, base + path, staff_);
    EXPECT_EQ(r.status, 200u) << path << r.body;
    EXPECT_EQ(r.headers["Content-Type"], kXlsxType) << path;
  }
  auto rooming = parse(call(http::verb::get, base + "/rooming", staff_).body);
  const auto rooms = rooming["rooms"].as_array();
  ASSERT_EQ(rooms.size(), 2u);  // two men of one unit, two women of two units
  for (const auto& room : rooms) EXPECT_EQ(room.as_object().at("delegates").as_array().size(), 2u);
  const auto ids = delegate_ids(a);
  auto mixed =
      call(http::verb::put, base + "/rooming", staff_,
           json::object{
               {"rooms", json::array{json::object{{"delegates", json::array{ids[0], ids[2]}}}}}});
  EXPECT_EQ(mixed.status, 400u);
  EXPECT_TRUE(fields_of(mixed.body).contains("rooms[0]")) << mixed.body;
  auto saved =
      call(http::verb::put, base + "/rooming", staff_,
           json::object{{"rooms", json::array{json::object{{"delegates", json::array{ids[0]}}},
                                              json::object{{"delegates", json::array{ids[1]}}}}}});
  ASSERT_EQ(saved.status, 200u) << saved.body;
  EXPECT_EQ(parse(saved.body)["saved"], true);
  EXPECT_EQ(call(http::verb::delete_, base + "/rooming", staff_).status, 204u);

  // The pass, the public pass page and a check-in by its token.
  auto pass =
      call(http::verb::get, "/api/visit-delegates/" + std::to_string(ids[0]) + "/pass", member_a_);
  ASSERT_EQ(pass.status, 200u) << pass.body;
  auto p = parse(pass.body);
  const std::string token(p["token"].as_string());
  EXPECT_NE(std::string(p["check_in_url"].as_string()).find("/visit-check-in/"), std::string::npos);
  auto pub = call(http::verb::get, "/api/visit-passes/" + token, Headers{});
  ASSERT_EQ(pub.status, 200u) << pub.body;
  EXPECT_EQ(pub.body.find(mobile(1)), std::string::npos);
  EXPECT_EQ(call(http::verb::get, "/api/visit-passes/garbage!!", Headers{}).status, 404u);
  EXPECT_EQ(call(http::verb::get, base + "/check-in/" + token, staff_).status, 200u);
  auto in = call(http::verb::post, base + "/check-in", staff_,
                 json::object{{"token", token}, {"day", day(30)}, {"half", "am"}});
  ASSERT_EQ(in.status, 200u) << in.body;
  EXPECT_EQ(parse(in.body)["new"], true);
  auto outside = call(http::verb::post, base + "/check-in", staff_,
                      json::object{{"token", token}, {"day", day(40)}, {"half", "am"}});
  EXPECT_EQ(outside.status, 409u);
  EXPECT_TRUE(fields_of(outside.body).contains("day")) << outside.body;
  auto sheet = parse(call(http::verb::get, base + "/attendance", leader_).body);
  EXPECT_EQ(sheet["slots"].as_array().size(), 8u);
  EXPECT_EQ(call(http::verb::delete_,
                 "/api/visit-delegates/" + std::to_string(ids[0]) + "/check-ins/" + day(30) + "/am",
                 staff_)
                .status,
            204u);

  // The report: a draft for staff, published for members, attachments by content.
  EXPECT_EQ(call(http::verb::put, base + "/report", staff_, json::object{{"text", "草稿"}}).status,
            200u);
  EXPECT_EQ(parse(call(http::verb::get, base + "/report", member_b_).body)["text"], "");
  Headers raw = staff_;
  raw.emplace_back("Content-Type", "application/octet-stream");
  auto png = http_request(app_.port(), http::verb::post,
                          base + "/report/files?filename=%E7%8E%B0%E5%9C%BA.png",
                          std::string("\x89PNG\r\n\x1A\n0000", 12), raw);
  ASSERT_EQ(png.status, 201u) << png.body;
  const long long file_id = parse(png.body)["id"].as_int64();
  auto fake = http_request(app_.port(), http::verb::post, base + "/report/files?filename=x.png",
                           "<html>", raw);
  EXPECT_EQ(fake.status, 400u);
  const std::string file_path = base + "/report/files/" + std::to_string(file_id);
  EXPECT_EQ(call(http::verb::get, file_path, member_b_).status, 404u);
  ASSERT_EQ(call(http::verb::put, base + "/report", staff_,
                 json::object{{"text", "一、考察概况"}, {"published", true}})
                .status,
            200u);
  auto report = parse(call(http::verb::get, base + "/report", member_b_).body);
  EXPECT_EQ(report["text"], "一、考察概况");
  EXPECT_EQ(report["files"].as_array().size(), 1u);
  auto file = call(http::verb::get, file_path, member_b_);
  EXPECT_EQ(file.status, 200u);
  EXPECT_EQ(file.body.size(), 12u);
}

TEST_P(VisitsHttpTest, TopicsOffersInterestsAndMatches) {
  for (const char* t : {"新能源汽车", "电子信息", "生物医药"}) {
    ASSERT_EQ(call(http::verb::post, "/api/topics", staff_, json::object{{"name", t}}).status,
              201u);
  }
  auto dup = call(http::verb::post, "/api/topics", staff_, json::object{{"name", "电子信息"}});
  EXPECT_EQ(dup.status, 409u);
  EXPECT_TRUE(fields_of(dup.body).contains("name"));
  EXPECT_EQ(call(http::verb::post, "/api/topics", member_a_, json::object{{"name", "x"}}).status,
            403u);
  auto offer = call(
      http::verb::post, "/api/host-offers", member_b_,
      json::object{{"member_id", units_[1]},
                   {"topics", json::array{"新能源汽车", "电子信息"}},
                   {"available", json::array{json::object{{"from", day(60)}, {"to", day(90)}}}},
                   {"group_size", 30}});
  ASSERT_EQ(offer.status, 201u) << offer.body;
  const long long offer_id = parse(offer.body)["id"].as_int64();
  auto foreign = call(
      http::verb::post, "/api/host-offers", member_a_,
      json::object{{"member_id", units_[1]},
                   {"topics", json::array{"电子信息"}},
                   {"available", json::array{json::object{{"from", day(60)}, {"to", day(90)}}}},
                   {"group_size", 30}});
  EXPECT_EQ(foreign.status, 403u);
  auto unknown_topic = call(
      http::verb::post, "/api/host-offers", member_b_,
      json::object{{"member_id", units_[1]},
                   {"topics", json::array{"元宇宙"}},
                   {"available", json::array{json::object{{"from", day(60)}, {"to", day(50)}}}},
                   {"group_size", 30}});
  EXPECT_EQ(unknown_topic.status, 400u);
  auto f = fields_of(unknown_topic.body);
  EXPECT_TRUE(f.contains("topics") && f.contains("available[0].to")) << unknown_topic.body;
  auto interest = call(
      http::verb::post, "/api/visit-interests", member_a_,
      json::object{{"member_id", units_[0]},
                   {"topics", json::array{"电子信息"}},
                   {"preferred", json::array{json::object{{"from", day(80)}, {"to", day(120)}}}},
                   {"group_size", 20}});
  ASSERT_EQ(interest.status, 201u) << interest.body;
  const long long interest_id = parse(interest.body)["id"].as_int64();
  auto matches =
      call(http::verb::get, "/api/visit-matches?member_id=" + std::to_string(units_[0]), member_a_);
  ASSERT_EQ(matches.status, 200u) << matches.body;
  auto items = items_of(matches.body);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].as_object().at("host_name"), "湘潭经开区");
  EXPECT_EQ(items[0].as_object().at("reason"), "共同主题：电子信息；时间重叠 11 天；可接待 30 人");
  EXPECT_EQ(
      call(http::verb::get, "/api/visit-matches?member_id=" + std::to_string(units_[0]), member_b_)
          .status,
      404u);
  EXPECT_EQ(items_of(call(http::verb::get, "/api/visit-interests", member_b_).body).size(), 0u);
  auto draft = call(http::verb::post, "/api/visit-matches/visit", staff_,
                    json::object{{"offer_id", offer_id}, {"interest_id", interest_id}});
  ASSERT_EQ(draft.status, 201u) << draft.body;
  EXPECT_EQ(parse(draft.body)["status"], "draft");
  EXPECT_EQ(parse(draft.body)["starts_on"].as_string(), day(80));
  EXPECT_EQ(call(http::verb::post, "/api/visit-matches/visit", member_a_,
                 json::object{{"offer_id", offer_id}})
                .status,
            403u);
  EXPECT_EQ(
      call(http::verb::delete_, "/api/host-offers/" + std::to_string(offer_id), member_a_).status,
      404u);
  EXPECT_EQ(
      call(http::verb::delete_, "/api/host-offers/" + std::to_string(offer_id), member_b_).status,
      204u);
}

TEST_P(VisitsHttpTest, VisitsAreOnTheCalendarAndInTheFeedsOfTheirUnits) {
  const long long v = create_visit(10);
  ASSERT_EQ(apply(v, units_[0], json::array{delegate(1)}, member_a_).status, 201u);
  auto events =
      call(http::verb::get, "/api/calendar/events?from=" + day(29) + "&to=" + day(35), member_b_);
  ASSERT_EQ(events.status, 200u) << events.body;
  bool found = false;
  for (const auto& e : items_of(events.body)) {
    const auto& o = e.as_object();
    if (o.at("type") == "visit" && o.at("id") == v) {
      found = true;
      EXPECT_EQ(o.at("starts_at").as_string(), day(30) + "T00:00:00+08:00");
      EXPECT_EQ(o.at("ends_at").as_string(), day(34) + "T00:00:00+08:00");
    }
  }
  EXPECT_TRUE(found) << events.body;
  const std::string uid = "UID:visit-" + std::to_string(v) + "@xiehui";
  const auto feed_of = [&](const Headers& who) {
    auto url = parse(call(http::verb::get, "/api/calendar/feed", who).body)["url"];
    const std::string text(url.as_string());
    return call(http::verb::get, text.substr(text.find("/api/calendar.ics")), Headers{}).body;
  };
  EXPECT_NE(feed_of(member_a_).find(uid), std::string::npos) << "its unit applied";
  EXPECT_EQ(feed_of(member_b_).find(uid), std::string::npos) << "its unit did not";
  EXPECT_NE(feed_of(staff_).find(uid), std::string::npos);
}

TEST_P(VisitsHttpTest, SixtyFourParallelApprovalsForTwentyPlaces) {
  const long long v = create_visit(20);
  std::vector<long long> ids;
  for (int app = 0; app < 4; ++app) {
    json::array people;
    for (int i = 0; i < 16; ++i) people.push_back(delegate(app * 16 + i));
    auto r = apply(v, units_[static_cast<std::size_t>(app)], people, staff_);
    ASSERT_EQ(r.status, 201u) << r.body;
    for (long long id : delegate_ids(r)) ids.push_back(id);
  }
  std::mutex mutex;
  std::map<std::string, int> outcomes;
  std::set<int> positions;
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (long long id : ids) {
    threads.emplace_back([&, id] {
      while (!go.load()) std::this_thread::yield();
      auto r =
          call(http::verb::post, "/api/visit-delegates/" + std::to_string(id) + "/approve", staff_);
      std::lock_guard lock(mutex);
      if (r.status != 200u) {
        ++outcomes[std::to_string(r.status) + " " + r.body.substr(0, 80)];
        return;
      }
      auto o = parse(r.body);
      ++outcomes[std::string(o["status"].as_string())];
      if (o["status"] == "waitlisted")
        positions.insert(static_cast<int>(o["waitlist_position"].as_int64()));
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(outcomes["approved"], 20);
  EXPECT_EQ(outcomes["waitlisted"], 44);
  EXPECT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(positions.size(), 44u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_delegates WHERE status = 'approved'"), 20);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE source = 'visit' AND status = 'open'"), 20);
}

INSTANTIATE_TEST_SUITE_P(Backends, VisitsHttpTest, ::testing::ValuesIn(test_backends()),
                         BackendName());

// ---- two server processes on one MariaDB ----

class VisitsTwoProcessTest : public VisitsHttpTest {};

TEST_P(VisitsTwoProcessTest, HundredApprovalsForThirtyPlacesOverTwoProcesses) {
  const PeerServers peers(db_, GetParam());
  ASSERT_TRUE(peers.started());
  const std::vector<std::uint16_t> ports = peers.with(app_.port());
  const long long v = create_visit(30);
  std::vector<long long> ids;
  for (int app = 0; app < 4; ++app) {
    json::array people;
    for (int i = 0; i < 25; ++i) people.push_back(delegate(app * 25 + i));
    auto r = apply(v, units_[static_cast<std::size_t>(app)], people, staff_);
    ASSERT_EQ(r.status, 201u) << r.body;
    for (long long id : delegate_ids(r)) ids.push_back(id);
  }
  std::mutex mutex;
  std::map<std::string, int> outcomes;
  std::vector<int> answered(ports.size());
  std::set<int> positions;
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (std::size_t k = 0; k < ids.size(); ++k) {
    threads.emplace_back([&, k] {
      while (!go.load()) std::this_thread::yield();
      const std::size_t which = k % ports.size();
      auto r = call(http::verb::post, "/api/visit-delegates/" + std::to_string(ids[k]) + "/approve",
                    staff_, std::string{}, ports[which]);
      std::lock_guard lock(mutex);
      if (r.status != 200u) {
        ++outcomes[std::to_string(r.status) + " via " + std::to_string(which) + ": " +
                   r.body.substr(0, 80)];
        return;
      }
      ++answered[which];
      auto o = parse(r.body);
      ++outcomes[std::string(o["status"].as_string())];
      if (o["status"] == "waitlisted")
        positions.insert(static_cast<int>(o["waitlist_position"].as_int64()));
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  std::string summary;
  for (const auto& [k, n] : outcomes) summary += k + "×" + std::to_string(n) + " ";
  EXPECT_EQ(outcomes["approved"], 30) << summary;
  EXPECT_EQ(outcomes["waitlisted"], 70) << summary;
  EXPECT_EQ(outcomes.size(), 2u) << summary;
  for (std::size_t p = 0; p < ports.size(); ++p) {
    const std::size_t n = ports.size();
    EXPECT_EQ(answered[p], static_cast<int>((ids.size() - p + n - 1) / n)) << "process " << p + 1;
  }
  EXPECT_EQ(positions.size(), 70u) << "each waiting delegate has its own place in the queue";

  // Twenty withdrawals spread over both processes move exactly the first twenty up.
  auto approved =
      items_of(call(http::verb::get,
                    "/api/visits/" + std::to_string(v) + "/delegates?status=approved", staff_)
                   .body);
  auto waiting =
      items_of(call(http::verb::get,
                    "/api/visits/" + std::to_string(v) + "/delegates?status=waitlisted", staff_)
                   .body);
  ASSERT_EQ(approved.size(), 30u);
  ASSERT_EQ(waiting.size(), 70u);
  std::vector<std::thread> leavers;
  std::atomic<int> withdrawn{0};
  for (std::size_t i = 0; i < 20; ++i) {
    leavers.emplace_back([&, i] {
      const long long id = approved[i].as_object().at("id").as_int64();
      auto r = call(http::verb::delete_, "/api/visit-delegates/" + std::to_string(id), staff_,
                    std::string{}, ports[i % ports.size()]);
      if (r.status == 204u) ++withdrawn;
    });
  }
  for (auto& t : leavers) t.join();
  EXPECT_EQ(withdrawn.load(), 20);
  for (std::size_t i = 0; i < 70; ++i) {
    const long long id = waiting[i].as_object().at("id").as_int64();
    auto d =
        parse(call(http::verb::get, "/api/visit-delegates/" + std::to_string(id), staff_).body);
    EXPECT_EQ(d["status"], i < 20 ? "approved" : "waitlisted") << "waiting #" << i + 1;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM visit_delegates WHERE status = 'approved'"), 30);
  EXPECT_EQ(count("SELECT COUNT(*) FROM charges WHERE source = 'visit' AND status = 'open'"), 30);
  if (HasFailure()) ADD_FAILURE() << peers.stderr_text();
}

INSTANTIATE_TEST_SUITE_P(Processes, VisitsTwoProcessTest,
                         ::testing::ValuesIn(multi_process_backends()), BackendName());
// Without XIEHUI_TEST_MYSQL there is nothing to instantiate (CI always sets it).
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(VisitsTwoProcessTest);

}  // namespace
}  // namespace xiehui::testing
