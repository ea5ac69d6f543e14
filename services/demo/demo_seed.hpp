#pragma once
// Demo data for `xiehui serve --demo`: accounts, the 62 Hunan zones as member units with
// varied tiers and statuses, a few pending applications, a training course, and two years of
// dues (2025 and 2026). Everything personal in it (names, mobile numbers, credit codes, the bank
// account) is fictitious; credit codes still pass the check.

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/accounts/accounts_service.hpp"
#include "services/membership/membership_service.hpp"

namespace xiehui::demo {

struct DemoAccount {
  std::string username;
  std::string password;
  std::string role;
};

/// The demo accounts with their well-known passwords.
std::vector<DemoAccount> demo_accounts();

/// Creates what is missing: the demo accounts (an existing one is left as it is) and, on a
/// database without member units, the zones and pending applications; a course when there is
/// none; dues when the demo's units have no schedule yet and `clock` is past June 2026 (the
/// story's last payment: payments are never dated after today).
Status seed_demo(db::Database& db, accounts::AccountsService& accounts,
                 membership::MembershipService& membership, const Clock& clock);

}  // namespace xiehui::demo
