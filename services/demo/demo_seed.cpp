#include "services/demo/demo_seed.hpp"

namespace xiehui::demo {

std::vector<DemoAccount> demo_accounts() {
  return {{"admin", "Demo-Admin-2026", "admin"},
          {"mishu", "Demo-Staff-2026", "staff"},
          {"huizhang", "Demo-Leader-2026", "leader"}};
}

Status seed_demo(accounts::AccountsService& accounts) {
  const std::vector<std::string> names{"系统管理员", "秘书处 王秘书", "会长 李会长"};
  const auto list = demo_accounts();
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto role = accounts::parse_role(list[i].role);
    auto created = accounts.create_user({list[i].username, names[i], list[i].password, {*role}, {}},
                                        accounts::command_line_actor());
    if (!created && created.error().code != ErrorCode::already_exists) {
      return std::unexpected(created.error());
    }
  }
  return {};
}

}  // namespace xiehui::demo
