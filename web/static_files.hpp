#pragma once
// Serves the built web UI (web/ui/dist) with MIME types, ETag and Cache-Control. No request can
// reach a file outside the root: dot segments, encoded slashes, empty segments and symlinks
// that leave the root all answer 404.

#include <boost/url/url_view.hpp>

#include <filesystem>
#include <mutex>
#include <string>
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
  std::shared_ptr<const Entry> load(const std::filesystem::path& file) const;

  std::filesystem::path root_;
  std::filesystem::path canonical_root_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const Entry>> cache_;
};

/// The Content-Type for a file name by its extension.
std::string_view mime_type(std::string_view filename);

}  // namespace xiehui::web
