#include "core/table_import.hpp"

#include <expat.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>

namespace xiehui {
namespace {

Error bad_file(Text message) { return make_error(ErrorCode::invalid_argument, std::move(message)); }

bool is_space_at(std::string_view s, std::size_t i, std::size_t& width) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
    width = 1;
    return true;
  }
  // U+3000 IDEOGRAPHIC SPACE and U+00A0 NO-BREAK SPACE, which Chinese spreadsheets are full of.
  if (s.substr(i, 3) == "\xE3\x80\x80") {
    width = 3;
    return true;
  }
  if (s.substr(i, 2) == "\xC2\xA0") {
    width = 2;
    return true;
  }
  return false;
}

std::string trim(std::string_view s) {
  std::size_t begin = 0;
  std::size_t width = 0;
  while (begin < s.size() && is_space_at(s, begin, width)) begin += width;
  std::size_t end = s.size();
  while (end > begin) {
    // Step back over one whitespace character ending at `end`, if there is one.
    if (end - begin >= 3 && is_space_at(s, end - 3, width) && width == 3) {
      end -= 3;
    } else if (end - begin >= 2 && is_space_at(s, end - 2, width) && width == 2) {
      end -= 2;
    } else if (is_space_at(s, end - 1, width) && width == 1) {
      end -= 1;
    } else {
      break;
    }
  }
  return std::string(s.substr(begin, end - begin));
}

bool blank(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); });
}

// Builds a Sheet from raw rows: trims cells, drops blank rows, takes the first as the header.
class SheetBuilder {
 public:
  explicit SheetBuilder(const SheetLimits& limits) : limits_(limits) {}

  Status add(long number, std::vector<std::string> cells) {
    for (const auto& c : cells) total_bytes_ += c.size();
    if (total_bytes_ > limits_.max_total_cell_bytes) {
      return std::unexpected(
          bad_file({"文件内容过大（单元格合计超过 " +
                        std::to_string(limits_.max_total_cell_bytes >> 10) + " KiB）",
                    "the cells add up to more than " +
                        std::to_string(limits_.max_total_cell_bytes >> 10) + " KiB"}));
    }
    for (auto& c : cells) {
      if (c.size() > limits_.max_cell_bytes) {
        return std::unexpected(
            bad_file({"第 " + std::to_string(number) + " 行有单元格超过 " +
                          std::to_string(limits_.max_cell_bytes) + " 字节",
                      "row " + std::to_string(number) + " has a cell longer than " +
                          std::to_string(limits_.max_cell_bytes) + " bytes"}));
      }
      c = trim(c);
    }
    while (!cells.empty() && cells.back().empty()) cells.pop_back();
    if (cells.size() > limits_.max_columns) {
      return std::unexpected(bad_file({"第 " + std::to_string(number) + " 行超过 " +
                                           std::to_string(limits_.max_columns) + " 列",
                                       "row " + std::to_string(number) + " has more than " +
                                           std::to_string(limits_.max_columns) + " columns"}));
    }
    if (blank(cells)) return {};
    if (!have_header_) {
      sheet_.headers = std::move(cells);
      have_header_ = true;
      return {};
    }
    if (sheet_.rows.size() >= limits_.max_rows) {
      return std::unexpected(
          bad_file({"文件超过 " + std::to_string(limits_.max_rows) + " 行",
                    "the file has more than " + std::to_string(limits_.max_rows) + " rows"}));
    }
    sheet_.rows.push_back({number, std::move(cells)});
    return {};
  }

  Result<Sheet> finish() {
    if (!have_header_) {
      return std::unexpected(
          bad_file({"文件是空的（没有表头行）", "the file is empty (no header row)"}));
    }
    return std::move(sheet_);
  }

 private:
  const SheetLimits& limits_;
  std::size_t total_bytes_ = 0;
  Sheet sheet_;
  bool have_header_ = false;
};

// ---- xlsx -------------------------------------------------------------------------------

using ZipPtr = std::unique_ptr<zip_t, decltype(&zip_discard)>;

