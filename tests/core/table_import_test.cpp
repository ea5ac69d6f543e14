#include "core/table_import.hpp"

#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/qr_code.hpp"
#include "core/table_export.hpp"

namespace xiehui {
namespace {

// A hand-made .xlsx: the given zip entries (name → XML text), for files our writer never makes.
std::string make_xlsx(const std::vector<std::pair<std::string, std::string>>& entries) {
  const auto path =
      std::filesystem::temp_directory_path() /
      ("xiehui-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
       std::to_string(std::hash<std::string>{}(entries.front().second)) + ".xlsx");
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(zip, nullptr);
  for (const auto& [name, text] : entries) {
    zip_source_t* src = zip_source_buffer(zip, text.data(), text.size(), 0);
    EXPECT_GE(zip_file_add(zip, name.c_str(), src, ZIP_FL_OVERWRITE), 0);
  }
  EXPECT_EQ(zip_close(zip), 0);  // reads the buffers now, while `entries` is alive
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);
  return std::move(bytes).str();
}

std::string sheet_xml(const std::string& rows) {
  return "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
         "spreadsheetml/2006/main\"><sheetData>" +
         rows + "</sheetData></worksheet>";
}

std::vector<std::string> cells(std::initializer_list<const char*> list) {
  return {list.begin(), list.end()};
}

TEST(ReadSheet, CsvInUtf8WithAndWithoutBom) {
  const std::string body = "单位名称,简称\r\n长沙经开区,长沙\r\n\"含,逗号\",\"引号\"\"在内\"\r\n";
  for (const std::string& file : {body, "\xEF\xBB\xBF" + body}) {
    auto sheet = read_sheet(file);
    ASSERT_TRUE(sheet.has_value()) << sheet.error().message.en;
    EXPECT_EQ(sheet->headers, cells({"单位名称", "简称"}));
    ASSERT_EQ(sheet->rows.size(), 2u);
    EXPECT_EQ(sheet->rows[0].number, 2);
    EXPECT_EQ(sheet->rows[0].cells, cells({"长沙经开区", "长沙"}));
    EXPECT_EQ(sheet->rows[1].cells, cells({"含,逗号", "引号\"在内"}));
  }
}

TEST(ReadSheet, CsvInGbkAsChineseExcelSavesIt) {
  // "单位名称,统一社会信用代码\r\n长沙经开区,\"含,逗号\"\r\n" in GBK.
  const std::string gbk =
      "\xB5\xA5\xCE\xBB\xC3\xFB\xB3\xC6,\xCD\xB3\xD2\xBB\xC9\xE7\xBB\xE1\xD0\xC5\xD3\xC3\xB4\xFA"
      "\xC2\xEB\r\n\xB3\xA4\xC9\xB3\xBE\xAD\xBF\xAA\xC7\xF8,\"\xBA\xAC,\xB6\xBA\xBA\xC5\"\r\n";
  ASSERT_FALSE(is_valid_utf8(gbk));
  auto sheet = read_sheet(gbk);
  ASSERT_TRUE(sheet.has_value()) << sheet.error().message.en;
  EXPECT_EQ(sheet->headers, cells({"单位名称", "统一社会信用代码"}));
  ASSERT_EQ(sheet->rows.size(), 1u);
  EXPECT_EQ(sheet->rows[0].cells, cells({"长沙经开区", "含,逗号"}));
}

TEST(ReadSheet, QuotedLineBreaksBlankRowsAndSpacesAndRowNumbers) {
  auto sheet = read_sheet("a,b\n\n\"x\ny\",\u3000 z \n,\n1,2");
  ASSERT_TRUE(sheet.has_value());
  ASSERT_EQ(sheet->rows.size(), 2u);
  EXPECT_EQ(sheet->rows[0].number, 3) << "row numbers count records, blank ones included";
  EXPECT_EQ(sheet->rows[0].cells, cells({"x\ny", "z"})) << "ideographic space trimmed";
  EXPECT_EQ(sheet->rows[1].number, 5);
  EXPECT_EQ(sheet->rows[1].cells, cells({"1", "2"}));
}

TEST(ReadSheet, RefusesWhatItCannotRead) {
  const auto refuses = [](std::string_view file, std::string_view words) {
    auto sheet = read_sheet(file);
    ASSERT_FALSE(sheet.has_value()) << file;
    EXPECT_EQ(sheet.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(sheet.error().message.en.find(words), std::string::npos) << sheet.error().message.en;
  };
  refuses("", "empty");
  refuses("\n\n,,\n", "empty");
  refuses("a,b\n\"open", "unclosed quote");
  refuses(std::string("\xD0\xCF\x11\xE0rest", 8), ".xls");
  refuses(
      "\xFF\xFE"
      "a\0b\0",
      "UTF-16");
  refuses(std::string("PK\x03\x04garbage", 11), "xlsx");
  refuses(std::string("bin\0ary", 7), "neither");
  refuses("\x81\x30", "encoding");  // a truncated GB 18030 sequence
}

TEST(ReadSheet, LimitsRowsColumnsAndCells) {
  SheetLimits limits;
  limits.max_rows = 2;
  limits.max_columns = 3;
  limits.max_cell_bytes = 5;
  EXPECT_TRUE(read_sheet("h\n1\n2\n", limits).has_value());
  EXPECT_FALSE(read_sheet("h\n1\n2\n3\n", limits).has_value());
  EXPECT_FALSE(read_sheet("a,b,c,d\n", limits).has_value());
  EXPECT_FALSE(read_sheet("h\n123456\n", limits).has_value());
}

TEST(ReadSheet, XlsxWrittenByOurExportReadsBack) {
  Table t;
  t.headers = {"统一社会信用代码", "单位名称", "手机"};
  t.rows = {{"91430100MA4L00001X", "长沙经开区", "13800000001"},
            {"", "只有名称", ""},
            {"0012", "=SUM(A1)", "x"}};
  auto bytes = to_xlsx(t, "会员名录");
  ASSERT_TRUE(bytes.has_value());
  auto sheet = read_sheet(*bytes);
  ASSERT_TRUE(sheet.has_value()) << sheet.error().message.en;
  EXPECT_EQ(sheet->headers, t.headers);
  ASSERT_EQ(sheet->rows.size(), 3u);
  EXPECT_EQ(sheet->rows[0].number, 2);
  EXPECT_EQ(sheet->rows[0].cells, t.rows[0]);
  EXPECT_EQ(sheet->rows[1].cells, cells({"", "只有名称"})) << "empty cells keep their column";
  EXPECT_EQ(sheet->rows[2].cells, t.rows[2]) << "leading zeros and formulas stay text";
}

TEST(ReadSheet, XlsxReadsTheFirstSheetOfSeveral) {
  Table first, second;
  first.headers = {"第一"};
  first.rows = {{"1"}};
  second.headers = {"第二"};
  const NamedTable sheets[] = {{"一", first}, {"二", second}};
  auto bytes = to_xlsx(sheets);
  ASSERT_TRUE(bytes.has_value());
  auto sheet = read_sheet(*bytes);
  ASSERT_TRUE(sheet.has_value());
  EXPECT_EQ(sheet->headers, cells({"第一"}));
}

TEST(ReadSheet, XlsxUnpackBudgetStopsZipBombs) {
  Table t;
  t.headers = {"h"};
  for (int i = 0; i < 2000; ++i) t.rows.push_back({std::string(200, 'a')});
  auto bytes = to_xlsx(t, "s");
  ASSERT_TRUE(bytes.has_value());
  SheetLimits limits;
  limits.max_unpacked_bytes = 64 * 1024;
  auto sheet = read_sheet(*bytes, limits);
  ASSERT_FALSE(sheet.has_value());
  EXPECT_NE(sheet.error().message.en.find("too much"), std::string::npos);
  EXPECT_TRUE(read_sheet(*bytes).has_value());
}

TEST(ReadSheet, XlsxInlineStringsPrefixedTagsAndPhoneticRuns) {
  const std::string xml =
      "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>名称</x:t></x:is>"
      "</x:c><x:c r=\"C1\" t=\"s\"><x:v>0</x:v></x:c></x:row>"
      "<x:row r=\"4\"><x:c r=\"A4\" t=\"inlineStr\"><x:is><x:t>长沙</x:t></x:is></x:c>"
      "<x:c r=\"C4\"><x:v>45292</x:v></x:c></x:row></x:sheetData></x:worksheet>";
  const std::string shared =
      "<sst><si><r><t>入会</t></r><r><t>日期</t></r><rPh><t>にゅうかい</t></rPh></si></sst>";
  auto sheet =
      read_sheet(make_xlsx({{"xl/worksheets/sheet1.xml", xml}, {"xl/sharedStrings.xml", shared}}));
  ASSERT_TRUE(sheet.has_value()) << sheet.error().message.en;
  EXPECT_EQ(sheet->headers, cells({"名称", "", "入会日期"})) << "phonetic runs are hints, not text";
  ASSERT_EQ(sheet->rows.size(), 1u);
  EXPECT_EQ(sheet->rows[0].number, 4);
  EXPECT_EQ(sheet->rows[0].cells, cells({"长沙", "", "45292"}));
}

TEST(ReadSheet, XlsxWithADtdIsRefused) {
  const std::string bomb =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><worksheet><sheetData><row>"
      "<c t=\"inlineStr\"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>";
  auto sheet = read_sheet(make_xlsx({{"xl/worksheets/sheet1.xml", bomb}}));
  ASSERT_FALSE(sheet.has_value());
  EXPECT_NE(sheet.error().message.en.find("DTD"), std::string::npos) << sheet.error().message.en;
}

TEST(ReadSheet, XlsxLongStringsAndSharedStringFanOutAreBounded) {
  SheetLimits limits;
  limits.max_cell_bytes = 1000;
  limits.max_total_cell_bytes = 100'000;
  // One shared string longer than a cell may be: refused while it is being read.
  auto long_string = read_sheet(
      make_xlsx(
          {{"xl/worksheets/sheet1.xml", sheet_xml("")},
           {"xl/sharedStrings.xml", "<sst><si><t>" + std::string(5000, 'a') + "</t></si></sst>"}}),
      limits);
  ASSERT_FALSE(long_string.has_value());
  EXPECT_NE(long_string.error().message.en.find("longer than 1000"), std::string::npos)
      << long_string.error().message.en;
  // A legal 900-byte string referenced by 64 cells in each of 10 rows: 576 KB of cells.
  std::string rows;
  for (int r = 1; r <= 10; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\">";
    for (int c = 0; c < 64; ++c) rows += "<c t=\"s\"><v>0</v></c>";
    rows += "</row>";
  }
  auto fan_out = read_sheet(
      make_xlsx(
          {{"xl/worksheets/sheet1.xml", sheet_xml(rows)},
           {"xl/sharedStrings.xml", "<sst><si><t>" + std::string(900, 'b') + "</t></si></sst>"}}),
      limits);
  ASSERT_FALSE(fan_out.has_value());
  EXPECT_NE(fan_out.error().message.en.find("add up"), std::string::npos)
      << fan_out.error().message.en;
}

// A sheet whose header row names the first `n` shared strings, beside the given table.
std::string with_shared_strings(const std::string& sst, int n) {
  std::string header = "<row r=\"1\">";
  for (int i = 0; i < n; ++i) header += "<c t=\"s\"><v>" + std::to_string(i) + "</v></c>";
  return make_xlsx(
      {{"xl/worksheets/sheet1.xml", sheet_xml(header + "</row>")}, {"xl/sharedStrings.xml", sst}});
}

std::string empty_shared_strings(std::size_t n) {
  std::string sst = "<sst>";
  sst.reserve(5 * n + 16);
  for (std::size_t i = 0; i < n; ++i) sst += "<si/>";
  return sst + "</sst>";
}

TEST(ReadSheet, XlsxSharedStringCountIsBoundedWhateverTheSheetAllows) {
  // Empty entries cost nothing to zip: a few KB unpack to a table of millions. The default
  // rows x columns would allow 6.4 million cells; the table has a bound of its own.
  const SheetLimits defaults;
  ASSERT_GT(defaults.max_rows * defaults.max_columns, defaults.max_shared_strings);
  auto many = read_sheet(with_shared_strings(
      empty_shared_strings(defaults.max_shared_strings + 1) + "<si><t>a</t></si>", 0));
  ASSERT_FALSE(many.has_value());
  EXPECT_EQ(many.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(many.error().message.en.find("too many shared strings"), std::string::npos)
      << many.error().message.en;
  EXPECT_NE(many.error().message.zh.find("xlsx 共享字符串过多"), std::string::npos);

  SheetLimits limits;
  limits.max_shared_strings = 10;
  auto eleven = read_sheet(with_shared_strings(empty_shared_strings(11), 1), limits);
  ASSERT_FALSE(eleven.has_value());
  EXPECT_NE(eleven.error().message.en.find("more than 10"), std::string::npos)
      << eleven.error().message.en;
  // Refused at the eleventh entry, not at the end: the damage after it is never reached.
  auto early = read_sheet(with_shared_strings(empty_shared_strings(11) + "<<not xml", 1), limits);
  ASSERT_FALSE(early.has_value());
  EXPECT_NE(early.error().message.en.find("too many shared strings"), std::string::npos)
      << early.error().message.en;
}

TEST(ReadSheet, XlsxSharedStringBytesAreBoundedCountingEachEntry) {
  SheetLimits limits;
  limits.max_cell_bytes = 1000;
  limits.max_shared_string_bytes = 10'000;
  // Each string is a legal cell; together they pass the bound.
  std::string sst = "<sst>";
  for (int i = 0; i < 20; ++i) sst += "<si><t>" + std::string(900, 'a') + "</t></si>";
  auto big = read_sheet(with_shared_strings(sst + "</sst>", 1), limits);
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(big.error().message.en.find("shared strings add up to more than 9 KiB"),
            std::string::npos)
      << big.error().message.en;
  EXPECT_NE(big.error().message.zh.find("xlsx 共享字符串过大"), std::string::npos);
  // Empty entries count too, by their 4-byte index: "abcd" and 2,498 empty entries make
  // 4 + 2,499 x 4 = 10,000 bytes, at the bound; one more entry is past it.
  const auto abcd_and_empties = [&](std::size_t n) {
    return read_sheet(
        with_shared_strings("<sst><si><t>abcd</t></si>" + empty_shared_strings(n).substr(5), 1),
        limits);
  };
  auto at_bound = abcd_and_empties(2498);
  ASSERT_TRUE(at_bound.has_value()) << at_bound.error().message.en;
  EXPECT_EQ(at_bound->headers, cells({"abcd"}));
  auto past = abcd_and_empties(2499);
  ASSERT_FALSE(past.has_value());
  EXPECT_NE(past.error().message.en.find("add up"), std::string::npos) << past.error().message.en;
}

TEST(ReadSheet, XlsxSharedStringsWithinTheBoundsRead) {
  // 名称 (6 bytes), an empty entry, and a rich-text "ab": 8 bytes of text and 3 x 4 of index.
  const std::string sst =
      "<sst><si><t>名称</t></si><si/><si><r><t>a</t></r><r><t>b</t></r></si>"
      "<si><t xml:space=\"preserve\"></t></si></sst>";
  SheetLimits limits;
  limits.max_shared_strings = 4;
  limits.max_shared_string_bytes = 8 + 4 * 4;
  auto sheet = read_sheet(with_shared_strings(sst, 4), limits);
  ASSERT_TRUE(sheet.has_value()) << sheet.error().message.en;
  EXPECT_EQ(sheet->headers, cells({"名称", "", "ab"}));
  limits.max_shared_string_bytes -= 1;
  EXPECT_FALSE(read_sheet(with_shared_strings(sst, 4), limits).has_value());
  limits.max_shared_string_bytes += 1;
  limits.max_shared_strings = 3;
  EXPECT_FALSE(read_sheet(with_shared_strings(sst, 4), limits).has_value());
  // A file as our export writes it, with the default limits.
  Table t;
  t.headers = {"单位名称", "统一社会信用代码", "手机"};
  for (int i = 0; i < 2000; ++i) {
    t.rows.push_back({"测试开发区" + std::to_string(i), "code" + std::to_string(i),
                      std::to_string(13900000000LL + i)});
  }
  auto bytes = to_xlsx(t, "会员单位");
  ASSERT_TRUE(bytes.has_value());
  auto exported = read_sheet(*bytes);
  ASSERT_TRUE(exported.has_value()) << exported.error().message.en;
  ASSERT_EQ(exported->rows.size(), 2000u);
  EXPECT_EQ(exported->rows[1999].cells, t.rows[1999]);
}

TEST(ReadSheet, ManySmallCellsCountTheirOwnMemory) {
  // 640 one-digit cells are 640 bytes of text but 20 KB of strings.
  std::string rows;
  for (int r = 1; r <= 10; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\">";
    for (int c = 0; c < 64; ++c) rows += "<c><v>1</v></c>";
    rows += "</row>";
  }
  const std::string file = make_xlsx({{"xl/worksheets/sheet1.xml", sheet_xml(rows)}});
  SheetLimits limits;
  limits.max_total_cell_bytes = 20'000;
  auto small = read_sheet(file, limits);
  ASSERT_FALSE(small.has_value());
  EXPECT_NE(small.error().message.en.find("add up"), std::string::npos) << small.error().message.en;
  limits.max_total_cell_bytes = 640 * (sizeof(std::string) + 1);
  EXPECT_TRUE(read_sheet(file, limits).has_value());
}

TEST(Utf8, ValidAndInvalidSequences) {
  EXPECT_TRUE(is_valid_utf8("abc 长沙 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xE9\x95"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

TEST(ExcelDates, SerialNumbersBecomeDates) {
  EXPECT_EQ(excel_serial_to_date("45292"), "2024-01-01");
  EXPECT_EQ(excel_serial_to_date("45292.0"), "2024-01-01");
  EXPECT_EQ(excel_serial_to_date("61"), "1900-03-01");
  EXPECT_EQ(excel_serial_to_date("59"), "1900-02-28");
  EXPECT_EQ(excel_serial_to_date("2024-01-01"), "");
  EXPECT_EQ(excel_serial_to_date("0"), "");
  EXPECT_EQ(excel_serial_to_date("45292.5"), "");
}

TEST(QrCode, SvgWithQuietZoneAndModules) {
  auto svg = qr_svg("https://xiehui.example.org/verify/abcdefghijklmnopqrstuvwxyz012345");
  ASSERT_TRUE(svg.has_value());
  EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
  // A version-v symbol has 4v+17 modules, plus a quiet zone of 4 on each side.
  const std::size_t at = svg->find("viewBox=\"0 0 ") + 13;
  const int size = std::stoi(svg->substr(at));
  EXPECT_EQ((size - 8 - 17) % 4, 0) << size;
  EXPECT_GE(size, 4 + 17 + 8) << "66 bytes at level M do not fit in version 1";
  // The three finder patterns: a dark run of 7 at the top-left corner of the symbol.
  EXPECT_NE(svg->find("M4 4h7v1h-7z"), std::string::npos);
  auto other = qr_svg("something else");
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(*svg, *other);
}

}  // namespace
}  // namespace xiehui
