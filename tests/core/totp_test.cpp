// One-time codes as authenticator apps make them: RFC 6238's own test vectors, a clock off by
// one step either way, a code used twice, and the otpauth URI with a base32 secret.

#include "core/totp.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace xiehui {
namespace {

const std::vector<unsigned char> kRfcSecret = [] {
  const std::string ascii = "12345678901234567890";  // RFC 6238 appendix B, SHA-1
  return std::vector<unsigned char>(ascii.begin(), ascii.end());
}();

Timestamp at(long long unix_seconds) { return Timestamp{std::chrono::seconds{unix_seconds}}; }

TEST(Totp, TheRfcTestVectors) {
  // Appendix B gives 8 digits; the last six are what a 6-digit app shows.
  EXPECT_EQ(totp_code(kRfcSecret, totp_step(at(59)), 8), "94287082");
  EXPECT_EQ(totp_code(kRfcSecret, totp_step(at(1111111109)), 8), "07081804");
  EXPECT_EQ(totp_code(kRfcSecret, totp_step(at(1111111111)), 8), "14050471");
  EXPECT_EQ(totp_code(kRfcSecret, totp_step(at(1234567890)), 8), "89005924");
  EXPECT_EQ(totp_code(kRfcSecret, totp_step(at(2000000000)), 8), "69279037");
  EXPECT_EQ(totp_code(kRfcSecret, totp_step(at(20000000000)), 8), "65353130");
  EXPECT_EQ(totp_code(kRfcSecret, totp_step(at(1111111109))), "081804") << "zero-padded";
  EXPECT_EQ(totp_step(at(59)), 1);
  EXPECT_EQ(totp_step(at(60)), 2);
  EXPECT_EQ(totp_step(at(-1)), -1) << "floor, not truncation";
}

TEST(Totp, AClockOneStepOffEitherWayIsAcceptedTwoStepsIsNot) {
  const Timestamp now = at(1'790'000'015);
  const std::int64_t step = totp_step(now);
  for (const int off : {-1, 0, 1}) {
    EXPECT_EQ(totp_accept(kRfcSecret, totp_code(kRfcSecret, step + off), now, std::nullopt),
              step + off)
        << "off by " << off;
  }
  for (const int off : {-2, 2}) {
    EXPECT_FALSE(totp_accept(kRfcSecret, totp_code(kRfcSecret, step + off), now, std::nullopt))
        << "off by " << off;
  }
}

TEST(Totp, ACodeIsAcceptedOnceAndNeverOneOlderThanTheLastUsed) {
  const Timestamp now = at(1'790'000'015);
  const std::int64_t step = totp_step(now);
  const std::string code = totp_code(kRfcSecret, step);
  const auto first = totp_accept(kRfcSecret, code, now, std::nullopt);
  ASSERT_EQ(first, step);
  EXPECT_FALSE(totp_accept(kRfcSecret, code, now, first)) << "the same code again";
  EXPECT_FALSE(totp_accept(kRfcSecret, totp_code(kRfcSecret, step - 1), now, first))
      << "the previous step's code, after this one was used";
  EXPECT_EQ(totp_accept(kRfcSecret, totp_code(kRfcSecret, step + 1), at(1'790'000'045), first),
            step + 1)
      << "the next step's code is new";
}

TEST(Totp, CodesThatAreNotSixDigitsMatchNothing) {
  const Timestamp now = at(1'790'000'015);
  const std::string code = totp_code(kRfcSecret, totp_step(now));
  EXPECT_FALSE(totp_accept(kRfcSecret, "", now, std::nullopt));
  EXPECT_FALSE(totp_accept(kRfcSecret, code + "0", now, std::nullopt));
  EXPECT_FALSE(totp_accept(kRfcSecret, " " + code.substr(1), now, std::nullopt));
  EXPECT_FALSE(totp_accept(kRfcSecret, "12345a", now, std::nullopt));
  EXPECT_FALSE(totp_accept(kRfcSecret, "１２３４５６", now, std::nullopt)) << "full-width digits";
  EXPECT_EQ(totp_code({}, totp_step(now)), "") << "no secret, no code";
  EXPECT_FALSE(totp_accept({}, code, now, std::nullopt));
}

TEST(Totp, Base32RoundTripsAndRefusesOtherCharacters) {
  // RFC 4648 section 10 (without padding).
  const auto bytes = [](const std::string& s) {
    return std::vector<unsigned char>(s.begin(), s.end());
  };
  EXPECT_EQ(base32_encode(bytes("f")), "MY");
  EXPECT_EQ(base32_encode(bytes("foobar")), "MZXW6YTBOI");
  EXPECT_EQ(base32_decode("MZXW6YTBOI"), bytes("foobar"));
  EXPECT_EQ(base32_decode("mzxw 6ytb oi======"), bytes("foobar")) << "case, spaces, padding";
  EXPECT_FALSE(base32_decode("MZXW1"));
  EXPECT_EQ(base32_decode(base32_encode(kRfcSecret)), kRfcSecret);
  EXPECT_EQ(base32_encode(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Totp, TheUriAnAuthenticatorAppReads) {
  EXPECT_EQ(
      totp_uri("湖南省开发区协会", "wang.mishu", kRfcSecret),
      "otpauth://totp/%E6%B9%96%E5%8D%97%E7%9C%81%E5%BC%80%E5%8F%91%E5%8C%BA%E5%8D%8F%E4%BC%9A"
      ":wang.mishu?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E6%B9%96%E5%8D%97%E7%9C%81"
      "%E5%BC%80%E5%8F%91%E5%8C%BA%E5%8D%8F%E4%BC%9A&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace xiehui
