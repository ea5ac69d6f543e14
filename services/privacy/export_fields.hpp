#pragma once
// Exports of personal data name what they hold (GB/T 35273 §8): contact columns only when the
// exporter asks for them (?fields=mobile,email), and a 说明 sheet saying which personal fields the
// file holds, who made it and when.

#include <string>
#include <string_view>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/table_export.hpp"

namespace xiehui::privacy {

struct ExportFields {
  bool mobile = false;
  bool email = false;
};

/// "mobile,email" (either, both, or empty for neither); anything else is 400 naming `fields`.
Result<ExportFields> parse_export_fields(std::string_view text);

/// The personal fields of a file: `always` ("姓名、职务") and the chosen contact columns.
std::string describe_fields(std::string_view always, ExportFields chosen);

/// An export of personal data: the list, and its 说明 sheet.
struct PersonalExport {
  Table table;
  Table note;
};

/// The 说明 sheet: what the file holds, who exported it and when, and how to treat it.
Table export_note(const Principal& who, std::string_view fields, bool masked, Timestamp at);

}  // namespace xiehui::privacy
