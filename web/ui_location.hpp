#pragma once
// Where the built web UI is, wherever the server was started from.

#include <filesystem>
#include <string>

namespace xiehui::web {

/// The UI directory to serve. `setting` (the config file's ui_dir) wins when it is set;
/// otherwise the first of these that holds an index.html:
///   1. `executable`'s ../share/xiehui/ui (installed: /usr/bin/xiehui → /usr/share/xiehui/ui);
///   2. `source_ui`, the source tree's web/ui/dist (a build run where it was built);
///   3. /usr/share/xiehui/ui;
///   4. web/ui/dist under the working directory.
/// When none does, the first candidate: its placeholder page says the UI is not built.
std::filesystem::path locate_ui(const std::string& setting, const std::filesystem::path& executable,
                                const std::filesystem::path& source_ui);

/// locate_ui for this process: its own executable (/proc/self/exe) and the source tree it was
/// built from.
std::filesystem::path locate_ui(const std::string& setting);

}  // namespace xiehui::web
