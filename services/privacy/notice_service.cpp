#include "services/privacy/notice_service.hpp"

#include <fmt/format.h>

#include "core/audit.hpp"
#include "core/validate.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/privacy/consent.hpp"
#include "services/privacy/notice_repository.hpp"

namespace xiehui::privacy {
namespace {

namespace notices = notice_repository;

constexpr std::size_t kMaxNotice = 20000;

std::vector<FieldError> check_texts(std::string_view zh, std::string_view en) {
  std::vector<FieldError> errors;
  const auto check = [&](const char* field, std::string_view text) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      errors.push_back({field, {"请填写声明全文", "give the notice's text"}});
    } else if (accounts::utf8_length(text) > kMaxNotice) {
      errors.push_back({field, {"声明不能超过 20000 字", "at most 20,000 characters"}});
    }
  };
  check("text_zh", zh);
  check("text_en", en);
  return errors;
}

}  // namespace

Result<Notice> NoticeService::current() {
  return db_.with_session([](soci::session& s) -> Result<Notice> { return notices::current(s); });
}

Result<Notice> NoticeService::publish(const Principal& who, std::string_view text_zh,
                                      std::string_view text_en) {
  if (auto errors = check_texts(text_zh, text_en); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Notice> {
    Notice in_force = notices::current(s, true);
    if (in_force.text_zh == text_zh && in_force.text_en == text_en) return in_force;
    Notice next{in_force.version + 1, std::string(text_zh), std::string(text_en), now,
                who.username};
    notices::insert(s, next);
    // Its author has read it: not asked to accept it at their next request.
    if (who.user_id > 0) notices::accept(s, who.user_id, next.version, now);
    audit_as(s, who, "privacy.notice", "privacy_notice", next.version,
             fmt::format("published version {}", next.version), now);
    return next;
  });
}

Result<Acceptance> NoticeService::acceptance(long long user_id) {
  return db_.with_session(
      [&](soci::session& s) -> Result<Acceptance> { return notices::acceptance(s, user_id); });
}

Result<Acceptance> NoticeService::accept(const Principal& who, std::optional<long long> version) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Acceptance> {
    if (auto st = check_consent(s, version); !st) return std::unexpected(st.error());
    notices::accept(s, who.user_id, *version, now);
    audit_as(s, who, "privacy.consent", "user", who.user_id,
             fmt::format("accepted notice version {}", *version), now);
    return notices::acceptance(s, who.user_id);
  });
}

}  // namespace xiehui::privacy