std::string_view local_name(const XML_Char* name) {
  std::string_view n(name);
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const XML_Char* attribute(const XML_Char** attrs, std::string_view wanted) {
  for (int i = 0; attrs[i]; i += 2) {
    if (local_name(attrs[i]) == wanted) return attrs[i + 1];
  }
  return nullptr;
}

// Streams one zip entry through an expat parser, counting the bytes against the unpack budget.
class XmlEntry {
 public:
  explicit XmlEntry(std::size_t max_text = 0) : max_text_(max_text) {}
  virtual ~XmlEntry() = default;
  virtual void start(std::string_view name, const XML_Char** attrs) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view data) = 0;
  /// Set by a handler to stop the parse with this error.
  std::optional<Error> failure;
  /// The parser feeding this handler, stopped as soon as `failure` is set.
  XML_Parser parser = nullptr;

  void stop_if_failed() {
    if (failure && parser && !stopped_) {
      stopped_ = true;
      XML_StopParser(parser, XML_FALSE);
    }
  }
  /// Expat may still deliver a few callbacks after it is stopped; they must not run.
  bool stopped() const { return failure.has_value(); }

 protected:
  // Text longer than any cell may be is refused as it arrives, before it is stored or copied.
  bool text_fits(std::size_t length) {
    if (max_text_ == 0 || length <= max_text_) return true;
    if (!failure) {
      failure = bad_file({"文件中有单元格超过 " + std::to_string(max_text_) + " 字节",
                          "a cell is longer than " + std::to_string(max_text_) + " bytes"});
    }
    return false;
  }

 private:
  std::size_t max_text_;
  bool stopped_ = false;
};

Status parse_entry(zip_t* zip, const char* entry, XmlEntry& handler, std::size_t& budget) {
  zip_file_t* file = zip_fopen(zip, entry, 0);
  if (!file) {
    return std::unexpected(bad_file(
        {std::string("xlsx 文件损坏：缺少 ") + entry, std::string("damaged xlsx: no ") + entry}));
  }
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file_guard(file, zip_fclose);
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
      XML_ParserCreate("UTF-8"), XML_ParserFree);
  XML_SetUserData(parser.get(), &handler);
  handler.parser = parser.get();
  XML_SetElementHandler(
      parser.get(),
      [](void* self, const XML_Char* name, const XML_Char** attrs) {
        auto* h = static_cast<XmlEntry*>(self);
        if (h->stopped()) return;
        h->start(local_name(name), attrs);
        h->stop_if_failed();
      },
      [](void* self, const XML_Char* name) {
        auto* h = static_cast<XmlEntry*>(self);
        if (h->stopped()) return;
        h->end(local_name(name));
        h->stop_if_failed();
      });
  XML_SetCharacterDataHandler(parser.get(), [](void* self, const XML_Char* s, int len) {
    auto* h = static_cast<XmlEntry*>(self);
    if (h->stopped()) return;
    h->text(std::string_view(s, static_cast<std::size_t>(len)));
    h->stop_if_failed();
  });
  // Spreadsheets carry no DTD; refusing one rules out entity-expansion bombs.
  XML_SetStartDoctypeDeclHandler(parser.get(), [](void* self, const XML_Char*, const XML_Char*,
                                                  const XML_Char*, int) {
    auto* h = static_cast<XmlEntry*>(self);
    h->failure =
        bad_file({"xlsx 文件含有不允许的 DTD", "the xlsx contains a DTD, which is not allowed"});
    h->stop_if_failed();
  });
  char buffer[64 * 1024];
  for (;;) {
    const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
    if (n < 0)
      return std::unexpected(bad_file({"xlsx 文件损坏，无法解压", "damaged xlsx: cannot unzip"}));
    if (static_cast<std::size_t>(n) > budget) {
      return std::unexpected(bad_file({"xlsx 解压后过大", "the xlsx unpacks to too much data"}));
    }
    budget -= static_cast<std::size_t>(n);
    // Handlers cannot stop expat themselves mid-buffer without the parser; a failure they set
    // is acted on here, and XML_StopParser ends the current buffer early.
    if (XML_Parse(parser.get(), buffer, static_cast<int>(n), n == 0) == XML_STATUS_ERROR) {
      if (handler.failure) return std::unexpected(*handler.failure);
      return std::unexpected(bad_file({std::string("xlsx 文件损坏：") + entry + " 不是有效的 XML",
                                       std::string("damaged xlsx: ") + entry + " is not XML"}));
    }
    if (handler.failure) return std::unexpected(*handler.failure);
    if (n == 0) return {};
  }
}

