#include "services/membership/import_rules.hpp"

#include <charconv>
#include <chrono>
#include <map>

#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/membership/membership_labels.hpp"
#include "services/membership/membership_rules.hpp"

namespace xiehui::membership {
namespace {

constexpr ImportColumn kColumns[] = {
    {"name", "单位名称", true, "必填，2–100 字"},
    {"short_name", "简称", false, "可空，默认同单位名称"},
    {"uscc", "统一社会信用代码", true, "必填，18 位；已在系统中的代码更新该单位，否则新建"},
    {"type", "类型", true, "开发区、海关特殊监管区域、产业园区、研究机构、平台公司、个人会员"},
    {"level", "级别", true, "国家级、省级、其他"},
    {"city", "所在市州", true, "如 长沙市 或 430100"},
    {"address", "地址", false, "可空，最多 200 字"},
    {"tier", "会员层级", false,
     "会员单位、理事单位、常务理事单位、副会长单位、会长单位；新单位可空（会员单位）"},
    {"joined_on", "入会日期", false, "如 2024-03-01；新单位可空（今天）"},
    {"rep_name", "会员代表", false, "填写代表时姓名与手机必填"},
    {"rep_title", "代表职务", false, ""},
    {"rep_mobile", "代表手机", false, "11 位手机号，可带 +86、空格或短横线"},
    {"rep_email", "代表邮箱", false, ""},
};

// The import's column header for a field name that check_organisation/check_contact report.
std::string_view header_for(std::string_view key) {
  for (const ImportColumn& c : kColumns) {
    if (c.key == key) return c.header;
  }
  return key;
}

// A cell as one line: Excel's Alt+Enter line breaks and tabs become spaces (an address typed
// over two lines is still an address); any other control character stays and is refused.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

bool valid_ymd(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return in_supported_range(year_month_day(year(y), month(m), day(d)));
}

std::string ymd_text(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return format_date(year_month_day(year(y), month(m), day(d)));
}

}  // namespace

std::span<const ImportColumn> import_columns() { return kColumns; }

Table import_template() {
  Table t;
  for (const ImportColumn& c : kColumns) t.headers.emplace_back(c.header);
  return t;
}

Table import_template_help() {
  Table t;
  t.headers = {"列", "是否必填", "说明"};
  for (const ImportColumn& c : kColumns) {
    t.rows.push_back({std::string(c.header), c.required ? "必填" : "可空", std::string(c.help)});
  }
  return t;
}

std::optional<std::string> parse_loose_date(std::string_view text) {
  // An Excel date number, only where one is plausible: 18264 is 1950-01-01 (a bare "2024" is
  // a year someone typed, not a date in 1905).
  if (auto serial = excel_serial_to_date(text); !serial.empty()) {
    if (serial < "1950-01-01") return std::nullopt;
    return serial;
  }
  // Three unsigned numbers separated by - / . or 年 月 (日).
  unsigned parts[3] = {0, 0, 0};
  std::size_t i = 0;
  for (int k = 0; k < 3; ++k) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
    const auto [p, ec] = std::from_chars(text.data() + i, text.data() + text.size(), parts[k]);
    if (ec != std::errc()) return std::nullopt;
    i = static_cast<std::size_t>(p - text.data());
    std::string_view rest = text.substr(i);
    if (k < 2) {
      if (rest.starts_with("-") || rest.starts_with("/") || rest.starts_with(".")) {
        i += 1;
      } else if (rest.starts_with("年") || rest.starts_with("月")) {
        i += 3;
      } else {
        return std::nullopt;
      }
    } else if (!rest.empty() && rest != "日") {
      return std::nullopt;
    }
  }
  // Range-checked before the chrono types, which keep a month or day in one byte and wrap.
  if (parts[0] > 9999 || parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31 ||
      !valid_ymd(static_cast<int>(parts[0]), parts[1], parts[2])) {
    return std::nullopt;
  }
  return ymd_text(static_cast<int>(parts[0]), parts[1], parts[2]);
}

