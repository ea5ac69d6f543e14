#pragma once
// Consent on the forms that take personal data: the submitter names the notice version they
// accepted (and, entering someone else, confirms that person was told).

#include <soci/soci.h>

#include <optional>

#include "core/error.hpp"

namespace xiehui::privacy {

/// The notice version the schema ships (0019): what a fresh database's forms accept.
inline constexpr long long kFirstNoticeVersion = 1;

/// The field error for a consent that is missing or not `current` (pure: tested without a
/// database); none when `given` is the version in force.
std::optional<FieldError> consent_refusal(std::optional<long long> given, long long current);

/// 400 naming consent_version unless `given` is the version in force, read in the caller's
/// transaction.
Status check_consent(soci::session& s, std::optional<long long> given);

/// The field error for a form without consent_version, to report with the form's other errors
/// before any database work.
FieldError consent_missing();

}  // namespace xiehui::privacy
