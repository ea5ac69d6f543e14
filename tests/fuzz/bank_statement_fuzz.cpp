// A bank statement upload from its bytes to the payment lines: the sheet, the column map staff
// chose or the headers suggest, dates and amounts as banks write them, the idempotency keys.
// Never a crash; every line read is a credit with a YYYY-MM-DD date; keys are one per line and
// the same on a second read.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/table_import.hpp"
#include "services/dues/statement_rules.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace dues = xiehui::dues;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // The first line doubles as a column map and as single values, as staff might type them.
  const std::string_view first = bytes.substr(0, bytes.find('\n'));
  if (auto map = dues::parse_column_map(first)) {
    FUZZ_CHECK(map->complete());
    FUZZ_CHECK(dues::parse_column_map(dues::to_string(*map)).has_value());
  }
  if (auto date = dues::parse_statement_date(first)) {
    FUZZ_CHECK(date->size() == 10 && (*date)[4] == '-' && (*date)[7] == '-');
  }
  (void)dues::parse_statement_amount(first);

  xiehui::SheetLimits limits;
  limits.max_rows = 200;
  limits.max_columns = 16;
  const auto sheet = xiehui::read_sheet(bytes, limits);
  if (!sheet) return 0;
  dues::ColumnMap map = dues::guess_column_map(sheet->headers);
  if (!map.complete()) map = dues::ColumnMap{.date = 0, .payer = 1, .amount = 2, .reference = 3};
  (void)dues::column_map_setting(sheet->headers);

  const auto extract = dues::extract_lines(*sheet, map);
  for (const auto& line : extract.lines) {
    FUZZ_CHECK(line.amount_fen > 0);
    FUZZ_CHECK(line.date.size() == 10 && line.date[4] == '-');
  }
  const auto keys = dues::line_keys(extract.lines);
  FUZZ_CHECK(keys.size() == extract.lines.size());
  FUZZ_CHECK(keys == dues::line_keys(extract.lines));
  return 0;
}