const Division* find_city(std::span<const Division> cities, std::string_view text) {
  if (text.empty()) return nullptr;
  if (const Division* d = find_division(cities, text)) return d;
  const Division* found = nullptr;
  for (const Division& d : cities) {
    if (d.name == text) return &d;
    // "长沙" for 长沙市, "湘西" for 湘西土家族苗族自治州: at least two characters.
    if (text.size() >= 6 && d.name.starts_with(text)) {
      if (found) return nullptr;  // ambiguous
      found = &d;
    }
  }
  return found;
}

ParsedImport parse_member_rows(const Sheet& sheet, std::span<const Division> cities) {
  ParsedImport out;
  std::map<std::string_view, std::size_t> column_of;
  for (std::size_t i = 0; i < sheet.headers.size(); ++i) {
    for (const ImportColumn& c : kColumns) {
      if (sheet.headers[i] == c.header || sheet.headers[i] == c.key) {
        column_of.emplace(c.key, i);
        out.columns.emplace(c.key);
      }
    }
  }
  for (const ImportColumn& c : kColumns) {
    if (c.required && !column_of.contains(c.key)) {
      out.errors.push_back(
          {1,
           std::string(c.header),
           {"缺少必需的列“" + std::string(c.header) + "”，请使用导入模板",
            "the required column \"" + std::string(c.header) + "\" is missing; use the template"}});
    }
  }
  if (!out.errors.empty()) return out;

  std::map<std::string, long> first_row_of_uscc;
  for (const SheetRow& sr : sheet.rows) {
    const auto cell = [&](std::string_view key) -> std::string {
      const auto it = column_of.find(key);
      if (it == column_of.end() || it->second >= sr.cells.size()) return {};
      return one_line(sr.cells[it->second]);
    };
    const std::size_t errors_before = out.errors.size();
    const auto fail = [&](std::string_view key, Text message) {
      out.errors.push_back({sr.number, std::string(header_for(key)), std::move(message)});
    };
    for (const auto& [key, column] : column_of) {
      if (column < sr.cells.size() && has_control_chars(one_line(sr.cells[column]), false)) {
        fail(key, control_chars_message(false));
      }
    }
    ImportRow row;
    row.row = sr.number;
    row.org.name = cell("name");
    row.org.short_name = cell("short_name");
    row.short_name_given = !row.org.short_name.empty();
    row.org.uscc = cell("uscc");
    row.org.address = cell("address");
    const std::string type = cell("type"), level = cell("level"), city = cell("city");
    row.org.type = code_from_text(LabelKind::org_type, type).value_or(type);
    row.org.level = code_from_text(LabelKind::org_level, level).value_or(level);
    const Division* division = find_city(cities, city);
    row.org.city_code = division ? std::string(division->code) : city;
    for (FieldError& e : check_organisation(row.org, cities)) {
      fail(e.field == "city_code" ? "city" : e.field, std::move(e.message));
    }
    if (const std::string tier = cell("tier"); !tier.empty()) {
      if (auto code = code_from_text(LabelKind::tier, tier)) {
        row.tier = *code;
      } else {
        fail("tier", {"会员层级无效：" + tier, "unknown tier: " + tier});
      }
    }
    if (const std::string joined = cell("joined_on"); !joined.empty()) {
      if (auto date = parse_loose_date(joined)) {
        row.joined_on = *date;
      } else {
        fail("joined_on", {"日期无效：" + joined + "（应为 YYYY-MM-DD）",
                           "not a date: " + joined + " (expected YYYY-MM-DD)"});
      }
    }
    MemberContact rep{0,
                      0,
                      "representative",
                      {cell("rep_name"), cell("rep_title"), cell("rep_mobile"), cell("rep_email")}};
    if (!rep.person.name.empty() || !rep.person.title.empty() || !rep.person.mobile.empty() ||
        !rep.person.email.empty()) {
      for (FieldError& e : check_contact(rep)) fail("rep_" + e.field, std::move(e.message));
      row.representative = rep.person;
    }
    if (out.errors.size() == errors_before) {
      const auto [it, fresh] = first_row_of_uscc.emplace(row.org.uscc, sr.number);
      if (!fresh) {
        fail("uscc", {"与第 " + std::to_string(it->second) + " 行的统一社会信用代码重复",
                      "the same credit code as row " + std::to_string(it->second)});
      }
    }
    if (out.errors.size() == errors_before) out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace xiehui::membership