// xl/sharedStrings.xml: <si> holds <t> or rich-text runs <r><t>; phonetic runs <rPh> are hints.
class SharedStrings final : public XmlEntry {
 public:
  explicit SharedStrings(const SheetLimits& limits)
      : XmlEntry(limits.max_cell_bytes), max_strings_(limits.max_rows * limits.max_columns) {}
  std::vector<std::string> strings;
  void start(std::string_view name, const XML_Char**) override {
    if (name == "si") {
      if (strings.size() >= max_strings_ && !failure) {
        failure = bad_file({"xlsx 共享字符串过多", "the xlsx has too many shared strings"});
      }
      strings.emplace_back();
    } else if (name == "rPh") {
      in_phonetic_ = true;
    } else if (name == "t" && !in_phonetic_) {
      in_text_ = true;
    }
  }
  void end(std::string_view name) override {
    if (name == "rPh") in_phonetic_ = false;
    if (name == "t") in_text_ = false;
  }
  void text(std::string_view data) override {
    if (!in_text_ || strings.empty() || failure) return;
    if (text_fits(strings.back().size() + data.size())) strings.back() += data;
  }

 private:
  std::size_t max_strings_;
  bool in_text_ = false;
  bool in_phonetic_ = false;
};

// Column index of a cell reference ("C7" → 2), or -1.
long column_of(std::string_view ref) {
  long col = 0;
  std::size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
    col = col * 26 + (ref[i] - 'A' + 1);
    if (col > 16384) return -1;
  }
  return i == 0 ? -1 : col - 1;
}

// A worksheet: <row r><c r t><v>…</v> | <is><t>…</t></is></c></row>.
class Worksheet final : public XmlEntry {
 public:
  Worksheet(const std::vector<std::string>& shared, SheetBuilder& out, const SheetLimits& limits)
      : XmlEntry(limits.max_cell_bytes),
        shared_(shared),
        out_(out),
        max_columns_(limits.max_columns) {}

  void start(std::string_view name, const XML_Char** attrs) override {
    if (name == "row") {
      const XML_Char* r = attribute(attrs, "r");
      row_number_ = r ? std::atol(r) : row_number_ + 1;
      cells_.clear();
      next_column_ = 0;
    } else if (name == "c") {
      const XML_Char* r = attribute(attrs, "r");
      const XML_Char* t = attribute(attrs, "t");
      column_ = r ? column_of(r) : next_column_;
      next_column_ = column_ + 1;
      type_ = t ? t : "n";
      value_.clear();
    } else if (name == "v" || (name == "t" && type_ == "inlineStr")) {
      in_value_ = true;
    } else if (name == "rPh") {
      in_phonetic_ = true;
    }
  }

  void end(std::string_view name) override {
    if (name == "v" || name == "t") {
      in_value_ = false;
    } else if (name == "rPh") {
      in_phonetic_ = false;
    } else if (name == "c") {
      store_cell();
    } else if (name == "row" && !failure) {
      if (auto added = out_.add(row_number_, std::move(cells_)); !added) failure = added.error();
      cells_ = {};
    }
  }

  void text(std::string_view data) override {
    if (!in_value_ || in_phonetic_ || failure) return;
    if (text_fits(value_.size() + data.size())) value_ += data;
  }

