#include "common/storage/group_commit.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/scratch_database.h"
#include "tests/support/test_env.h"

namespace prongsai::storage {

namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;

// A real database of each backend; callers reach it through group-commit
// connections sharing one committer, as a service's workers do.
class GroupCommitTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    testing::NewScratchDatabase(GetParam(), "group_commit", &url_);
    if (url_.empty()) return;  // skipped, or failed
    plain_ = Plain();
    ASSERT_NE(plain_, nullptr);
    ASSERT_THAT(plain_->Execute("CREATE TABLE items (id TEXT PRIMARY KEY, "
                                "writer TEXT NOT NULL)"),
                IsOk());
    committer_ = std::make_shared<GroupCommitter>(
        GroupCommitter::Options{.db_url = url_, .writers = 2});
  }

  std::unique_ptr<Connection> Plain() {
    absl::StatusOr<std::unique_ptr<Connection>> db = Connect(url_);
    EXPECT_THAT(db, IsOk());
    return db.ok() ? *std::move(db) : nullptr;
  }

  std::unique_ptr<Connection> Grouped() {
    std::unique_ptr<Connection> db = Plain();
    return db == nullptr ? nullptr : WithGroupCommit(std::move(db), committer_);
  }

  // Inserts the item `id` written by `writer` in a transaction of `db`.
  static absl::Status Insert(Connection& db, const std::string& id,
                             const std::string& writer) {
    return InTransaction(db, [&](Connection& tx) {
      return tx
          .Execute("INSERT INTO items (id, writer) VALUES (?, ?)", {id, writer})
          .status();
    });
  }

  int64_t Count(absl::string_view where = "1 = 1") {
    absl::StatusOr<Result> result = plain_->Execute(
        absl::StrCat("SELECT COUNT(*) FROM items WHERE ", where));
    EXPECT_THAT(result, IsOk());
    return result.ok() ? result->rows[0].GetInt(0) : -1;
  }

  // Gives the test a committer with one writer and holds that writer with
  // a transaction (on its own thread, inside its body) until `release_` is
  // notified: the callers started after it queue for the next group. Join
  // `holder_` after notifying.
  void HoldTheOnlyWriter() {
    committer_ = std::make_shared<GroupCommitter>(
        GroupCommitter::Options{.db_url = url_, .writers = 1});
    absl::Notification entered;
    holder_ = std::thread([&, db = Grouped()] {
      EXPECT_THAT(InTransaction(*db,
                                [&](Connection& tx) {
                                  entered.Notify();
                                  release_.WaitForNotification();
                                  return tx
                                      .Execute(
                                          "INSERT INTO items (id, writer) "
                                          "VALUES ('holder', 'holder')")
                                      .status();
                                }),
                  IsOk());
    });
    entered.WaitForNotification();
  }

  // Waits until `count` callers are queued behind the held writer.
  void AwaitQueued(int count) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (committer_->queued() < count && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    ASSERT_EQ(committer_->queued(), count);
  }

  std::string url_;
  std::unique_ptr<Connection> plain_;
  std::shared_ptr<GroupCommitter> committer_;
  absl::Notification release_;
  std::thread holder_;
};

