#include "services/membership/import_rules.hpp"

#include <gtest/gtest.h>

namespace xiehui::membership {
namespace {

std::string uscc(std::string body17) { return body17 + uscc_check_char(body17); }

Sheet sheet_of(std::vector<std::string> headers, std::vector<std::vector<std::string>> rows) {
  Sheet s;
  s.headers = std::move(headers);
  long n = 2;
  for (auto& r : rows) s.rows.push_back({n++, std::move(r)});
  return s;
}

const std::vector<std::string> kHeaders = {"单位名称", "统一社会信用代码", "类型",
                                           "级别",     "所在市州",         "会员层级",
                                           "入会日期", "会员代表",         "代表手机"};

TEST(ImportRules, LabelsCodesAndLooseValuesAreAccepted) {
  const Sheet s =
      sheet_of(kHeaders, {{"长沙经济技术开发区", uscc("91430100MA4L00001"), "经开区", "国家级",
                           "长沙", "理事单位", "2024/3/5", "张三", "+86 138-0000-0001"},
                          {"湘西经济开发区", uscc("91433100MA4L00002"), "development_zone",
                           "provincial", "433100", "", "45292", "", ""}});
  const ParsedImport p = parse_member_rows(s, hunan_prefectures());
  ASSERT_TRUE(p.errors.empty()) << p.errors[0].column << " " << p.errors[0].message.zh;
  ASSERT_EQ(p.rows.size(), 2u);
  const ImportRow& a = p.rows[0];
  EXPECT_EQ(a.row, 2);
  EXPECT_EQ(a.org.type, "development_zone");
  EXPECT_EQ(a.org.level, "national");
  EXPECT_EQ(a.org.city_code, "430100");
  EXPECT_EQ(a.org.short_name, a.org.name) << "short name defaults to the name";
  EXPECT_EQ(a.tier, "council");
  EXPECT_EQ(a.joined_on, "2024-03-05");
  ASSERT_TRUE(a.representative.has_value());
  EXPECT_EQ(a.representative->mobile, "13800000001");
  const ImportRow& b = p.rows[1];
  EXPECT_EQ(b.org.city_code, "433100");
  EXPECT_EQ(b.tier, "") << "no tier: keep, or member for a new unit";
  EXPECT_EQ(b.joined_on, "2024-01-01") << "an Excel date number";
  EXPECT_FALSE(b.representative.has_value());
  EXPECT_TRUE(p.has("rep_mobile"));
  EXPECT_FALSE(p.has("address"));
}

TEST(ImportRules, EveryBadCellIsNamedByRowAndColumn) {
  std::string bad_check = uscc("91430100MA4L00003");
  bad_check[17] = bad_check[17] == '0' ? '1' : '0';
  const Sheet s = sheet_of(
      kHeaders,
      {{"好单位", uscc("91430100MA4L00004"), "开发区", "省级", "株洲市", "", "", "", ""},
       {"坏单位", bad_check, "银行", "省级", "广州", "会长", "2024-02-30", "李四", "12345"}});
  const ParsedImport p = parse_member_rows(s, hunan_prefectures());
  ASSERT_EQ(p.rows.size(), 1u) << "good rows survive bad ones";
  std::vector<std::string> columns;
  for (const ImportError& e : p.errors) {
    EXPECT_EQ(e.row, 3);
    EXPECT_FALSE(e.message.zh.empty());
    columns.push_back(e.column);
  }
  EXPECT_EQ(columns, (std::vector<std::string>{"统一社会信用代码", "类型", "所在市州", "入会日期",
                                               "代表手机"}));
}

TEST(ImportRules, RepeatedCreditCodeIsAnErrorOfTheLaterRows) {
  const std::string code = uscc("91430100MA4L00005");
  const Sheet s =
      sheet_of(kHeaders, {{"甲单位", code, "开发区", "省级", "长沙市", "", "", "", ""},
                          {"乙单位", code, "开发区", "省级", "长沙市", "", "", "", ""},
                          {"丙单位", code, "开发区", "省级", "长沙市", "", "", "", ""}});
  const ParsedImport p = parse_member_rows(s, hunan_prefectures());
  ASSERT_EQ(p.rows.size(), 1u);
  ASSERT_EQ(p.errors.size(), 2u);
  EXPECT_EQ(p.errors[0].row, 3);
  EXPECT_EQ(p.errors[1].row, 4);
  EXPECT_NE(p.errors[0].message.zh.find("第 2 行"), std::string::npos);
}

TEST(ImportRules, MissingRequiredColumnsStopTheImport) {
  const Sheet s = sheet_of({"单位名称", "备注"}, {{"甲", "x"}});
  const ParsedImport p = parse_member_rows(s, hunan_prefectures());
  EXPECT_TRUE(p.rows.empty());
  ASSERT_EQ(p.errors.size(), 4u);  // 统一社会信用代码, 类型, 级别, 所在市州
  EXPECT_EQ(p.errors[0].row, 1);
  EXPECT_EQ(p.errors[0].column, "统一社会信用代码");
}

TEST(ImportRules, RepresentativeNeedsANameAndAMobile) {
  const Sheet s = sheet_of(kHeaders, {{"甲单位", uscc("91430100MA4L00006"), "开发区", "省级",
                                       "长沙市", "", "", "", "13800000001"}});
  const ParsedImport p = parse_member_rows(s, hunan_prefectures());
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].column, "会员代表");
}

