#include "services/demo/demo_seed.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>

#include "core/audit.hpp"
#include "core/pinyin.hpp"
#include "core/time.hpp"
#include "services/accounts/user_repository.hpp"
#include "services/demo/demo_meetings.hpp"
#include "services/demo/demo_visits.hpp"
#include "services/demo/demo_zones.hpp"
#include "services/dues/dues_service.hpp"
#include "services/dues/dues_text.hpp"
#include "services/dues/payment_service.hpp"
#include "services/membership/membership_labels.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/privacy/consent.hpp"
#include "services/training/training_service.hpp"

namespace xiehui::demo {
namespace {

namespace mr = membership::membership_repository;
using membership::label_of;

// Tiers from the top of the list down, like a real association's mix.
std::string tier_for(std::size_t i) {
  if (i == 0) return "president";
  if (i <= 4) return "vice_president";
  if (i <= 12) return "standing_council";
  if (i <= 28) return "council";
  return "member";
}

std::string status_for(std::size_t i) {
  if (i == 45) return "suspended";
  if (i == 50 || i == 57) return "lapsed";
  if (i == 60) return "withdrawn";
  return "active";
}

// A fictitious representative: a common surname and given name, and a mobile number in a
// block no real subscriber holds in these demos (139 0000 xxxx).
membership::Contact demo_representative(std::size_t i) {
  static constexpr std::string_view kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵",
                                                   "周", "吴", "徐", "孙", "胡", "朱", "高", "罗"};
  static constexpr std::string_view kGiven[] = {"建华", "海燕", "志强", "丽娟", "国平", "晓明",
                                                "文静", "德胜", "春花", "立新", "红梅"};
  return {std::string(kSurnames[i % std::size(kSurnames)]) +
              std::string(kGiven[(i * 7) % std::size(kGiven)]),
          i % 3 == 0   ? "管委会主任"
          : i % 3 == 1 ? "管委会副主任"
                       : "招商合作局局长",
          fmt::format("1390000{:04}", i + 1), fmt::format("rep{:02}@example.cn", i + 1)};
}

Status seed_zones(db::Database& db, const Clock& clock) {
  const auto zones = parse_demo_zones(hunan_zones_csv());
  const Timestamp now = clock.now();
  return db.with_transaction([&](soci::session& s) -> Status {
    if (mr::count_all_members(s) > 0) return {};
    for (std::size_t i = 0; i < zones.size(); ++i) {
      const DemoZone& z = zones[i];
      const membership::Organisation org{z.name,
                                         z.short_name,
                                         demo_uscc(z.city_code, static_cast<int>(i) + 1),
                                         z.type,
                                         z.level,
                                         z.city_code,
                                         z.city + "（演示地址）"};
      const std::string joined =
          fmt::format("{}-{:02}-{:02}", 2012 + i % 13, 1 + i % 12, 1 + (i * 7) % 28);
      const auto [id, member_no] =
          mr::insert_member(s, org, tier_for(i), joined, pinyin_sort_key(z.name), now);
      if (status_for(i) != "active") {
        mr::set_member_status(s, id, status_for(i), now);
        mr::insert_status_change(
            s, id, {"active", status_for(i), "演示：" + label_of(status_for(i)), "mishu", now},
            std::nullopt);
      }
      mr::insert_contact(s, {0, id, "representative", demo_representative(i)}, now);
      if (!z.former_name.empty()) {
        mr::insert_history(
            s, id, {"name", z.former_name, z.name, z.renamed_on, "演示：更名", "mishu", now},
            std::nullopt);
      }
      if (i <= 4) {  // the leadership was elected at the 2023 general assembly
        mr::insert_history(s, id,
                           {"tier", i == 0 ? "vice_president" : "standing_council", tier_for(i),
                            "2023-12-20", "演示：第三届会员大会选举", "mishu", now},
                           std::nullopt);
      }
    }
    append_audit(s,
                 {std::nullopt, "cli", "local", "demo.seed", "member", "*",
                  fmt::format("{} demo member units", zones.size())},
                 now);
    return {};
  });
}

Status seed_applications(membership::MembershipService& membership) {
  // Seeded once: every submission counts towards the per-address limit, so a restart must not
  // submit again.
  auto existing = membership.list("", 1, 1);
  if (!existing) return std::unexpected(existing.error());
  if (existing->total > 0) return {};
  const std::vector<std::pair<std::string, std::string>> applicants{
      {"洞庭湖示范产业园（演示）", "430600"},
      {"雪峰山生态工业园（演示）", "431200"},
      {"湘南承接产业转移示范园（演示）", "431000"}};
  for (std::size_t i = 0; i < applicants.size(); ++i) {
    membership::ApplicationInput in;
    in.org = {applicants[i].first,
              "",
              demo_uscc(applicants[i].second, 900 + static_cast<int>(i)),
              "industrial_park",
              "provincial",
              applicants[i].second,
              "（演示地址）"};
    in.contact = {fmt::format("申请人{}", i + 1), "办公室主任",
                  fmt::format("1390001{:04}", 100 + i), fmt::format("apply{}@example.cn", i + 1)};
    in.username = fmt::format("applicant{}", i + 1);
    in.password = "Demo-Apply-2026";
    in.consent_version = privacy::kFirstNoticeVersion;
    auto r = membership.submit(std::move(in), "local");
    if (!r && r.error().code != ErrorCode::already_exists) return std::unexpected(r.error());
  }
  return {};
}

// A course with two classes three weeks ahead: one with seats, one of five seats already full
// with two on its waitlist, so the catalogue, sign-up and waitlist can be tried at once.
Status seed_training(db::Database& db, const Clock& clock) {
  training::TrainingService training(db, clock);
  auto existing = training.list_courses();
  if (!existing) return std::unexpected(existing.error());
  if (!existing->empty()) return {};
  Principal staff;
  staff.username = "mishu";
  staff.address = "local";
  staff.roles = {Role::staff};
  auto course = training.create_course({0,
                                        "开发区招商引资实务专题培训班",
                                        "产业链招商、营商环境与项目落地的案例教学，含现场教学。",
                                        {"招商引资", "营商环境", "产业链"}},
                                       staff);
  if (!course) return std::unexpected(course.error());
  const auto day = std::chrono::floor<std::chrono::days>(clock.now() + kShanghaiOffset);
  const auto local = [&](int days, int hour) {
    return std::chrono::time_point_cast<Timestamp::duration>(
        day + std::chrono::days(days) + std::chrono::hours(hour) - kShanghaiOffset);
  };
  auto units = db.with_session([](soci::session& s) -> Result<std::vector<long long>> {
    membership::MemberFilter all;
    std::vector<long long> ids;
    for (const auto& m : mr::list_members(s, all, 8, 0)) ids.push_back(m.id);
    return ids;
  });
  if (!units) return std::unexpected(units.error());
  const std::vector<std::tuple<const char*, int, int>> classes{{"第一期（长沙）", 60, 3},
                                                               {"第二期（岳阳）", 5, 7}};
  int person = 0;
  for (std::size_t k = 0; k < classes.size(); ++k) {
    const auto& [title, capacity, signups] = classes[k];
    training::TrainingClass c;
    c.course_id = course->id;
    c.title = title;
    c.venue = k == 0 ? "长沙经开区管委会培训中心" : "岳阳经开区会议中心";
    c.starts_at = local(21 + static_cast<int>(k) * 14, 9);
    c.ends_at = local(23 + static_cast<int>(k) * 14, 17);
    c.signup_deadline = local(14 + static_cast<int>(k) * 14, 18);
    c.capacity = capacity;
    c.per_member_quota = 3;
    c.fee_fen = 180000;
    c.status = "open";
    auto created = training.create_class(c, staff);
    if (!created) return std::unexpected(created.error());
    for (int i = 0; i < signups && !units->empty(); ++i, ++person) {
      const long long unit = (*units)[static_cast<std::size_t>(person) % units->size()];
      auto r = training.enroll(created->id,
                               {unit,
                                "",
                                {fmt::format("学员{}", person + 1), "招商局科员",
                                 fmt::format("1390002{:04}", person + 1), "", "shared"},
                                privacy::kFirstNoticeVersion},
                               staff);
      if (!r) return std::unexpected(r.error());
    }
  }
  return {};
}

// ---- dues ----

namespace dr = dues::dues_repository;

Date day_of(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

Date plus_days(Date d, long long n) {
  return Date{std::chrono::sys_days{d} + std::chrono::days{n}};
}

// `hour` o'clock in Changsha on `day`.
Timestamp local_time(Date day, int hour = 10) {
  return std::chrono::time_point_cast<Timestamp::duration>(
      std::chrono::sys_days{day} + std::chrono::hours(hour) - kShanghaiOffset);
}

template <class T>
Status done(const Result<T>& r) {
  if (!r) return std::unexpected(r.error());
  return {};
}

// Steps that happen on given days, replayed in order on the story's own clock, so that every
// row carries the day it would have been written on.
class Timeline {
 public:
  explicit Timeline(ManualClock& clock) : clock_(clock) {}
  void at(Timestamp t, std::function<Status()> step) { steps_.emplace_back(t, std::move(step)); }
  Status run() {
    std::ranges::stable_sort(steps_, {}, &std::pair<Timestamp, std::function<Status()>>::first);
    for (auto& [t, step] : steps_) {
      clock_.set(t);
      if (auto st = step(); !st) return st;
    }
    steps_.clear();
    return {};
  }

 private:
  ManualClock& clock_;
  std::vector<std::pair<Timestamp, std::function<Status()>>> steps_;
};

// The schedule both general assemblies adopted, in 分 (3,000 元 for a member unit).
const std::map<std::string, long long>& demo_tiers() {
  static const std::map<std::string, long long> tiers{{"member", 300'000},
                                                      {"council", 600'000},
                                                      {"standing_council", 1'000'000},
                                                      {"vice_president", 2'000'000},
                                                      {"president", 3'000'000}};
  return tiers;
}

// A vote of the general assembly by secret ballot, well above the charter's thresholds.
dues::Decision assembly(std::string meeting, std::string held_on, int entitled, int absent,
                        int against, int abstaining) {
  dues::Decision d;
  d.meeting_name = std::move(meeting);
  d.held_on = std::move(held_on);
  d.entitled = entitled;
  d.present = entitled - absent;
  d.votes_against = against;
  d.abstentions = abstaining;
  d.votes_for = d.present - against - abstaining;
  d.secret_ballot = true;
  return d;
}

// A payment as the secretariat records it: mostly bank transfers, a few by WeChat or in cash.
dues::Payment demo_payment(long long member_id, long long fen, Date on) {
  dues::Payment p;
  p.amount_fen = fen;
  p.paid_on = format_date(on);
  std::string digits = p.paid_on;
  std::erase(digits, '-');
  if (member_id % 11 == 0) {
    p.method = "cash";
    p.reference = "现金缴纳，秘书处收讫";
  } else if (member_id % 7 == 0) {
    p.method = "wechat";
    p.reference = fmt::format("微信转账 {}{:06}", digits, member_id * 7919 % 1'000'000);
  } else {
    p.method = "bank_transfer";
    p.reference = fmt::format("网银转账 流水号 HX{}{:06}", digits, member_id * 104'729 % 1'000'000);
  }
  return p;
}

// Dues of 2025 and 2026 as the secretariat would have kept them, replayed day by day on a clock
// of their own: the settings with the (fictitious) bank account, each year's schedule adopted by
// the general assembly in December and published, the bill runs in January, payments through
// the year (some in instalments), the daily reminders, two reversed receipts, a 50 % reduction,
// and one unit that paid nothing for 2025 lapsing in February 2026. By mid-2026 some units
// have paid that year's dues, some part, some nothing.
Status seed_dues(db::Database& db, const Clock& clock) {
  // The story ends in June 2026 and payments are never dated after today: on an earlier clock
  // the demo has no dues.
  if (clock.now() < local_time(day_of(2026, 7, 1), 0)) return {};
  const auto zones = parse_demo_zones(hunan_zones_csv());
  struct Cast {
    Principal staff;
    int entitled = 0;
  };
  auto cast = db.with_session([&](soci::session& s) -> Result<std::optional<Cast>> {
    // Only on the demo's own units, and once: a database with a schedule keeps its dues.
    if (zones.empty() || !mr::find_member_by_uscc(s, demo_uscc(zones[0].city_code, 1), false) ||
        !dr::list_schedules(s).empty()) {
      return std::nullopt;
    }
    Cast c;
    c.staff.username = "mishu";
    c.staff.display_name = "秘书处 王秘书";
    c.staff.address = "local";
    c.staff.roles = {Role::staff};
    if (auto u = accounts::user_repository::find_by_username(s, "mishu")) c.staff.user_id = u->id;
    c.entitled = static_cast<int>(dr::active_member_ids(s).size());
    return c;
  });
  if (!cast) return std::unexpected(cast.error());
  if (!*cast) return {};
  const Principal staff = (*cast)->staff;
  const int entitled = (*cast)->entitled;

  ManualClock story{local_time(day_of(2024, 12, 2))};
  dues::DuesService dues(db, story);
  dues::PaymentService payments(db, story);
  Timeline timeline(story);
  const auto today = [&] { return shanghai_date(story.now()); };
  const auto pay = [&](const dues::Invoice& inv, long long fen) -> Result<dues::PaymentResult> {
    return payments.record(inv.id, demo_payment(inv.member_id, fen, today()), staff);
  };
  const auto adopt = [&](int year, dues::Decision d) -> Status {
    auto set =
        dues.set_schedule(year, {demo_tiers(), fmt::format("{}-01-01", year), std::move(d)}, staff);
    if (!set) return std::unexpected(set.error());
    return done(dues.publish_schedule(year, staff));
  };
  const auto invoices_of = [&](int year) -> Result<std::vector<dues::Invoice>> {
    dr::InvoiceFilter f;
    f.year = year;
    auto page = dues.invoices(f, 1, 10'000, staff);
    if (!page) return std::unexpected(page.error());
    std::ranges::sort(page->items, {}, &dues::Invoice::member_id);
    return std::move(page->items);
  };
  const auto daily_run = [&] { return done(dues.daily_run()); };

  // December 2024: the settings, and the 2025 schedule adopted and published; January: bills.
  dues::DuesSettings settings;
  settings.bank = {"湖南省开发区协会", "中国建设银行长沙芙蓉支行", "4305 0161 3608 0000 2468"};
  timeline.at(local_time(day_of(2024, 12, 2)),
              [&] { return done(dues.update_settings(settings, staff)); });
  timeline.at(local_time(day_of(2024, 12, 20)), [&] {
    return adopt(2025,
                 assembly("第三届第二次会员大会", "2024-12-18", entitled, entitled / 8, 1, 2));
  });
  timeline.at(local_time(day_of(2025, 1, 2), 9),
              [&] { return done(dues.bill_run(2025, false, staff)); });
  if (auto st = timeline.run(); !st) return st;

  auto y2025 = invoices_of(2025);
  if (!y2025) return std::unexpected(y2025.error());
  const std::size_t n = y2025->size();
  if (n < 20) return {};  // not the demo's units any more: schedules and bills only
  const long long lapsing = (*y2025)[n - 3].member_id;  // pays nothing for 2025
  const long long reduced = (*y2025)[n - 6].member_id;  // half of 2026 waived
  const long long mistyped = (*y2025)[9].member_id;     // 2025: amount keyed wrong
  const long long misposted = (*y2025)[14].member_id;   // 2026: a training fee taken as dues

  // 2025: every unit but one pays, a quarter of them in two instalments; the daily run sends
  // reminders 30, 90 and 180 days after the invoices.
  for (const dues::Invoice& inv : *y2025) {
    if (inv.member_id == lapsing) continue;
    const Date on = plus_days(day_of(2025, 1, 1), 5 + inv.member_id * 37 % 150);
    const long long due = inv.outstanding_fen();
    if (inv.member_id == mistyped) {
      timeline.at(local_time(on), [&, inv, due]() -> Status {
        auto wrong = pay(inv, due / 10);
        if (!wrong) return std::unexpected(wrong.error());
        story.advance(std::chrono::hours(2));
        auto reversed = payments.reverse(
            wrong->payment.id,
            fmt::format("金额录入错误：到账 {} 元误录为 {} 元，冲正后按到账金额重新入账",
                        dues::format_yuan(due), dues::format_yuan(due / 10)),
            staff);
        if (!reversed) return std::unexpected(reversed.error());
        story.advance(std::chrono::minutes(5));
        return done(pay(inv, due));
      });
    } else if (inv.member_id % 4 == 0) {
      timeline.at(local_time(on), [&, inv, due] { return done(pay(inv, due / 2)); });
      timeline.at(local_time(plus_days(on, 120)),
                  [&, inv, due] { return done(pay(inv, due - due / 2)); });
    } else {
      timeline.at(local_time(on), [&, inv, due] { return done(pay(inv, due)); });
    }
  }
  for (const Date d : {day_of(2025, 2, 10), day_of(2025, 4, 10), day_of(2025, 7, 1)}) {
    timeline.at(local_time(d, 8), daily_run);
  }
  // December 2025: the 2026 schedule; January 2026: bills.
  timeline.at(local_time(day_of(2025, 12, 22)), [&] {
    return adopt(2026,
                 assembly("第三届第三次会员大会", "2025-12-20", entitled, entitled / 12, 0, 2));
  });
  timeline.at(local_time(day_of(2026, 1, 5), 9),
              [&] { return done(dues.bill_run(2026, false, staff)); });
  if (auto st = timeline.run(); !st) return st;

  // 2026 up to June: three in ten units have paid nothing yet, two in ten half. The unit that
  // paid nothing for 2025 is reminded and lapses on 3 February.
  auto y2026 = invoices_of(2026);
  if (!y2026) return std::unexpected(y2026.error());
  dues::Payment misposted_payment;
  for (const dues::Invoice& inv : *y2026) {
    const Date on = plus_days(day_of(2026, 1, 1), 6 + inv.member_id * 53 % 150);
    const long long due = inv.outstanding_fen();
    if (inv.member_id == lapsing) continue;
    if (inv.member_id == reduced) {
      timeline.at(local_time(day_of(2026, 1, 15)), [&, inv] {
        dues::Reduction r;
        r.member_id = inv.member_id;
        r.year = 2026;
        r.percent = 50;
        r.reason = "2025 年汛期园区受灾严重，经申请，减免 2026 年度会费 50%";
        r.approved_by = "第三届常务理事会第五次会议";
        return done(dues.record_reduction(std::move(r), staff));
      });
      timeline.at(local_time(day_of(2026, 3, 18)), [&, inv]() -> Status {
        auto now = dues.invoice(inv.id, staff);
        if (!now) return std::unexpected(now.error());
        return done(pay(inv, now->invoice.outstanding_fen()));
      });
    } else if (inv.member_id == misposted) {  // a training fee of 1,800 元, reversed 2 days on
      timeline.at(local_time(day_of(2026, 3, 10)), [&, inv, due]() -> Status {
        auto p = pay(inv, std::min<long long>(due, 180'000));
        if (!p) return std::unexpected(p.error());
        misposted_payment = p->payment;
        return {};
      });
      timeline.at(local_time(day_of(2026, 3, 12)), [&] {
        return done(payments.reverse(misposted_payment.id,
                                     "该笔 " + dues::format_yuan(misposted_payment.amount_fen) +
                                         " 元系培训费，误记为会费，冲正后另行入账",
                                     staff));
      });
    } else if (inv.member_id % 10 >= 5) {
      timeline.at(local_time(on), [&, inv, due] { return done(pay(inv, due)); });
    } else if (inv.member_id % 10 >= 3) {
      timeline.at(local_time(on), [&, inv, due] { return done(pay(inv, due / 2)); });
    }
  }
  for (const Date d : {day_of(2026, 2, 3), day_of(2026, 4, 2)}) {
    timeline.at(local_time(d, 8), daily_run);
  }
  return timeline.run();
}

}  // namespace

std::vector<DemoAccount> demo_accounts() {
  return {{"admin", "Demo-Admin-2026", "admin"},
          {"mishu", "Demo-Staff-2026", "staff"},
          {"huizhang", "Demo-Leader-2026", "leader"},
          {"changsha", "Demo-Member-2026", "member"}};
}

Status seed_demo(db::Database& db, accounts::AccountsService& accounts,
                 membership::MembershipService& membership, const Clock& clock) {
  if (auto st = seed_zones(db, clock); !st) return st;
  // The member account belongs to the first unit of the list (长沙经开区).
  membership::MemberFilter changsha;
  changsha.q = "长沙经济技术开发区";
  auto first = membership.list_members(changsha, 1, 1, accounts::command_line_actor());
  if (!first) return std::unexpected(first.error());
  const std::vector<std::string> names{"系统管理员", "秘书处 王秘书", "会长 李会长",
                                       "长沙经开区 会员代表"};
  const auto list = demo_accounts();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Role role = *parse_role(list[i].role);
    std::optional<long long> unit;
    if (role == Role::member) {
      if (first->items.empty()) continue;
      unit = first->items.front().id;
    }
    auto created =
        accounts.create_user({list[i].username, names[i], list[i].password, {role}, unit},
                             accounts::command_line_actor());
    if (!created && created.error().code != ErrorCode::already_exists) {
      return std::unexpected(created.error());
    }
  }
  if (auto st = seed_applications(membership); !st) return st;
  if (auto st = seed_training(db, clock); !st) return st;
  if (auto st = seed_meetings(db, clock); !st) return st;
  if (auto st = seed_visits(db, clock); !st) return st;
  return seed_dues(db, clock);
}

}  // namespace xiehui::demo
