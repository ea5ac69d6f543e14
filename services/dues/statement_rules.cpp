#include "services/dues/statement_rules.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "core/crypto.hpp"
#include "core/time.hpp"

namespace xiehui::dues {
namespace {

std::string trim(std::string_view s) {
  const auto not_space = [](unsigned char c) { return c != ' ' && c != '\t' && c != '\r'; };
  while (!s.empty() && !not_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && !not_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool contains_any(const std::string& header, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return header.find(w) != std::string::npos; });
}

// The first `max_chars` characters of UTF-8 text, never cutting a character in two.
std::string utf8_prefix(const std::string& s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == max_chars) {
      return s.substr(0, i);
    }
  }
  return s;
}

std::optional<int> number(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string> ymd(int y, int m, int d) {
  const Date date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                  std::chrono::day(static_cast<unsigned>(d))};
  if (m < 1 || m > 12 || d < 1 || d > 31 || !in_supported_range(date)) return std::nullopt;
  return format_date(date);
}

}  // namespace

std::optional<ColumnMap> parse_column_map(std::string_view text) {
  ColumnMap map;
  std::vector<int> seen;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view part = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const std::size_t colon = part.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view name = part.substr(0, colon);
    const auto index = number(part.substr(colon + 1));
    if (!index || *index < 0 || *index >= 64) return std::nullopt;
    if (std::find(seen.begin(), seen.end(), *index) != seen.end()) return std::nullopt;
    seen.push_back(*index);
    int* slot = name == "date"                         ? &map.date
                : name == "payer"                      ? &map.payer
                : name == "amount" || name == "credit" ? &map.amount
                : name == "reference"                  ? &map.reference
                                                       : nullptr;
    if (!slot || *slot >= 0) return std::nullopt;
    *slot = *index;
  }
  if (!map.complete()) return std::nullopt;
  return map;
}

std::string to_string(const ColumnMap& map) {
  std::string out = "date:" + std::to_string(map.date) + ",payer:" + std::to_string(map.payer) +
                    ",amount:" + std::to_string(map.amount);
  if (map.reference >= 0) out += ",reference:" + std::to_string(map.reference);
  return out;
}

ColumnMap guess_column_map(const std::vector<std::string>& headers) {
  ColumnMap map;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const std::string& h = headers[i];
    const int col = static_cast<int>(i);
    if (map.date < 0 && contains_any(h, {"日期", "时间", "Date", "date"})) {
      map.date = col;
    } else if (map.payer < 0 && contains_any(h, {"对方户名", "对方账户名", "付款人", "对方名称",
                                                 "户名", "Payer", "payer"})) {
      map.payer = col;
    } else if (contains_any(h, {"贷方", "收入", "存入", "Credit", "credit"})) {
      map.amount = col;  // a credit column beats a plain amount column
    } else if (map.amount < 0 && contains_any(h, {"金额", "Amount", "amount"}) &&
               !contains_any(h, {"借方", "支出", "余额"})) {
      map.amount = col;
    } else if (map.reference < 0 &&
               contains_any(h, {"摘要", "附言", "用途", "备注", "Reference", "reference"})) {
      map.reference = col;
    }
  }
  return map;
}

std::string column_map_setting(const std::vector<std::string>& headers) {
  std::string joined;
  for (const auto& h : headers) joined += h + '\x1f';
  return "dues.statement_map." + sha256_hex(joined).substr(0, 16);
}

std::optional<std::string> parse_statement_date(std::string_view raw) {
  std::string text = trim(raw);
  if (const std::size_t space = text.find(' '); space != std::string::npos) text.resize(space);
  if (const std::size_t t = text.find('T'); t != std::string::npos) text.resize(t);
  if (text.size() == 8 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return ymd(*number(text.substr(0, 4)), *number(text.substr(4, 2)), *number(text.substr(6, 2)));
  }
  const std::string serial = excel_serial_to_date(text);
  if (!serial.empty()) return serial;
  // Split on - / . 年 月 日 into three numbers.
  std::vector<int> parts;
  std::string current;
  const auto flush = [&] {
    if (current.empty()) return true;
    auto n = number(current);
    current.clear();
    if (!n) return false;
    parts.push_back(*n);
    return true;
  };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isdigit(c)) {
      current += text[i++];
    } else if (c == '-' || c == '/' || c == '.') {
      if (!flush()) return std::nullopt;
      ++i;
    } else if (text.compare(i, 3, "年") == 0 || text.compare(i, 3, "月") == 0 ||
               text.compare(i, 3, "日") == 0) {
      if (!flush()) return std::nullopt;
      i += 3;
    } else {
      return std::nullopt;
    }
  }
  if (!flush() || parts.size() != 3 || parts[0] < 1900) return std::nullopt;
  return ymd(parts[0], parts[1], parts[2]);
}

std::optional<long long> parse_statement_amount(std::string_view raw) {
  std::string text;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == ',' || c == ' ' || c == '\t') continue;
    if (raw.compare(i, 2, "\xC2\xA5") == 0 || raw.compare(i, 3, "\xEF\xBF\xA5") == 0) {
      i += raw.compare(i, 2, "\xC2\xA5") == 0 ? 1U : 2U;  // ¥ or ￥
      continue;
    }
    text += c;
  }
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '+' || text.front() == '-') {
    negative = text.front() == '-';
    text.erase(0, 1);
  }
  const std::size_t dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  const auto digits = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 12 || !digits(whole) || frac.size() > 2 || !digits(frac)) {
    return std::nullopt;
  }
  long long fen = std::stoll(whole) * 100;
  if (!frac.empty()) fen += std::stoll(frac) * (frac.size() == 1 ? 10 : 1);
  return negative ? -fen : fen;
}

StatementExtract extract_lines(const Sheet& sheet, const ColumnMap& map) {
  StatementExtract out;
  const auto cell = [](const SheetRow& r, int col) -> std::string {
    if (col < 0 || static_cast<std::size_t>(col) >= r.cells.size()) return "";
    return trim(r.cells[static_cast<std::size_t>(col)]);
  };
  for (const SheetRow& row : sheet.rows) {
    const std::string amount_text = cell(row, map.amount);
    if (amount_text.empty()) continue;  // a debit-only row of a split layout
    const auto amount = parse_statement_amount(amount_text);
    if (!amount) {
      out.problems.push_back({row.number, "金额无法识别：" + amount_text});
      continue;
    }
    if (*amount <= 0) continue;
    const auto date = parse_statement_date(cell(row, map.date));
    if (!date) {
      out.problems.push_back({row.number, "日期无法识别：" + cell(row, map.date)});
      continue;
    }
    StatementLine line;
    line.line = static_cast<int>(row.number);
    line.date = *date;
    line.payer = utf8_prefix(cell(row, map.payer), 100);
    line.amount_fen = *amount;
    line.reference = utf8_prefix(cell(row, map.reference), 90);
    out.lines.push_back(std::move(line));
  }
  return out;
}

std::vector<std::string> line_keys(const std::vector<StatementLine>& lines) {
  std::map<std::string, int> seen;
  std::vector<std::string> out;
  for (const StatementLine& l : lines) {
    const std::string content =
        l.date + '\x1f' + l.payer + '\x1f' + std::to_string(l.amount_fen) + '\x1f' + l.reference;
    const int n = seen[content]++;
    out.push_back("stmt:" + sha256_hex(content + '\x1f' + std::to_string(n)).substr(0, 40));
  }
  return out;
}

}  // namespace xiehui::dues
