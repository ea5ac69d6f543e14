#pragma once
// Pure rules of the member import: the template's columns, and turning the rows of an uploaded
// sheet into checked member records, naming every bad cell by row and column.

#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/table_export.hpp"
#include "core/table_import.hpp"
#include "core/validate.hpp"
#include "services/membership/membership.hpp"

namespace xiehui::membership {

/// One column of the import template. `header` is what the sheet's first row says.
struct ImportColumn {
  std::string_view key;
  std::string_view header;
  bool required;
  std::string_view help;
};

/// The template's columns, in order.
std::span<const ImportColumn> import_columns();

/// The downloadable template: the header row only, and a second sheet explaining each column.
Table import_template();
Table import_template_help();

/// A checked row: a unit keyed by its credit code.
struct ImportRow {
  long row = 0;  ///< the row number in the file
  Organisation org;
  std::string tier;       ///< empty: keep (existing unit) or "member" (new unit)
  std::string joined_on;  ///< YYYY-MM-DD; empty: today
  std::optional<Contact> representative;
  bool short_name_given = false;  ///< an empty cell keeps an existing unit's short name
};

/// A bad cell (or a bad file layout, row 0) in the language-neutral form reports carry.
struct ImportError {
  long row = 0;
  std::string column;  ///< the column's header, "统一社会信用代码"
  Text message;
};

struct ParsedImport {
  std::vector<ImportRow> rows;
  std::vector<ImportError> errors;
  /// Keys of the template columns the file has ("address", "rep_mobile", ...): an existing
  /// unit keeps what a file without the column does not say.
  std::set<std::string, std::less<>> columns;

  bool has(std::string_view key) const { return columns.contains(key); }
};

/// Checks every row of `sheet`. Columns are found by their headers (in any order; unknown
/// columns are ignored); a missing required column is one error of row 1. Cells take codes or
/// Chinese labels (经开区, 国家级, 理事单位, 长沙市 or 430100); dates take YYYY-MM-DD,
/// YYYY/M/D, YYYY年M月D日 or an Excel date number. A credit code repeated in the file is an
/// error of each later row.
ParsedImport parse_member_rows(const Sheet& sheet, std::span<const Division> cities);

/// "2024-3-5", "2024/03/05", "2024年3月5日", "2024.3.5" or an Excel serial → "2024-03-05";
/// nullopt when it is not a real date.
std::optional<std::string> parse_loose_date(std::string_view text);

/// The division whose code is `text` or whose name is or starts with it ("长沙", "湘西").
const Division* find_city(std::span<const Division> cities, std::string_view text);

}  // namespace xiehui::membership
