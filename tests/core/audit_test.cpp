// The hash-chained audit log on every backend: an untouched chain verifies, every kind of
// tampering with SQL (change, delete, swap, truncate) is named at the exact row, and concurrent
// writers never fork the chain.

#include "core/audit.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.hpp"
#include "core/db/database.hpp"
#include "core/db/migrator.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"
#include "tests/support/test_database.hpp"

namespace xiehui {
namespace {

using testing::BackendName;
using testing::TestDatabase;

AuditEntry entry(int i) {
  return {i,       "user" + std::to_string(i), "192.0.2." + std::to_string(i % 250), "test.append",
          "thing", std::to_string(i),          "entry number " + std::to_string(i)};
}

class AuditChainTest : public ::testing::TestWithParam<std::string> {
 protected:
  void open(std::size_t pool = 4) {
    auto db = db::Database::open(test_db_.connection_string(), pool);
    ASSERT_TRUE(db.has_value()) << db.error().message.en;
    db_ = std::move(*db);
    ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
  }

  void SetUp() override { open(); }

  // Appends entries 1..n, each in its own transaction.
  void append(int n) {
    for (int i = 1; i <= n; ++i) {
      clock_.advance(std::chrono::seconds{1});
      auto id = db_->with_transaction([&](soci::session& s) -> Result<long long> {
        return append_audit(s, entry(i), clock_.now());
      });
      ASSERT_TRUE(id.has_value()) << id.error().message.en;
      ASSERT_EQ(*id, i);
    }
  }

  AuditVerification verify() {
    auto r = db_->with_session(
        [](soci::session& s) -> Result<AuditVerification> { return verify_audit_chain(s); });
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message.en);
    return r.value_or(AuditVerification{false, -1, std::nullopt});
  }

  void sql(const std::string& statement) {
    auto r = db_->with_session([&](soci::session& s) -> Status {
      s << statement;
      return {};
    });
    ASSERT_TRUE(r.has_value()) << statement << ": " << r.error().message.en;
  }

  AuditRecord read(long long id) {
    auto r = db_->with_session([&](soci::session& s) -> Result<AuditRecord> {
      soci::row row;
      s << std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE id = :id", soci::use(id),
          soci::into(row);
      return read_audit_record(row);
    });
    EXPECT_TRUE(r.has_value());
    return r.value_or(AuditRecord{});
  }

  // Overwrites every column of row `id` except the id with the contents of `from`.
  void overwrite(soci::session& s, long long id, const AuditRecord& from) {
    const std::string at = format_db_timestamp(from.at);
    long long actor = from.entry.actor_id.value_or(0);
    soci::indicator ind = from.entry.actor_id ? soci::i_ok : soci::i_null;
    s << "UPDATE audit_log SET at = :at, actor_id = :actor, actor_name = :name, address = :addr, "
         "action = :action, entity_type = :etype, entity_id = :eid, summary = :summary, "
         "prev_hash = :prev, hash = :hash WHERE id = :id",
        soci::use(at), soci::use(actor, ind), soci::use(from.entry.actor_name),
        soci::use(from.entry.address), soci::use(from.entry.action),
        soci::use(from.entry.entity_type), soci::use(from.entry.entity_id),
        soci::use(from.entry.summary), soci::use(from.prev_hash), soci::use(from.hash),
        soci::use(id);
  }

  std::vector<long long> stored_ids() {
    auto r = db_->with_session([](soci::session& s) -> Result<std::vector<long long>> {
      std::vector<long long> ids;
      soci::rowset<soci::row> rows = (s.prepare << "SELECT id FROM audit_log ORDER BY id");
      for (const soci::row& row : rows) ids.push_back(db::get_int64(row, 0));
      return ids;
    });
    EXPECT_TRUE(r.has_value());
    return r.value_or(std::vector<long long>{});
  }

  TestDatabase test_db_{GetParam(), TestDatabase::Schema::migrated};
  ManualClock clock_{Timestamp{std::chrono::seconds{1'790'000'000}}};
  std::unique_ptr<db::Database> db_;
};

TEST_P(AuditChainTest, AnEmptyLogVerifies) {
  const AuditVerification v = verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.checked, 0);
  EXPECT_EQ(v.first_bad_id, std::nullopt);
}

TEST_P(AuditChainTest, AnUntouchedChainVerifies) {
  append(12);
  const AuditVerification v = verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.checked, 12);
  EXPECT_EQ(v.first_bad_id, std::nullopt);
  // Each row links to its predecessor.
  EXPECT_EQ(read(1).prev_hash, "");
  for (long long id = 2; id <= 12; ++id) EXPECT_EQ(read(id).prev_hash, read(id - 1).hash);
}

TEST_P(AuditChainTest, ABatchContinuesTheChainAndSinglesFollowIt) {
  append(2);
  auto last = db_->with_transaction([&](soci::session& s) -> Result<long long> {
    AuditBatch batch(s);
    long long id = 0;
    for (int i = 3; i <= 40; ++i) id = batch.append(entry(i), clock_.now());
    batch.finish();
    return id;
  });
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last, 40);
  auto next = db_->with_transaction([&](soci::session& s) -> Result<long long> {
    return append_audit(s, entry(41), clock_.now());
  });
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next, 41) << "the head was written back";
  const AuditVerification v = verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.checked, 41);
}

