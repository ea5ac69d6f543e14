#include "web/static_files.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace xiehui::web {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPlaceholder = R"(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>湖南省开发区协会 · xiehui</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; margin: 3em;">
<h1>湖南省开发区协会 会员与活动管理系统</h1>
<p>服务已启动。网页界面尚未构建（web/ui/dist）。接口：<a href="/api/openapi.json">/api/openapi.json</a>，
健康检查：<a href="/healthz">/healthz</a>。</p>
<p lang="en">The server is running; the web UI has not been built yet.</p>
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

Response not_found(const Request& req) {
  Response res{http::status::not_found, req.version()};
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.body() = "404 未找到 Not Found\n";
  return res;
}

}  // namespace

std::string_view mime_type(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
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
  const fs::path real = fs::weakly_canonical(file, ec);
  if (ec) return {};
  const auto [root_end, _] =
      std::mismatch(canonical_root_.begin(), canonical_root_.end(), real.begin(), real.end());
  if (root_end != canonical_root_.end()) return {};  // a symlink led out of the root
  return file;
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
  std::shared_ptr<const Entry> entry = load(file);
  std::string_view content_type = mime_type(file.filename().string());
  if (!entry) {
    if (file.filename() != "index.html") return not_found(req);
    auto placeholder = std::make_shared<Entry>();
    placeholder->content = kPlaceholder;
    placeholder->etag = fnv1a_etag(kPlaceholder);
    entry = placeholder;
  }
  const bool immutable = !url.segments().empty() && url.segments().front() == "assets";
  Response res{http::status::ok, req.version()};
  res.set(http::field::etag, entry->etag);
  res.set(http::field::cache_control,
          immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.set("X-Content-Type-Options", "nosniff");
  if (req[http::field::if_none_match] == entry->etag) {
    res.result(http::status::not_modified);
    return res;
  }
  res.set(http::field::content_type, content_type);
  if (req.method() == http::verb::head) {
    res.content_length(entry->content.size());
  } else {
    res.body() = entry->content;
  }
  return res;
}

}  // namespace xiehui::web
