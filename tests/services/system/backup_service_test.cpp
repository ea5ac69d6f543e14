// Backups on the server's clock and the restore check, on every backend: the day's backup is
// made once from its hour, a failed one is retried, old ones are pruned to `keep`; a SQLite
// backup restores into a new file that passes the check, and a restored database whose reports,
// records or audit chain differ from the source fails it.

#include "services/system/backup_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/audit.hpp"
#include "core/db/backup.hpp"
#include "core/db/migrator.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/membership/membership_repository.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui::services {
namespace {

namespace fs = std::filesystem;
using testing::BackendName;
using testing::TempDir;
using testing::TestDatabase;

Timestamp at(const std::string& iso) { return *parse_instant(iso); }

std::set<std::string> files_in(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

TEST(BackupRules, FileNamesCarryTheDateAndTheKind) {
  EXPECT_EQ(backup_file_name("/b", "2026-12-05", db::Dialect::sqlite), "/b/xiehui-2026-12-05.db");
  EXPECT_EQ(backup_file_name("/b", "2026-12-05", db::Dialect::mysql), "/b/xiehui-2026-12-05.sql");
}

TEST(BackupRules, PruningKeepsTheNewestAndLeavesOtherFilesAlone) {
  const std::vector<std::string> names = {
      "xiehui-2026-12-01.db", "xiehui-2026-12-03.db",         "notes.txt",
      "xiehui-2026-12-02.db", "xiehui-2026-12-04.db.partial", "xiehui-2026-11-30.sql"};
  EXPECT_EQ(backups_to_prune(names, 2),
            (std::vector<std::string>{"xiehui-2026-12-01.db", "xiehui-2026-11-30.sql"}));
  EXPECT_TRUE(backups_to_prune(names, 4).empty());
  EXPECT_EQ(backups_to_prune(names, 0).size(), 3u) << "keep is at least one";
}

class BackupServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto db = db::Database::open(test_db_.connection_string(), 2);
    ASSERT_TRUE(db.has_value()) << db.error().message.en;
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
    add_member("长沙经济技术开发区", 1);
    add_member("湘潭高新技术产业开发区", 2);
  }

  void add_member(const std::string& name, int n) {
    auto added = db_->with_transaction([&](soci::session& s) -> Result<long long> {
      const std::string body = "91430100MA4L" + std::to_string(20000 + n);
      const membership::Organisation org{
          name, name, body + uscc_check_char(body), "development_zone", "national", "430100", ""};
      const long long id = membership::membership_repository::insert_member(
                               s, org, "member", "2020-01-01", name, Timestamp{})
                               .first;
      append_audit(
          s, {std::nullopt, "-", "127.0.0.1", "member.create", "member", std::to_string(id), name},
          clock_.now());
      return id;
    });
    ASSERT_TRUE(added.has_value()) << added.error().message.en;
  }

