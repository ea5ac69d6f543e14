// The pure rules of personal information: consent against the notice in force.

#include <gtest/gtest.h>

#include "services/privacy/consent.hpp"

namespace xiehui::privacy {
namespace {

TEST(ConsentRefusal, OnlyTheVersionInForceIsAccepted) {
  EXPECT_FALSE(consent_refusal(3, 3).has_value());
  const auto missing = consent_refusal(std::nullopt, 3);
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->field, "consent_version");
  const auto stale = consent_refusal(2, 3);
  ASSERT_TRUE(stale.has_value());
  EXPECT_EQ(stale->field, "consent_version");
  EXPECT_NE(stale->message.zh.find("第 3 版"), std::string::npos) << stale->message.zh;
  EXPECT_TRUE(consent_refusal(4, 3).has_value()) << "a version not yet published";
}

}  // namespace
}  // namespace xiehui::privacy