TEST_P(AuditChainTest, ARolledBackAppendLeavesNoGap) {
  append(2);
  auto failed = db_->with_transaction([&](soci::session& s) -> Status {
    append_audit(s, entry(99), clock_.now());
    return std::unexpected(make_error(ErrorCode::conflict, {"回滚", "roll back"}));
  });
  ASSERT_FALSE(failed.has_value());
  auto id = db_->with_transaction([&](soci::session& s) -> Result<long long> {
    return append_audit(s, entry(3), clock_.now());
  });
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(*id, 3);
  const AuditVerification v = verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.checked, 3);
}

TEST_P(AuditChainTest, AChangedSummaryIsNamed) {
  append(6);
  sql("UPDATE audit_log SET summary = 'nothing happened' WHERE id = 3");
  const AuditVerification v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 3);
}

TEST_P(AuditChainTest, AChangedActorIsNamed) {
  append(6);
  sql("UPDATE audit_log SET actor_id = NULL, actor_name = '-' WHERE id = 5");
  const AuditVerification v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 5);
}

TEST_P(AuditChainTest, AChangeWithARecomputedHashBreaksTheNextLink) {
  append(6);
  AuditRecord r = read(3);
  r.entry.summary = "rewritten";
  r.hash = audit_hash(r);
  auto st = db_->with_session([&](soci::session& s) -> Status {
    overwrite(s, 3, r);
    return {};
  });
  ASSERT_TRUE(st.has_value());
  const AuditVerification v = verify();
  EXPECT_FALSE(v.ok);
  // Row 3 is consistent in itself; the first row whose link no longer holds is 4.
  EXPECT_EQ(v.first_bad_id, 4);
}

TEST_P(AuditChainTest, ADeletedRowIsNamed) {
  append(7);
  sql("DELETE FROM audit_log WHERE id = 4");
  const AuditVerification v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 4);
}

TEST_P(AuditChainTest, ADeletedFirstRowIsNamed) {
  append(4);
  sql("DELETE FROM audit_log WHERE id = 1");
  const AuditVerification v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 1);
}

TEST_P(AuditChainTest, SwappedRowsAreNamed) {
  append(7);
  const AuditRecord two = read(2);
  const AuditRecord five = read(5);
  ASSERT_NE(two.hash, five.hash);
  auto st = db_->with_transaction([&](soci::session& s) -> Status {
    overwrite(s, 2, five);
    overwrite(s, 5, two);
    return {};
  });
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(read(2).entry.summary, "entry number 5") << "the swap took place";
  const AuditVerification v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 2);
}

TEST_P(AuditChainTest, ADeletedLastRowIsNamed) {
  append(6);
  sql("DELETE FROM audit_log WHERE id = 6");
  const AuditVerification v = verify();
  EXPECT_FALSE(v.ok) << "the chain head still names row 6";
  EXPECT_EQ(v.first_bad_id, 6);
}

TEST_P(AuditChainTest, FiftyParallelWritersMakeOneUnbrokenChain) {
  db_.reset();
  open(8);
  constexpr std::size_t kWriters = 50;
  std::latch start(kWriters);
  std::vector<long long> ids(kWriters, 0);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();  // all at once
      auto id = db_->with_transaction([&](soci::session& s) -> Result<long long> {
        return append_audit(s, entry(static_cast<int>(i) + 1), clock_.now());
      });
      if (id)
        ids[i] = *id;
      else
        ++failures;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  std::vector<long long> expected(kWriters);
  std::iota(expected.begin(), expected.end(), 1);
  std::ranges::sort(ids);
  EXPECT_EQ(ids, expected) << "each writer got its own id";
  EXPECT_EQ(stored_ids(), expected) << "ids are contiguous 1..50";
  const AuditVerification v = verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.checked, static_cast<long long>(kWriters));
  EXPECT_EQ(v.first_bad_id, std::nullopt);
}

