#pragma once
// Pure rules of bank statement import: which columns hold what (chosen by staff once per layout
// and remembered by the header row's hash), reading dates and amounts as banks write them, the
// credit lines of a sheet, and the key that makes a line a payment only once.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/table_import.hpp"
#include "services/dues/dues_rules.hpp"

namespace xiehui::dues {

/// Column indexes (0-based) of a statement layout; -1 when absent. `reference` is optional.
struct ColumnMap {
  int date = -1;
  int payer = -1;
  int amount = -1;
  int reference = -1;
  bool complete() const { return date >= 0 && payer >= 0 && amount >= 0; }
};

/// "date:0,payer:2,amount:5,reference:7" (`credit` is another name for amount) → the map;
/// nullopt when malformed, a column repeats, or date, payer or amount is missing.
std::optional<ColumnMap> parse_column_map(std::string_view text);
std::string to_string(const ColumnMap& map);
/// What the headers suggest (交易日期 → date, 对方户名 → payer, 贷方金额 → amount, 摘要 →
/// reference …); incomplete when they do not say.
ColumnMap guess_column_map(const std::vector<std::string>& headers);
/// The settings row that remembers the map of a layout: "dues.statement_map.<hash of headers>".
std::string column_map_setting(const std::vector<std::string>& headers);

/// "2026-03-01", "2026/3/1", "2026.03.01", "20260301", "2026年3月1日", "2026-03-01 10:22:05"
/// or an Excel serial → "2026-03-01"; nullopt otherwise.
std::optional<std::string> parse_statement_date(std::string_view text);
/// "12,000.00", "¥12000", "12000.5", "+300" → 分; nullopt for anything else (or more than two
/// decimals). Negative amounts are returned negative (debits).
std::optional<long long> parse_statement_amount(std::string_view text);

/// A line of the file that could not be read.
struct LineProblem {
  long line = 0;
  std::string message;
};

/// The credit lines of `sheet` under `map` (debits, zero and blank amounts are left out), and
/// the rows that could not be read (a bad date or amount).
struct StatementExtract {
  std::vector<StatementLine> lines;
  std::vector<LineProblem> problems;
};
StatementExtract extract_lines(const Sheet& sheet, const ColumnMap& map);

/// The idempotency key of a line: a hash of its date, payer, amount, reference and how many
/// identical lines came before it in the file — the same file imported again gives the same keys.
std::vector<std::string> line_keys(const std::vector<StatementLine>& lines);

}  // namespace xiehui::dues
