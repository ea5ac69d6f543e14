#pragma once
// Serves the built web UI (web/ui/dist) with MIME types, ETag and Cache-Control. No request can
// reach a file outside the root: dot segments, encoded slashes, empty segments and symlinks
// that leave the root all answer 404.
//
// Text files (html, js, css, svg, json, ...) are sent compressed when the build left a
// precompressed sibling (`x.js.br`, `x.js.gz`, see web/ui/scripts/precompress.mjs) and the
// request's Accept-Encoding takes it: Brotli before gzip, with Content-Encoding, the original
// file's Content-Type, `Vary: Accept-Encoding` and an ETag per coding (`"…-br"`, `"…-gz"`). A
// sibling older than its file (a stale build) is ignored. The siblings are no resources of their
// own: `GET /x.js.gz` answers 404.

#include <boost/url/url_view.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "web/http.hpp"

namespace xiehui::web {

class StaticFiles {
 public:
  /// `root` need not exist: until the UI is built a placeholder page is served.
  explicit StaticFiles(std::filesystem::path root);

  /// Answers a GET or HEAD for `url` (404 when nothing may be served).
  Response serve(const Request& req, const boost::urls::url_view& url) const;

 private:
  struct Entry {
    std::filesystem::file_time_type mtime;
    std::uintmax_t size = 0;
    std::string content;
    std::string etag;
  };

  /// The file under the root for these decoded segments, or empty when none may be served.
  std::filesystem::path resolve(const boost::urls::url_view& url) const;
  /// Whether `file` (after symlinks) lies under the root.
  bool inside_root(const std::filesystem::path& file) const;
  /// The precompressed sibling `file` + `suffix` when it is a regular file under the root, not
  /// older than `original`; null otherwise.
  std::shared_ptr<const Entry> sibling(const std::filesystem::path& file, std::string_view suffix,
                                       const Entry& original) const;
  std::shared_ptr<const Entry> load(const std::filesystem::path& file) const;

  std::filesystem::path root_;
  std::filesystem::path canonical_root_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const Entry>> cache_;
};

/// The Content-Type for a file name by its extension.
std::string_view mime_type(std::string_view filename);

/// Whether files of this name are text worth compressing (html, js, css, svg, json, map, ico,
/// txt), i.e. may have precompressed siblings and vary by Accept-Encoding.
bool compressible(std::string_view filename);

}  // namespace xiehui::web
