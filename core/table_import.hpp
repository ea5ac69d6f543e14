#pragma once
// Reading the lists people upload: the first sheet of an .xlsx, or a CSV as Chinese Excel writes
// it — UTF-8 with or without a BOM, or GBK (read as GB 18030, its superset). Every cell comes
// back as UTF-8 text; rows keep the numbers the user sees in the spreadsheet, so errors can
// name them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace xiehui {

/// A row of an uploaded sheet with its 1-based row number in the file.
struct SheetRow {
  long number = 0;
  std::vector<std::string> cells;
};

/// The header row (cells trimmed) and the data rows below it; wholly blank rows are dropped.
struct Sheet {
  std::vector<std::string> headers;
  std::vector<SheetRow> rows;
};

/// Bounds on what an upload may unpack to: a small .xlsx can inflate enormously (zip bomb).
struct SheetLimits {
  std::size_t max_rows = 100'000;
  std::size_t max_columns = 64;
  std::size_t max_cell_bytes = 4096;
  std::size_t max_unpacked_bytes = 256u << 20;
  /// All cells together, after shared strings are filled in (one long string may be
  /// referenced by every cell), each counted with its std::string (32 bytes) besides its text.
  std::size_t max_total_cell_bytes = 128u << 20;
  /// Entries in an .xlsx's shared-string table, bounded on their own: the table need not match
  /// the sheet, and millions of empty entries unpack from a few KB. A real 100,000-row file
  /// has a few distinct strings per row.
  std::size_t max_shared_strings = 1'000'000;
  /// The shared strings' text together, each entry counted with its 4-byte index.
  std::size_t max_shared_string_bytes = 32u << 20;
};

/// Reads an .xlsx (detected by its zip signature) or a CSV. invalid_argument naming the problem
/// in both languages when the file is neither, is damaged, is empty, or exceeds `limits`.
Result<Sheet> read_sheet(std::string_view bytes, const SheetLimits& limits = {});

/// Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF or LF) already decoded to UTF-8.
Result<Sheet> parse_csv(std::string_view utf8, const SheetLimits& limits = {});

/// `bytes` as UTF-8: a UTF-8 BOM is dropped; valid UTF-8 is returned as it is; anything else is
/// decoded as GB 18030 (which covers GBK). invalid_argument when it is neither.
Result<std::string> decode_text(std::string_view bytes);

/// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

/// The date an Excel serial number stands for ("45292" → "2024-01-01", 1900 date system), or
/// an empty string when `text` is not a plausible serial.
std::string excel_serial_to_date(std::string_view text);

}  // namespace xiehui
