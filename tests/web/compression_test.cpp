// Content codings: Accept-Encoding negotiation, gzip, and which responses are compressed on the
// fly (large JSON only).

#include <gtest/gtest.h>

#include <string>

#include "tests/support/http_client.hpp"
#include "web/compression.hpp"

namespace xiehui::web {
namespace {

using testing::gunzip;

constexpr Encoding kBoth[] = {Encoding::br, Encoding::gzip};

// ---- choose_encoding ----

TEST(ChooseEncoding, BrotliBeforeGzipWhenBothAreOffered) {
  EXPECT_EQ(choose_encoding("gzip, deflate, br, zstd", kBoth), Encoding::br);  // Chromium
  EXPECT_EQ(choose_encoding("br, gzip", kBoth), Encoding::br);
  EXPECT_EQ(choose_encoding("gzip;q=1.0, br;q=1.0", kBoth), Encoding::br);
}

TEST(ChooseEncoding, GzipWhenOnlyGzipIsOfferedOrAvailable) {
  EXPECT_EQ(choose_encoding("gzip, deflate", kBoth), Encoding::gzip);
  EXPECT_EQ(choose_encoding("GZIP", kBoth), Encoding::gzip);
  EXPECT_EQ(choose_encoding("x-gzip", kBoth), Encoding::gzip);
  EXPECT_EQ(choose_encoding("gzip, br", {Encoding::gzip}), Encoding::gzip);
}

TEST(ChooseEncoding, IdentityWhenNothingAcceptableIsAvailable) {
  EXPECT_EQ(choose_encoding("", kBoth), Encoding::identity);
  EXPECT_EQ(choose_encoding("deflate, zstd", kBoth), Encoding::identity);
  EXPECT_EQ(choose_encoding("identity", kBoth), Encoding::identity);
  EXPECT_EQ(choose_encoding("gzip, br", {}), Encoding::identity);
  EXPECT_EQ(choose_encoding("br", {Encoding::gzip}), Encoding::identity);
}

TEST(ChooseEncoding, QZeroRefusesACoding) {
  EXPECT_EQ(choose_encoding("br;q=0, gzip", kBoth), Encoding::gzip);
  EXPECT_EQ(choose_encoding("br;q=0.000, gzip;q=0", kBoth), Encoding::identity);
  EXPECT_EQ(choose_encoding("gzip; q=0", {Encoding::gzip}), Encoding::identity);
  EXPECT_EQ(choose_encoding("*;q=0", kBoth), Encoding::identity);
  EXPECT_EQ(choose_encoding("*, br;q=0", kBoth), Encoding::gzip);
}

TEST(ChooseEncoding, HigherQWins) {
  EXPECT_EQ(choose_encoding("br;q=0.5, gzip;q=0.8", kBoth), Encoding::gzip);
  EXPECT_EQ(choose_encoding("br;q=0.9, gzip;Q=0.8", kBoth), Encoding::br);
  EXPECT_EQ(choose_encoding("identity;q=1, gzip;q=0.5", kBoth), Encoding::identity);
}

TEST(ChooseEncoding, StarCoversCodingsNotNamed) {
  EXPECT_EQ(choose_encoding("*", kBoth), Encoding::br);
  EXPECT_EQ(choose_encoding("*", {Encoding::gzip}), Encoding::gzip);
  EXPECT_EQ(choose_encoding("gzip;q=0.5, *;q=0.1", kBoth), Encoding::gzip);
}

TEST(ChooseEncoding, MalformedEntriesAreIgnored) {
  EXPECT_EQ(choose_encoding("br;q=2, gzip", kBoth), Encoding::gzip);
  EXPECT_EQ(choose_encoding("br;q=abc", kBoth), Encoding::identity);
  EXPECT_EQ(choose_encoding(",,; ,gzip,", kBoth), Encoding::gzip);
}

TEST(EncodingName, IsTheContentEncodingToken) {
  EXPECT_EQ(encoding_name(Encoding::br), "br");
  EXPECT_EQ(encoding_name(Encoding::gzip), "gzip");
  EXPECT_EQ(encoding_name(Encoding::identity), "identity");
}

// ---- gzip ----

TEST(Gzip, RoundTripsAndShrinksRepetitiveText) {
  std::string json = "[";
  for (int i = 0; i < 200; ++i) json += R"({"id":)" + std::to_string(i) + R"(,"name":"长沙"},)";
  json.back() = ']';
  const std::string z = gzip(json);
  ASSERT_GE(z.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f);  // the gzip magic number
  EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
  EXPECT_LT(z.size(), json.size() / 4);
  EXPECT_EQ(gunzip(z), json);
  EXPECT_EQ(gunzip(gzip(json, 9)), json);
}

TEST(Gzip, EmptyInputIsAValidStream) { EXPECT_EQ(gunzip(gzip("")), ""); }

// ---- compress_response ----

Response json_response(std::string body, http::status status = http::status::ok) {
  Response res{status, 11};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = std::move(body);
  return res;
}

std::string big_json() {
  std::string json = "{\"items\":[";
  for (int i = 0; i < 100; ++i) json += R"({"id":)" + std::to_string(i) + R"(,"unit":"园区"},)";
  json.back() = ']';
  return json + "}";
}

TEST(CompressResponse, LargeJsonIsGzippedWhenAccepted) {
  const std::string json = big_json();
  ASSERT_GT(json.size(), kCompressJsonAbove);
  Response res = json_response(json);
  compress_response(res, "gzip, deflate, br", false);
  EXPECT_EQ(res[http::field::content_encoding], "gzip");
  EXPECT_EQ(res[http::field::vary], "Accept-Encoding");
  EXPECT_LT(res.body().size(), json.size());
  EXPECT_EQ(gunzip(res.body()), json);
}

TEST(CompressResponse, LargeJsonStaysPlainWithoutGzipButVaries) {
  for (const char* accept : {"", "br", "gzip;q=0", "identity"}) {
    SCOPED_TRACE(accept);
    Response res = json_response(big_json());
    compress_response(res, accept, false);
    EXPECT_EQ(res.find(http::field::content_encoding), res.end());
    EXPECT_EQ(res.body(), big_json());
    EXPECT_EQ(res[http::field::vary], "Accept-Encoding");
  }
}

TEST(CompressResponse, SmallJsonIsLeftAlone) {
  std::string json(kCompressJsonAbove, ' ');  // exactly at the threshold: not above it
  json.front() = '{';
  json.back() = '}';
  Response res = json_response(json);
  compress_response(res, "gzip", false);
  EXPECT_EQ(res.find(http::field::content_encoding), res.end());
  EXPECT_EQ(res.find(http::field::vary), res.end());
}

TEST(CompressResponse, NotForHeadNoContentNotModifiedOrOtherTypes) {
  {
    Response res = json_response(big_json());
    compress_response(res, "gzip", true);
    EXPECT_EQ(res.find(http::field::content_encoding), res.end()) << "HEAD";
  }
  for (const auto status : {http::status::no_content, http::status::not_modified}) {
    Response res = json_response(big_json(), status);
    compress_response(res, "gzip", false);
    EXPECT_EQ(res.find(http::field::content_encoding), res.end()) << static_cast<int>(status);
  }
  for (const char* type : {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           "application/zip", "image/png", "text/csv; charset=utf-8"}) {
    Response res = json_response(big_json());
    res.set(http::field::content_type, type);
    compress_response(res, "gzip", false);
    EXPECT_EQ(res.find(http::field::content_encoding), res.end()) << type;
    EXPECT_EQ(res.body(), big_json()) << type;
  }
}

TEST(CompressResponse, AlreadyEncodedBodiesAreLeftAlone) {
  Response res = json_response(big_json());
  res.set(http::field::content_encoding, "br");
  compress_response(res, "gzip", false);
  EXPECT_EQ(res[http::field::content_encoding], "br");
  EXPECT_EQ(res.body(), big_json());
}

TEST(CompressResponse, KeepsOtherVaryTokensAndRenamesAStrongETag) {
  Response res = json_response(big_json());
  res.set(http::field::vary, "Cookie");
  res.set(http::field::etag, "\"abc\"");
  compress_response(res, "gzip", false);
  EXPECT_EQ(res[http::field::vary], "Cookie, Accept-Encoding");
  EXPECT_EQ(res[http::field::etag], "\"abc-gz\"");
}

TEST(AddVary, AddsATokenOnce) {
  Response res;
  add_vary(res, "Accept-Encoding");
  add_vary(res, "accept-encoding");
  EXPECT_EQ(res[http::field::vary], "Accept-Encoding");
  res.set(http::field::vary, "*");
  add_vary(res, "Accept-Encoding");
  EXPECT_EQ(res[http::field::vary], "*");
}

}  // namespace
}  // namespace xiehui::web
