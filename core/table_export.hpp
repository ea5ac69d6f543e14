#pragma once
// Lists as Chinese users exchange them: CSV in UTF-8 with a BOM (so Excel reads it as UTF-8)
// and .xlsx with every cell stored as text (credit codes and phone numbers keep their digits).

#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace xiehui {

/// A list with a header row; every cell is text.
struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

/// RFC 4180 CSV with a UTF-8 BOM and CRLF line ends; cells with comma, quote or line break are
/// quoted. A cell starting with = + - @ is prefixed with ' so spreadsheets do not run it.
std::string to_csv(const Table& table);

/// An .xlsx workbook with one sheet `sheet_name`; unavailable when it cannot be written.
Result<std::string> to_xlsx(const Table& table, const std::string& sheet_name);

struct NamedTable {
  std::string name;
  const Table& table;
};
/// An .xlsx workbook with one sheet per table, in order.
Result<std::string> to_xlsx(std::span<const NamedTable> sheets);

}  // namespace xiehui
