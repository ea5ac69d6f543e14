// The multipart/form-data reader of uploads: what browsers and HTTP clients send, and what an
// attacker might send instead.

#include "web/multipart.hpp"

#include <gtest/gtest.h>

#include <string>

namespace xiehui::web {
namespace {

using namespace std::string_literals;

std::string form(const std::string& disposition, const std::string& content) {
  return "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
         "--XyZ\r\nContent-Disposition: " +
         disposition + "\r\nContent-Type: application/pdf\r\n\r\n" + content + "\r\n--XyZ--\r\n";
}

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=XyZ"), "XyZ");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; boundary=\"a b\""), "a b");
  EXPECT_FALSE(multipart_boundary("application/pdf"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
}

TEST(Multipart, FindsTheFilePartAfterOtherFields) {
  const std::string pdf = "%PDF-1.4\r\n\r\nbinary \0 bytes\r\n--X"s;
  auto f = first_file_part(form("form-data; name=\"file\"; filename=\"议程.pdf\"", pdf), "XyZ");
  ASSERT_TRUE(f) << f.error().message.en;
  EXPECT_EQ(f->filename, "议程.pdf");
  EXPECT_EQ(f->content, pdf) << "CRLF and a boundary-like text inside the content stay";
}

TEST(Multipart, PrefersTheUtf8FilenameStar) {
  auto f = first_file_part(
      form("form-data; name=\"file\"; filename=\"a.pdf\"; filename*=UTF-8''%E8%AE%AE%E7%A8%8B.pdf",
           "%PDF-"),
      "XyZ");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->filename, "议程.pdf");
}

TEST(Multipart, MalformedBodiesAreInvalidArgumentNamingFile) {
  for (const std::string& body :
       {std::string(""), std::string("no delimiter at all"), std::string("--XyZ\r\nbroken"),
        std::string("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--"),
        std::string(
            "--XyZ\r\nContent-Disposition: form-data; filename=\"a.pdf\"\r\n\r\nunterminated"),
        std::string("--XyZ--\r\n")}) {
    auto f = first_file_part(body, "XyZ");
    ASSERT_FALSE(f) << body;
    EXPECT_EQ(f.error().code, ErrorCode::invalid_argument);
    ASSERT_EQ(f.error().fields.size(), 1u);
    EXPECT_EQ(f.error().fields[0].field, "file");
  }
}

}  // namespace
}  // namespace xiehui::web
