#include "web/static_files.hpp"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "web/compression.hpp"

namespace xiehui::web {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPlaceholder = R"(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>湖南省开发区协会 · xiehui</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; margin: 3em;">
<h1>湖南省开发区协会 会员与活动管理系统</h1>
<p>服务已启动，但没有找到网页界面（构建：web/ui 下 npm run build；或在配置文件中设置 ui_dir）。接口：<a href="/api/openapi.json">/api/openapi.json</a>，
健康检查：<a href="/healthz">/healthz</a>。</p>
<p lang="en">The server is running, but no web UI was found (build it with npm run build in
web/ui, or set ui_dir in the config file).</p>
</body></html>
)";

bool safe_segment(std::string_view seg) {
  if (seg.empty() || seg == "." || seg == ".." || seg.front() == '.') return false;
  for (const char c : seg) {
    if (c == '/' || c == '\\' || c == '\0' || c == ':') return false;
  }
  return true;
}

std::string fnv1a_etag(std::string_view data) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return fmt::format("\"{:016x}\"", h);
}

// The ETag of a coding of a file whose own ETag is `etag` ("\"…\""): "\"…-br\"".
std::string coded_etag(const std::string& etag, Encoding encoding) {
  if (encoding == Encoding::identity || etag.size() < 2) return etag;
  const std::string_view suffix = encoding == Encoding::br ? "-br" : "-gz";
  return etag.substr(0, etag.size() - 1) + std::string(suffix) + "\"";
}

// If-None-Match against our (strong) ETag: "*", or a list of tags, weak ones compared weakly.
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    if_none_match =
        comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

std::string_view extension_of(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? "" : name.substr(dot + 1);
}

Response not_found(const Request& req) {
  Response res{http::status::not_found, req.version()};
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.body() = "404 未找到 Not Found\n";
  return res;
}

}  // namespace

bool compressible(std::string_view name) {
  const std::string_view ext = extension_of(name);
  for (const std::string_view text :
       {"html", "htm", "js", "mjs", "css", "svg", "json", "map", "ico", "txt"}) {
    if (ext == text) return true;
  }
  return false;
}

std::string_view mime_type(std::string_view name) {
  const std::string_view ext = extension_of(name);
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "ttf") return "font/ttf";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (ext == "csv") return "text/csv; charset=utf-8";
  if (ext == "pdf") return "application/pdf";
  if (ext == "wasm") return "application/wasm";
  return "application/octet-stream";
}

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {
  std::error_code ec;
  canonical_root_ = fs::weakly_canonical(root_, ec);
  if (fs::is_regular_file(root_ / "index.html", ec)) {
    spdlog::info("web UI served from {}", root_.string());
  } else {
    spdlog::warn("no web UI in {}: serving a placeholder page", root_.string());
  }
}

fs::path StaticFiles::resolve(const boost::urls::url_view& url) const {
  fs::path rel;
  bool last_has_dot = false;
  const auto segs = url.segments();
  if (segs.empty()) return root_ / "index.html";
  for (auto seg : segs) {
    const std::string s = seg;  // decoded: "%2e%2e" is "..", "%2f" is "/"
    if (!safe_segment(s)) return {};
    rel /= s;
    last_has_dot = s.find('.') != std::string::npos;
  }
  fs::path file = root_ / rel;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    // A path without a file extension is a page of the single-page app: serve its shell.
    if (last_has_dot) return {};
    file = root_ / "index.html";
  }
  if (!inside_root(file)) return {};  // a symlink led out of the root
  return file;
}

bool StaticFiles::inside_root(const fs::path& file) const {
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(file, ec);
  if (ec) return false;
  const auto [root_end, _] =
      std::mismatch(canonical_root_.begin(), canonical_root_.end(), real.begin(), real.end());
  return root_end == canonical_root_.end();
}

std::shared_ptr<const StaticFiles::Entry> StaticFiles::sibling(const fs::path& file,
                                                               std::string_view suffix,
                                                               const Entry& original) const {
  fs::path path = file;
  path += suffix;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec) || !inside_root(path)) return nullptr;
  auto entry = load(path);
  if (!entry || entry->mtime < original.mtime) return nullptr;  // left over from an older build
  return entry;
}

std::shared_ptr<const StaticFiles::Entry> StaticFiles::load(const fs::path& file) const {
  std::error_code ec;
  const auto mtime = fs::last_write_time(file, ec);
  if (ec) return nullptr;
  const auto size = fs::file_size(file, ec);
  if (ec) return nullptr;
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(file.string());
    if (it != cache_.end() && it->second->mtime == mtime && it->second->size == size) {
      return it->second;
    }
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream buf;
  buf << in.rdbuf();
  auto entry = std::make_shared<Entry>();
  entry->mtime = mtime;
  entry->size = size;
  entry->content = std::move(buf).str();
  entry->etag = fnv1a_etag(entry->content);
  std::lock_guard lock(mutex_);
  cache_[file.string()] = entry;
  return entry;
}

Response StaticFiles::serve(const Request& req, const boost::urls::url_view& url) const {
  const fs::path file = resolve(url);
  if (file.empty()) return not_found(req);
  // The build's precompressed copies are sent only in place of their file, never by name.
  const std::string name = file.filename().string();
  if (const auto ext = extension_of(name); ext == "gz" || ext == "br") return not_found(req);
  std::shared_ptr<const Entry> entry = load(file);
  std::string_view content_type = mime_type(name);
  bool on_disk = true;
  if (!entry) {
    if (file.filename() != "index.html") return not_found(req);
    auto placeholder = std::make_shared<Entry>();
    placeholder->content = kPlaceholder;
    placeholder->etag = fnv1a_etag(kPlaceholder);
    entry = placeholder;
    on_disk = false;
  }
  const bool negotiable = on_disk && compressible(name);
  Encoding encoding = Encoding::identity;
  std::shared_ptr<const Entry> body = entry;
  if (negotiable) {
    const auto br = sibling(file, ".br", *entry);
    const auto gz = sibling(file, ".gz", *entry);
    std::vector<Encoding> available;
    if (br) available.push_back(Encoding::br);
    if (gz) available.push_back(Encoding::gzip);
    encoding = choose_encoding(req[http::field::accept_encoding], available);
    if (encoding == Encoding::br) body = br;
    if (encoding == Encoding::gzip) body = gz;
  }
  const std::string etag = coded_etag(entry->etag, encoding);
  const bool immutable = !url.segments().empty() && url.segments().front() == "assets";
  Response res{http::status::ok, req.version()};
  res.set(http::field::etag, etag);
  res.set(http::field::cache_control,
          immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.set("X-Content-Type-Options", "nosniff");
  if (negotiable) res.set(http::field::vary, "Accept-Encoding");
  if (etag_matches(req[http::field::if_none_match], etag)) {
    res.result(http::status::not_modified);
    return res;
  }
  res.set(http::field::content_type, content_type);
  if (encoding != Encoding::identity) {
    res.set(http::field::content_encoding, encoding_name(encoding));
  }
  if (req.method() == http::verb::head) {
    res.content_length(body->content.size());
  } else {
    res.body() = body->content;
  }
  return res;
}

}  // namespace xiehui::web
