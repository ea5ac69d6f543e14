#include "core/xlsx_reader.hpp"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/sheet_builder.hpp"

namespace xiehui {
namespace {

using sheet_detail::bad_file;
using sheet_detail::SheetBuilder;

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
// The strings are stored end to end in one buffer with an end offset each, so an entry costs 4
// bytes besides its text (a std::string apiece cost 32 even when empty). Their count and bytes
// are bounded as they arrive, whatever the sheet's dimensions.
class SharedStrings final : public XmlEntry {
 public:
  explicit SharedStrings(const SheetLimits& limits)
      : XmlEntry(limits.max_cell_bytes),
        max_strings_(std::min(limits.max_shared_strings, limits.max_rows * limits.max_columns)),
        max_bytes_(std::min<std::size_t>(limits.max_shared_string_bytes,
                                         std::numeric_limits<std::uint32_t>::max())) {}

  /// Room for what an entry of `xml_bytes` can hold, taken at once: growing by doubling would
  /// hold up to twice the text (and three times while copying). Pages are only resident once
  /// written, so a declared size larger than the real one costs address space, not memory.
  void reserve(std::uint64_t xml_bytes) {
    text_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(xml_bytes, max_bytes_)));
    ends_.reserve(static_cast<std::size_t>(
        std::min<std::uint64_t>(xml_bytes / std::string_view("<si/>").size(), max_strings_)));
  }

  std::size_t size() const { return ends_.size(); }
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }

  void start(std::string_view name, const XML_Char**) override {
    if (name == "si") {
      if (ends_.size() >= max_strings_) {
        failure = bad_file({"xlsx 共享字符串过多（超过 " + std::to_string(max_strings_) + " 个）",
                            "the xlsx has too many shared strings (more than " +
                                std::to_string(max_strings_) + ")"});
        return;
      }
      if (!fits(sizeof(std::uint32_t))) return;
      ends_.push_back(static_cast<std::uint32_t>(text_.size()));
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
    if (!in_text_ || ends_.empty() || failure) return;
    const std::size_t begin = ends_.size() == 1 ? 0 : ends_[ends_.size() - 2];
    if (!text_fits(text_.size() - begin + data.size()) || !fits(data.size())) return;
    text_ += data;
    ends_.back() = static_cast<std::uint32_t>(text_.size());
  }

 private:
  // Whether `more` bytes keep the table within its byte bound; sets the failure if not.
  bool fits(std::size_t more) {
    const std::size_t used = text_.size() + ends_.size() * sizeof(std::uint32_t);
    if (used + more <= max_bytes_) return true;
    const std::string kib = std::to_string(max_bytes_ >> 10);
    failure = bad_file({"xlsx 共享字符串过大（合计超过 " + kib + " KiB）",
                        "the xlsx's shared strings add up to more than " + kib + " KiB"});
    return false;
  }

  std::size_t max_strings_;
  std::size_t max_bytes_;  // at most 4 GiB, so the offsets fit in 32 bits
  std::string text_;
  std::vector<std::uint32_t> ends_;
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
  Worksheet(const SharedStrings& shared, SheetBuilder& out, const SheetLimits& limits)
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

  const SharedStrings& shared_;
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

}  // namespace

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
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat(zip.get(), "xl/sharedStrings.xml", 0, &stat) == 0 &&
        (stat.valid & ZIP_STAT_SIZE)) {
      shared.reserve(stat.size);
    }
    if (auto ok = parse_entry(zip.get(), "xl/sharedStrings.xml", shared, budget); !ok) {
      return std::unexpected(ok.error());
    }
  }
  const std::string sheet_entry = first_sheet_entry(zip.get(), budget);
  SheetBuilder builder(limits);
  Worksheet sheet(shared, builder, limits);
  if (auto ok = parse_entry(zip.get(), sheet_entry.c_str(), sheet, budget); !ok) {
    return std::unexpected(ok.error());
  }
  return builder.finish();
}

}  // namespace xiehui
