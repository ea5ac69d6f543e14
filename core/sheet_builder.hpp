#pragma once
// Internal to the sheet readers (core/table_import.cpp, core/xlsx_reader.cpp): turning raw rows
// into a Sheet under the upload limits, with the errors both readers report.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/table_import.hpp"

namespace xiehui::sheet_detail {

inline Error bad_file(Text message) {
  return make_error(ErrorCode::invalid_argument, std::move(message));
}

inline bool is_space_at(std::string_view s, std::size_t i, std::size_t& width) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
    width = 1;
    return true;
  }
  // U+3000 IDEOGRAPHIC SPACE and U+00A0 NO-BREAK SPACE, which Chinese spreadsheets are full of.
  if (s.substr(i, 3) == "\xE3\x80\x80") {
    width = 3;
    return true;
  }
  if (s.substr(i, 2) == "\xC2\xA0") {
    width = 2;
    return true;
  }
  return false;
}

inline std::string trim(std::string_view s) {
  std::size_t begin = 0;
  std::size_t width = 0;
  while (begin < s.size() && is_space_at(s, begin, width)) begin += width;
  std::size_t end = s.size();
  while (end > begin) {
    // Step back over one whitespace character ending at `end`, if there is one.
    if (end - begin >= 3 && is_space_at(s, end - 3, width) && width == 3) {
      end -= 3;
    } else if (end - begin >= 2 && is_space_at(s, end - 2, width) && width == 2) {
      end -= 2;
    } else if (is_space_at(s, end - 1, width) && width == 1) {
      end -= 1;
    } else {
      break;
    }
  }
  return std::string(s.substr(begin, end - begin));
}

inline bool blank(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); });
}

// Builds a Sheet from raw rows: trims cells, drops blank rows, takes the first as the header.
class SheetBuilder {
 public:
  explicit SheetBuilder(const SheetLimits& limits) : limits_(limits) {}

  Status add(long number, std::vector<std::string> cells) {
    // A cell costs its std::string besides its text: 100,000 rows of 64 one-digit cells are
    // 6 MB of text but 200 MB of memory.
    for (const auto& c : cells) total_bytes_ += sizeof(std::string) + c.size();
    if (total_bytes_ > limits_.max_total_cell_bytes) {
      return std::unexpected(
          bad_file({"文件内容过大（单元格合计超过 " +
                        std::to_string(limits_.max_total_cell_bytes >> 10) + " KiB）",
                    "the cells add up to more than " +
                        std::to_string(limits_.max_total_cell_bytes >> 10) + " KiB"}));
    }
    for (auto& c : cells) {
      if (c.size() > limits_.max_cell_bytes) {
        return std::unexpected(
            bad_file({"第 " + std::to_string(number) + " 行有单元格超过 " +
                          std::to_string(limits_.max_cell_bytes) + " 字节",
                      "row " + std::to_string(number) + " has a cell longer than " +
                          std::to_string(limits_.max_cell_bytes) + " bytes"}));
      }
      c = trim(c);
    }
    while (!cells.empty() && cells.back().empty()) cells.pop_back();
    if (cells.size() > limits_.max_columns) {
      return std::unexpected(bad_file({"第 " + std::to_string(number) + " 行超过 " +
                                           std::to_string(limits_.max_columns) + " 列",
                                       "row " + std::to_string(number) + " has more than " +
                                           std::to_string(limits_.max_columns) + " columns"}));
    }
    if (blank(cells)) return {};
    if (!have_header_) {
      sheet_.headers = std::move(cells);
      have_header_ = true;
      return {};
    }
    if (sheet_.rows.size() >= limits_.max_rows) {
      return std::unexpected(
          bad_file({"文件超过 " + std::to_string(limits_.max_rows) + " 行",
                    "the file has more than " + std::to_string(limits_.max_rows) + " rows"}));
    }
    sheet_.rows.push_back({number, std::move(cells)});
    return {};
  }

  Result<Sheet> finish() {
    if (!have_header_) {
      return std::unexpected(
          bad_file({"文件是空的（没有表头行）", "the file is empty (no header row)"}));
    }
    return std::move(sheet_);
  }

 private:
  const SheetLimits& limits_;
  std::size_t total_bytes_ = 0;
  Sheet sheet_;
  bool have_header_ = false;
};

}  // namespace xiehui::sheet_detail
