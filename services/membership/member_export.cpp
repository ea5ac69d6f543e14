// The directory as a file: every unit matching the filter with its representative, contact
// columns only when asked for, logged as an export of personal data.

#include "core/validate.hpp"
#include "services/membership/membership_labels.hpp"
#include "services/membership/membership_repository.hpp"
#include "services/membership/membership_service.hpp"
#include "services/privacy/access_log.hpp"

namespace xiehui::membership {

Result<privacy::PersonalExport> MembershipService::export_members(const MemberFilter& filter,
                                                                  const Principal& who,
                                                                  privacy::ExportFields fields) {
  // Leaders read the directory but do not phone representatives: numbers masked, as on screen.
  const auto sight = privacy::sight_of(who, Permission::members_write);
  const Timestamp now = clock_.now();
  const std::string described = privacy::describe_fields("会员代表姓名", fields);
  // The representative's name is personal data: every export is logged.
  auto table = db_.with_transaction([&](soci::session& s) -> Result<Table> {
    Table t;
    t.headers = {"会员编号", "单位名称", "简称", "统一社会信用代码", "类型",    "级别",
                 "所在市州", "会员层级", "状态", "入会日期",         "会员代表"};
    if (fields.mobile) t.headers.push_back("代表手机");
    if (fields.email) t.headers.push_back("代表邮箱");
    t.headers.push_back("地址");
    const auto reps = membership_repository::representatives(s);
    for (const Member& m : membership_repository::list_members(s, filter, 1'000'000, 0)) {
      const Division* city = find_division(hunan_prefectures(), m.org.city_code);
      const auto rep = reps.find(m.id);
      std::vector<std::string> row{m.member_no,
                                   m.org.name,
                                   m.org.short_name,
                                   m.org.uscc,
                                   label_of(m.org.type),
                                   label_of(m.org.level),
                                   city ? std::string(city->name) : m.org.city_code,
                                   label_of(m.tier),
                                   label_of(m.status),
                                   m.joined_on,
                                   rep == reps.end() ? "" : rep->second.name};
      if (fields.mobile) {
        std::string mobile = rep == reps.end() ? "" : rep->second.mobile;
        privacy::mask_mobile_if(sight, mobile);
        row.push_back(std::move(mobile));
      }
      if (fields.email) {
        std::string email = rep == reps.end() ? "" : rep->second.email;
        privacy::mask_email_if(sight, email);
        row.push_back(std::move(email));
      }
      row.push_back(m.org.address);
      t.rows.push_back(std::move(row));
    }
    privacy::log_export(s, who, "member", 0, "会员名录", described, t.rows.size(), now);
    return t;
  });
  if (!table) return std::unexpected(table.error());
  return privacy::PersonalExport{
      std::move(*table),
      privacy::export_note(who, described, sight == privacy::Sight::masked, now)};
}

}  // namespace xiehui::membership
