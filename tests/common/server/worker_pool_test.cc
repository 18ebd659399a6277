#include "common/server/worker_pool.h"

#include <atomic>
#include <set>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace prongsai::server {
namespace {

WorkerPool::Options PoolOptions(int workers, int max_queue) {
  WorkerPool::Options options;
  options.workers = workers;
  options.max_queue = max_queue;
  options.db_url = "sqlite::memory-is-not-used-here";
  return options;
}

TEST(WorkerPoolTest, RunsTasksOnAtMostItsWorkers) {
  WorkerPool pool(PoolOptions(3, 1000));
  absl::Mutex mu;
  std::set<std::thread::id> threads;
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};
  std::atomic<int> done{0};
  for (int i = 0; i < 60; ++i) {
    ASSERT_TRUE(pool.Submit([&](Worker&) {
      int now = ++running;
      int seen = max_running.load();
      while (now > seen && !max_running.compare_exchange_weak(seen, now)) {
      }
      absl::SleepFor(absl::Milliseconds(1));
      {
        absl::MutexLock lock(&mu);
        threads.insert(std::this_thread::get_id());
      }
      --running;
      ++done;
    }));
  }
  pool.Shutdown();
  EXPECT_EQ(done.load(), 60);
  EXPECT_LE(max_running.load(), 3);
  EXPECT_LE(threads.size(), 3u);
}

TEST(WorkerPoolTest, RefusesWhenTheQueueIsFull) {
  WorkerPool pool(PoolOptions(1, 2));
  absl::Notification release;
  absl::Notification started;
  ASSERT_TRUE(pool.Submit([&](Worker&) {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  std::atomic<int> ran{0};
  EXPECT_TRUE(pool.Submit([&](Worker&) { ++ran; }));
  EXPECT_TRUE(pool.Submit([&](Worker&) { ++ran; }));
  EXPECT_FALSE(pool.Submit([&](Worker&) { ++ran; }));  // Third waiting task.
  EXPECT_EQ(pool.queued(), 2);
  release.Notify();
  pool.Shutdown();
  EXPECT_EQ(ran.load(), 2);
}

TEST(WorkerPoolTest, ShutdownRunsQueuedTasksThenRefusesNewOnes) {
  WorkerPool pool(PoolOptions(1, 100));
  std::atomic<int> ran{0};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(pool.Submit([&](Worker&) { ++ran; }));
  }
  pool.Shutdown();
  EXPECT_EQ(ran.load(), 20);
  EXPECT_FALSE(pool.Submit([&](Worker&) { ++ran; }));
}

TEST(WorkerPoolTest, UnreachableDatabaseIsUnavailableNotFatal) {
  WorkerPool::Options options = PoolOptions(1, 10);
  options.db_url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1";
  WorkerPool pool(options);
  absl::Notification done;
  absl::Status seen;
  ASSERT_TRUE(pool.Submit([&](Worker& worker) {
    seen = worker.Db().status();
    done.Notify();
  }));
  done.WaitForNotification();
  EXPECT_EQ(seen.code(), absl::StatusCode::kUnavailable) << seen;
}

}  // namespace
}  // namespace prongsai::server