// Turns the stored chain into what a version 1 server wrote: hashes over the summaries' text.
void rewrite_as_version_1(soci::session& s, long long rows) {
  std::string prev;
  for (long long id = 1; id <= rows; ++id) {
    soci::row row;
    s << std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE id = :id", soci::use(id),
        soci::into(row);
    AuditRecord r = read_audit_record(row);
    r.prev_hash = prev;
    r.hash = audit_hash(r, 1);
    s << "UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :id", soci::use(r.prev_hash),
        soci::use(r.hash), soci::use(id);
    prev = r.hash;
  }
  s << "UPDATE audit_head SET last_hash = :h, hash_version = 1 WHERE id = 1", soci::use(prev);
}

TEST_P(AuditChainTest, AnErasedSummaryKeepsTheChainVerifying) {
  append(6);
  const std::vector<long long> ids{2, 5};
  auto erased = db_->with_transaction([&](soci::session& s) -> Result<std::optional<long long>> {
    return erase_audit_summaries(s, ids);
  });
  ASSERT_TRUE(erased.has_value());
  EXPECT_EQ(*erased, 2);
  EXPECT_EQ(read(2).entry.summary, kErasedSummary);
  EXPECT_EQ(read(5).erased_digest, sha256_hex("entry number 5"));
  EXPECT_EQ(read(3).entry.summary, "entry number 3") << "other rows untouched";
  AuditVerification v = verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.checked, 6);
  // Erasing again changes nothing: the first digest stays.
  auto again = db_->with_transaction([&](soci::session& s) -> Result<std::optional<long long>> {
    return erase_audit_summaries(s, {2, 5});
  });
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0);
  EXPECT_TRUE(verify().ok);
  // An erased row's summary cannot be given other text: erasing removes, never rewrites.
  sql("UPDATE audit_log SET summary = 'entry number 2' WHERE id = 2");
  v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 2);
  sql("UPDATE audit_log SET summary = '" + std::string(kErasedSummary) + "' WHERE id = 2");
  EXPECT_TRUE(verify().ok);
  // Nor can a digest be set on a row to free its text, nor an erased row's digest changed.
  sql("UPDATE audit_log SET erased_digest = '" + sha256_hex("entry number 3") +
      "', summary = 'forged' WHERE id = 3");
  v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 3);
  sql("UPDATE audit_log SET erased_digest = NULL, summary = 'entry number 3' WHERE id = 3");
  EXPECT_TRUE(verify().ok);
  sql("UPDATE audit_log SET erased_digest = '" + std::string(64, 'a') + "' WHERE id = 5");
  v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 5);
}

TEST_P(AuditChainTest, AVersion1ChainIsUpgradedOnceAndThenErasable) {
  append(5);
  ASSERT_TRUE(db_->with_transaction([&](soci::session& s) -> Status {
    rewrite_as_version_1(s, 5);
    return {};
  }));
  EXPECT_TRUE(verify().ok) << "a version 1 chain verifies as version 1";
  auto refused = db_->with_transaction([&](soci::session& s) -> Result<std::optional<long long>> {
    return erase_audit_summaries(s, {3});
  });
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(*refused, std::nullopt) << "no erasure from a version 1 chain";
  EXPECT_EQ(read(3).entry.summary, "entry number 3");
  // The server's start converts it (db::migrate calls upgrade_audit_chain).
  ASSERT_TRUE(db::migrate(*db_, db::embedded_migrations(db_->dialect()), clock_));
  EXPECT_TRUE(verify().ok);
  clock_.advance(std::chrono::seconds{1});
  ASSERT_TRUE(db_->with_transaction([&](soci::session& s) -> Result<long long> {
    return append_audit(s, entry(6), clock_.now());
  }));
  ASSERT_TRUE(db_->with_transaction([&](soci::session& s) -> Result<std::optional<long long>> {
    return erase_audit_summaries(s, {3});
  }));
  const AuditVerification v = verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.checked, 6);
}

TEST_P(AuditChainTest, ABrokenVersion1ChainIsNotUpgraded) {
  append(5);
  ASSERT_TRUE(db_->with_transaction([&](soci::session& s) -> Status {
    rewrite_as_version_1(s, 5);
    return {};
  }));
  sql("UPDATE audit_log SET summary = 'forged' WHERE id = 4");
  auto upgraded = db_->with_transaction(
      [](soci::session& s) -> Result<bool> { return upgrade_audit_chain(s); });
  ASSERT_TRUE(upgraded.has_value());
  EXPECT_FALSE(*upgraded);
  const AuditVerification v = verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_id, 4) << "the forgery is still named, not hidden by new hashes";
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditChainTest, ::testing::ValuesIn(testing::test_backends()),
                         BackendName());

}  // namespace
}  // namespace xiehui
