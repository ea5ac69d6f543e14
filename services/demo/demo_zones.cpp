#include "services/demo/demo_zones.hpp"

#include <fmt/format.h>

#include "core/validate.hpp"

namespace xiehui::demo {
namespace {

std::vector<std::string> split_line(std::string_view line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (;;) {
    const auto comma = line.find(',', start);
    cells.emplace_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) return cells;
    start = comma + 1;
  }
}

std::string zone_type(const std::string& kind) {
  if (kind.find("保税") != std::string::npos) return "customs_zone";
  if (kind.find("工业集中区") != std::string::npos) return "industrial_park";
  return "development_zone";
}

}  // namespace

std::vector<DemoZone> parse_demo_zones(std::string_view csv) {
  std::vector<DemoZone> zones;
  bool header = true;
  while (!csv.empty()) {
    const auto end = csv.find('\n');
    std::string_view line = csv.substr(0, end);
    csv = end == std::string_view::npos ? std::string_view{} : csv.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (header) {
      header = false;
      continue;
    }
    const auto cells = split_line(line);
    if (cells.size() < 6 || cells[0].empty() || cells[5].size() != 6) continue;
    zones.push_back({cells[0], cells[1].empty() ? cells[0] : cells[1],
                     cells[2] == "国家级" ? "national"
                     : cells[2] == "省级" ? "provincial"
                                          : "other",
                     zone_type(cells[3]), cells[4], cells[5]});
  }
  return zones;
}

std::string demo_uscc(const std::string& city_code, int i) {
  // 9 = registered by other authorities, 1 = government-sponsored body; MA4L + a serial.
  const std::string body = "91" + city_code + fmt::format("MA4L{:05}", i);
  return body + uscc_check_char(body);
}

}  // namespace xiehui::demo
