#pragma once
// Demo meetings and rooms: three rooms, a weekly series, a 理事会 held ten days ago with its
// replies, check-ins (quorum reached) and a resolution, and a 会员大会 a month ahead with half
// of the 回执 in. Made once, when the database has no room yet.

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"

namespace xiehui::demo {

Status seed_meetings(db::Database& db, const Clock& clock);

}  // namespace xiehui::demo
