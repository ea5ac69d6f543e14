// The built web UI served by the real server: MIME types, ETag and Cache-Control, HEAD, the
// single-page-app fallback, the placeholder page, and no way out of the UI folder.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/running_app.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIndex =
    "<!doctype html><html><head><title>协会</title></head><body>index-page-marker</body></html>\n";
constexpr std::string_view kAppJs = "console.log('app-1234-marker');\n";
constexpr std::string_view kFavicon = "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n";
constexpr std::string_view kSecret = "TOP-SECRET-c0ffee-do-not-serve";

void write_file(const fs::path& path, std::string_view content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  ASSERT_TRUE(out.good()) << path;
}

// The status code of the first response in raw bytes; 0 when they do not start with one.
unsigned raw_status(std::string_view raw) {
  if (raw.size() < 12 || raw.substr(0, 7) != "HTTP/1.") return 0;
  unsigned n = 0;
  for (const char c : raw.substr(9, 3)) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  return n;
}

// Sends `request_line` verbatim (no client-side normalisation) with Connection: close and
// returns everything the server sent.
std::string raw_exchange(std::uint16_t port, std::string_view request_line,
                         std::string_view extra_headers = "") {
  RawConnection conn(port);
  conn.send(std::string(request_line) + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
            std::string(extra_headers) + "\r\n");
  return conn.read_until_closed();
}

// A UI folder: TMP/dist/{index.html, assets/app-1234.js, favicon.svg, .hidden} and a secret
// beside it in TMP/secret.txt.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dist_ = fs::path(tmp_.path()) / "dist";
    write_file(dist_ / "index.html", kIndex);
    write_file(dist_ / "assets" / "app-1234.js", kAppJs);
    write_file(dist_ / "favicon.svg", kFavicon);
    write_file(dist_ / ".hidden", kSecret);
    write_file(fs::path(tmp_.path()) / "secret.txt", kSecret);
    write_file(fs::path(tmp_.path()) / "etc" / "passwd", kSecret);
  }

  AppConfig config() const {
    AppConfig c = test_config(db_.connection_string());
    c.ui_dir = dist_.string();
    return c;
  }

  TestDatabase db_{"sqlite"};
  TempDir tmp_;
  fs::path dist_;
};

TEST_F(StaticFilesTest, RootServesIndexHtml) {
  RunningApp app(config());
  const HttpReply r = http_request(app.port(), http::verb::get, "/");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, kIndex);
  EXPECT_EQ(r.header("Content-Type").rfind("text/html", 0), 0u) << r.header("Content-Type");
  EXPECT_EQ(r.header("Cache-Control"), "no-cache");
  const std::string etag = r.header("ETag");
  ASSERT_GE(etag.size(), 3u) << etag;
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  // Stable for unchanged content.
  EXPECT_EQ(http_request(app.port(), http::verb::get, "/index.html").header("ETag"), etag);
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutable) {
  RunningApp app(config());
  const HttpReply r = http_request(app.port(), http::verb::get, "/assets/app-1234.js");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, kAppJs);
  EXPECT_EQ(r.header("Content-Type").rfind("text/javascript", 0), 0u) << r.header("Content-Type");
  EXPECT_EQ(r.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_FALSE(r.header("ETag").empty());
}

