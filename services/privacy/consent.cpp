#include "services/privacy/consent.hpp"

#include <fmt/format.h>

#include "services/privacy/notice_repository.hpp"

namespace xiehui::privacy {

FieldError consent_missing() {
  return {"consent_version",
          {"请阅读并同意个人信息保护声明", "read and accept the personal information notice"}};
}

std::optional<FieldError> consent_refusal(std::optional<long long> given, long long current) {
  if (!given) return consent_missing();
  if (*given == current) return std::nullopt;
  return FieldError{"consent_version",
                    {fmt::format("个人信息保护声明已更新，请阅读并同意第 {} 版", current),
                     fmt::format("the personal information notice is now version {}: read and "
                                 "accept it",
                                 current)}};
}

Status check_consent(soci::session& s, std::optional<long long> given) {
  if (auto refusal = consent_refusal(given, notice_repository::current_version(s))) {
    return std::unexpected(invalid_fields({std::move(*refusal)}));
  }
  return {};
}

}  // namespace xiehui::privacy
