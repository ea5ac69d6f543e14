#include "services/privacy/export_fields.hpp"

#include "core/time.hpp"

namespace xiehui::privacy {

Result<ExportFields> parse_export_fields(std::string_view text) {
  ExportFields out;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const auto end = text.find(',', start);
    const std::string_view item =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (item == "mobile") {
      out.mobile = true;
    } else if (item == "email") {
      out.email = true;
    } else if (!item.empty()) {
      return std::unexpected(invalid_fields(
          {{"fields",
            {"可导出的联系方式为 mobile 和 email（以逗号分隔）", "fields: mobile, email"}}}));
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string describe_fields(std::string_view always, ExportFields chosen) {
  std::string out(always);
  if (chosen.mobile) out += "、手机";
  if (chosen.email) out += "、邮箱";
  return out;
}

Table export_note(const Principal& who, std::string_view fields, bool masked, Timestamp at) {
  Table t{{"项目", "内容"}, {}};
  t.rows.push_back({"包含的个人信息", std::string(fields) + (masked ? "（联系方式已遮挡）" : "")});
  t.rows.push_back({"导出人", who.display_name.empty() ? who.username : who.display_name});
  t.rows.push_back({"导出时间", format_instant(at)});
  t.rows.push_back(
      {"使用要求", "仅限协会工作使用，不得向第三方提供；用毕请删除。本次导出已记入访问日志。"});
  return t;
}

}  // namespace xiehui::privacy
