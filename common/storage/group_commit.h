// Group commit: concurrent write transactions to one database commit
// together. Each caller's transaction body runs on a writer connection after
// a savepoint; one COMMIT (one fsync on SQLite, one WAL flush on PostgreSQL)
// then makes the whole group durable, and only then is each caller answered.
// A body that fails is rolled back to its savepoint and fails alone. When
// the group as a whole cannot commit (the disk is full, a statement took the
// transaction down with it), the bodies that had succeeded run again, each
// in its own transaction, so one caller's fault never fails another's write.
//
//   auto committer = std::make_shared<GroupCommitter>(
//       GroupCommitter::Options{.db_url = url});
//   std::unique_ptr<Connection> db =
//       WithGroupCommit(Instrumented(*Connect(url)), committer);
//   InTransaction(*db, [&](Connection& tx) { return tx.Execute(...); });
//
// Bodies must be repeatable (InTransaction's are: they may already be
// retried) and must make every statement on the connection they are given.
#ifndef PRONGSAI_COMMON_STORAGE_GROUP_COMMIT_H_
#define PRONGSAI_COMMON_STORAGE_GROUP_COMMIT_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/storage/storage.h"

namespace prongsai::storage {

class GroupCommitter {
 public:
  struct Options {
    std::string db_url;
    // Writer threads, each with its own connection and committing one group
    // at a time. SQLite always has one (its write lock admits one writer).
    int writers = 4;
    // The most transactions in one group.
    int max_group = 64;
    // How long a writer waits for more callers before it starts a group
    // (only while the previous group had more than one, and only until as
    // many as made that group are queued): a lone write never waits.
    absl::Duration max_delay = absl::Microseconds(200);
  };

  explicit GroupCommitter(Options options);
  // Commits what is queued, then joins the writers.
  ~GroupCommitter();

  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Runs `body` inside a transaction shared with concurrent callers and
  // returns once that transaction is durable: OK only then. Otherwise
  // `body`'s error (nothing of it is kept), DEADLINE_EXCEEDED when
  // `deadline` passed before `body` ran (answered at the deadline, not when
  // a busy writer gets to it), or the commit's error.
  absl::Status Run(absl::Time deadline,
                   absl::FunctionRef<absl::Status(Connection&)> body);

  struct Stats {
    int64_t groups = 0;        // COMMITs of groups
    int64_t transactions = 0;  // callers' bodies kept by those COMMITs
    int64_t alone = 0;         // bodies committed in a transaction of their own
  };
  Stats stats() const;
  // Callers waiting for a writer.
  int queued() const;

 private:
  enum class Outcome;
  struct Pending;

  // The loop of writer number `stripe` (its connection's write stripe).
  void Write(int stripe);
  // Runs `group` in one transaction of `db` and what that could not keep in
  // transactions of their own, then counts them in stats_.
  void CommitGroup(Connection& db, const std::vector<Pending*>& group);
  // Begins the group's transaction and runs each body after a savepoint;
  // false once that transaction cannot be committed as it stands.
  static bool RunTogether(Connection& db, const std::vector<Pending*>& group);
  static bool RunAfterSavepoint(Connection& db, Pending& pending);
  // Commits the group; false when nothing of it was kept.
  static bool Commit(Connection& db, const std::vector<Pending*>& group);
  // `pending`'s body on `db`, under its deadline and its caller's trace.
  static absl::Status RunBody(Pending& pending, Connection& db);

  const Options options_;
  const size_t max_group_;
  mutable absl::Mutex mu_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  Stats stats_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> writers_;
};

// A connection whose transactions (InTransaction, RunTransaction) go
// through `committer`; every other call runs on `inner`. Its SetDeadline
// also bounds the wait for the group.
std::unique_ptr<Connection> WithGroupCommit(
    std::unique_ptr<Connection> inner,
    std::shared_ptr<GroupCommitter> committer);

}  // namespace prongsai::storage

#endif  // PRONGSAI_COMMON_STORAGE_GROUP_COMMIT_H_
