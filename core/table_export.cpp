#include "core/table_export.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace xiehui {
namespace {

std::string csv_cell(const std::string& value) {
  std::string v;
  if (!value.empty() &&
      (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) {
    v += '\'';
  }
  v += value;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (const char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void csv_row(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += csv_cell(cells[i]);
  }
  out += "\r\n";
}

// Removes the temporary file however the export ends.
struct TempFile {
  std::string path;
  ~TempFile() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove(path, ec);
  }
};

}  // namespace

std::string to_csv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  csv_row(out, table.headers);
  for (const auto& row : table.rows) csv_row(out, row);
  return out;
}

Result<std::string> to_xlsx(const Table& table, const std::string& sheet_name) {
  const NamedTable sheets[] = {{sheet_name, table}};
  return to_xlsx(sheets);
}

Result<std::string> to_xlsx(std::span<const NamedTable> sheets) {
  const auto unavailable = [] {
    return std::unexpected(make_error(ErrorCode::unavailable, {"导出文件生成失败，请稍后再试",
                                                               "the export could not be written"}));
  };
  // libxlsxwriter 1.1.4 writes only to files: write a private temporary file and read it back.
  std::string pattern = (std::filesystem::temp_directory_path() / "xiehui-export-XXXXXX").string();
  const int fd = mkstemp(pattern.data());
  if (fd < 0) return unavailable();
  close(fd);
  TempFile file{pattern};
  lxw_workbook* workbook = workbook_new(file.path.c_str());
  if (!workbook) return unavailable();
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  lxw_format* text = workbook_add_format(workbook);
  format_set_num_format(text, "@");
  for (const auto& [sheet_name, table] : sheets) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_name.c_str());
    for (std::size_t c = 0; c < table.headers.size(); ++c) {
      worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.headers[c].c_str(), header);
      worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 18, text);
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
        worksheet_write_string(sheet, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                               table.rows[r][c].c_str(), text);
      }
    }
    worksheet_freeze_panes(sheet, 1, 0);
  }
  if (workbook_close(workbook) != LXW_NO_ERROR) return unavailable();
  std::ifstream in(file.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

}  // namespace xiehui
