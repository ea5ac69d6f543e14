#include "services/membership/membership_labels.hpp"

#include <array>

namespace xiehui::membership {
namespace {

struct Label {
  LabelKind kind;
  std::string_view code;
  std::string_view label;
  std::array<std::string_view, 3> aliases;
};

constexpr Label kLabels[] = {
    {LabelKind::tier, "member", "会员单位", {"会员", "普通会员", ""}},
    {LabelKind::tier, "council", "理事单位", {"理事", "", ""}},
    {LabelKind::tier, "standing_council", "常务理事单位", {"常务理事", "", ""}},
    {LabelKind::tier, "vice_president", "副会长单位", {"副会长", "", ""}},
    {LabelKind::tier, "president", "会长单位", {"会长", "", ""}},
    {LabelKind::status, "active", "正常", {"", "", ""}},
    {LabelKind::status, "lapsed", "欠费失效", {"", "", ""}},
    {LabelKind::status, "suspended", "暂停", {"", "", ""}},
    {LabelKind::status, "withdrawn", "已退会", {"退会", "", ""}},
    {LabelKind::status, "expelled", "已除名", {"除名", "", ""}},
    {LabelKind::org_level, "national", "国家级", {"国家", "", ""}},
    {LabelKind::org_level, "provincial", "省级", {"省", "", ""}},
    {LabelKind::org_level, "other", "其他", {"市级", "县级", ""}},
    {LabelKind::org_type, "development_zone", "开发区", {"经开区", "高新区", "产业开发区"}},
    {LabelKind::org_type,
     "customs_zone",
     "海关特殊监管区域",
     {"海关特殊监管区", "综合保税区", "综保区"}},
    {LabelKind::org_type, "industrial_park", "产业园区", {"园区", "工业园区", "工业集中区"}},
    {LabelKind::org_type, "research_institute", "研究机构", {"科研院所", "研究院", ""}},
    {LabelKind::org_type, "platform_company", "平台公司", {"投资平台", "", ""}},
    {LabelKind::org_type, "individual", "个人会员", {"个人", "", ""}},
};

}  // namespace

std::string label_of(std::string_view code) {
  for (const Label& l : kLabels) {
    if (l.code == code) return std::string(l.label);
  }
  return std::string(code);
}

std::optional<std::string> code_from_text(LabelKind kind, std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (const Label& l : kLabels) {
    if (l.kind != kind) continue;
    if (text == l.code || text == l.label) return std::string(l.code);
    for (std::string_view alias : l.aliases) {
      if (!alias.empty() && text == alias) return std::string(l.code);
    }
  }
  return std::nullopt;
}

}  // namespace xiehui::membership
