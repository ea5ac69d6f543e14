#pragma once
// Rooming for a delegation: twin rooms by gender, the same unit together first. Pure: staff may
// then swap people, and a saved rooming is checked here too.

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "services/visits/visits.hpp"

namespace xiehui::visits {

/// One room: one or two delegate ids.
struct Room {
  std::vector<long long> delegates;
};

/// Pairs approved delegates into rooms. Those who do not share get a room each; those who share
/// are paired within their gender, two of the same unit first (in the given order), then the
/// units' leftovers across units; an odd one out sleeps alone. Men's rooms first, then women's,
/// then singles. Delegates are taken in the given order (the caller passes them by id).
std::vector<Room> pair_rooms(const std::vector<Delegate>& delegates);

/// Checks staff's rooming against the approved delegates: every id known (400 naming
/// "rooms[i]"), none twice, one or two per room, two of the same gender.
std::vector<FieldError> check_rooming(const std::vector<Room>& rooms,
                                      const std::vector<Delegate>& approved);

/// The rooming as shown: the saved rooms (ids no longer approved dropped, rooms left empty
/// removed) followed by the automatic pairing of every approved delegate not in them.
std::vector<Room> complete_rooming(const std::vector<Room>& saved,
                                   const std::vector<Delegate>& approved);

}  // namespace xiehui::visits
