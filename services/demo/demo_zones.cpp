#include "services/demo/demo_zones.hpp"

#include <algorithm>
#include <cctype>

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

namespace {

// The earlier name and date in a note: "renamed from X 2021-07", "upgraded from X (… 2023-2)",
// "2016 built on X". Empty when the note says none of these.
std::pair<std::string, std::string> former_name(std::string_view note) {
  const auto year_in = [](std::string_view text) -> std::string {
    for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
      if ((text[i] == '1' || text[i] == '2') &&
          std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
          std::isdigit(static_cast<unsigned char>(text[i + 2])) &&
          std::isdigit(static_cast<unsigned char>(text[i + 3]))) {
        return std::string(text.substr(i, 4));
      }
    }
    return {};
  };
  for (std::string_view marker : {"renamed from ", "upgraded from ", "built on "}) {
    const auto at = note.find(marker);
    if (at == std::string_view::npos) continue;
    std::string_view rest = note.substr(at + marker.size());
    const auto stop = rest.find_first_of(" ;(");
    const std::string name(rest.substr(0, stop));
    std::string year = year_in(stop == std::string_view::npos ? "" : rest.substr(stop));
    if (year.empty()) year = year_in(note.substr(0, at));
    // "… built on it" names no zone: a former name is Chinese.
    const bool chinese = std::ranges::any_of(name, [](char c) { return (c & 0x80) != 0; });
    if (!chinese || year.empty()) return {};
    return {name, year + "-01-01"};
  }
  return {};
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
    auto [former, renamed_on] =
        cells.size() > 7 ? former_name(cells[7]) : std::pair<std::string, std::string>{};
    zones.push_back({cells[0], cells[1].empty() ? cells[0] : cells[1],
                     cells[2] == "国家级" ? "national"
                     : cells[2] == "省级" ? "provincial"
                                          : "other",
                     zone_type(cells[3]), cells[4], cells[5], std::move(former),
                     std::move(renamed_on)});
  }
  return zones;
}

std::string demo_uscc(const std::string& city_code, int i) {
  // 9 = registered by other authorities, 1 = government-sponsored body; MA4L + a serial.
  const std::string body = "91" + city_code + fmt::format("MA4L{:05}", i);
  return body + uscc_check_char(body);
}

}  // namespace xiehui::demo
