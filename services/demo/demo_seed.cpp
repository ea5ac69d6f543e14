#include "services/demo/demo_seed.hpp"

#include <fmt/format.h>

#include "core/audit.hpp"
#include "core/pinyin.hpp"
#include "core/time.hpp"
#include "services/demo/demo_zones.hpp"
#include "services/membership/membership_labels.hpp"
#include "services/membership/membership_repository.hpp"
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
                                 fmt::format("1390002{:04}", person + 1), "", "shared"}},
                               staff);
      if (!r) return std::unexpected(r.error());
    }
  }
  return {};
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
  return seed_training(db, clock);
}

}  // namespace xiehui::demo
