#include "core/pinyin.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace xiehui {
namespace {

// Zone names in the order a Chinese reader expects; the fallback when the shared CSV is absent.
const std::vector<std::string> kZonesInPinyinOrder = {
    "常德高新技术产业开发区",  // chang de gao
    "常德经济技术开发区",      // chang de jing
    "长沙高新技术产业开发区",  // chang sha gao
    "长沙黄花综合保税区",      // chang sha huang
    "长沙经济技术开发区",      // chang sha jing
    "长沙雨花经济开发区",      // chang sha yu
    "郴州高新技术产业开发区",  // chen zhou
    "衡阳高新技术产业开发区",  // heng yang
    "湖南汨罗工业园区",        // hu nan mi luo
    "娄底经济技术开发区",      // lou di
    "湘潭经济技术开发区",      // xiang tan
    "岳阳经济技术开发区",      // yue yang
    "张家界经济开发区",        // zhang jia jie
    "株洲高新技术产业开发区",  // zhu zhou
};

// The first column of the shared zone list, or empty if the file is not there.
std::vector<std::string> shared_zone_names() {
  std::vector<std::string> names;
#ifdef XIEHUI_SHARED_DATA
  std::ifstream in{std::filesystem::path{XIEHUI_SHARED_DATA} / "hunan_zones.csv"};
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    std::string name = line.substr(0, line.find(','));
    if (!name.empty() && name.back() == '\r') name.pop_back();
    if (!name.empty()) names.push_back(name);
  }
#endif
  return names;
}

std::vector<std::string> sorted_by_key(std::vector<std::string> names) {
  std::ranges::sort(names, [](const std::string& a, const std::string& b) {
    return pinyin_sort_key(a) < pinyin_sort_key(b);
  });
  return names;
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.starts_with(prefix); }

// ---- readings ----

TEST(PinyinReading, ReadsChangshaAsChang) {
  EXPECT_EQ(pinyin_reading("长沙"), "chang sha");
  EXPECT_EQ(pinyin_reading("长沙经济技术开发区"), "chang sha jing ji ji shu kai fa qu");
  EXPECT_EQ(pinyin_reading("湖南长沙黄花国际机场"), "hu nan chang sha huang hua guo ji ji chang");
}

TEST(PinyinReading, CorrectsPlaceNamesIcuMisreads) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"长沙县", "chang sha xian"},
      {"长株潭城市群", "chang zhu tan cheng shi qun"},
      {"长江经济带", "chang jiang jing ji dai"},
      {"长郡中学", "chang jun zhong xue"},
      {"长岭", "chang ling"},
      {"长安", "chang an"},
      {"长春", "chang chun"},
      {"重庆", "chong qing"},
      {"成都", "cheng du"},
      {"都江堰", "du jiang yan"},
      {"厦门", "xia men"},
      {"蚌埠", "beng bu"},
      {"六安", "lu an"},
      {"乐清", "yue qing"},
      {"番禺", "pan yu"},
      {"单县", "shan xian"},
      {"西藏", "xi zang"},
      {"中国银行湖南省分行", "zhong guo yin hang hu nan sheng fen hang"},
      // ICU's own context rules survive reading the other characters one at a time.
      {"沈阳", "shen yang"},
      {"藏文", "zang wen"},
      {"秘鲁", "bi lu"},
      {"重庆两江新区", "chong qing liang jiang xin qu"},
  };
  for (const auto& [name, reading] : cases) EXPECT_EQ(pinyin_reading(name), reading) << name;
}

TEST(PinyinReading, KeepsHunanPlaceNamesIcuAlreadyReadsRight) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"汨罗", "mi luo"},    {"耒阳", "lei yang"},        {"郴州", "chen zhou"},
      {"醴陵", "li ling"},   {"攸县", "you xian"},        {"芷江", "zhi jiang"},
      {"沅陵", "yuan ling"}, {"溆浦", "xu pu"},           {"麻阳", "ma yang"},
      {"石门", "shi men"},   {"澧县", "li xian"},         {"临澧", "lin li"},
      {"桃源", "tao yuan"},  {"岳麓", "yue lu"},          {"湘潭", "xiang tan"},
      {"会同", "hui tong"},  {"常宁", "chang ning"},      {"乐昌", "le chang"},
      {"渌口", "lu kou"},    {"张家界", "zhang jia jie"},
  };
  for (const auto& [name, reading] : cases) EXPECT_EQ(pinyin_reading(name), reading) << name;
}

TEST(PinyinReading, LeavesZhangWhereItIsZhang) {
  EXPECT_EQ(pinyin_reading("秘书长"), "mi shu zhang");
  EXPECT_EQ(pinyin_reading("副会长单位"), "fu hui zhang dan wei");
  EXPECT_EQ(pinyin_reading("长子县"), "zhang zi xian");
  EXPECT_EQ(pinyin_reading("重点"), "zhong dian");  // 重 is chóng only before 庆
  EXPECT_EQ(pinyin_reading("秘书"), "mi shu");      // 秘 is bì only before 鲁
}

