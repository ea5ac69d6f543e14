#include "services/meetings/material_rules.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/table_import.hpp"
#include "core/validate.hpp"

namespace xiehui::meetings {
namespace {

constexpr std::size_t kMaxNameChars = 120;
constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

enum class Container { pdf, ole, zip, jpeg, png };

struct Kind {
  std::string_view extension;
  std::string_view content_type;
  Container container;
  std::string_view zip_folder;  ///< the OOXML part folder a zip must hold, for Container::zip
  std::string_view label_zh;
  std::string_view label_en;
};

constexpr std::array kKinds{
    Kind{"pdf", "application/pdf", Container::pdf, "", "PDF 文件", "PDF file"},
    Kind{"doc", "application/msword", Container::ole, "", "Word 文档（.doc）",
         "Word document (.doc)"},
    Kind{"xls", "application/vnd.ms-excel", Container::ole, "", "Excel 工作簿（.xls）",
         "Excel workbook (.xls)"},
    Kind{"ppt", "application/vnd.ms-powerpoint", Container::ole, "", "PowerPoint 演示文稿（.ppt）",
         "PowerPoint presentation (.ppt)"},
    Kind{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         Container::zip, "word/", "Word 文档（.docx）", "Word document (.docx)"},
    Kind{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         Container::zip, "xl/", "Excel 工作簿（.xlsx）", "Excel workbook (.xlsx)"},
    Kind{"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         Container::zip, "ppt/", "PowerPoint 演示文稿（.pptx）", "PowerPoint presentation (.pptx)"},
    Kind{"jpg", "image/jpeg", Container::jpeg, "", "JPEG 图片", "JPEG image"},
    Kind{"jpeg", "image/jpeg", Container::jpeg, "", "JPEG 图片", "JPEG image"},
    Kind{"png", "image/png", Container::png, "", "PNG 图片", "PNG image"},
};

constexpr std::string_view kPdfMagic = "%PDF-";
constexpr std::string_view kOleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
constexpr std::string_view kJpegMagic = "\xFF\xD8\xFF";
constexpr std::string_view kPngMagic = "\x89PNG\r\n\x1A\n";

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && lower_ascii(a) == lower_ascii(b);
}

/// Surrounding spaces, ASCII or ideographic (U+3000, what a Chinese input method types).
std::string_view trim_spaces(std::string_view s) {
  for (;;) {
    if (s.starts_with(' ')) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else if (s.ends_with(' ')) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      return s;
    }
  }
}

std::size_t code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (const char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

/// U+202A–U+202E (embeddings, overrides) and U+2066–U+2069 (isolates): they reorder how the
/// rest of the name is shown, the classic way to disguise an extension.
bool has_bidi_controls(std::string_view utf8) {
  for (std::size_t i = 0; i + 2 < utf8.size(); ++i) {
    if (utf8[i] != '\xE2') continue;
    const auto b1 = static_cast<unsigned char>(utf8[i + 1]);
    const auto b2 = static_cast<unsigned char>(utf8[i + 2]);
    if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) return true;
    if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return true;
  }
  return false;
}

std::uint32_t read_u16(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8;
}

std::uint32_t read_u32(std::string_view s, std::size_t at) {
  return read_u16(s, at) | read_u16(s, at + 2) << 16;
}

constexpr std::uint32_t kEocdSignature = 0x06054b50;
constexpr std::uint32_t kCentralSignature = 0x02014b50;
constexpr std::uint32_t kLocalSignature = 0x04034b50;
constexpr std::size_t kEocdSize = 22;
constexpr std::size_t kCentralSize = 46;
constexpr std::size_t kLocalSize = 30;
constexpr std::size_t kMaxCommentSize = 0xFFFF;

/// Where the end-of-central-directory record starts: the last EOCD signature whose record and
/// comment fit in the file (the comment may itself contain the signature bytes, so search from
/// the end).
std::optional<std::size_t> find_eocd(std::string_view zip) {
  if (zip.size() < kEocdSize) return std::nullopt;
  const std::size_t last = zip.size() - kEocdSize;
  const std::size_t first = last > kMaxCommentSize ? last - kMaxCommentSize : 0;
  for (std::size_t at = last + 1; at-- > first;) {
    if (read_u32(zip, at) != kEocdSignature) continue;
    if (at + kEocdSize + read_u16(zip, at + 20) <= zip.size()) return at;
  }
  return std::nullopt;
}

/// Whether `zip` is a well-formed single-disk ZIP whose central directory lists
/// "[Content_Types].xml" and a file under `folder`. Every entry must sit inside the central
/// directory and point at a local header of the same name before it: a file two readers would
/// list differently is refused.
bool is_ooxml_package(std::string_view zip, std::string_view folder) {
  const auto eocd = find_eocd(zip);
  if (!eocd) return false;
  const std::uint32_t disk = read_u16(zip, *eocd + 4);
  const std::uint32_t cd_disk = read_u16(zip, *eocd + 6);
  const std::uint32_t entries_here = read_u16(zip, *eocd + 8);
  const std::uint32_t entries = read_u16(zip, *eocd + 10);
  const std::uint64_t cd_size = read_u32(zip, *eocd + 12);
  const std::uint64_t cd_offset = read_u32(zip, *eocd + 16);
  if (disk != 0 || cd_disk != 0 || entries_here != entries) return false;
  if (cd_offset + cd_size > *eocd) return false;
  const std::size_t cd_begin = static_cast<std::size_t>(cd_offset);
  const std::size_t cd_end = static_cast<std::size_t>(cd_offset + cd_size);

  bool content_types = false;
  bool part = false;
  std::size_t at = cd_begin;
  for (std::uint32_t i = 0; i < entries; ++i) {
    if (cd_end - at < kCentralSize || read_u32(zip, at) != kCentralSignature) return false;
    const std::size_t name_size = read_u16(zip, at + 28);
    const std::size_t record_size =
        kCentralSize + name_size + read_u16(zip, at + 30) + read_u16(zip, at + 32);
    if (cd_end - at < record_size) return false;
    const std::string_view name = zip.substr(at + kCentralSize, name_size);

    const std::size_t local = read_u32(zip, at + 42);
    if (local > cd_begin || cd_begin - local < kLocalSize) return false;
    if (read_u32(zip, local) != kLocalSignature) return false;
    const std::size_t local_name_size = read_u16(zip, local + 26);
    if (cd_begin - local - kLocalSize < local_name_size) return false;
    if (zip.substr(local + kLocalSize, local_name_size) != name) return false;

    // OPC part names compare case-insensitively (ECMA-376 Part 2, 6.2.2.3).
    if (iequals(name, "[Content_Types].xml")) content_types = true;
    if (name.size() > folder.size() && iequals(name.substr(0, folder.size()), folder)) {
      part = true;
    }
    at += record_size;
  }
  return at == cd_end && content_types && part;
}

bool content_matches(const Kind& kind, std::string_view content) {
  switch (kind.container) {
    case Container::pdf:
      return content.starts_with(kPdfMagic);
    case Container::ole:
      return content.starts_with(kOleMagic);
    case Container::zip:
      return is_ooxml_package(content, kind.zip_folder);
    case Container::jpeg:
      return content.starts_with(kJpegMagic);
    case Container::png:
      return content.starts_with(kPngMagic);
  }
  return false;
}

bool is_image(const Kind& k) {
  return k.container == Container::jpeg || k.container == Container::png;
}

const Kind* kind_of(std::string_view name, bool allow_images) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  const std::string extension = lower_ascii(name.substr(dot + 1));
  for (const Kind& k : kKinds) {
    if (k.extension == extension && (allow_images || !is_image(k))) return &k;
  }
  return nullptr;
}

}  // namespace

