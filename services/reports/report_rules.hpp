#pragma once
// Pure rules of the reports: filters, year bounds, flows of units, rates and arrears ages.

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "services/reports/reports.hpp"

namespace xiehui::reports {

/// What is wrong with a filter: a year outside 2000–2100, an unknown city code (Hunan's 14),
/// org type or tier; each names its query parameter.
std::vector<FieldError> check_filter(const ReportFilter& f);

/// The UTC timestamps (database text) bounding a year in Asia/Shanghai: [from, to).
std::pair<std::string, std::string> year_bounds(int year);

/// Joins and leaves per year up to `through_year`, with the units at each year's end. A unit
/// that left without a recorded date (imported as withdrawn) counts as gone from the start.
std::vector<Flow> flows(std::span<const FlowCell> cells, int through_year);
long long at_year_end(std::span<const FlowCell> cells, int year);

/// part / whole, 0 when whole is 0.
double rate(long long part, long long whole);
/// What was collected of what was due (billed less reductions).
double collection_rate(const Figures& f);

/// The oldest-year range of an arrears age ("current", "1y", "2y", "3y+") as of `year`;
/// nullopt for another key.
std::optional<std::pair<int, int>> arrears_years(const std::string& age, int year);

/// The four arrears ages, each summed from units by their oldest open year.
std::map<std::string, AgeBucket> arrears_ages(const std::map<int, AgeBucket>& by_oldest, int year);

/// Days from `today` to `ends_on` (negative once past); nullopt when ends_on is not a date.
std::optional<long long> days_until(const std::string& ends_on, Date today);

/// The Chinese name of a Hunan city code ("430100" → "长沙市"); the code itself when unknown.
std::string city_name(const std::string& code);

/// Adds `b` into `a`, field by field.
void add_figures(Figures& a, const Figures& b);

}  // namespace xiehui::reports
