#pragma once
// Who sees a person's contact details in full (PIPL art. 28, GB/T 35273 §7.3): the staff who
// manage the area, and a unit's own accounts for the people it entered. Everyone else (the
// leadership) reads names and titles with mobiles and e-mail addresses masked. Staff views are
// logged (access_log.hpp); a unit reading its own people is not.

#include <string>
#include <string_view>

#include "core/access.hpp"

namespace xiehui::privacy {

enum class Sight {
  full_logged,  ///< staff: in full, and the view is a row of the access log
  full_own,     ///< the unit's own account: in full (the service shows it only its people)
  masked,       ///< anyone else: 139****0002, z***@example.com
};

/// How `who` sees the people of an area that `manage` manages (training.manage for rosters,
/// visits.manage for delegations, meetings.manage for replies, applications.review for
/// applications, members.write for contacts).
Sight sight_of(const Principal& who, Permission manage);

/// "139****0002" (an 11-digit number keeps its first three and last four digits; anything else
/// is "****"; an empty value stays empty).
std::string mask_mobile(std::string_view mobile);

/// "z***@example.com": the first character and the domain (empty stays empty).
std::string mask_email(std::string_view email);

/// Masks `value` in place when `sight` says so.
inline void mask_mobile_if(Sight sight, std::string& value) {
  if (sight == Sight::masked) value = mask_mobile(value);
}
inline void mask_email_if(Sight sight, std::string& value) {
  if (sight == Sight::masked) value = mask_email(value);
}

}  // namespace xiehui::privacy