bool material_filename_ok(std::string_view filename) {
  const std::string_view name = trim_spaces(filename);
  if (name.empty() || name == "." || name == ".." || name.starts_with('.')) return false;
  if (!is_valid_utf8(name) || code_points(name) > kMaxNameChars) return false;
  if (name.find_first_of("/\\") != std::string_view::npos) return false;
  return !has_control_chars(name, false) && !has_bidi_controls(name);
}

Result<MaterialType> check_material(std::string_view filename, std::string_view content,
                                    bool allow_images) {
  std::vector<FieldError> errors;
  const bool name_ok = material_filename_ok(filename);
  const Kind* kind = name_ok ? kind_of(trim_spaces(filename), allow_images) : nullptr;
  if (!name_ok) {
    errors.push_back({"filename",
                      {"文件名应为 1–120 个字符，不能包含控制字符、斜杠或反斜杠，不能以“.”开头",
                       "a file name has 1–120 characters, no control characters, no slash or "
                       "backslash, and does not start with '.'"}});
  } else if (kind == nullptr && allow_images) {
    errors.push_back({"filename",
                      {"只接受 PDF、Word（.doc/.docx）、Excel（.xls/.xlsx）、PowerPoint"
                       "（.ppt/.pptx）文件和 JPEG、PNG 图片",
                       "only PDF, Word (.doc/.docx), Excel (.xls/.xlsx) and PowerPoint "
                       "(.ppt/.pptx) files and JPEG or PNG images are accepted"}});
  } else if (kind == nullptr) {
    errors.push_back({"filename",
                      {"只接受 PDF、Word（.doc/.docx）、Excel（.xls/.xlsx）和 PowerPoint"
                       "（.ppt/.pptx）文件",
                       "only PDF, Word (.doc/.docx), Excel (.xls/.xlsx) and PowerPoint "
                       "(.ppt/.pptx) files are accepted"}});
  }
  if (content.empty()) {
    errors.push_back({"file", {"文件为空", "the file is empty"}});
  } else if (kind != nullptr && !content_matches(*kind, content)) {
    errors.push_back({"file",
                      {"文件内容与扩展名不符：不是有效的 " + std::string(kind->label_zh),
                       "the file's content does not match its extension: not a valid " +
                           std::string(kind->label_en)}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  return MaterialType{std::string(kind->extension), std::string(kind->content_type),
                      std::string(trim_spaces(filename))};
}

}  // namespace xiehui::meetings
