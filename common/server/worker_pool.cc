#include "common/server/worker_pool.h"

#include <utility>

#include "common/metrics/metrics.h"
#include "common/storage/instrumented.h"

namespace prongsai::server {

Worker::Worker(const WorkerPoolOptions& options,
               std::shared_ptr<cache::CircuitBreaker> breaker, int index)
    : options_(options), write_stripe_(index) {
  if (options_.redis.has_value()) {
    redis_ = std::make_unique<cache::RedisClient>(*options_.redis,
                                                  std::move(breaker));
  }
}

absl::StatusOr<storage::Connection*> Worker::Db() {
  if (db_ == nullptr) {
    absl::StatusOr<std::unique_ptr<storage::Connection>> connection =
        storage::Connect(options_.db_url);
    if (!connection.ok()) return connection.status();
    db_ = storage::Instrumented(*std::move(connection));
    db_->set_write_stripe(write_stripe_);
    if (options_.committer != nullptr) {
      db_ = storage::WithGroupCommit(std::move(db_), options_.committer);
    }
  }
  db_->SetDeadline(deadline_);
  return db_.get();
}

void Worker::SetDeadline(absl::Time deadline) {
  deadline_ = deadline;
  if (db_ != nullptr) db_->SetDeadline(deadline);
  if (redis_ != nullptr) redis_->SetDeadline(deadline);
}

WorkerPool::WorkerPool(Options options)
    : options_(std::move(options)),
      breaker_(std::make_shared<cache::CircuitBreaker>(
          cache::CircuitBreaker::Options())) {
  threads_.reserve(options_.workers);
  for (int i = 0; i < options_.workers; ++i) {
    threads_.emplace_back([this, i] {
      Worker worker(options_, breaker_, i);
      Run(worker);
    });
  }
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::Submit(Task task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || static_cast<int>(queue_.size()) >= options_.max_queue) {
    metrics::Pool().refused.Increment();
    return false;
  }
  queue_.push_back({std::move(task), absl::Now()});
  metrics::Pool().queued.Increment();
  return true;
}

void WorkerPool::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

int WorkerPool::queued() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

void WorkerPool::Run(Worker& worker) {
  while (true) {
    Queued next;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](WorkerPool* pool) ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool->mu_) {
            return pool->stopping_ || !pool->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // Stopping and drained.
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    metrics::PoolMetrics& pool = metrics::Pool();
    pool.queued.Decrement();
    pool.wait_seconds.Observe(
        absl::ToDoubleSeconds(absl::Now() - next.queued_at));
    pool.busy.Increment();
    std::move(next.task)(worker);
    pool.busy.Decrement();
    worker.SetDeadline(absl::InfiniteFuture());
  }
}

}  // namespace prongsai::server
