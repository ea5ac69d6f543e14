#pragma once
// One person's data across the system, for subject requests (PIPL art. 45, 47): what is held
// about them, and what erasing them changed.

#include <optional>
#include <string>
#include <vector>

namespace xiehui::privacy {

/// What erasure leaves in a person's place.
inline constexpr const char* kErased = "已删除";

/// One record that holds the person.
struct PersonRecord {
  std::string kind;  ///< member_contact, application, enrollment, meeting_attendee, visit_delegate
  std::string ref;   ///< the record's id ("meeting:unit:position" for a meeting attendee)
  std::string name;
  std::string title;
  std::string mobile;
  std::string email;
  std::string context;  ///< the unit, class, meeting or visit the record belongs to
  std::string unit;     ///< the unit it was entered for
  std::string status;   ///< the record's state (confirmed, approved …), empty when it has none
  std::string recorded_at;     ///< when it was entered or last changed, as stored
  std::string certificate_no;  ///< a trainee's certificate, kept through erasure
};

/// A message sent to the person (the outbox).
struct PersonMessage {
  long long id = 0;
  std::string channel;
  std::string kind;
  std::string subject;
  std::string status;
  std::string created_at;
};

struct PersonData {
  std::vector<PersonRecord> records;
  std::vector<PersonMessage> messages;
};

/// A correction of one person everywhere (empty: unchanged).
struct PersonCorrection {
  std::string name;
  std::string title;
  std::string email;
  std::string new_mobile;  ///< normalised
};

/// What an erasure changed, table by table (rows, not fields).
struct ErasureReport {
  long long records = 0;   ///< person records given the placeholder
  long long messages = 0;  ///< outbox rows to or mentioning the person
  long long notifications = 0;
  long long audit_rows = 0;  ///< audit summaries replaced (their digests kept)
  long long other_rows = 0;  ///< histories, job results, stored replies
};

}  // namespace xiehui::privacy