TEST(PinyinReading, KeepsDigitsAndLatinAsWords) {
  EXPECT_EQ(pinyin_reading("湘江新区 2号园"), "xiang jiang xin qu 2 hao yuan");
  EXPECT_EQ(pinyin_reading("湘江新区２号园"), "xiang jiang xin qu 2 hao yuan");  // fullwidth 2
  EXPECT_EQ(pinyin_reading("ABC科技公司"), "abc ke ji gong si");
  EXPECT_EQ(pinyin_reading("Ｈｕｎａｎ IT园"), "hunan it yuan");
  EXPECT_EQ(pinyin_reading("Café 123"), "cafe 123");
}

TEST(PinyinReading, DropsPunctuationAndIsToneless) {
  EXPECT_EQ(pinyin_reading("长沙·湘江（新区）、株洲——“园区”"),
            "chang sha xiang jiang xin qu zhu zhou yuan qu");
  EXPECT_EQ(pinyin_reading("  Cháng  Shā!  "), "chang sha");
  EXPECT_EQ(pinyin_reading("绿色"), "lu se");
  EXPECT_EQ(pinyin_reading("——"), "");
}

TEST(PinyinReading, EmptyAndInvalidUtf8) {
  EXPECT_EQ(pinyin_reading(""), "");
  EXPECT_EQ(pinyin_reading("长沙\xff\xfe园"), "chang sha yuan");
}

// ---- sort keys ----

TEST(PinyinSortKey, ChangshaUnderCAfterChangdeBeforeZhangjiajie) {
  const std::string changde = pinyin_sort_key("常德经济技术开发区");
  const std::string changsha = pinyin_sort_key("长沙经济技术开发区");
  const std::string chenzhou = pinyin_sort_key("郴州高新技术产业开发区");
  const std::string zhangjiajie = pinyin_sort_key("张家界经济开发区");
  EXPECT_LT(changde, changsha);
  EXPECT_LT(changsha, chenzhou);
  EXPECT_LT(changsha, zhangjiajie);
  EXPECT_EQ(pinyin_initial("长沙经济技术开发区"), "C");
  EXPECT_EQ(pinyin_initial("张家界经济开发区"), "Z");
}

TEST(PinyinSortKey, IsReadingSeparatorAndOriginal) {
  EXPECT_EQ(pinyin_sort_key("长沙"), std::string{"chang sha"} + kPinyinKeySeparator + "长沙");
  EXPECT_EQ(pinyin_sort_key("湘江新区 2号园"),
            std::string{"xiang jiang xin qu 2 hao yuan"} + kPinyinKeySeparator + "湘江新区 2号园");
  EXPECT_EQ(pinyin_sort_key("——"), std::string{kPinyinKeySeparator} + "——");
}

TEST(PinyinSortKey, EmptyNameGivesEmptyKey) {
  EXPECT_EQ(pinyin_sort_key(""), "");
  EXPECT_EQ(pinyin_initial(""), "");
  EXPECT_EQ(pinyin_sort_key_from_reading("chang sha", ""), "");
}

TEST(PinyinSortKey, SameReadingDifferentCharactersGetDifferentKeys) {
  // 汤山/唐山 and 长沙/长纱 read alike without tones; the keys must still differ and order stably.
  EXPECT_EQ(pinyin_reading("汤山"), pinyin_reading("唐山"));
  EXPECT_NE(pinyin_sort_key("汤山"), pinyin_sort_key("唐山"));
  EXPECT_EQ(pinyin_reading("长纱"), "zhang sha");  // not a place: no correction
  EXPECT_NE(pinyin_sort_key("湘潭"), pinyin_sort_key("湘谭"));
  EXPECT_EQ(pinyin_reading("湘潭"), pinyin_reading("湘谭"));
  // Tone-insensitive: tāng and táng are one syllable, so the next syllable decides.
  EXPECT_LT(pinyin_sort_key("汤姆"), pinyin_sort_key("唐山"));  // tang mu < tang shan
}

TEST(PinyinSortKey, ShorterNameSortsBeforeItsExtensions) {
  EXPECT_LT(pinyin_sort_key("长沙"), pinyin_sort_key("长沙市"));
  EXPECT_LT(pinyin_sort_key("长沙"), pinyin_sort_key("长沙经开区"));
  EXPECT_LT(pinyin_sort_key("湘江新区"), pinyin_sort_key("湘江新区 2号园"));
  EXPECT_LT(pinyin_sort_key("湘江新区 2号园"), pinyin_sort_key("湘江新区 a园"));
}

