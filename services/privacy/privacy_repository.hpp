#pragma once
// The only SQL about one person across every area: finding their records and erasing them.
// Which columns are personal is core/personal_data.cpp; this file knows how the records link.

#include <soci/soci.h>

#include <string>
#include <vector>

#include "services/privacy/privacy.hpp"

namespace xiehui::privacy::privacy_repository {

/// The records holding `mobile` (exactly) or, when it is empty, a person named `name`.
std::vector<PersonRecord> find_records(soci::session& s, const std::string& mobile,
                                       const std::string& name);

/// Messages addressed to any of `recipients` (mobiles and e-mail addresses).
std::vector<PersonMessage> find_messages(soci::session& s,
                                         const std::vector<std::string>& recipients);

/// Whether the person's new mobile already holds a place in a class or visit where `mobile`
/// holds one (a correction would give one person two places there).
bool new_mobile_collides(soci::session& s, const std::string& mobile,
                         const std::string& new_mobile);

/// Corrects the person holding `mobile` in every person record (the fields `c` gives), in the
/// caller's transaction; the records changed.
long long correct_person(soci::session& s, const std::string& mobile, const PersonCorrection& c);

/// Replaces the person holding `mobile` with the placeholder in every record, message, history
/// and stored reply, in the caller's transaction. `names` and `emails` are the person's, as
/// find_records gave them: they are erased where they are copied as text into rows linked to
/// the person. Audit summaries are collected in `audit_ids` for the caller to erase (their
/// digests are kept so the chain verifies).
ErasureReport erase_person(soci::session& s, const std::string& mobile,
                           const std::vector<std::string>& names,
                           const std::vector<std::string>& emails,
                           std::vector<long long>& audit_ids);

}  // namespace xiehui::privacy::privacy_repository
