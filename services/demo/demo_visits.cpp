#include "services/demo/demo_visits.hpp"

#include <fmt/format.h>

#include <map>

#include "core/time.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/privacy/consent.hpp"
#include "services/visits/exchange_service.hpp"
#include "services/visits/visit_service.hpp"

namespace xiehui::demo {
namespace {

using namespace visits;

template <class T>
Status done(const Result<T>& r) {
  if (!r) return std::unexpected(r.error());
  return {};
}

Principal demo_staff() {
  Principal staff;
  staff.username = "mishu";
  staff.address = "local";
  staff.roles = {Role::staff};
  return staff;
}

Date shift(Date d, int days) { return Date{std::chrono::sys_days{d} + std::chrono::days(days)}; }

// 23:59:59 in Changsha on `d`.
Timestamp end_of(Date d) {
  return std::chrono::sys_days{d} + std::chrono::days(1) - std::chrono::seconds(1) -
         kShanghaiOffset;
}

// 09:00 in Changsha on `d`.
Timestamp morning_of(Date d) {
  return std::chrono::sys_days{d} + std::chrono::hours(9) - kShanghaiOffset;
}

// Fictitious people: names from a short list, mobiles in a range no one is given.
Delegate person(int n, const std::string& gender) {
  static const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
  static const char* kGiven[] = {"建国", "晓东", "海燕", "志强", "丽华", "文博", "静怡", "国栋"};
  static const char* kTitles[] = {"管委会副主任", "招商局局长", "经济发展局副局长",
                                  "企业服务中心主任"};
  Delegate d;
  d.name = std::string(kSurnames[n % 10]) + kGiven[(n / 10 + n) % 8];
  d.title = kTitles[n % 4];
  d.gender = gender;
  d.mobile = fmt::format("1390004{:04}", n);
  d.shares_room = n % 9 != 0;
  d.dietary = n % 11 == 0 ? "清真" : "";
  return d;
}

// The demo units by short name ("长沙经开区" → id).
Result<std::map<std::string, long long>> units_by_short_name(db::Database& db) {
  return db.with_session([](soci::session& s) -> Result<std::map<std::string, long long>> {
    std::map<std::string, long long> out;
    for (const auto& m :
         membership::membership_repository::list_members(s, membership::MemberFilter{}, 500, 0)) {
      out[m.org.short_name] = m.id;
    }
    return out;
  });
}

Status seed_exchange(ExchangeService& exchange, const std::map<std::string, long long>& units,
                     Date today, const Principal& staff) {
  for (const char* t : {"新能源汽车", "电子信息", "生物医药", "跨境电商", "园区运营", "工程机械",
                        "先进储能", "数字经济", "轨道交通", "招商引资"}) {
    if (auto st = done(exchange.add_topic(t, staff)); !st) return st;
  }
  struct OfferSpec {
    const char* unit;
    std::vector<std::string> topics;
    int from, to, size;
  };
  const std::vector<OfferSpec> offers = {
      {"长沙经开区", {"工程机械", "新能源汽车", "园区运营"}, 60, 120, 40},
      {"株洲高新区", {"轨道交通", "先进储能", "招商引资"}, 45, 90, 30},
      {"湘潭经开区", {"新能源汽车", "先进储能"}, 90, 150, 25},
      {"长沙高新区", {"电子信息", "数字经济", "生物医药"}, 30, 75, 35},
      {"黄花综保区", {"跨境电商", "园区运营"}, 20, 60, 20},
  };
  for (const auto& o : offers) {
    if (!units.contains(o.unit)) continue;
    HostOffer offer;
    offer.member_id = units.at(o.unit);
    offer.topics = o.topics;
    offer.available = {{shift(today, o.from), shift(today, o.to)}};
    offer.group_size = o.size;
    offer.note = "可安排园区展示中心参观和企业座谈";
    if (auto st = done(exchange.create_offer(offer, staff)); !st) return st;
  }
  struct InterestSpec {
    const char* unit;
    std::vector<std::string> topics;
    int from, to, size;
  };
  const std::vector<InterestSpec> interests = {
      {"长沙经开区", {"电子信息", "数字经济"}, 40, 70, 15},
      {"衡阳高新区", {"新能源汽车", "先进储能"}, 80, 110, 20},
      {"岳阳经开区", {"跨境电商", "园区运营"}, 30, 50, 12},
      {"宁乡经开区", {"工程机械", "招商引资"}, 70, 100, 18},
      {"湘潭高新区", {"生物医药", "电子信息"}, 50, 80, 10},
  };
  for (const auto& i : interests) {
    if (!units.contains(i.unit)) continue;
    Interest interest;
    interest.member_id = units.at(i.unit);
    interest.topics = i.topics;
    interest.preferred = {{shift(today, i.from), shift(today, i.to)}};
    interest.group_size = i.size;
    if (auto st = done(exchange.create_interest(interest, staff)); !st) return st;
  }
  return {};
}

}  // namespace

Status seed_visits(db::Database& db, const Clock& clock) {
  const Principal staff = demo_staff();
  const Date today = shanghai_date(clock.now());
  // The past visit is replayed on its own clock: applications before its deadline, check-ins on
  // its days, the report after it.
  ManualClock story{morning_of(shift(today, -80))};
  VisitService visits(db, story);
  ExchangeService exchange(db, story, visits);
  auto existing = visits.list_visits("", false, staff);
  if (!existing) return std::unexpected(existing.error());
  if (!existing->empty()) return {};
  auto units = units_by_short_name(db);
  if (!units) return std::unexpected(units.error());
  std::vector<long long> ids;
  for (const char* name : {"长沙经开区", "望城经开区", "浏阳经开区", "长沙高新区", "株洲高新区",
                           "湘潭经开区", "衡阳高新区", "岳阳经开区", "常德经开区", "郴州高新区"}) {
    if (units->contains(name)) ids.push_back(units->at(name));
  }
  if (ids.size() < 4) return {};

  Visit suzhou;
  suzhou.title = "赴苏州工业园区考察学习";
  suzhou.theme = "园区运营、招商引资";
  suzhou.destination = "江苏苏州";
  suzhou.hosts = {{std::nullopt, "苏州工业园区管理委员会"}};
  suzhou.starts_on = shift(today, -50);
  suzhou.ends_on = shift(today, -47);
  suzhou.capacity = 24;
  suzhou.per_member_quota = 3;
  suzhou.cost_fen = 380000;
  suzhou.cost_covers = "往返高铁、住宿三晚、考察期间用餐";
  suzhou.apply_deadline = end_of(shift(today, -60));
  suzhou.withdraw_cutoff = shift(today, -57);
  suzhou.status = "open";
  suzhou.description = "学习苏州工业园区在产业招商、营商环境和园区运营方面的经验。";
  const std::string d0 = format_date(suzhou.starts_on), d1 = format_date(shift(today, -49)),
                    d2 = format_date(shift(today, -48)), d3 = format_date(suzhou.ends_on);
  suzhou.itinerary = {
      {d0, "am", "长沙南站 → 苏州站", "乘高铁出发", "秘书处 王秘书", "高铁"},
      {d0, "pm", "苏州工业园区规划展示馆", "听取园区开发建设情况介绍", "园区招商局", "大巴"},
      {d1, "am", "苏州工业园区管委会", "座谈：产业招商与亲商服务", "园区招商局", "大巴"},
      {d1, "pm", "苏州纳米城", "参观纳米技术产业集群", "", "大巴"},
      {d2, "am", "独墅湖科教创新区", "参观生物医药产业园", "", "大巴"},
      {d2, "pm", "中新合作区", "交流园区运营与城市更新", "", "大巴"},
      {d3, "", "苏州站 → 长沙南站", "返程", "秘书处 王秘书", "高铁"},
  };
  auto past = visits.create_visit(suzhou, staff);
  if (!past) return std::unexpected(past.error());
  int n = 1;
  for (std::size_t u = 0; u < ids.size(); ++u) {
    std::vector<Delegate> people;
    for (int k = 0; k < (u % 3 == 0 ? 3 : 2); ++k, ++n)
      people.push_back(person(n, n % 4 == 0 ? "f" : "m"));
    auto app = visits.apply(past->id, ids[u], people, "", privacy::kFirstNoticeVersion, staff);
    if (!app) return std::unexpected(app.error());
    story.set(story.now() + std::chrono::hours(5));
    if (auto st = done(visits.approve_application(app->id, staff)); !st) return st;
  }
  VisitPatch confirm;
  confirm.status = "confirmed";
  if (auto st = done(visits.update_visit(past->id, confirm, staff)); !st) return st;
  auto delegation = visits.delegates(past->id, "approved", staff);
  if (!delegation) return std::unexpected(delegation.error());
  for (int d = 0; d < 4; ++d) {
    story.set(morning_of(shift(suzhou.starts_on, d)));
    for (std::size_t i = 0; i < delegation->size(); ++i) {
      for (const char* half : {"am", "pm"}) {
        if ((i + static_cast<std::size_t>(d)) % 13 == 0 && std::string(half) == "pm") continue;
        auto r = visits.check_in(past->id, (*delegation)[i].id, "",
                                 places::Slot{format_date(shift(suzhou.starts_on, d)), half},
                                 std::nullopt, staff);
        if (!r) return std::unexpected(r.error());
      }
    }
  }
  story.set(morning_of(shift(today, -40)));
  VisitPatch complete;
  complete.status = "completed";
  if (auto st = done(visits.update_visit(past->id, complete, staff)); !st) return st;
  const std::string report =
      "一、考察概况\n" + d0 + " 至 " + d3 +
      "，协会组织10家会员单位共24人赴苏州工业园区考察学习，听取了园区开发建设、产业招商和亲商服务"
      "等情况介绍，参观了纳米城、独墅湖科教创新区和中新合作区。\n\n"
      "二、主要体会\n1. 规划先行，一张蓝图干到底；\n2. 招商从“引项目”转向“育生态”，以产业链招商"
      "带动集群发展；\n3. 亲商服务标准化，企业办事“不出园区”。\n\n"
      "三、工作建议\n建议各园区结合自身主导产业，建立产业链招商图谱，完善企业全生命周期服务。";
  if (auto st = done(visits.save_report(past->id, report, true, staff)); !st) return st;

  // The open visit, applied for over the last days.
  story.set(morning_of(shift(today, -6)));
  Visit shenzhen;
  shenzhen.title = "赴深圳、东莞考察电子信息产业";
  shenzhen.theme = "电子信息、数字经济";
  shenzhen.destination = "广东深圳、东莞";
  shenzhen.hosts = {{std::nullopt, "深圳市南山区投资推广署"},
                    {std::nullopt, "东莞松山湖高新区管委会"}};
  shenzhen.starts_on = shift(today, 40);
  shenzhen.ends_on = shift(today, 44);
  shenzhen.capacity = 30;
  shenzhen.per_member_quota = 3;
  shenzhen.cost_fen = 480000;
  shenzhen.cost_covers = "往返高铁、住宿四晚、考察期间用餐和保险";
  shenzhen.apply_deadline = end_of(shift(today, 25));
  shenzhen.withdraw_cutoff = shift(today, 33);
  shenzhen.status = "open";
  const std::string s0 = format_date(shenzhen.starts_on), s1 = format_date(shift(today, 41)),
                    s2 = format_date(shift(today, 42)), s3 = format_date(shift(today, 43)),
                    s4 = format_date(shenzhen.ends_on);
  shenzhen.itinerary = {
      {s0, "", "长沙南站 → 深圳北站", "乘高铁出发，下午报到", "秘书处 王秘书", "高铁"},
      {s1, "am", "南山区科技园", "座谈：电子信息产业招商", "南山区投资推广署", "大巴"},
      {s1, "pm", "前海深港现代服务业合作区", "参观", "", "大巴"},
      {s2, "", "松山湖高新区", "参观企业并座谈", "松山湖管委会", "大巴"},
      {s3, "am", "东莞滨海湾新区", "交流园区运营", "", "大巴"},
      {s4, "", "深圳北站 → 长沙南站", "返程", "秘书处 王秘书", "高铁"},
  };
  auto open = visits.create_visit(shenzhen, staff);
  if (!open) return std::unexpected(open.error());
  for (std::size_t u = 1; u < ids.size() && u < 8; ++u, n += 2) {
    auto app = visits.apply(open->id, ids[u], {person(n, "m"), person(n + 1, u % 2 ? "f" : "m")},
                            "", privacy::kFirstNoticeVersion, staff);
    if (!app) return std::unexpected(app.error());
    story.set(story.now() + std::chrono::hours(7));
    // The first three applications are decided; the rest wait for the secretariat.
    if (u <= 3) {
      if (auto st = done(visits.approve_application(app->id, staff)); !st) return st;
    }
  }
  return seed_exchange(exchange, *units, today, staff);
}

}  // namespace xiehui::demo
