#include "services/privacy/sight.hpp"

namespace xiehui::privacy {

Sight sight_of(const Principal& who, Permission manage) {
  if (who.can(manage)) return Sight::full_logged;
  if (who.member_id) return Sight::full_own;
  return Sight::masked;
}

std::string mask_mobile(std::string_view mobile) {
  if (mobile.empty()) return {};
  if (mobile.size() != 11) return "****";
  std::string out(mobile.substr(0, 3));
  out += "****";
  out += mobile.substr(7);
  return out;
}

std::string mask_email(std::string_view email) {
  if (email.empty()) return {};
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0) return "***";
  // The first character whole, even when it is a multi-byte UTF-8 sequence.
  std::size_t first = 1;
  while (first < at && (static_cast<unsigned char>(email[first]) & 0xC0) == 0x80) ++first;
  std::string out(email.substr(0, first));
  out += "***";
  out += email.substr(at);
  return out;
}

}  // namespace xiehui::privacy