TEST_F(StaticFilesTest, OtherFilesHaveTheirMimeTypeAndRevalidate) {
  RunningApp app(config());
  const HttpReply r = http_request(app.port(), http::verb::get, "/favicon.svg");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, kFavicon);
  EXPECT_EQ(r.header("Content-Type"), "image/svg+xml");
  EXPECT_EQ(r.header("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, MatchingIfNoneMatchIs304) {
  RunningApp app(config());
  const std::string etag = http_request(app.port(), http::verb::get, "/").header("ETag");
  ASSERT_FALSE(etag.empty());
  const HttpReply r = http_request(app.port(), http::verb::get, "/", "", {{"If-None-Match", etag}});
  EXPECT_EQ(r.status, 304u);
  EXPECT_TRUE(r.body.empty()) << r.body;
  EXPECT_EQ(r.header("ETag"), etag);

  const HttpReply stale =
      http_request(app.port(), http::verb::get, "/", "", {{"If-None-Match", "\"0000\""}});
  EXPECT_EQ(stale.status, 200u);
  EXPECT_EQ(stale.body, kIndex);
}

TEST_F(StaticFilesTest, ChangedFileGetsNewContentAndETag) {
  RunningApp app(config());
  const HttpReply before = http_request(app.port(), http::verb::get, "/favicon.svg");
  ASSERT_EQ(before.body, kFavicon);
  const std::string changed = "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>\n";
  write_file(dist_ / "favicon.svg", changed);
  const HttpReply after = http_request(app.port(), http::verb::get, "/favicon.svg");
  EXPECT_EQ(after.body, changed);
  EXPECT_NE(after.header("ETag"), before.header("ETag"));
}

TEST_F(StaticFilesTest, HeadHasContentLengthAndNoBody) {
  RunningApp app(config());
  const std::string raw = raw_exchange(app.port(), "HEAD / HTTP/1.1");
  EXPECT_EQ(raw_status(raw), 200u) << raw;
  const auto end = raw.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos) << raw;
  EXPECT_EQ(raw.size(), end + 4) << "HEAD response carries a body:\n" << raw;
  const std::string header_block = raw.substr(0, end + 2);
  const std::string content_length = fmt::format("\r\nContent-Length: {}\r\n", kIndex.size());
  EXPECT_NE(header_block.find(content_length), std::string::npos) << header_block;
  EXPECT_NE(header_block.find("\r\nETag: "), std::string::npos) << header_block;
}

