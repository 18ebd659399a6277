#include "common/api/resource_table.h"

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/api/database_fixture.h"
#include "tests/support/test_env.h"

namespace prongsai::api {
namespace {

using ::prongsai::api::testing::BackendName;
using ::prongsai::api::testing::DatabaseTest;
using ::prongsai::api::testing::kBothBackends;
using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

// A resource table as the stores define theirs.
constexpr absl::string_view kThings =
    "CREATE TABLE things (id TEXT NOT NULL PRIMARY KEY, "
    "organization_code TEXT NOT NULL, request_id TEXT, "
    "sort_key BIGINT NOT NULL, kind TEXT NOT NULL, "
    "UNIQUE (organization_code, request_id))";

class ResourceTableTest : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Exec(kThings);
  }

  // Inserts a row through `db` the way a store's insert callback does.
  static absl::StatusOr<std::string> Insert(storage::Connection& db,
                                            absl::string_view id,
                                            absl::string_view organization,
                                            absl::string_view request_id,
                                            int64_t sort_key = 0,
                                            absl::string_view kind = "a") {
    std::vector<storage::Value> values = {std::string(id),
                                          std::string(organization)};
    AppendRequestId(request_id, values);
    values.emplace_back(sort_key);
    values.emplace_back(std::string(kind));
    absl::StatusOr<storage::Result> done = db.Execute(
        InsertStatement("things",
                        "id, organization_code, request_id, sort_key, kind",
                        values.size()),
        values);
    if (!done.ok()) return done.status();
    return std::string(id);
  }

  absl::StatusOr<std::string> Create(absl::string_view id,
                                     absl::string_view organization,
                                     absl::string_view request_id) {
    return CreateOnce(db(), "things", organization, request_id,
                      [&](storage::Connection& tx) {
                        return Insert(tx, id, organization, request_id);
                      });
  }

  int64_t Count() {
    storage::Result result = Exec("SELECT COUNT(*) FROM things");
    return result.rows.empty() ? -1 : result.rows[0].GetInt(0);
  }

  // The ids of one ListPage call, and its cursor through `cursor`.
  std::vector<std::string> Ids(absl::string_view organization, int limit,
                               std::string& cursor,
                               const RowFilter& filter = {}) {
    absl::StatusOr<RowPage> page =
        ListPage(db(), "things", "id, kind", "sort_key", organization,
                 PageRequest{.limit = limit, .cursor = cursor}, filter);
    EXPECT_THAT(page, IsOk());
    if (!page.ok()) return {};
    std::vector<std::string> ids;
    for (const storage::Row& row : page->rows) {
      // The requested columns first, then the order column and the id.
      EXPECT_EQ(row.size(), 4u);
      EXPECT_EQ(row.GetText(0), row.GetText(3));
      ids.push_back(row.GetText(0));
    }
    cursor = page->next_cursor;
    return ids;
  }
};
INSTANTIATE_TEST_SUITE_P(Backends, ResourceTableTest, kBothBackends,
                         BackendName);

TEST(InsertStatementTest, OnePlaceholderPerValue) {
  EXPECT_EQ(InsertStatement("things", "id, kind", 2),
            "INSERT INTO things (id, kind) VALUES (?, ?)");
  EXPECT_EQ(InsertStatement("t", "id", 1), "INSERT INTO t (id) VALUES (?)");
}

TEST_P(ResourceTableTest,
       ARepeatedRequestIdReturnsTheFirstRowAndWritesNothing) {
  ASSERT_EQ(*Create("t1", "6340101", "req-1"), "t1");
  int inserts = 0;
  absl::StatusOr<std::string> again = CreateOnce(
      db(), "things", "6340101", "req-1", [&](storage::Connection& tx) {
        ++inserts;
        return Insert(tx, "t2", "6340101", "req-1");
      });
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, "t1");
  EXPECT_EQ(inserts, 0);
  EXPECT_EQ(Count(), 1);
}

TEST_P(ResourceTableTest, RequestIdsAreScopedToTheOrganization) {
  EXPECT_EQ(*Create("t1", "6340101", "req-1"), "t1");
  // The same request id from another organization is another request.
  EXPECT_EQ(*Create("t2", "9999999", "req-1"), "t2");
  // And another request id of the same organization is too.
  EXPECT_EQ(*Create("t3", "6340101", "req-2"), "t3");
  EXPECT_EQ(Count(), 3);
}

TEST_P(ResourceTableTest, WithoutARequestIdEveryCreateWrites) {
  EXPECT_EQ(*Create("t1", "6340101", ""), "t1");
  EXPECT_EQ(*Create("t2", "6340101", ""), "t2");
  // Stored as NULL, which never collides in the UNIQUE constraint.
  storage::Result nulls =
      Exec("SELECT COUNT(*) FROM things WHERE request_id IS NULL");
  ASSERT_EQ(nulls.rows.size(), 1u);
  EXPECT_EQ(nulls.rows[0].GetInt(0), 2);
}

