#pragma once
// The first sheet of an .xlsx (a zip of XML), read as a stream: libzip inflates, expat parses,
// and every size is bounded as it arrives (zip bombs, shared-string fan-out, DTD entities).

#include <string_view>

#include "core/table_import.hpp"

namespace xiehui {

/// The first sheet of `bytes`; invalid_argument naming the problem when the file is damaged or
/// exceeds `limits`.
Result<Sheet> read_xlsx(std::string_view bytes, const SheetLimits& limits);

}  // namespace xiehui
