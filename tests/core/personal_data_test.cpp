// The personal-data catalogue against the migrated schema of each backend: every text column of
// every table is either listed as personal or stated not to be, and every listed column exists.
// A new column that holds text fails here until someone decides which it is.

#include "core/personal_data.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "core/db/database.hpp"
#include "core/db/migrator.hpp"
#include "tests/support/schema_text.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui {
namespace {

using testing::BackendName;
using testing::TestDatabase;

using Columns = testing::TextColumns;
using testing::text_columns;

class PersonalDataCatalogueTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 2);
    ASSERT_TRUE(db.has_value()) << db.error().message.en;
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
  }

  TestDatabase test_db_{GetParam()};
  ManualClock clock_{Timestamp{}};
  std::unique_ptr<db::Database> db_;
};

TEST_P(PersonalDataCatalogueTest, EveryTextColumnIsClassifiedOnce) {
  Columns classified;
  for (const PersonalColumn& c : personal_columns()) {
    EXPECT_TRUE(classified[std::string(c.table)].insert(std::string(c.column)).second)
        << c.table << "." << c.column << " is listed twice";
    EXPECT_FALSE(c.purpose.empty()) << c.table << "." << c.column << " has no purpose";
  }
  for (const NonPersonalColumns& t : non_personal_columns()) {
    std::istringstream words{std::string(t.columns)};
    for (std::string column; words >> column;) {
      EXPECT_TRUE(classified[std::string(t.table)].insert(column).second)
          << t.table << "." << column << " is listed twice";
    }
  }
  const Columns actual = text_columns(*db_);
  ASSERT_GT(actual.size(), 40u);
  for (const auto& [table, columns] : actual) {
    if (table == "schema_version" || table == "xiehui_migration_lock") continue;
    for (const auto& column : columns) {
      EXPECT_TRUE(classified[table].contains(column))
          << table << "." << column
          << " holds text but is in neither list of core/personal_data.cpp: say whether it is "
             "personal";
    }
  }
  for (const auto& [table, columns] : classified) {
    if (table == "schema_version") continue;
    for (const auto& column : columns) {
      EXPECT_TRUE(actual.contains(table) && actual.at(table).contains(column))
          << table << "." << column << " is listed but is not a text column of the schema";
    }
  }
}

TEST_P(PersonalDataCatalogueTest, EveryPersonRecordKeysOnAMobile) {
  // Erasure finds a person by mobile: every table with a person's name also has their mobile,
  // or is a copy that erasure rewrites as text.
  std::set<std::string> with_mobile, with_name;
  for (const PersonalColumn& c : personal_columns()) {
    if (c.kind == PersonalKind::mobile) with_mobile.insert(std::string(c.table));
    if (c.kind == PersonalKind::name) with_name.insert(std::string(c.table));
  }
  for (const char* table : {"member_contacts", "applications", "enrollments",
                            "meeting_rsvp_attendees", "visit_delegates"}) {
    EXPECT_TRUE(with_mobile.contains(table)) << table;
    EXPECT_TRUE(with_name.contains(table)) << table;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, PersonalDataCatalogueTest,
                         ::testing::ValuesIn(testing::test_backends()), BackendName());

}  // namespace
}  // namespace xiehui
