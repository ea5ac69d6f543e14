#include "web/multipart.hpp"

#include <algorithm>
#include <cctype>

namespace xiehui::web {
namespace {

Error malformed() {
  return invalid_fields(
      {{"file", {"multipart 请求格式不正确或没有文件", "no file in the multipart body"}}});
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) return std::nullopt;
    out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
    i += 2;
  }
  return out;
}

// The value of `name=` in a header's parameters: quoted ("a \"b\"") or a token.
std::optional<std::string> parameter(std::string_view header, std::string_view name) {
  const std::string low = lower(header);
  std::size_t at = 0;
  while ((at = low.find(name, at)) != std::string::npos) {
    const bool starts = at == 0 || low[at - 1] == ';' || low[at - 1] == ' ';
    const std::size_t eq = at + name.size();
    if (!starts || eq >= header.size() || header[eq] != '=') {
      at = eq;
      continue;
    }
    std::size_t i = eq + 1;
    std::string value;
    if (i < header.size() && header[i] == '"') {
      for (++i; i < header.size() && header[i] != '"'; ++i) {
        if (header[i] == '\\' && i + 1 < header.size()) ++i;
        value += header[i];
      }
      return value;
    }
    while (i < header.size() && header[i] != ';' && header[i] != ' ') value += header[i++];
    return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  if (!lower(content_type).starts_with("multipart/form-data")) return std::nullopt;
  auto b = parameter(content_type, "boundary");
  if (!b || b->empty() || b->size() > 70) return std::nullopt;
  return b;
}

Result<UploadedFile> first_file_part(std::string_view body, std::string_view boundary) {
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t at = body.find(delimiter);
  while (at != std::string_view::npos) {
    std::size_t start = at + delimiter.size();
    if (body.substr(start, 2) == "--") break;  // the closing delimiter
    if (body.substr(start, 2) != "\r\n") return std::unexpected(malformed());
    start += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", start);
    if (headers_end == std::string_view::npos) return std::unexpected(malformed());
    const std::string_view headers = body.substr(start, headers_end - start);
    const std::size_t content_start = headers_end + 4;
    const std::size_t next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos) return std::unexpected(malformed());
    std::optional<std::string> disposition;
    std::size_t line = 0;
    while (line <= headers.size()) {
      std::size_t end = headers.find("\r\n", line);
      if (end == std::string_view::npos) end = headers.size();
      const std::string_view h = headers.substr(line, end - line);
      if (lower(h.substr(0, 20)).starts_with("content-disposition:")) {
        disposition = std::string(h.substr(20));
      }
      line = end + 2;
    }
    if (disposition) {
      std::optional<std::string> name;
      if (auto star = parameter(*disposition, "filename*");
          star && lower(*star).starts_with("utf-8''")) {
        name = percent_decode(std::string_view(*star).substr(7));
      }
      if (!name) name = parameter(*disposition, "filename");
      if (name) {
        return UploadedFile{*name, std::string(body.substr(content_start, next - content_start))};
      }
    }
    at = next + 2;
  }
  return std::unexpected(malformed());
}

}  // namespace xiehui::web