TEST(PinyinSortKey, FromStaffReadingNormalisesTheReading) {
  EXPECT_EQ(pinyin_sort_key_from_reading("Cháng Shā  Mǒu-Yuán", "长沙某园"),
            std::string{"chang sha mou yuan"} + kPinyinKeySeparator + "长沙某园");
  // Han characters typed as the reading are read like names.
  EXPECT_EQ(pinyin_sort_key_from_reading("长沙", "长纱园"),
            std::string{"chang sha"} + kPinyinKeySeparator + "长纱园");
  EXPECT_EQ(pinyin_initial_of_key(pinyin_sort_key_from_reading("Aardvark", "张家界")), "A");
}

TEST(PinyinInitial, LetterOrHash) {
  EXPECT_EQ(pinyin_initial("长沙高新区"), "C");
  EXPECT_EQ(pinyin_initial("湖南汨罗工业园区"), "H");
  EXPECT_EQ(pinyin_initial("abc园"), "A");
  EXPECT_EQ(pinyin_initial("1号园"), "#");
  EXPECT_EQ(pinyin_initial("——"), "#");
  EXPECT_EQ(pinyin_initial_of_key(""), "");
  for (const std::string& name : kZonesInPinyinOrder) {
    EXPECT_EQ(pinyin_initial_of_key(pinyin_sort_key(name)), pinyin_initial(name)) << name;
  }
}

TEST(PinyinOrder, BuiltInZoneListSortsAsAChineseReaderExpects) {
  std::vector<std::string> shuffled(kZonesInPinyinOrder.rbegin(), kZonesInPinyinOrder.rend());
  std::rotate(shuffled.begin(), shuffled.begin() + 5, shuffled.end());
  EXPECT_EQ(sorted_by_key(shuffled), kZonesInPinyinOrder);
}

TEST(PinyinOrder, SharedHunanZonesSortWithChangshaInTheCBlock) {
  std::vector<std::string> names = shared_zone_names();
  if (names.empty()) {
    names = kZonesInPinyinOrder;  // the CSV is not there: check the built-in list instead
  } else {
    EXPECT_GE(names.size(), 60u) << "the shared zone list was not read completely";
  }
  const std::vector<std::string> sorted = sorted_by_key(names);

  std::set<std::string> keys;
  std::string previous_initial;
  std::ptrdiff_t last_changde = -1, first_changsha = -1, last_changsha = -1, first_chenzhou = -1;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const std::string& name = sorted[i];
    const std::string initial = pinyin_initial(name);
    ASSERT_EQ(initial.size(), 1u) << name;
    EXPECT_TRUE(initial[0] >= 'A' && initial[0] <= 'Z') << name << " → " << initial;
    EXPECT_LE(previous_initial, initial) << name;
    previous_initial = initial;
    EXPECT_TRUE(keys.insert(pinyin_sort_key(name)).second) << "duplicate key for " << name;
    EXPECT_FALSE(pinyin_reading(name).starts_with("zhang sha")) << name;

    const auto at = static_cast<std::ptrdiff_t>(i);
    if (starts_with(name, "长沙")) {
      EXPECT_EQ(initial, "C") << name;
      if (first_changsha < 0) first_changsha = at;
      last_changsha = at;
    }
    if (starts_with(name, "常德")) last_changde = at;
    if (starts_with(name, "郴州") && first_chenzhou < 0) first_chenzhou = at;
  }
  ASSERT_GE(first_changsha, 0) << "no 长沙 names";
  // 常德 (chang de) < 长沙 (chang sha) < 郴州 (chen zhou), and the 长沙 names are contiguous.
  EXPECT_LT(last_changde, first_changsha);
  if (first_chenzhou >= 0) {
    EXPECT_LT(last_changsha, first_chenzhou);
  }
  const auto changsha_count =
      std::ranges::count_if(names, [](const std::string& n) { return starts_with(n, "长沙"); });
  EXPECT_EQ(last_changsha - first_changsha + 1, changsha_count);
}

TEST(PinyinThreads, ConcurrentKeysMatchSequentialKeys) {
  std::vector<std::string> names = shared_zone_names();
  names.insert(names.end(), kZonesInPinyinOrder.begin(), kZonesInPinyinOrder.end());
  names.push_back("湘江新区 2号园");
  std::vector<std::string> expected;
  for (const std::string& n : names) expected.push_back(pinyin_sort_key(n));

  constexpr int kThreads = 4;
  constexpr int kRounds = 25;
  std::vector<std::vector<std::string>> results(kThreads);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&names, &result = results[static_cast<std::size_t>(t)]] {
        for (int round = 0; round < kRounds; ++round) {
          result.clear();
          for (const std::string& n : names) result.push_back(pinyin_sort_key(n));
        }
      });
    }
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(results[static_cast<std::size_t>(t)], expected);
}

}  // namespace
}  // namespace xiehui
