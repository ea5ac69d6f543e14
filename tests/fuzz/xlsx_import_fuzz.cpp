// The .xlsx reader (libzip + expat, bounded as it inflates) on damaged and hostile workbooks:
// never a crash or a leak, the limits hold, every cell is valid UTF-8.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/table_import.hpp"
#include "core/xlsx_reader.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  xiehui::SheetLimits limits;
  limits.max_rows = 500;
  limits.max_columns = 32;
  limits.max_cell_bytes = 1024;
  limits.max_unpacked_bytes = 8u << 20;
  limits.max_total_cell_bytes = 4u << 20;
  limits.max_shared_strings = 10'000;
  limits.max_shared_string_bytes = 1u << 20;

  const auto sheet = xiehui::read_xlsx(bytes, limits);
  if (!sheet) {
    FUZZ_CHECK(!sheet.error().message.zh.empty() && !sheet.error().message.en.empty());
    return 0;
  }
  FUZZ_CHECK(sheet->rows.size() <= limits.max_rows);
  for (const auto& header : sheet->headers) FUZZ_CHECK(xiehui::is_valid_utf8(header));
  for (const auto& row : sheet->rows) {
    FUZZ_CHECK(row.cells.size() <= limits.max_columns);
    for (const auto& cell : row.cells) {
      FUZZ_CHECK(cell.size() <= limits.max_cell_bytes);
      FUZZ_CHECK(xiehui::is_valid_utf8(cell));
    }
  }
  return 0;
}