 private:
  void store_cell() {
    if (column_ < 0) {
      failure = bad_file({"xlsx 文件损坏：单元格位置无效", "damaged xlsx: bad cell reference"});
      return;
    }
    std::string value;
    if (type_ == "s") {
      std::size_t index = 0;
      const auto [p, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), index);
      if (ec != std::errc() || index >= shared_.size()) {
        failure =
            bad_file({"xlsx 文件损坏：共享字符串缺失", "damaged xlsx: missing shared string"});
        return;
      }
      value = shared_[index];
    } else {
      value = std::move(value_);
    }
    if (value.empty()) return;
    if (static_cast<std::size_t>(column_) >= max_columns_) {
      failure = bad_file(
          {"第 " + std::to_string(row_number_) + " 行超过 " + std::to_string(max_columns_) + " 列",
           "row " + std::to_string(row_number_) + " has more than " + std::to_string(max_columns_) +
               " columns"});
      return;
    }
    const auto column = static_cast<std::size_t>(column_);
    if (cells_.size() <= column) cells_.resize(column + 1);
    cells_[column] = std::move(value);
  }

  const std::vector<std::string>& shared_;
  SheetBuilder& out_;
  std::size_t max_columns_;
  long row_number_ = 0;
  long column_ = 0;
  long next_column_ = 0;
  std::string type_;
  std::string value_;
  bool in_value_ = false;
  bool in_phonetic_ = false;
  std::vector<std::string> cells_;
};

// The first sheet's id in xl/workbook.xml and its target in xl/_rels/workbook.xml.rels.
class FirstSheetId final : public XmlEntry {
 public:
  std::string id;
  void start(std::string_view name, const XML_Char** attrs) override {
    if (name == "sheet" && id.empty()) {
      if (const XML_Char* rid = attribute(attrs, "id")) id = rid;
    }
  }
  void end(std::string_view) override {}
  void text(std::string_view) override {}
};

class RelationshipTarget final : public XmlEntry {
 public:
  explicit RelationshipTarget(std::string id) : id_(std::move(id)) {}
  std::string target;
  void start(std::string_view name, const XML_Char** attrs) override {
    if (name != "Relationship") return;
    const XML_Char* id = attribute(attrs, "Id");
    const XML_Char* target_attr = attribute(attrs, "Target");
    if (id && target_attr && id_ == id) target = target_attr;
  }
  void end(std::string_view) override {}
  void text(std::string_view) override {}

 private:
  std::string id_;
};

bool has_entry(zip_t* zip, const std::string& name) {
  return zip_name_locate(zip, name.c_str(), 0) >= 0;
}

std::string first_sheet_entry(zip_t* zip, std::size_t& budget) {
  const std::string fallback = "xl/worksheets/sheet1.xml";
  FirstSheetId workbook;
  if (!has_entry(zip, "xl/workbook.xml") ||
      !parse_entry(zip, "xl/workbook.xml", workbook, budget) || workbook.id.empty() ||
      !has_entry(zip, "xl/_rels/workbook.xml.rels")) {
    return fallback;
  }
  RelationshipTarget rels(workbook.id);
  if (!parse_entry(zip, "xl/_rels/workbook.xml.rels", rels, budget) || rels.target.empty()) {
    return fallback;
  }
  std::string target = rels.target;
  if (target.starts_with('/')) return target.substr(1);
  return "xl/" + target;
}