  BackupConfig config(int keep) const {
    BackupConfig c;
    c.dir = (fs::path(dir_.path()) / "backups").string();
    c.keep = keep;
    c.hour = 3;
    return c;
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  TempDir dir_;
  ManualClock clock_{at("2026-12-05T02:30:00+08:00")};
  std::unique_ptr<db::Database> db_;
};

TEST_P(BackupServiceTest, TheDaysBackupIsMadeOnceFromItsHourAndOldOnesArePruned) {
  BackupService backups(*db_, clock_, config(3));
  auto early = backups.run_due();
  ASSERT_TRUE(early.has_value()) << early.error().message.en;
  EXPECT_EQ(*early, 0) << "before 03:00 Shanghai nothing is due";

  clock_.set(at("2026-12-05T03:10:00+08:00"));
  auto made = backups.run_due();
  ASSERT_TRUE(made.has_value()) << made.error().message.en;
  EXPECT_EQ(*made, 1);
  const std::string ext = GetParam() == "sqlite" ? ".db" : ".sql";
  EXPECT_EQ(files_in(config(3).dir), std::set<std::string>{"xiehui-2026-12-05" + ext});
  EXPECT_GT(fs::file_size(fs::path(config(3).dir) / ("xiehui-2026-12-05" + ext)), 1000u);

  // Another process on the same database, later the same day: already made.
  BackupService other(*db_, clock_, config(3));
  clock_.set(at("2026-12-05T20:00:00+08:00"));
  EXPECT_EQ(other.run_due().value_or(-1), 0);

  for (int day = 6; day <= 9; ++day) {
    clock_.set(at("2026-12-0" + std::to_string(day) + "T04:00:00+08:00"));
    EXPECT_EQ(backups.run_due().value_or(-1), 1) << "day " << day;
  }
  EXPECT_EQ(files_in(config(3).dir),
            (std::set<std::string>{"xiehui-2026-12-07" + ext, "xiehui-2026-12-08" + ext,
                                   "xiehui-2026-12-09" + ext}));
}

TEST_P(BackupServiceTest, AFailedBackupGivesTheDayBackAndIsRetried) {
  BackupConfig blocked = config(3);
  // A file where the directory should be: the backup cannot be written.
  std::ofstream(blocked.dir) << "not a directory";
  BackupService backups(*db_, clock_, blocked);
  clock_.set(at("2026-12-05T03:10:00+08:00"));
  EXPECT_FALSE(backups.run_due().has_value());

  fs::remove(blocked.dir);
  EXPECT_EQ(backups.run_due().value_or(-1), 1) << "the day was given back";
}

TEST_P(BackupServiceTest, NoBackupWithoutADirectory) {
  clock_.set(at("2026-12-05T12:00:00+08:00"));
  BackupService backups(*db_, clock_, BackupConfig{});
  EXPECT_EQ(backups.run_due().value_or(-1), 0);
}

// MariaDB is restored by loading a dump with the mariadb client: see CliTest.MariaDbDump….
class SqliteRestoreTest : public BackupServiceTest {};

TEST_P(SqliteRestoreTest, ARestoredBackupPassesTheCheckAndATamperedOneFails) {
  BackupService backups(*db_, clock_, config(3));
  auto file = backups.write_backup("2026-12-05");
  ASSERT_TRUE(file.has_value()) << file.error().message.en;

  const std::string restored_path = (fs::path(dir_.path()) / "restored.db").string();
  ASSERT_TRUE(db::restore_sqlite(*file, restored_path).has_value());
  EXPECT_FALSE(db::restore_sqlite(*file, restored_path).has_value()) << "never overwrites";
  EXPECT_FALSE(db::restore_sqlite(restored_path + ".missing", restored_path + "2").has_value());

  auto restored = db::Database::open("sqlite3://db=" + restored_path, 1);
  ASSERT_TRUE(restored.has_value());
  auto check = check_restore(**restored, *db_);
  ASSERT_TRUE(check.has_value()) << check.error().message.en;
  EXPECT_TRUE(check->ok());
  EXPECT_EQ(check->audit.checked, 2);
  const auto members = std::ranges::find(check->restored, std::string("members"),
                                         &backup_repository::TableFingerprint::table);
  ASSERT_NE(members, check->restored.end());
  EXPECT_EQ(members->rows, 2);

  // The source moves on after the backup: the restored copy no longer equals it.
  add_member("株洲高新技术产业开发区", 3);
  check = check_restore(**restored, *db_);
  ASSERT_TRUE(check.has_value());
  EXPECT_FALSE(check->ok());
  EXPECT_NE(std::ranges::find(check->differing, std::string("members")), check->differing.end());
  EXPECT_NE(std::ranges::find(check->differing, std::string("report_member_counts")),
            check->differing.end())
      << "the report aggregates differ too";

  // An audit row altered in the restored copy breaks its chain.
  (void)(*restored)->with_transaction([](soci::session& s) -> Result<int> {
    s << "UPDATE audit_log SET summary = 'changed' WHERE id = (SELECT MIN(id) FROM audit_log)";
    return 0;
  });
  auto original = db::Database::open("sqlite3://db=" + *file, 1);
  ASSERT_TRUE(original.has_value());
  check = check_restore(**restored, **original);
  ASSERT_TRUE(check.has_value());
  EXPECT_FALSE(check->audit.ok);
  EXPECT_TRUE(check->differing.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, BackupServiceTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName{});
INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteRestoreTest, ::testing::Values(std::string("sqlite")),
                         BackendName{});

}  // namespace
}  // namespace xiehui::services
