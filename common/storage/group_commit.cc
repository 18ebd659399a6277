#include "common/storage/group_commit.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "common/base/trace.h"
#include "common/metrics/metrics.h"
#include "common/storage/instrumented.h"

namespace prongsai::storage {

enum class GroupCommitter::Outcome {
  kNotRun,  // to run in a transaction of its own
  kKept,    // ran and released its savepoint: kept if the group commits
  kDone,    // its status is final
};

// One caller's transaction, on the caller's stack until `done`.
struct GroupCommitter::Pending {
  absl::FunctionRef<absl::Status(Connection&)> body;
  absl::Time deadline;
  // The caller's trace, so that what the body logs names its call.
  const TraceContext* trace;
  absl::Status status;
  Outcome outcome = Outcome::kNotRun;  // the writer's, while it runs the group
  bool done = false;                   // set under mu_ once `status` is final
};

namespace {

absl::Status DeadlinePassed() {
  return absl::DeadlineExceededError(
      "storage: the deadline passed before the transaction ran");
}

constexpr absl::string_view kSavepoint = "prongsai_group";
constexpr absl::string_view kSavepointStatement = "SAVEPOINT prongsai_group";
constexpr absl::string_view kReleaseStatement =
    "RELEASE SAVEPOINT prongsai_group";

}  // namespace

GroupCommitter::GroupCommitter(Options options)
    : options_(std::move(options)),
      max_group_(static_cast<size_t>(std::max(options_.max_group, 1))) {
  // SQLite has one write lock: a second writer would only wait for it.
  const bool postgres = absl::StartsWith(options_.db_url, "postgres");
  const int writers = postgres ? std::max(options_.writers, 1) : 1;
  writers_.reserve(writers);
  for (int i = 0; i < writers; ++i) {
    writers_.emplace_back([this, i] { Write(i); });
  }
}

GroupCommitter::~GroupCommitter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& writer : writers_) writer.join();
}

absl::Status GroupCommitter::Run(
    absl::Time deadline, absl::FunctionRef<absl::Status(Connection&)> body) {
  Pending pending{.body = body,
                  .deadline = deadline,
                  .trace = CurrentTrace(),
                  .status = absl::OkStatus(),
                  .outcome = Outcome::kNotRun,
                  .done = false};
  absl::MutexLock lock(&mu_);
  if (stopping_) {
    return absl::UnavailableError("storage: the database writer is stopping");
  }
  queue_.push_back(&pending);
  if (!mu_.AwaitWithDeadline(absl::Condition(&pending.done), deadline)) {
    const auto queued = std::find(queue_.begin(), queue_.end(), &pending);
    if (queued != queue_.end()) {
      queue_.erase(queued);
      return DeadlinePassed();
    }
    // A writer has it: its outcome is the caller's answer.
    mu_.Await(absl::Condition(&pending.done));
  }
  return pending.status;
}

int GroupCommitter::queued() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

GroupCommitter::Stats GroupCommitter::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void GroupCommitter::Write(int stripe) {
  std::unique_ptr<Connection> db;
  size_t previous_group = 0;
  while (true) {
    std::vector<Pending*> group;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](GroupCommitter* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stopping_ || !self->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and everything is committed
      // Under load, the callers in flight (about as many as made the last
      // group) join this one, for at most max_delay; a lone write at low
      // load does not wait.
      struct Joined {
        GroupCommitter* self;
        size_t size;
      } joined{this, std::min(previous_group, max_group_)};
      if (joined.size > 1 && queue_.size() < joined.size) {
        mu_.AwaitWithTimeout(
            absl::Condition(
                +[](Joined* wait)
                     ABSL_EXCLUSIVE_LOCKS_REQUIRED(wait->self->mu_) {
                       return wait->self->stopping_ ||
                              wait->self->queue_.size() >= wait->size;
                     },
                &joined),
            options_.max_delay);
      }
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    previous_group = group.size();
    if (db == nullptr) {
      absl::StatusOr<std::unique_ptr<Connection>> connection =
          Connect(options_.db_url);
      if (connection.ok()) {
        db = Instrumented(*std::move(connection));
        db->set_write_stripe(stripe);
      } else {
        for (Pending* pending : group) pending->status = connection.status();
      }
    }
    if (db != nullptr) CommitGroup(*db, group);
    absl::MutexLock lock(&mu_);
    for (Pending* pending : group) pending->done = true;
  }
}

absl::Status GroupCommitter::RunBody(Pending& pending, Connection& db) {
  std::optional<ScopedTrace> scoped;
  if (pending.trace != nullptr) scoped.emplace(*pending.trace);
  db.SetDeadline(pending.deadline);
  absl::Status status = pending.body(db);
  db.SetDeadline(absl::InfiniteFuture());
  return status;
}

