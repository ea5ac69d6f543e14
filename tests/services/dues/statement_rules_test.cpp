// Bank statement import rules: column maps, dates and amounts as banks write them, credit lines,
// and the keys that make a line a payment once.

#include "services/dues/statement_rules.hpp"

#include <gtest/gtest.h>

namespace xiehui::dues {
namespace {

TEST(DuesStatementRules, ColumnMapsParseAndRefuseMalformedOnes) {
  auto m = parse_column_map("date:0,payer:2,amount:5,reference:7");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->date, 0);
  EXPECT_EQ(m->payer, 2);
  EXPECT_EQ(m->amount, 5);
  EXPECT_EQ(m->reference, 7);
  EXPECT_EQ(to_string(*m), "date:0,payer:2,amount:5,reference:7");
  auto credit = parse_column_map("credit:3,date:1,payer:0");
  ASSERT_TRUE(credit);
  EXPECT_EQ(credit->amount, 3);
  EXPECT_EQ(credit->reference, -1);
  EXPECT_FALSE(parse_column_map("date:0,payer:2"));               // no amount
  EXPECT_FALSE(parse_column_map("date:0,payer:0,amount:1"));      // a column twice
  EXPECT_FALSE(parse_column_map("date:0,payer:1,amount:2,x:3"));  // unknown name
  EXPECT_FALSE(parse_column_map("date:a,payer:1,amount:2"));
  EXPECT_FALSE(parse_column_map("date:0,date:1,payer:2,amount:3"));
  EXPECT_FALSE(parse_column_map("date:-1,payer:1,amount:2"));
}

TEST(DuesStatementRules, HeadersSuggestAMap) {
  const auto m = guess_column_map(
      {"交易日期", "对方户名", "对方账号", "借方发生额", "贷方发生额", "余额", "摘要"});
  EXPECT_EQ(m.date, 0);
  EXPECT_EQ(m.payer, 1);
  EXPECT_EQ(m.amount, 4);
  EXPECT_EQ(m.reference, 6);
  EXPECT_TRUE(m.complete());
  EXPECT_FALSE(guess_column_map({"A", "B", "C"}).complete());
  EXPECT_EQ(column_map_setting({"a", "b"}), column_map_setting({"a", "b"}));
  EXPECT_NE(column_map_setting({"a", "b"}), column_map_setting({"a", "c"}));
}

TEST(DuesStatementRules, DatesAsBanksWriteThem) {
  EXPECT_EQ(parse_statement_date("2026-03-01"), "2026-03-01");
  EXPECT_EQ(parse_statement_date("2026/3/1"), "2026-03-01");
  EXPECT_EQ(parse_statement_date("2026.03.01"), "2026-03-01");
  EXPECT_EQ(parse_statement_date("20260301"), "2026-03-01");
  EXPECT_EQ(parse_statement_date("2026年3月1日"), "2026-03-01");
  EXPECT_EQ(parse_statement_date("2026-03-01 10:22:05"), "2026-03-01");
  EXPECT_EQ(parse_statement_date("46082"), "2026-03-01");  // Excel serial
  EXPECT_FALSE(parse_statement_date("2026-02-30"));
  EXPECT_FALSE(parse_statement_date("March 1"));
  EXPECT_FALSE(parse_statement_date(""));
}

TEST(DuesStatementRules, AmountsInFen) {
  EXPECT_EQ(parse_statement_amount("12,000.00"), 1200000);
  EXPECT_EQ(parse_statement_amount("¥12000"), 1200000);
  EXPECT_EQ(parse_statement_amount("￥1,000.5"), 100050);
  EXPECT_EQ(parse_statement_amount("+300"), 30000);
  EXPECT_EQ(parse_statement_amount("-300.01"), -30001);
  EXPECT_EQ(parse_statement_amount("0.01"), 1);
  EXPECT_FALSE(parse_statement_amount("1.234"));
  EXPECT_FALSE(parse_statement_amount("abc"));
  EXPECT_FALSE(parse_statement_amount(""));
  EXPECT_FALSE(parse_statement_amount("1e5"));
}

TEST(DuesStatementRules, CreditLinesOnlyAndBadRowsListed) {
  Sheet sheet;
  sheet.headers = {"日期", "户名", "贷方", "摘要"};
  sheet.rows = {{2, {"2026-03-01", "长沙经济技术开发区", "20,000.00", "XH0001 2026会费"}},
                {3, {"2026-03-02", "某公司", "-50.00", "退款"}},
                {4, {"2026-03-03", "某公司", "", "借方行"}},
                {5, {"bad date", "某公司", "100", ""}},
                {6, {"2026-03-04", "某公司", "lots", ""}}};
  const auto out = extract_lines(sheet, *parse_column_map("date:0,payer:1,amount:2,reference:3"));
  ASSERT_EQ(out.lines.size(), 1u);
  EXPECT_EQ(out.lines[0].line, 2);
  EXPECT_EQ(out.lines[0].payer, "长沙经济技术开发区");
  EXPECT_EQ(out.lines[0].amount_fen, 2000000);
  EXPECT_EQ(out.lines[0].reference, "XH0001 2026会费");
  ASSERT_EQ(out.problems.size(), 2u);
  EXPECT_EQ(out.problems[0].line, 5);
  EXPECT_EQ(out.problems[1].line, 6);
}

TEST(DuesStatementRules, LongTextIsCutAtACharacterBoundary) {
  Sheet sheet;
  std::string payer;
  for (int i = 0; i < 150; ++i) payer += "湘";
  sheet.rows = {{2, {"2026-03-01", payer, "1", payer}}};
  const auto out = extract_lines(sheet, *parse_column_map("date:0,payer:1,amount:2,reference:3"));
  ASSERT_EQ(out.lines.size(), 1u);
  EXPECT_EQ(out.lines[0].payer.size(), 100u * 3);
  EXPECT_EQ(out.lines[0].reference.size(), 90u * 3);
}

TEST(DuesStatementRules, LineKeysAreStableAndTellIdenticalLinesApart) {
  StatementLine a{2, "2026-03-01", "甲", 100, "r"};
  StatementLine b{3, "2026-03-01", "甲", 100, "r"};  // the same transfer made twice
  StatementLine c{4, "2026-03-01", "乙", 100, "r"};
  const auto first = line_keys({a, b, c});
  const auto again = line_keys({a, b, c});
  EXPECT_EQ(first, again);
  EXPECT_NE(first[0], first[1]);
  EXPECT_NE(first[0], first[2]);
  EXPECT_EQ(first[0].rfind("stmt:", 0), 0u);
  // The key does not depend on the row number: a statement exported with another header row
  // still yields the same keys.
  a.line = 10;
  EXPECT_EQ(line_keys({a})[0], first[0]);
}

}  // namespace
}  // namespace xiehui::dues
