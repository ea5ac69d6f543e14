#include "services/meetings/material_rules.hpp"

#include <gtest/gtest.h>

#include <cstdint>

#include "core/table_export.hpp"

namespace xiehui::meetings {
namespace {

// --- files as the tests need them ---

/// A one-page PDF a reader opens: header, three objects, a cross-reference table at the right
/// offsets, trailer.
std::string minimal_pdf() {
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  const std::vector<std::string> objects{"<< /Type /Catalog /Pages 2 0 R >>",
                                         "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                         "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"};
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 4\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    const std::string digits = std::to_string(offset);
    pdf += std::string(10 - digits.size(), '0') + digits + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::uint32_t crc32(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char c : data) {
    crc ^= static_cast<unsigned char>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

struct ZipEntry {
  std::string name;
  std::string data;
};

/// A ZIP of stored (uncompressed) entries, as any unzip reads it.
std::string make_zip(const std::vector<ZipEntry>& entries) {
  std::string zip;
  std::string directory;
  for (const auto& e : entries) {
    const auto offset = static_cast<std::uint32_t>(zip.size());
    const auto size = static_cast<std::uint32_t>(e.data.size());
    const auto name_size = static_cast<std::uint32_t>(e.name.size());
    const std::uint32_t crc = crc32(e.data);
    put32(zip, 0x04034b50);
    put16(zip, 20);    // version needed
    put16(zip, 0);     // flags
    put16(zip, 0);     // stored
    put16(zip, 0);     // time
    put16(zip, 0x21);  // date 1980-01-01
    put32(zip, crc);
    put32(zip, size);
    put32(zip, size);
    put16(zip, name_size);
    put16(zip, 0);
    zip += e.name + e.data;

    put32(directory, 0x02014b50);
    put16(directory, 20);  // made by
    put16(directory, 20);  // needed
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, 0x21);
    put32(directory, crc);
    put32(directory, size);
    put32(directory, size);
    put16(directory, name_size);
    put16(directory, 0);  // extra
    put16(directory, 0);  // comment
    put16(directory, 0);  // disk
    put16(directory, 0);  // internal attributes
    put32(directory, 0);  // external attributes
    put32(directory, offset);
    directory += e.name;
  }
  const auto cd_offset = static_cast<std::uint32_t>(zip.size());
  zip += directory;
  put32(zip, 0x06054b50);
  put16(zip, 0);
  put16(zip, 0);
  put16(zip, static_cast<std::uint32_t>(entries.size()));
  put16(zip, static_cast<std::uint32_t>(entries.size()));
  put32(zip, static_cast<std::uint32_t>(directory.size()));
  put32(zip, cd_offset);
  put16(zip, 0);
  return zip;
}

/// The smallest .docx Word opens: content types, the package relationship, the document.
std::string minimal_docx() {
  return make_zip({
      {"[Content_Types].xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
       R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
       R"(<Default Extension="xml" ContentType="application/xml"/>)"
       R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
       R"(</Types>)"},
      {"_rels/.rels",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
       R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)"
       R"(</Relationships>)"},
      {"word/document.xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
       R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
       R"(<w:body><w:p><w:r><w:t>第三届第二次理事会议程</w:t></w:r></w:p></w:body></w:document>)"},
  });
}

std::string real_xlsx() {
  const Table table{{"单位名称", "回执"}, {{"长沙经济技术开发区", "参加"}}};
  auto xlsx = to_xlsx(table, "回执汇总");
  EXPECT_TRUE(xlsx.has_value());
  return xlsx.value_or("");
}

std::string ole_file() {
  std::string ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  ole.resize(512, '\0');
  return ole;
}

/// The field errors of a refusal; fails the test when it is not invalid_argument.
std::vector<FieldError> refusal(const Result<MaterialType>& r) {
  EXPECT_FALSE(r.has_value()) << "accepted as " << (r ? r->extension : "");
  if (r) return {};
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  return r.error().fields;
}

std::string only_field(const Result<MaterialType>& r) {
  const auto fields = refusal(r);
  EXPECT_EQ(fields.size(), 1u);
  return fields.empty() ? "" : fields.front().field;
}

// --- the content must match the extension ---

TEST(MaterialContent, RealPdfIsAccepted) {
  const auto r = check_material("第三届第二次理事会议程.pdf", minimal_pdf());
  ASSERT_TRUE(r.has_value()) << r.error().fields.at(0).message.en;
  EXPECT_EQ(r->extension, "pdf");
  EXPECT_EQ(r->content_type, "application/pdf");
  EXPECT_EQ(r->filename, "第三届第二次理事会议程.pdf");
}

TEST(MaterialContent, ExtensionIsCaseInsensitiveAndNameTrimmed) {
  const auto r = check_material("  议程.PDF　", minimal_pdf());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->extension, "pdf");
  EXPECT_EQ(r->filename, "议程.PDF");
}

TEST(MaterialContent, PdfRenamedDocxIsRefusedWithAMessage) {
  const auto r = check_material("议程.docx", minimal_pdf());
  const auto fields = refusal(r);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].field, "file");
  EXPECT_EQ(fields[0].message.zh, "文件内容与扩展名不符：不是有效的 Word 文档（.docx）");
  EXPECT_NE(fields[0].message.en.find("does not match"), std::string::npos);
}

