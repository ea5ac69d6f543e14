#pragma once
// The one file of a multipart/form-data upload (RFC 7578), for endpoints that also take the file
// as a raw body: browsers' forms and many HTTP clients send uploads this way.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace xiehui::web {

struct UploadedFile {
  std::string filename;  ///< from the part's Content-Disposition (filename*=UTF-8'' or filename=)
  std::string content;
};

/// The boundary of a "multipart/form-data; boundary=…" Content-Type; nullopt for other types.
std::optional<std::string> multipart_boundary(std::string_view content_type);

/// The first part carrying a filename. invalid_argument (field "file") when the body is not
/// well-formed or holds no file part.
Result<UploadedFile> first_file_part(std::string_view body, std::string_view boundary);

}  // namespace xiehui::web