TEST_F(StaticFilesTest, HeadKeepsTheConnectionUsable) {
  RunningApp app(config());
  RawConnection conn(app.port());
  // A HEAD answer followed by a GET on the same connection: the HEAD answer must not be
  // followed by body bytes that would be read as the start of the next response.
  conn.send(
      "HEAD /favicon.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  const std::string raw = conn.read_until_closed();
  EXPECT_EQ(raw_status(raw), 200u) << raw;
  const auto second = raw.find("\r\n\r\nHTTP/1.1 200 ");
  EXPECT_NE(second, std::string::npos) << raw;
  EXPECT_EQ(raw.find(kFavicon), std::string::npos) << raw;
}

TEST_F(StaticFilesTest, PathsWithoutExtensionGetTheAppShell) {
  RunningApp app(config());
  for (const std::string path : {"/members/12", "/login", "/activities/7/sign-ups"}) {
    const HttpReply r = http_request(app.port(), http::verb::get, path);
    EXPECT_EQ(r.status, 200u) << path;
    EXPECT_EQ(r.body, kIndex) << path;
    EXPECT_EQ(r.header("Content-Type").rfind("text/html", 0), 0u) << path;
    EXPECT_EQ(r.header("Cache-Control"), "no-cache") << path;
  }
}

// The UI is locked down by headers: its own scripts only, never framed, no MIME sniffing, no
// referrer to other sites. (HSTS and API answers: server_test.cpp.)
TEST_F(StaticFilesTest, UiFilesCarryTheSecurityHeaders) {
  RunningApp app(config());
  const std::string etag = http_request(app.port(), http::verb::get, "/").header("ETag");
  const std::vector<std::pair<std::string, Headers>> requests = {
      {"/", {}},
      {"/members/12", {}},  // the app shell for a page of the single-page app
      {"/assets/app-1234.js", {}},
      {"/favicon.svg", {}},
      {"/missing.js", {}},
      {"/", {{"If-None-Match", etag}}},  // 304
  };
  for (const auto& [target, headers] : requests) {
    SCOPED_TRACE(target + (headers.empty() ? "" : " (If-None-Match)"));
    const HttpReply r = http_request(app.port(), http::verb::get, target, "", headers);
    const std::string csp = r.header("Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("object-src 'none'"), std::string::npos) << csp;
    EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.header("Referrer-Policy"), "same-origin");
    EXPECT_EQ(r.header("Strict-Transport-Security"), "");
  }
}

TEST_F(StaticFilesTest, MissingFileWithExtensionIs404) {
  RunningApp app(config());
  for (const std::string path : {"/missing.js", "/assets/app-9999.js", "/members/12.json"}) {
    const HttpReply r = http_request(app.port(), http::verb::get, path);
    EXPECT_EQ(r.status, 404u) << path;
    EXPECT_EQ(r.body.find("index-page-marker"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, ApiPathsNeverFallBackToTheShell) {
  RunningApp app(config());
  const HttpReply r = http_request(app.port(), http::verb::get, "/api/no-such-list");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.header("Content-Type").rfind("application/json", 0), 0u) << r.header("Content-Type");
  EXPECT_EQ(r.body.find("index-page-marker"), std::string::npos) << r.body;
}

TEST_F(StaticFilesTest, NoWayOutOfTheUiFolder) {
  RunningApp app(config());
  const std::vector<std::string> targets = {
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/assets/../../secret.txt",
      "/assets/%2e%2e/%2e%2e/secret.txt",
      "/%2fetc%2fpasswd",
      "/%2Fetc%2Fpasswd",
      "//etc/passwd",
      "/assets/..%2f..%2fsecret.txt",
      "/..%5c..%5csecret.txt",
      "/.hidden",
      "/%2ehidden",
      "/assets/./../../secret.txt",
      "/secret.txt%00.js",
      "/..",
      "/../etc/passwd",
  };
  for (const std::string& target : targets) {
    const std::string raw = raw_exchange(app.port(), "GET " + target + " HTTP/1.1");
    EXPECT_EQ(raw_status(raw), 404u) << target << "\n" << raw;
    EXPECT_EQ(raw.find(kSecret), std::string::npos) << target << " leaked the secret";
    EXPECT_EQ(raw.find("index-page-marker"), std::string::npos)
        << target << " was answered with the app shell";
  }
}

TEST_F(StaticFilesTest, SymlinksLeadingOutOfTheUiFolderAre404) {
  std::error_code ec;
  fs::create_symlink("../secret.txt", dist_ / "leak.txt", ec);
  ASSERT_FALSE(ec) << ec.message();
  fs::create_symlink("../secret.txt", dist_ / "leak", ec);
  ASSERT_FALSE(ec) << ec.message();
  fs::create_directory_symlink("..", dist_ / "up", ec);
  ASSERT_FALSE(ec) << ec.message();
  RunningApp app(config());
  for (const std::string target : {"/leak.txt", "/leak", "/up/secret.txt"}) {
    const std::string raw = raw_exchange(app.port(), "GET " + target + " HTTP/1.1");
    EXPECT_EQ(raw_status(raw), 404u) << target << "\n" << raw;
    EXPECT_EQ(raw.find(kSecret), std::string::npos) << target << " leaked the secret";
  }
}

// ---- precompressed siblings (web/ui/scripts/precompress.mjs) and Accept-Encoding ----

// The server sends the sibling's bytes as they are: markers stand in for real Brotli and gzip.
constexpr std::string_view kAppJsBr = "BROTLI-BYTES-of-app-1234.js";
constexpr std::string_view kAppJsGz = "GZIP-BYTES-of-app-1234.js";
constexpr std::string_view kIndexBr = "BROTLI-BYTES-of-index.html";
constexpr const char* kChromium = "gzip, deflate, br, zstd";

class PrecompressedTest : public StaticFilesTest {
 protected:
  void SetUp() override {
    StaticFilesTest::SetUp();
    write_file(dist_ / "assets" / "app-1234.js.br", kAppJsBr);
    write_file(dist_ / "assets" / "app-1234.js.gz", kAppJsGz);
    write_file(dist_ / "index.html.br", kIndexBr);
  }

  HttpReply get(std::uint16_t port, const std::string& target, Headers headers = {}) {
    return http_request(port, http::verb::get, target, "", headers);
  }
};

TEST_F(PrecompressedTest, BrotliIsChosenWhenOffered) {
  RunningApp app(config());
  const HttpReply r = get(app.port(), "/assets/app-1234.js", {{"Accept-Encoding", kChromium}});
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, kAppJsBr);
  EXPECT_EQ(r.header("Content-Encoding"), "br");
  EXPECT_EQ(r.header("Content-Type").rfind("text/javascript", 0), 0u) << r.header("Content-Type");
  EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
  EXPECT_EQ(r.header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_TRUE(r.header("ETag").ends_with("-br\"")) << r.header("ETag");
}

TEST_F(PrecompressedTest, GzipWhenOnlyGzipIsOffered) {
  RunningApp app(config());
  const HttpReply r = get(app.port(), "/assets/app-1234.js", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, kAppJsGz);
  EXPECT_EQ(r.header("Content-Encoding"), "gzip");
  EXPECT_EQ(r.header("Content-Type").rfind("text/javascript", 0), 0u) << r.header("Content-Type");
  EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
  EXPECT_TRUE(r.header("ETag").ends_with("-gz\"")) << r.header("ETag");
}

TEST_F(PrecompressedTest, IdentityWithoutAcceptEncodingOrWhenRefused) {
  RunningApp app(config());
  const std::vector<Headers> cases = {
      {},
      {{"Accept-Encoding", "identity"}},
      {{"Accept-Encoding", "br;q=0, gzip;q=0"}},
      {{"Accept-Encoding", "*;q=0"}},
      {{"Accept-Encoding", "deflate"}},
  };
  for (const Headers& headers : cases) {
    SCOPED_TRACE(headers.empty() ? "no Accept-Encoding" : headers.front().second);
    const HttpReply r = get(app.port(), "/assets/app-1234.js", headers);
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.body, kAppJs);
    EXPECT_EQ(r.header("Content-Encoding"), "");
    EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
  }
  // A compressible file without siblings varies too.
  EXPECT_EQ(get(app.port(), "/favicon.svg").header("Vary"), "Accept-Encoding");
}

TEST_F(PrecompressedTest, EachCodingHasItsOwnETagAnd304) {
  RunningApp app(config());
  const std::string target = "/assets/app-1234.js";
  const std::string plain = get(app.port(), target).header("ETag");
  const std::string br = get(app.port(), target, {{"Accept-Encoding", "br"}}).header("ETag");
  const std::string gz = get(app.port(), target, {{"Accept-Encoding", "gzip"}}).header("ETag");
  EXPECT_NE(plain, br);
  EXPECT_NE(plain, gz);
  EXPECT_NE(br, gz);

  const HttpReply same =
      get(app.port(), target, {{"Accept-Encoding", "br"}, {"If-None-Match", br}});
  EXPECT_EQ(same.status, 304u);
  EXPECT_TRUE(same.body.empty());
  EXPECT_EQ(same.header("ETag"), br);
  EXPECT_EQ(same.header("Vary"), "Accept-Encoding");

  // The Brotli tag does not validate the gzip or the plain representation.
  const HttpReply other =
      get(app.port(), target, {{"Accept-Encoding", "gzip"}, {"If-None-Match", br}});
  EXPECT_EQ(other.status, 200u);
  EXPECT_EQ(other.body, kAppJsGz);
  const HttpReply none = get(app.port(), target, {{"If-None-Match", br}});
  EXPECT_EQ(none.status, 200u);
  EXPECT_EQ(none.body, kAppJs);
  // A list of tags (a cache holding several variants) matches any of them.
  const HttpReply listed =
      get(app.port(), target, {{"Accept-Encoding", "gzip"}, {"If-None-Match", br + ", " + gz}});
  EXPECT_EQ(listed.status, 304u);
}

TEST_F(PrecompressedTest, HeadGivesTheEncodedLengthAndNoBody) {
  RunningApp app(config());
  const std::string raw =
      raw_exchange(app.port(), "HEAD /assets/app-1234.js HTTP/1.1", "Accept-Encoding: br\r\n");
  EXPECT_EQ(raw_status(raw), 200u) << raw;
  const auto end = raw.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos) << raw;
  EXPECT_EQ(raw.size(), end + 4) << "HEAD response carries a body:\n" << raw;
  const std::string header_block = raw.substr(0, end + 2);
  EXPECT_NE(header_block.find(fmt::format("\r\nContent-Length: {}\r\n", kAppJsBr.size())),
            std::string::npos)
      << header_block;
  EXPECT_NE(header_block.find("\r\nContent-Encoding: br\r\n"), std::string::npos) << header_block;
  EXPECT_NE(header_block.find("\r\nVary: Accept-Encoding\r\n"), std::string::npos) << header_block;
}

TEST_F(PrecompressedTest, TheAppShellIsNegotiatedToo) {
  RunningApp app(config());
  for (const std::string path : {"/", "/index.html", "/members/12"}) {
    SCOPED_TRACE(path);
    const HttpReply r = get(app.port(), path, {{"Accept-Encoding", kChromium}});
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.body, kIndexBr);
    EXPECT_EQ(r.header("Content-Encoding"), "br");
    EXPECT_EQ(r.header("Content-Type").rfind("text/html", 0), 0u) << r.header("Content-Type");
    EXPECT_EQ(r.header("Cache-Control"), "no-cache");
    EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
    // No gzip sibling: a gzip-only client gets the page itself.
    EXPECT_EQ(get(app.port(), path, {{"Accept-Encoding", "gzip"}}).body, kIndex);
  }
}