INSTANTIATE_TEST_SUITE_P(Backends, GroupCommitTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

TEST_P(GroupCommitTest, ConcurrentWritesCommitTogetherAndEveryOneIsKept) {
  constexpr int kThreads = 16;
  constexpr int kWritesEach = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t, db = Grouped()] {
      for (int i = 0; i < kWritesEach; ++i) {
        if (!Insert(*db, absl::StrCat(t, "-", i), absl::StrCat(t)).ok()) {
          ++failed;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  // Every acknowledged write is there, read on another connection.
  EXPECT_EQ(Count(), kThreads * kWritesEach);
  const GroupCommitter::Stats stats = committer_->stats();
  EXPECT_EQ(stats.transactions, kThreads * kWritesEach);
  EXPECT_EQ(stats.alone, 0);
  // Sixteen callers at once shared COMMITs.
  EXPECT_LT(stats.groups, stats.transactions);
}

TEST_P(GroupCommitTest, AFailingWriteFailsAloneAndTakesNothingOfItsOwn) {
  ASSERT_THAT(plain_->Execute("INSERT INTO items VALUES ('taken', 'plain')"),
              IsOk());
  HoldTheOnlyWriter();
  absl::Status first, failing, last;
  std::thread first_thread(
      [&, db = Grouped()] { first = Insert(*db, "first", "first"); });
  ASSERT_NO_FATAL_FAILURE(AwaitQueued(1));
  std::thread failing_thread([&, db = Grouped()] {
    // Its first row goes in; its second collides: neither may stay.
    failing = InTransaction(*db, [](Connection& tx) -> absl::Status {
      PRONGSAI_RETURN_IF_ERROR(
          tx.Execute("INSERT INTO items VALUES ('failing', 'failing')")
              .status());
      return tx.Execute("INSERT INTO items VALUES ('taken', 'failing')")
          .status();
    });
  });
  ASSERT_NO_FATAL_FAILURE(AwaitQueued(2));
  std::thread last_thread(
      [&, db = Grouped()] { last = Insert(*db, "last", "last"); });
  ASSERT_NO_FATAL_FAILURE(AwaitQueued(3));
  release_.Notify();
  for (std::thread* thread :
       {&holder_, &first_thread, &failing_thread, &last_thread}) {
    thread->join();
  }

  EXPECT_THAT(first, IsOk());
  EXPECT_THAT(failing, StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(last, IsOk());
  EXPECT_EQ(Count("writer = 'failing'"), 0);
  EXPECT_EQ(Count("id IN ('first', 'last', 'holder')"), 3);
  const GroupCommitter::Stats stats = committer_->stats();
  EXPECT_EQ(stats.groups, 2);  // the holder's, then the three together
  EXPECT_EQ(stats.transactions, 3);
  EXPECT_EQ(stats.alone, 0);
}

TEST_P(GroupCommitTest, AGroupThatCannotCommitRunsTheOthersAlone) {
  HoldTheOnlyWriter();

  absl::Status before, breaker, after;
  std::thread before_thread(
      [&, db = Grouped()] { before = Insert(*db, "before", "before"); });
  ASSERT_NO_FATAL_FAILURE(AwaitQueued(1));
  std::thread breaker_thread([&, db = Grouped()] {
    // Ends the shared transaction under everyone's feet.
    breaker = InTransaction(
        *db, [](Connection& tx) { return tx.Execute("ROLLBACK").status(); });
  });
  ASSERT_NO_FATAL_FAILURE(AwaitQueued(2));
  std::thread after_thread(
      [&, db = Grouped()] { after = Insert(*db, "after", "after"); });
  ASSERT_NO_FATAL_FAILURE(AwaitQueued(3));
  release_.Notify();
  for (std::thread* thread :
       {&holder_, &before_thread, &breaker_thread, &after_thread}) {
    thread->join();
  }

  EXPECT_THAT(before, IsOk());
  EXPECT_THAT(after, IsOk());
  EXPECT_THAT(breaker, StatusIs(absl::StatusCode::kAborted));
  // Each exactly once: the lost group kept nothing, the reruns one each.
  EXPECT_EQ(Count("id = 'before'"), 1);
  EXPECT_EQ(Count("id = 'after'"), 1);
  EXPECT_EQ(committer_->stats().alone, 3);
}

TEST_P(GroupCommitTest, AWriteWhoseDeadlinePassesInTheQueueLeavesIt) {
  HoldTheOnlyWriter();

  absl::Status late;
  std::thread late_thread([&, db = Grouped()] {
    db->SetDeadline(absl::Now() + absl::Milliseconds(300));
    late = Insert(*db, "late", "late");
  });
  ASSERT_NO_FATAL_FAILURE(AwaitQueued(1));
  // Answered at its deadline although the writer is still held.
  late_thread.join();
  EXPECT_THAT(late, StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_EQ(committer_->queued(), 0);
  release_.Notify();
  holder_.join();
  EXPECT_EQ(Count("id = 'late'"), 0);
  EXPECT_EQ(Count("id = 'holder'"), 1);
}

}  // namespace
}  // namespace prongsai::storage
