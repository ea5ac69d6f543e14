#include "core/table_export.hpp"

#include <gtest/gtest.h>

namespace xiehui {
namespace {

TEST(TableExport, CsvHasABomQuotesAndDefusesFormulas) {
  Table t{{"单位名称", "备注"},
          {{"长沙经开区", "a,b"}, {"湘潭\"高新\"", "line1\nline2"}, {"=1+1", "-2"}}};
  const std::string csv = to_csv(t);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.substr(3),
            "单位名称,备注\r\n长沙经开区,\"a,b\"\r\n\"湘潭\"\"高新\"\"\",\"line1\nline2\"\r\n'=1+1,"
            "'-2\r\n");
}

TEST(TableExport, XlsxIsAWorkbookWithTheTextInIt) {
  Table t{{"统一社会信用代码", "手机"}, {{"91430100MA4L000019", "13900000001"}}};
  auto xlsx = to_xlsx(t, "会员名录");
  ASSERT_TRUE(xlsx.has_value());
  ASSERT_GT(xlsx->size(), 1000u);
  EXPECT_EQ(xlsx->substr(0, 2), "PK") << "an .xlsx is a zip archive";
  EXPECT_NE(xlsx->find("xl/sharedStrings.xml"), std::string::npos)
      << "cells are stored as strings, so long digit runs keep every digit";
}

}  // namespace
}  // namespace xiehui
