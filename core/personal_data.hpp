#pragma once
// THE list of personal information the database holds (PIPL, GB/T 35273): every column that can
// hold a person's data, what kind of data it is and why it is kept, and every other text column
// stated not to. tests/core/personal_data_test.cpp walks the migrated schema of both databases:
// a new text column must appear in one list or the other, so nothing personal is added unseen.
// Erasure (services/privacy) and the closing inventory in DESIGN.md read it.

#include <span>
#include <string_view>

namespace xiehui {

enum class PersonalKind {
  name,       ///< a person's name
  title,      ///< a person's job title
  mobile,     ///< a mobile number (the key a person is found and erased by)
  email,      ///< an e-mail address
  detail,     ///< other facts about one person (gender, dietary needs, lodging)
  network,    ///< an IP address or user agent
  free_text,  ///< text that may quote any of the above (messages, summaries, notes)
};

/// One column holding personal data.
struct PersonalColumn {
  std::string_view table;
  std::string_view column;
  PersonalKind kind;
  std::string_view purpose;  ///< why it is kept (Chinese, shown in the inventory)
};

/// Every personal column, table by table.
std::span<const PersonalColumn> personal_columns();

/// A table's text columns that hold no person's data, as one space-separated list.
struct NonPersonalColumns {
  std::string_view table;
  std::string_view columns;
};

/// Every text column reviewed and found not personal (codes, timestamps, hashes, titles of
/// things, a unit's public facts).
std::span<const NonPersonalColumns> non_personal_columns();

}  // namespace xiehui
