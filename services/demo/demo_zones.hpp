#pragma once
// The 62 real Hunan zones of data/hunan_zones.csv (public facts), embedded at build time, read
// into what the demo needs. Everything personal the demo adds to them is fictitious.

#include <string>
#include <string_view>
#include <vector>

namespace xiehui::demo {

struct DemoZone {
  std::string name;
  std::string short_name;
  std::string level;  ///< national, provincial
  std::string type;   ///< development_zone, customs_zone, industrial_park
  std::string city;
  std::string city_code;
  /// The zone's earlier name and the year it changed, when the CSV's note records one
  /// ("renamed from 益阳龙岭工业集中区 2021-07", "2016 built on 浏阳工业集中区").
  std::string former_name;
  std::string renamed_on;  ///< YYYY-MM-DD
};

/// The CSV text (header name,short_name,level,type,city,city_code,…).
std::string_view hunan_zones_csv();

/// Parses the CSV: Chinese levels and zone kinds mapped to the API's names; rows without a name
/// or a six-digit city code are skipped.
std::vector<DemoZone> parse_demo_zones(std::string_view csv);

/// A fictitious but valid unified social credit code for the i-th demo unit of a city.
std::string demo_uscc(const std::string& city_code, int i);

}  // namespace xiehui::demo
