#pragma once
// Subject requests (PIPL art. 45–47): staff find everything held about one person, export it
// for them, and erase it. Erasure keeps every row (counts, places, certificate numbers) and puts
// the placeholder where the person was, in one transaction; the audit chain keeps verifying.

#include <string>
#include <string_view>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "core/table_export.hpp"
#include "services/privacy/privacy.hpp"

namespace xiehui::privacy {

class PrivacyService {
 public:
  PrivacyService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// The records holding `mobile` or, without one, the person named `name`; at least one of the
  /// two (400 naming them otherwise). Audited with the mobile masked.
  Result<PersonData> find(const Principal& who, std::string_view mobile, std::string_view name);

  /// The same, by mobile, to hand to the person; audited as an export in `format` (xlsx, json).
  /// not_found when nothing holds the number.
  Result<PersonData> export_data(const Principal& who, std::string_view mobile,
                                 std::string_view format);

  /// Erases the person holding `mobile` everywhere (see privacy_repository::erase_person), with
  /// the staff member's reason; not_found when nothing holds it, conflict when the audit chain
  /// does not verify (its summaries could not be erased, so nothing is).
  /// Corrects the person holding `mobile` in every record (name, title, e-mail, a new mobile),
  /// with the staff member's reason; the records changed. not_found when nothing holds it;
  /// conflict when the new mobile already holds a place in the same class or visit.
  Result<long long> correct(const Principal& who, std::string_view mobile, PersonCorrection c,
                            std::string_view reason);

  Result<ErasureReport> erase(const Principal& who, std::string_view mobile,
                              std::string_view reason);

 private:
  db::Database& db_;
  const Clock& clock_;
};

/// A person's data as a workbook for them: their records and their messages, one sheet each.
Result<std::string> person_xlsx(const PersonData& data);

}  // namespace xiehui::privacy
