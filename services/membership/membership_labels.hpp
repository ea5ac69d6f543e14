#pragma once
// The Chinese names of membership codes (tiers, statuses, organisation types and levels), one
// table for what exports print and what imports accept.

#include <optional>
#include <string>
#include <string_view>

namespace xiehui::membership {

enum class LabelKind { tier, status, org_type, org_level };

/// The Chinese label of a code ("council" → "理事单位"); the code itself when unknown.
std::string label_of(std::string_view code);

/// The code a person may have typed for `kind`: the code itself, its label, or a common
/// alternative ("经开区" is a development zone). nullopt when nothing matches.
std::optional<std::string> code_from_text(LabelKind kind, std::string_view text);

}  // namespace xiehui::membership
