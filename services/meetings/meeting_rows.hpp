#pragma once
// The meetings repositories read rows with the shared readers.

#include "core/db/rows.hpp"

namespace xiehui::meetings {
namespace rows = db::rows;
}  // namespace xiehui::meetings