bool GroupCommitter::RunAfterSavepoint(Connection& db, Pending& pending) {
  if (absl::Now() >= pending.deadline) {
    pending.status = DeadlinePassed();
    pending.outcome = Outcome::kDone;
    return true;
  }
  if (!db.Execute(kSavepointStatement).ok()) return false;
  absl::Status status = RunBody(pending, db);
  if (status.ok()) {
    if (!db.Execute(kReleaseStatement).ok()) return false;
    pending.outcome = Outcome::kKept;
    return true;
  }
  const bool whole = db.RollbackToSavepoint(kSavepoint).ok() &&
                     db.Execute(kReleaseStatement).ok();
  // ABORTED (a deadlock with another writer's group, a busy lock) may well
  // pass in a transaction of its own, as may a failure that took the
  // group's transaction down with it (SQLite rolls back an interrupted
  // write): both run again alone.
  if (whole && !absl::IsAborted(status)) {
    pending.status = std::move(status);
    pending.outcome = Outcome::kDone;
  }
  return whole;
}

bool GroupCommitter::RunTogether(Connection& db,
                                 const std::vector<Pending*>& group) {
  if (!db.Begin().ok()) return false;
  for (Pending* pending : group) {
    if (!RunAfterSavepoint(db, *pending)) return false;
  }
  return true;
}

bool GroupCommitter::Commit(Connection& db,
                            const std::vector<Pending*>& group) {
  const absl::Status commit = db.Commit();
  // UNAVAILABLE: the connection was lost, perhaps after the commit took;
  // running the kept bodies again could write them twice.
  if (!commit.ok() && !absl::IsUnavailable(commit)) return false;
  for (Pending* pending : group) {
    if (pending->outcome != Outcome::kKept) continue;
    pending->status = commit;
    pending->outcome = Outcome::kDone;
  }
  return true;
}

void GroupCommitter::CommitGroup(Connection& db,
                                 const std::vector<Pending*>& group) {
  const bool committed = RunTogether(db, group) && Commit(db, group);
  if (!committed) db.Rollback().IgnoreError();
  int64_t kept = 0;
  int64_t alone = 0;
  for (Pending* pending : group) {
    if (pending->outcome == Outcome::kDone) {
      if (pending->status.ok()) ++kept;
      continue;
    }
    // Not run, ABORTED, or kept by a group that did not commit.
    ++alone;
    pending->status = absl::Now() >= pending->deadline
                          ? DeadlinePassed()
                          : db.RunTransaction([&](Connection& tx) {
                              return RunBody(*pending, tx);
                            });
  }
  metrics::GroupCommitMetrics& exported = metrics::GroupCommit();
  if (kept > 0) exported.group_size.Observe(static_cast<double>(kept));
  if (alone > 0) exported.alone.Increment(static_cast<double>(alone));
  absl::MutexLock lock(&mu_);
  if (kept > 0) {
    ++stats_.groups;
    stats_.transactions += kept;
  }
  stats_.alone += alone;
}

namespace {

class GroupCommitConnection final : public Connection {
 public:
  GroupCommitConnection(std::unique_ptr<Connection> inner,
                        std::shared_ptr<GroupCommitter> committer)
      : inner_(std::move(inner)), committer_(std::move(committer)) {}

  absl::StatusOr<Result> Execute(absl::string_view sql,
                                 absl::Span<const Value> params) override {
    return inner_->Execute(sql, params);
  }
  absl::Status ExecuteScript(absl::string_view sql) override {
    return inner_->ExecuteScript(sql);
  }
  absl::Status Begin() override { return inner_->Begin(); }
  absl::Status Commit() override { return inner_->Commit(); }
  absl::Status Rollback() override { return inner_->Rollback(); }
  absl::Status RollbackToSavepoint(absl::string_view name) override {
    return inner_->RollbackToSavepoint(name);
  }
  absl::Status RunTransaction(
      absl::FunctionRef<absl::Status(Connection&)> body) override {
    return committer_->Run(deadline_, body);
  }
  void SetDeadline(absl::Time deadline) override {
    deadline_ = deadline;
    inner_->SetDeadline(deadline);
  }
  absl::Status Ping() override { return inner_->Ping(); }
  Backend backend() const override { return inner_->backend(); }

 private:
  std::unique_ptr<Connection> inner_;
  std::shared_ptr<GroupCommitter> committer_;
  absl::Time deadline_ = absl::InfiniteFuture();
};

}  // namespace

std::unique_ptr<Connection> WithGroupCommit(
    std::unique_ptr<Connection> inner,
    std::shared_ptr<GroupCommitter> committer) {
  return std::make_unique<GroupCommitConnection>(std::move(inner),
                                                 std::move(committer));
}

}  // namespace prongsai::storage