TEST_P(ResourceTableTest, AFailedInsertLeavesNothingAndIsReturned) {
  absl::StatusOr<std::string> failed =
      CreateOnce(db(), "things", "6340101", "req-1",
                 [&](storage::Connection& tx) -> absl::StatusOr<std::string> {
                   EXPECT_THAT(Insert(tx, "t1", "6340101", "req-1"), IsOk());
                   return absl::FailedPreconditionError("the plan is adopted");
                 });
  EXPECT_THAT(failed, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(Count(), 0);
  // The request id was not used up: a retry creates the row.
  EXPECT_EQ(*Create("t1", "6340101", "req-1"), "t1");
}

TEST_P(ResourceTableTest, ConcurrentCreatesWithOneRequestIdMakeOneRow) {
  constexpr int kWriters = 6;
  std::vector<std::unique_ptr<storage::Connection>> connections;
  for (int i = 0; i < kWriters; ++i) {
    connections.push_back(NewConnection());
    ASSERT_NE(connections.back(), nullptr);
  }
  absl::Mutex mu;
  std::vector<std::string> ids;
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      absl::StatusOr<std::string> id = CreateOnce(
          *connections[i], "things", "6340101", "req-1",
          [&](storage::Connection& tx) {
            return Insert(tx, absl::StrCat("t", i), "6340101", "req-1");
          });
      EXPECT_THAT(id, IsOk());
      absl::MutexLock lock(&mu);
      ids.push_back(id.ok() ? *id : "");
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(Count(), 1);
  storage::Result row = Exec("SELECT id FROM things");
  ASSERT_EQ(row.rows.size(), 1u);
  EXPECT_THAT(ids, ::testing::Each(row.rows[0].GetText(0)));
}

// The loser of the race: its transaction found no row, then another writer
// committed the same request id before its INSERT. It answers with the
// winner's row. PostgreSQL only: SQLite writers take the write lock at
// BEGIN IMMEDIATE, so there the race cannot happen.
TEST_P(ResourceTableTest, TheLoserOfARequestIdRaceAnswersWithTheWinnersRow) {
  if (GetParam() == storage::Backend::kSqlite) {
    GTEST_SKIP() << "SQLite serializes writers: no race to lose";
  }
  std::unique_ptr<storage::Connection> other = NewConnection();
  ASSERT_NE(other, nullptr);
  absl::StatusOr<std::string> id = CreateOnce(
      db(), "things", "6340101", "req-1", [&](storage::Connection& tx) {
        EXPECT_THAT(Insert(*other, "winner", "6340101", "req-1"), IsOk());
        return Insert(tx, "loser", "6340101", "req-1");
      });
  ASSERT_THAT(id, IsOk());
  EXPECT_EQ(*id, "winner");
  EXPECT_EQ(Count(), 1);
}

TEST_P(ResourceTableTest, ListPageWalksTiesByIdAndEndsWithAnEmptyCursor) {
  // sort_key ties are ordered by id; ids inserted out of order.
  const std::vector<std::pair<std::string, int64_t>> rows = {
      {"e", 2}, {"a", 1}, {"d", 2}, {"b", 1}, {"c", 1}, {"f", 3}, {"g", -5}};
  for (const auto& [id, sort_key] : rows) {
    ASSERT_THAT(Insert(db(), id, "6340101", "", sort_key), IsOk());
  }
  ASSERT_THAT(Insert(db(), "other-org", "9999999", "", 0), IsOk());

  std::string cursor;
  EXPECT_THAT(Ids("6340101", 3, cursor), ElementsAre("g", "a", "b"));
  EXPECT_EQ(cursor, "1:b");
  EXPECT_THAT(Ids("6340101", 3, cursor), ElementsAre("c", "d", "e"));
  EXPECT_FALSE(cursor.empty());
  EXPECT_THAT(Ids("6340101", 3, cursor), ElementsAre("f"));
  EXPECT_EQ(cursor, "");

  // A page that ends exactly at the last row is the last page.
  cursor.clear();
  EXPECT_THAT(Ids("6340101", 7, cursor),
              ElementsAreArray({"g", "a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(cursor, "");
}

TEST_P(ResourceTableTest, ListPageFilterIsAndedAndKeepsTheOrganization) {
  for (int i = 0; i < 6; ++i) {
    ASSERT_THAT(Insert(db(), absl::StrCat("t", i), "6340101", "", i,
                       i % 2 == 0 ? "even" : "odd"),
                IsOk());
    ASSERT_THAT(Insert(db(), absl::StrCat("x", i), "9999999", "", i, "even"),
                IsOk());
  }
  // An OR in the filter must not reach the other organization's rows.
  const RowFilter filter = {"kind = ? OR kind = ?",
                            {std::string("even"), std::string("none")}};
  std::string cursor;
  EXPECT_THAT(Ids("6340101", 2, cursor, filter), ElementsAre("t0", "t2"));
  EXPECT_THAT(Ids("6340101", 2, cursor, filter), ElementsAre("t4"));
  EXPECT_EQ(cursor, "");
}

TEST_P(ResourceTableTest, ListPageRefusesACursorItDidNotIssue) {
  for (const char* cursor : {"garbage", "x:t1", "12:", ":t1"}) {
    SCOPED_TRACE(cursor);
    EXPECT_THAT(ListPage(db(), "things", "id", "sort_key", "6340101",
                         PageRequest{.limit = 2, .cursor = cursor}),
                IsInvalidArgumentAt("page_token"));
  }
  // An id may itself hold a colon: only the first one splits.
  ASSERT_THAT(Insert(db(), "a:1", "6340101", "", 1), IsOk());
  ASSERT_THAT(Insert(db(), "a:2", "6340101", "", 1), IsOk());
  std::string cursor;
  EXPECT_THAT(Ids("6340101", 1, cursor), ElementsAre("a:1"));
  EXPECT_EQ(cursor, "1:a:1");
  EXPECT_THAT(Ids("6340101", 1, cursor), ElementsAre("a:2"));
  EXPECT_EQ(cursor, "");
}

}  // namespace
}  // namespace prongsai::api
