#pragma once
// Uploaded files kept under the data directory (meeting materials, visit report attachments).
// A file lands under a temporary name and is renamed once complete, so no half-written file is
// ever served; the caller removes it again when its database transaction fails.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace xiehui {

/// Writes `content` to `path` (creating its directories) through a temporary file and a
/// rename. unavailable when the disk refuses it.
Status store_file(const std::filesystem::path& path, std::string_view content);

/// The whole file, or nullopt when it cannot be read.
std::optional<std::string> load_file(const std::filesystem::path& path);

/// Removes the file, ignoring a missing one.
void discard_file(const std::filesystem::path& path);

}  // namespace xiehui
