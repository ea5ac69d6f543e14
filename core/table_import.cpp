#include "core/table_import.hpp"

#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>

#include "core/sheet_builder.hpp"
#include "core/xlsx_reader.hpp"

namespace xiehui {

using sheet_detail::bad_file;
using sheet_detail::SheetBuilder;

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

Result<std::string> decode_text(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (is_valid_utf8(bytes)) return std::string(bytes);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open("GB18030", &status),
                                                          ucnv_close);
  if (U_FAILURE(status)) return std::unexpected(internal_error());
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), conv.get(), status);
  if (U_FAILURE(status)) {
    return std::unexpected(
        bad_file({"无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV，或 xlsx",
                  "unknown text encoding: save as CSV in UTF-8 or GBK, or xlsx"}));
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

Result<Sheet> parse_csv(std::string_view s, const SheetLimits& limits) {
  SheetBuilder builder(limits);
  std::vector<std::string> cells(1);
  long record = 1;
  bool quoted = false;
  bool any = false;
  auto flush = [&]() -> Status {
    auto added = builder.add(record++, std::move(cells));
    cells.assign(1, std::string());
    any = false;
    return added;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    any = true;
    if (quoted) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          cells.back() += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cells.back() += c;
      }
    } else if (c == '"' && cells.back().find_first_not_of(" \t") == std::string::npos) {
      cells.back().clear();
      quoted = true;
    } else if (c == ',') {
      if (cells.size() >= limits.max_columns + 1) {
        return std::unexpected(bad_file({"第 " + std::to_string(record) + " 行超过 " +
                                             std::to_string(limits.max_columns) + " 列",
                                         "row " + std::to_string(record) + " has more than " +
                                             std::to_string(limits.max_columns) + " columns"}));
      }
      cells.emplace_back();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      if (auto ok = flush(); !ok) return std::unexpected(ok.error());
    } else {
      if (cells.back().size() > limits.max_cell_bytes) {
        return std::unexpected(
            bad_file({"第 " + std::to_string(record) + " 行有单元格过长",
                      "row " + std::to_string(record) + " has a cell too long"}));
      }
      cells.back() += c;
    }
  }
  if (quoted) {
    return std::unexpected(bad_file({"第 " + std::to_string(record) + " 行的引号没有闭合",
                                     "row " + std::to_string(record) + " has an unclosed quote"}));
  }
  if (any) {
    if (auto ok = flush(); !ok) return std::unexpected(ok.error());
  }
  return builder.finish();
}

Result<Sheet> read_sheet(std::string_view bytes, const SheetLimits& limits) {
  if (bytes.empty()) return std::unexpected(bad_file({"文件是空的", "the file is empty"}));
  if (bytes.starts_with("PK\x03\x04")) return read_xlsx(bytes, limits);
  if (bytes.starts_with("\xD0\xCF\x11\xE0")) {
    return std::unexpected(bad_file({"不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV",
                                     "old .xls files are not supported: save as .xlsx or CSV"}));
  }
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return std::unexpected(bad_file({"不支持 UTF-16 文本，请另存为 CSV（UTF-8 或 GBK）或 xlsx",
                                     "UTF-16 text is not supported: save as CSV or xlsx"}));
  }
  if (bytes.find('\0') != std::string_view::npos) {
    return std::unexpected(
        bad_file({"不是 xlsx 或 CSV 文件", "the file is neither an xlsx nor a CSV"}));
  }
  auto text = decode_text(bytes);
  if (!text) return std::unexpected(text.error());
  return parse_csv(*text, limits);
}

std::string excel_serial_to_date(std::string_view text) {
  if (text.ends_with(".0")) text.remove_suffix(2);
  long serial = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), serial);
  if (ec != std::errc() || p != text.data() + text.size() || serial < 1 || serial > 2958465) {
    return {};
  }
  using namespace std::chrono;
  // Excel counts 1900-02-29, which did not exist; from serial 61 on, day 0 is 1899-12-30.
  const sys_days epoch = serial >= 61 ? sys_days(1899y / 12 / 30) : sys_days(1899y / 12 / 31);
  const year_month_day ymd(epoch + days(serial));
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return out;
}

}  // namespace xiehui
