// Generates benchmark inputs: `xiehui_bench_data members N OUT.xlsx` writes N fictitious member
// units in the import template's layout (valid credit codes, Hunan cities, mixed tiers, a
// representative each), so scripts/bench.sh can time an import and a directory of that size.

#include <cstdio>
#include <fstream>
#include <string>

#include "core/table_export.hpp"
#include "core/validate.hpp"

namespace {

constexpr const char* kTiers[] = {"会员单位", "会员单位", "会员单位", "理事单位", "常务理事单位"};
constexpr const char* kKinds[] = {"经济技术开发区", "高新技术产业开发区", "产业开发区", "工业园",
                                  "综合保税区"};
constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};

int members(long n, const char* out) {
  xiehui::Table t;
  t.headers = {"单位名称", "简称",     "统一社会信用代码", "类型",     "级别",    "所在市州",
               "地址",     "会员层级", "入会日期",         "会员代表", "代表手机"};
  const auto cities = xiehui::hunan_prefectures();
  for (long i = 0; i < n; ++i) {
    const auto& city = cities[static_cast<std::size_t>(i) % cities.size()];
    const std::string serial = std::to_string(100000 + i);  // 6 digits up to 899,999 units
    // 91 + division code + MA + 6-digit serial + 1 filler = 17, then the check character.
    const std::string body = "91" + std::string(city.code) + "MA" + serial + "1";
    const std::string name = std::string(city.name) + "第" + std::to_string(i + 1) + "号" +
                             kKinds[static_cast<std::size_t>(i) % 5];
    const std::string digits = std::to_string(i % 100'000'000);
    const std::string mobile = "139" + std::string(8 - digits.size(), '0') + digits;
    t.rows.push_back({name, "", body + xiehui::uscc_check_char(body),
                      i % 5 == 4 ? "海关特殊监管区域" : "开发区", i % 3 == 0 ? "国家级" : "省级",
                      std::string(city.name), "", kTiers[static_cast<std::size_t>(i) % 5],
                      "2020-01-01",
                      std::string(kSurnames[static_cast<std::size_t>(i) % 10]) + "代表", mobile});
  }
  auto bytes = xiehui::to_xlsx(t, "会员单位");
  if (!bytes) return 1;
  std::ofstream(out, std::ios::binary) << *bytes;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "members") return members(std::stol(argv[2]), argv[3]);
  std::fprintf(stderr, "usage: xiehui_bench_data members N OUT.xlsx\n");
  return 2;
}
