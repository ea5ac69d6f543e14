#pragma once

#include <string_view>

namespace xiehui {

/// The release version of this build ("0.1.0").
std::string_view version();

}  // namespace xiehui
