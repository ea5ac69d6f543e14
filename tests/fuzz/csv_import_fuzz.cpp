// The CSV reader of member and statement imports, on any uploaded bytes (UTF-8, GBK, a BOM,
// garbage): never a crash, every cell valid UTF-8, within the limits, rows numbered upwards.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/table_import.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  xiehui::SheetLimits limits;
  limits.max_rows = 200;
  limits.max_columns = 16;
  limits.max_cell_bytes = 256;

  if (auto text = xiehui::decode_text(bytes)) FUZZ_CHECK(xiehui::is_valid_utf8(*text));

  const auto sheet = xiehui::read_sheet(bytes, limits);
  if (!sheet) {
    FUZZ_CHECK(!sheet.error().message.zh.empty());
    return 0;
  }
  FUZZ_CHECK(sheet->rows.size() <= limits.max_rows);
  FUZZ_CHECK(sheet->headers.size() <= limits.max_columns);
  long previous = 1;  // the header row
  for (const auto& row : sheet->rows) {
    FUZZ_CHECK(row.number > previous);
    previous = row.number;
    FUZZ_CHECK(row.cells.size() <= limits.max_columns);
    for (const auto& cell : row.cells) {
      FUZZ_CHECK(cell.size() <= limits.max_cell_bytes);
      FUZZ_CHECK(xiehui::is_valid_utf8(cell));
    }
  }
  (void)xiehui::excel_serial_to_date(bytes.substr(0, 16));
  return 0;
}