TEST(ImportRules, LooseDates) {
  EXPECT_EQ(parse_loose_date("2024-3-5"), "2024-03-05");
  EXPECT_EQ(parse_loose_date("2024/03/05"), "2024-03-05");
  EXPECT_EQ(parse_loose_date("2024.3.5"), "2024-03-05");
  EXPECT_EQ(parse_loose_date("2024年3月5日"), "2024-03-05");
  EXPECT_EQ(parse_loose_date("2024年3月5"), "2024-03-05");
  EXPECT_EQ(parse_loose_date("2023-02-29"), std::nullopt);
  EXPECT_EQ(parse_loose_date("2024-13-01"), std::nullopt);
  EXPECT_EQ(parse_loose_date("5/3/2024x"), std::nullopt);
  EXPECT_EQ(parse_loose_date("明天"), std::nullopt);
  EXPECT_EQ(parse_loose_date("2024"), std::nullopt) << "a year, not Excel day 2024 (1905)";
  EXPECT_EQ(parse_loose_date("2024-257-5"), std::nullopt) << "months do not wrap";
  EXPECT_EQ(parse_loose_date("2024--3-5"), std::nullopt);
  EXPECT_EQ(parse_loose_date("2024-3-0"), std::nullopt);
}

TEST(ImportRules, CitiesByCodeNameOrUnambiguousPrefix) {
  const auto cities = hunan_prefectures();
  EXPECT_EQ(find_city(cities, "430100")->name, "长沙市");
  EXPECT_EQ(find_city(cities, "长沙市")->code, "430100");
  EXPECT_EQ(find_city(cities, "湘西")->code, "433100");
  EXPECT_EQ(find_city(cities, "娄"), nullptr) << "one character is too little";
  EXPECT_EQ(find_city(cities, "娄底")->code, "431300");
  EXPECT_EQ(find_city(cities, "湘潭"), find_division(cities, "430300"));
  EXPECT_EQ(find_city(cities, "广州"), nullptr);
}

TEST(ImportRules, TemplateHasTheChineseHeadersAndHelp) {
  const Table t = import_template();
  ASSERT_EQ(t.headers.size(), import_columns().size());
  EXPECT_EQ(t.headers[0], "单位名称");
  EXPECT_EQ(t.headers[2], "统一社会信用代码");
  EXPECT_TRUE(t.rows.empty());
  EXPECT_EQ(import_template_help().rows.size(), import_columns().size());
}

TEST(ImportRules, ControlCharactersInCellsAreErrorsOfTheirRow) {
  const Sheet s = sheet_of(kHeaders, {{std::string("坏\0单位", 10), uscc("91430100MA4L00007"),
                                       "开发区", "省级", "株洲市", "", "", "", ""},
                                      {"好单位", uscc("91430100MA4L00008"), "开发区", "省级",
                                       "株洲市", "", "", "王\x1b五", "13800000009"}});
  const ParsedImport p = parse_member_rows(s, hunan_prefectures());
  EXPECT_TRUE(p.rows.empty()) << "neither row is stored";
  ASSERT_EQ(p.errors.size(), 2u);
  EXPECT_EQ(p.errors[0].row, 2);
  EXPECT_EQ(p.errors[0].column, "单位名称");
  EXPECT_EQ(p.errors[1].row, 3);
  EXPECT_EQ(p.errors[1].column, "会员代表");

  // Line breaks typed in a cell (Alt+Enter) and tabs are spaces, not errors.
  const Sheet multi = sheet_of(kHeaders, {{"好\n单位", uscc("91430100MA4L00009"), "开发区", "省级",
                                           "株洲市", "", "", "王\t五", "13800000009"}});
  const ParsedImport q = parse_member_rows(multi, hunan_prefectures());
  ASSERT_TRUE(q.errors.empty()) << q.errors[0].column;
  ASSERT_EQ(q.rows.size(), 1u);
  EXPECT_EQ(q.rows[0].org.name, "好 单位");
  EXPECT_EQ(q.rows[0].representative->name, "王 五");
}

}  // namespace
}  // namespace xiehui::membership
