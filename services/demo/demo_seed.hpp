#pragma once
// Demo data for `xiehui serve --demo`: accounts now; member units, dues and activities as those
// capabilities arrive. Everything personal in it is fictitious.

#include <string>
#include <vector>

#include "core/error.hpp"
#include "services/accounts/accounts_service.hpp"

namespace xiehui::demo {

struct DemoAccount {
  std::string username;
  std::string password;
  std::string role;
};

/// The demo accounts with their well-known passwords.
std::vector<DemoAccount> demo_accounts();

/// Creates the demo accounts that do not exist yet; an existing one is left as it is.
Status seed_demo(accounts::AccountsService& accounts);

}  // namespace xiehui::demo