TEST(MaterialContent, DocxRenamedPdfIsRefused) {
  const auto fields = refusal(check_material("议程.pdf", minimal_docx()));
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].message.zh, "文件内容与扩展名不符：不是有效的 PDF 文件");
}

TEST(MaterialContent, HandBuiltDocxIsAccepted) {
  const auto r = check_material("议程.docx", minimal_docx());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->content_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
}

TEST(MaterialContent, XlsxFromTheProjectsWriterIsAccepted) {
  const std::string xlsx = real_xlsx();
  const auto r = check_material("回执汇总.xlsx", xlsx);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->extension, "xlsx");
  EXPECT_EQ(r->content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

TEST(MaterialContent, XlsxRenamedDocxOrPptxIsRefused) {
  const std::string xlsx = real_xlsx();
  EXPECT_EQ(only_field(check_material("回执汇总.docx", xlsx)), "file") << "no word/ part";
  EXPECT_EQ(only_field(check_material("回执汇总.pptx", xlsx)), "file") << "no ppt/ part";
  EXPECT_EQ(only_field(check_material("议程.xlsx", minimal_docx())), "file") << "no xl/ part";
}

TEST(MaterialContent, ZipWithoutContentTypesIsNoOfficeFile) {
  const std::string zip = make_zip({{"word/document.xml", "<w:document/>"}});
  EXPECT_EQ(only_field(check_material("a.docx", zip)), "file");
  const std::string folder_only = make_zip({{"[Content_Types].xml", "<Types/>"}, {"word/", ""}});
  EXPECT_EQ(only_field(check_material("a.docx", folder_only)), "file")
      << "an empty folder entry is not a part";
}

TEST(MaterialContent, OleSignatureIsAcceptedForLegacyOfficeOnly) {
  EXPECT_EQ(check_material("议程.doc", ole_file()).value().content_type, "application/msword");
  EXPECT_EQ(check_material("名单.XLS", ole_file()).value().content_type,
            "application/vnd.ms-excel");
  EXPECT_EQ(check_material("汇报.ppt", ole_file()).value().content_type,
            "application/vnd.ms-powerpoint");
  EXPECT_EQ(only_field(check_material("议程.doc", minimal_pdf())), "file");
  EXPECT_EQ(only_field(check_material("议程.pdf", ole_file())), "file");
  EXPECT_EQ(only_field(check_material("议程.docx", ole_file())), "file");
  EXPECT_EQ(only_field(check_material("议程.doc", ole_file().substr(0, 7))), "file");
}

TEST(MaterialContent, EmptyFileIsRefusedOnTheFileField) {
  EXPECT_EQ(only_field(check_material("议程.pdf", "")), "file");
  const auto fields = refusal(check_material("议程.exe", ""));
  ASSERT_EQ(fields.size(), 2u) << "both problems at once";
  EXPECT_EQ(fields[0].field, "filename");
  EXPECT_EQ(fields[1].field, "file");
}

TEST(MaterialContent, UnsupportedOrMissingExtensionIsRefusedOnTheFilename) {
  for (const char* name : {"setup.exe", "议程", "议程.", "议程.pdf.exe", "议程.pdfx", "a.zip"}) {
    EXPECT_EQ(only_field(check_material(name, minimal_pdf())), "filename") << name;
  }
}

// --- the ZIP walk on attacker input ---

TEST(MaterialZip, EveryTruncationIsRefusedWithoutCrashing) {
  for (const std::string& file : {minimal_docx(), real_xlsx()}) {
    const std::string name = file.find("word/") != std::string::npos ? "a.docx" : "a.xlsx";
    ASSERT_TRUE(check_material(name, file).has_value());
    for (std::size_t n = 1; n < file.size(); ++n) {
      EXPECT_FALSE(check_material(name, file.substr(0, n)).has_value()) << n;
    }
  }
}

TEST(MaterialZip, GarbageIsRefused) {
  EXPECT_EQ(only_field(check_material("a.docx", "PK\x03\x04 not really a zip")), "file");
  EXPECT_EQ(only_field(check_material("a.docx", std::string(4096, '\0'))), "file");
  EXPECT_EQ(only_field(check_material("a.docx", "PK\x05\x06")), "file") << "short EOCD";
  std::string eocd_only = "PK\x05\x06";
  eocd_only.resize(22, '\0');
  EXPECT_EQ(only_field(check_material("a.docx", eocd_only)), "file") << "empty archive";
}

TEST(MaterialZip, EveryCorruptedByteOfTheDirectoryIsSurvived) {
  const std::string docx = minimal_docx();
  const auto cd = docx.find("PK\x01\x02");
  ASSERT_NE(cd, std::string::npos);
  for (std::size_t at = cd; at < docx.size(); ++at) {
    for (const char v : {'\x00', '\x7F', '\xFF'}) {
      std::string bad = docx;
      bad[at] = v;
      (void)check_material("a.docx", bad);  // accepted or not, it must not read out of bounds
    }
  }
}

/// Sets the little-endian 32-bit field `offset` bytes into the EOCD record of `zip`.
void set_eocd32(std::string& zip, std::size_t offset, std::uint32_t value) {
  const std::size_t eocd = zip.size() - 22;
  for (std::size_t k = 0; k < 4; ++k)
    zip[eocd + offset + k] = static_cast<char>((value >> (8 * k)) & 0xFF);
}

TEST(MaterialZip, EocdPointingOutsideTheFileIsRefused) {
  const std::string docx = minimal_docx();
  for (const std::uint32_t cd_offset : {0xFFFFFFF0u, static_cast<std::uint32_t>(docx.size())}) {
    std::string bad = docx;
    set_eocd32(bad, 16, cd_offset);
    EXPECT_EQ(only_field(check_material("a.docx", bad)), "file") << cd_offset;
  }
  std::string huge_directory = docx;
  set_eocd32(huge_directory, 12, 0xFFFFFFFFu);
  EXPECT_EQ(only_field(check_material("a.docx", huge_directory)), "file");

  std::string more_entries = docx;  // claims 0xFFFF entries in a directory of three
  more_entries[more_entries.size() - 22 + 8] = '\xFF';
  more_entries[more_entries.size() - 22 + 9] = '\xFF';
  more_entries[more_entries.size() - 22 + 10] = '\xFF';
  more_entries[more_entries.size() - 22 + 11] = '\xFF';
  EXPECT_EQ(only_field(check_material("a.docx", more_entries)), "file");
}

TEST(MaterialZip, LocalHeaderMustAgreeWithTheDirectory) {
  // A directory that names word/document.xml while the local header says something else:
  // readers that trust one or the other would see different files.
  std::string docx = minimal_docx();
  const auto local = docx.find("word/document.xml<?xml");  // the local name, then the data
  ASSERT_LT(local, docx.find("PK\x01\x02"));
  docx[local] = 'W';
  EXPECT_EQ(only_field(check_material("a.docx", docx)), "file");
}

TEST(MaterialZip, ArchiveCommentIsAllowed) {
  std::string docx = minimal_docx();
  std::string comment(44, 'x');
  comment.replace(0, 4, "PK\x05\x06");  // a false signature before the real one
  docx[docx.size() - 2] = static_cast<char>(comment.size());
  docx += comment;
  EXPECT_TRUE(check_material("a.docx", docx).has_value());
}

// --- the file name ---

TEST(MaterialFilename, OrdinaryNamesAreFine) {
  EXPECT_TRUE(material_filename_ok("第三届第二次理事会议程.pdf"));
  EXPECT_TRUE(material_filename_ok("2026 年度 工作报告 (终稿).docx"));
  EXPECT_TRUE(material_filename_ok("  a.pdf  "));
  EXPECT_TRUE(material_filename_ok("a..pdf"));
}

TEST(MaterialFilename, PathsAndDotNamesAreRefused) {
  for (const char* name : {"a/b.pdf", "../b.pdf", "..\\b.pdf", "c:\\x\\b.pdf", "/etc/passwd", "..",
                           ".", ".hidden.pdf", " .pdf", ""}) {
    EXPECT_FALSE(material_filename_ok(name)) << name;
  }
  EXPECT_FALSE(material_filename_ok("   ")) << "blank after trimming";
  EXPECT_FALSE(material_filename_ok("\xE3\x80\x80")) << "an ideographic space only";
}

TEST(MaterialFilename, ControlCharactersAndBadUtf8AreRefused) {
  for (const std::string& name :
       {std::string("a\x01.pdf"), std::string("a\n.pdf"), std::string("a\t.pdf"),
        std::string("a\r.pdf"), std::string("a\x7f.pdf"), std::string("a\xC2\x85.pdf"),
        std::string("a\0.pdf", 6), std::string("a\xFF.pdf"), std::string("a\xE4\xB8.pdf"),
        std::string("invoice\xE2\x80\xAE"
                    "xcod.pdf"),
        std::string("x\xE2\x81\xA6y.pdf")}) {
    EXPECT_FALSE(material_filename_ok(name)) << name;
  }
  EXPECT_EQ(only_field(check_material("a\n.pdf", minimal_pdf())), "filename");
}

/// `count` copies of `unit` followed by ".pdf".
std::string pdf_name(std::string_view unit, int count) {
  std::string name;
  for (int i = 0; i < count; ++i) name.append(unit);
  return name.append(".pdf");
}

TEST(Material, PhotosOnlyWhereImagesAreAllowed) {
  const std::string png("\x89PNG\r\n\x1A\n0000", 12);
  const std::string jpeg("\xFF\xD8\xFF\xE0rest", 8);
  EXPECT_EQ(only_field(check_material("现场.png", png)), "filename") << "not a meeting material";
  auto photo = check_material("现场.PNG", png, true);
  ASSERT_TRUE(photo.has_value());
  EXPECT_EQ(photo->content_type, "image/png");
  EXPECT_EQ(check_material("合影.jpg", jpeg, true)->content_type, "image/jpeg");
  EXPECT_EQ(only_field(check_material("合影.jpg", png, true)), "file") << "content must match";
  EXPECT_EQ(only_field(check_material("x.png", "<svg onload=alert(1)>", true)), "file");
}

TEST(MaterialFilename, AtMost120Characters) {
  EXPECT_TRUE(material_filename_ok(pdf_name("议", 116))) << "120 characters, 352 bytes";
  EXPECT_FALSE(material_filename_ok(pdf_name("议", 117))) << "121 characters";
  EXPECT_TRUE(material_filename_ok(pdf_name("a", 116)));
  EXPECT_FALSE(material_filename_ok(pdf_name("a", 117)));
}

}  // namespace
}  // namespace xiehui::meetings
