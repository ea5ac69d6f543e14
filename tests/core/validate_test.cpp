#include "core/validate.hpp"

#include <gtest/gtest.h>

namespace xiehui {
namespace {

TEST(Uscc, AcceptsTheStandardsExampleAndNormalises) {
  // The worked example of GB 32100-2015.
  EXPECT_EQ(uscc_check_char("91350100M000100Y4"), '3');
  EXPECT_EQ(normalise_uscc(" 91350100m000100y43 ").value_or(""), "91350100M000100Y43");
}

TEST(Uscc, CheckCharacterCoversTheWholeAlphabet) {
  // A remainder of 0 gives '0', never "31".
  int zero = 0;
  std::string body = "9143010000000000";
  for (char c : kUsccAlphabet) {
    const std::string first17 = body + c;
    const char check = uscc_check_char(first17);
    ASSERT_NE(check, '\0');
    EXPECT_TRUE(normalise_uscc(first17 + check).has_value()) << first17 << check;
    if (check == '0') ++zero;
  }
  EXPECT_EQ(zero, 1) << "each last character gives a different check character";
}

TEST(Uscc, RejectsEveryKindOfMistake) {
  EXPECT_FALSE(normalise_uscc("91350100M000100Y4"));     // 17 characters
  EXPECT_FALSE(normalise_uscc("91350100M000100Y433"));   // 19
  EXPECT_FALSE(normalise_uscc("91350100M000100Y44"));    // wrong check character
  EXPECT_FALSE(normalise_uscc("913501O0M000100Y43"));    // letter O
  EXPECT_FALSE(normalise_uscc("91350100M00010SY43"));    // letter S
  EXPECT_FALSE(normalise_uscc("91A50100M000100Y43"));    // division code not digits
  EXPECT_FALSE(normalise_uscc("９１350100M000100Y43"));  // full-width digits
  EXPECT_FALSE(normalise_uscc(""));
  const auto why = normalise_uscc("91350100M000100Y44");
  ASSERT_FALSE(why.has_value());
  EXPECT_NE(why.error().zh.find("校验位"), std::string::npos);
  // A single changed character is always caught.
  const std::string good = "91350100M000100Y43";
  for (std::size_t i = 0; i < 17; ++i) {
    std::string bad = good;
    bad[i] = bad[i] == '1' ? '2' : '1';
    EXPECT_FALSE(normalise_uscc(bad).has_value()) << bad;
  }
}

TEST(Mobile, NormalisesWhatPeopleType) {
  EXPECT_EQ(normalise_mobile("13812345678").value_or(""), "13812345678");
  EXPECT_EQ(normalise_mobile("138 1234 5678").value_or(""), "13812345678");
  EXPECT_EQ(normalise_mobile("138-1234-5678").value_or(""), "13812345678");
  EXPECT_EQ(normalise_mobile("+86 138 1234 5678").value_or(""), "13812345678");
  EXPECT_EQ(normalise_mobile("0086-13812345678").value_or(""), "13812345678");
  EXPECT_EQ(normalise_mobile("8613812345678").value_or(""), "13812345678");
  EXPECT_EQ(normalise_mobile(" 19912345678 ").value_or(""), "19912345678");
}

TEST(Mobile, RejectsLandlinesAndGarbage) {
  for (std::string_view bad :
       {"0731-88881234", "1381234567", "138123456789", "12812345678", "23812345678",
        "138.1234.5678", "tel:13812345678", "", "+1 415 555 0100"}) {
    EXPECT_FALSE(normalise_mobile(bad).has_value()) << bad;
  }
}

TEST(Email, AcceptsAndNormalisesTheDomain) {
  EXPECT_EQ(normalise_email(" Wang.Mishu@HNKFQ.org.cn ").value_or(""), "Wang.Mishu@hnkfq.org.cn");
  EXPECT_TRUE(normalise_email("a+tag@example-zone.cn"));
  for (std::string_view bad : {"wang", "@x.cn", "a@b", "a@@b.cn", "a b@x.cn", "a@x..cn", "a@.x.cn",
                               "a@x.cn.", "a@x_y.cn", ""}) {
    EXPECT_FALSE(normalise_email(bad).has_value()) << bad;
  }
  std::string long_local(65, 'a');
  long_local.append("@x.cn");
  EXPECT_FALSE(normalise_email(long_local).has_value());
}

// Found by tests/fuzz/validate_fuzz: a C1 control character (U+0092) and bytes that are not
// UTF-8 in the local part were accepted and stored.
TEST(Email, RefusesControlCharactersAndInvalidUtf8InTheLocalPart) {
  const std::string found_by_fuzzing = "z\xff\xff\xff\xff\xff\xffh\xc2\x92#.san@Exampl.C-";
  EXPECT_FALSE(normalise_email(found_by_fuzzing).has_value());
  EXPECT_FALSE(normalise_email("wang\xc2\x92@x.cn").has_value()) << "C1 control";
  EXPECT_FALSE(normalise_email("wang\x7f@x.cn").has_value()) << "DEL";
  EXPECT_FALSE(normalise_email("wang\xff@x.cn").has_value()) << "not UTF-8";
  EXPECT_FALSE(normalise_email("wang\x01@x.cn").has_value()) << "C0 control";
  EXPECT_EQ(normalise_email("王秘书@x.cn").value_or(""), "王秘书@x.cn") << "UTF-8 stays welcome";
}

TEST(Divisions, HunanHasFourteenPrefectures) {
  const auto list = hunan_prefectures();
  EXPECT_EQ(list.size(), 14u);
  ASSERT_NE(find_division(list, "430100"), nullptr);
  EXPECT_EQ(find_division(list, "430100")->name, "长沙市");
  EXPECT_EQ(find_division(list, "433100")->name, "湘西土家族苗族自治州");
  EXPECT_EQ(find_division(list, "430000"), nullptr) << "the province itself is not a host city";
  EXPECT_EQ(find_division(list, "440100"), nullptr) << "Guangzhou is not in Hunan";
  for (const auto& d : list) {
    EXPECT_EQ(d.code.size(), 6u);
    EXPECT_TRUE(d.code.starts_with("43"));
  }
}

TEST(ControlChars, C0DelAndC1AreFoundNewlinesOnlyWhereAllowed) {
  EXPECT_FALSE(has_control_chars("湖南省开发区协会 A-1", false));
  EXPECT_TRUE(has_control_chars(std::string("a\0b", 3), false));
  EXPECT_TRUE(has_control_chars("a\x1b[31m", false));
  EXPECT_TRUE(has_control_chars("a\x7f", false));
  EXPECT_TRUE(has_control_chars("a\xc2\x85", false)) << "U+0085 NEXT LINE";
  EXPECT_TRUE(has_control_chars("a\xc2\x9f", false));
  EXPECT_FALSE(has_control_chars("a\xc2\xa0", false)) << "U+00A0 is not a control";
  EXPECT_TRUE(has_control_chars("a\nb", false));
  EXPECT_FALSE(has_control_chars("a\nb\tc", true));
  EXPECT_TRUE(has_control_chars("a\rb", true));
  EXPECT_TRUE(has_control_chars(std::string("a\0", 2), true));
}

}  // namespace
}  // namespace xiehui
