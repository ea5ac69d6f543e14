#include "web/ui_location.hpp"

#include <array>
#include <system_error>

namespace xiehui::web {

namespace fs = std::filesystem;

fs::path locate_ui(const std::string& setting, const fs::path& executable,
                   const fs::path& source_ui) {
  if (!setting.empty()) return setting;
  const std::array<fs::path, 4> candidates{
      executable.parent_path().parent_path() / "share" / "xiehui" / "ui",
      source_ui,
      "/usr/share/xiehui/ui",
      fs::path("web") / "ui" / "dist",
  };
  for (const fs::path& dir : candidates) {
    std::error_code ec;
    if (!dir.empty() && fs::is_regular_file(dir / "index.html", ec)) return dir;
  }
  return candidates.front();
}

fs::path locate_ui(const std::string& setting) {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return locate_ui(setting, ec ? fs::path() : self, XIEHUI_SOURCE_UI_DIR);
}

}  // namespace xiehui::web