Result<Sheet> read_xlsx(std::string_view bytes, const SheetLimits& limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* raw = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  zip_error_fini(&error);
  if (!raw) {
    if (source) zip_source_free(source);
    return std::unexpected(
        bad_file({"无法打开 xlsx 文件（文件损坏或不是 xlsx）", "cannot open the xlsx (damaged?)"}));
  }
  ZipPtr zip(raw, zip_discard);
  std::size_t budget = limits.max_unpacked_bytes;
  SharedStrings shared(limits);
  if (has_entry(zip.get(), "xl/sharedStrings.xml")) {
    if (auto ok = parse_entry(zip.get(), "xl/sharedStrings.xml", shared, budget); !ok) {
      return std::unexpected(ok.error());
    }
  }
  const std::string sheet_entry = first_sheet_entry(zip.get(), budget);
  SheetBuilder builder(limits);
  Worksheet sheet(shared.strings, builder, limits);
  if (auto ok = parse_entry(zip.get(), sheet_entry.c_str(), sheet, budget); !ok) {
    return std::unexpected(ok.error());
  }
  return builder.finish();
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

Result<std::string> decode_text(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (is_valid_utf8(bytes)) return std::string(bytes);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open("GB18030", &status),
                                                          ucnv_close);
  if (U_FAILURE(status)) return std::unexpected(internal_error());
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()), conv.get(), status);
  if (U_FAILURE(status)) {
    return std::unexpected(
        bad_file({"无法识别文件编码：请保存为 UTF-8 或 GBK 编码的 CSV，或 xlsx",
                  "unknown text encoding: save as CSV in UTF-8 or GBK, or xlsx"}));
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

Result<Sheet> parse_csv(std::string_view s, const SheetLimits& limits) {
  SheetBuilder builder(limits);
  std::vector<std::string> cells(1);
  long record = 1;
  bool quoted = false;
  bool any = false;
  auto flush = [&]() -> Status {
    auto added = builder.add(record++, std::move(cells));
    cells.assign(1, std::string());
    any = false;
    return added;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    any = true;
    if (quoted) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          cells.back() += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cells.back() += c;
      }
    } else if (c == '"' && cells.back().find_first_not_of(" \t") == std::string::npos) {
      cells.back().clear();
      quoted = true;
    } else if (c == ',') {
      if (cells.size() >= limits.max_columns + 1) {
        return std::unexpected(bad_file({"第 " + std::to_string(record) + " 行超过 " +
                                             std::to_string(limits.max_columns) + " 列",
                                         "row " + std::to_string(record) + " has more than " +
                                             std::to_string(limits.max_columns) + " columns"}));
      }
      cells.emplace_back();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      if (auto ok = flush(); !ok) return std::unexpected(ok.error());
    } else {
      if (cells.back().size() > limits.max_cell_bytes) {
        return std::unexpected(
            bad_file({"第 " + std::to_string(record) + " 行有单元格过长",
                      "row " + std::to_string(record) + " has a cell too long"}));
      }
      cells.back() += c;
    }
  }
  if (quoted) {
    return std::unexpected(bad_file({"第 " + std::to_string(record) + " 行的引号没有闭合",
                                     "row " + std::to_string(record) + " has an unclosed quote"}));
  }
  if (any) {
    if (auto ok = flush(); !ok) return std::unexpected(ok.error());
  }
  return builder.finish();
}

Result<Sheet> read_sheet(std::string_view bytes, const SheetLimits& limits) {
  if (bytes.empty()) return std::unexpected(bad_file({"文件是空的", "the file is empty"}));
  if (bytes.starts_with("PK\x03\x04")) return read_xlsx(bytes, limits);
  if (bytes.starts_with("\xD0\xCF\x11\xE0")) {
    return std::unexpected(bad_file({"不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV",
                                     "old .xls files are not supported: save as .xlsx or CSV"}));
  }
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return std::unexpected(bad_file({"不支持 UTF-16 文本，请另存为 CSV（UTF-8 或 GBK）或 xlsx",
                                     "UTF-16 text is not supported: save as CSV or xlsx"}));
  }
  if (bytes.find('\0') != std::string_view::npos) {
    return std::unexpected(
        bad_file({"不是 xlsx 或 CSV 文件", "the file is neither an xlsx nor a CSV"}));
  }
  auto text = decode_text(bytes);
  if (!text) return std::unexpected(text.error());
  return parse_csv(*text, limits);
}

std::string excel_serial_to_date(std::string_view text) {
  if (text.ends_with(".0")) text.remove_suffix(2);
  long serial = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), serial);
  if (ec != std::errc() || p != text.data() + text.size() || serial < 1 || serial > 2958465) {
    return {};
  }
  using namespace std::chrono;
  // Excel counts 1900-02-29, which did not exist; from serial 61 on, day 0 is 1899-12-30.
  const sys_days epoch = serial >= 61 ? sys_days(1899y / 12 / 30) : sys_days(1899y / 12 / 31);
  const year_month_day ymd(epoch + days(serial));
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return out;
}

}  // namespace xiehui
