#pragma once
// Demo exchange visits: the topic list; a visit to 苏州工业园区 fifty days ago with its delegation,
// check-ins and published 考察报告; an open visit to 深圳 and 东莞 with applications pending;
// host offers and interests among the demo units that match sensibly. Made once, when the
// database has no visit yet.

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"

namespace xiehui::demo {

Status seed_visits(db::Database& db, const Clock& clock);

}  // namespace xiehui::demo