TEST_F(PrecompressedTest, SiblingsAreNotServedUnderTheirOwnNames) {
  RunningApp app(config());
  for (const std::string path :
       {"/assets/app-1234.js.gz", "/assets/app-1234.js.br", "/index.html.br"}) {
    const HttpReply r = get(app.port(), path, {{"Accept-Encoding", kChromium}});
    EXPECT_EQ(r.status, 404u) << path;
    EXPECT_EQ(r.body.find("BYTES-of"), std::string::npos) << path;
  }
}

TEST_F(PrecompressedTest, ASiblingOlderThanItsFileIsIgnored) {
  const auto js = dist_ / "assets" / "app-1234.js";
  fs::last_write_time(js.string() + ".br", fs::last_write_time(js) - std::chrono::hours(1));
  RunningApp app(config());
  const HttpReply r = get(app.port(), "/assets/app-1234.js", {{"Accept-Encoding", "br, gzip"}});
  EXPECT_EQ(r.body, kAppJsGz);  // the fresh gzip sibling, not the stale Brotli one
  EXPECT_EQ(r.header("Content-Encoding"), "gzip");
}

TEST_F(PrecompressedTest, ASiblingSymlinkLeadingOutOfTheUiFolderIsIgnored) {
  std::error_code ec;
  fs::create_symlink("../secret.txt", dist_ / "favicon.svg.br", ec);
  ASSERT_FALSE(ec) << ec.message();
  RunningApp app(config());
  const HttpReply r = get(app.port(), "/favicon.svg", {{"Accept-Encoding", "br"}});
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, kFavicon);
  EXPECT_EQ(r.header("Content-Encoding"), "");
  EXPECT_EQ(r.body.find(kSecret), std::string::npos);
}

TEST(StaticFilesPlaceholder, WithoutABuiltUiRootIsAPlaceholderPage) {
  TestDatabase db("sqlite");
  TempDir tmp;
  AppConfig c = test_config(db.connection_string());
  c.ui_dir = (fs::path(tmp.path()) / "not-built" / "dist").string();
  ASSERT_FALSE(fs::exists(c.ui_dir));
  RunningApp app(c);
  const HttpReply r = http_request(app.port(), http::verb::get, "/");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("Content-Type").rfind("text/html", 0), 0u) << r.header("Content-Type");
  EXPECT_NE(r.body.find("协会"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<html"), std::string::npos) << r.body;
  EXPECT_EQ(http_request(app.port(), http::verb::get, "/missing.js").status, 404u);
  EXPECT_EQ(http_request(app.port(), http::verb::get, "/healthz").status, 200u);
}

}  // namespace
}  // namespace xiehui::testing
