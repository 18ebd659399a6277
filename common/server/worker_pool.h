// A bounded pool of worker threads for blocking I/O. gRPC runs callback
// handlers on a couple of threads; a handler that blocks on SQLite, libpq or
// hiredis there would serialise the server. Handlers instead Submit() their
// work here. Each worker owns one database connection and one Redis client,
// created lazily and never shared between threads.
//
//   WorkerPool pool({.workers = 16, .db_url = "sqlite://var/plan.db"});
//   if (!pool.Submit([](Worker& worker) { ... worker.Db() ... })) {
//     // Queue full: answer RESOURCE_EXHAUSTED.
//   }
#ifndef PRONGSAI_COMMON_SERVER_WORKER_POOL_H_
#define PRONGSAI_COMMON_SERVER_WORKER_POOL_H_

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/cache/near_cache.h"
#include "common/cache/redis.h"
#include "common/storage/group_commit.h"
#include "common/storage/storage.h"

namespace prongsai::server {

struct WorkerPoolOptions {
  int workers = 16;
  // Tasks waiting for a worker beyond this are refused.
  int max_queue = 4096;
  std::string db_url;
  std::optional<cache::RedisOptions> redis;
  // When set, the workers' transactions commit together through it.
  std::shared_ptr<storage::GroupCommitter> committer;
  // Shared by the workers: cached answers whose keys name their data's
  // version (cache::GetOrLoadVersionedMessage). nullptr: none.
  std::shared_ptr<cache::NearCache> near_cache;
};

// The resources of one worker thread. Only that thread touches them.
// Worker number `index` of a pool writes its database connection's stripe
// `index` (storage::Connection::write_stripe).
class Worker {
 public:
  Worker(const WorkerPoolOptions& options,
         std::shared_ptr<cache::CircuitBreaker> breaker, int index);

  // This worker's database connection, connected on first use. UNAVAILABLE
  // while the database cannot be reached; a later call tries again.
  absl::StatusOr<storage::Connection*> Db();

  // This worker's Redis client, or nullptr when no cache is configured.
  cache::RedisClient* Redis() { return redis_.get(); }

  // The pool's near-cache, or nullptr.
  cache::NearCache* NearCache() { return options_.near_cache.get(); }

  // Carries an RPC deadline into every database and Redis call that follows.
  void SetDeadline(absl::Time deadline);

 private:
  const WorkerPoolOptions& options_;
  int write_stripe_;
  std::unique_ptr<storage::Connection> db_;
  std::unique_ptr<cache::RedisClient> redis_;
  absl::Time deadline_ = absl::InfiniteFuture();
};

class WorkerPool {
 public:
  using Options = WorkerPoolOptions;
  using Task = absl::AnyInvocable<void(Worker&) &&>;

  explicit WorkerPool(Options options);
  // Runs the tasks already queued, then joins the threads.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false when the queue is full or the pool is shutting
  // down, in which case `task` is not run.
  bool Submit(Task task);

  // Stops accepting tasks, runs those already queued and joins the threads.
  void Shutdown();

  // Number of tasks waiting for a worker.
  int queued() const;

 private:
  void Run(Worker& worker);

  const Options options_;
  std::shared_ptr<cache::CircuitBreaker> breaker_;
  mutable absl::Mutex mu_;
  // A task and when it was queued (for the wait-time metric).
  struct Queued {
    Task task;
    absl::Time queued_at;
  };
  std::deque<Queued> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace prongsai::server

#endif  // PRONGSAI_COMMON_SERVER_WORKER_POOL_H_
