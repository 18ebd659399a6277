#include "common/cache/single_flight.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::cache {
namespace {

TEST(SingleFlightTest, ConcurrentCallersOfOneKeyShareOneComputation) {
  SingleFlight flight;
  absl::Notification release;
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::vector<absl::StatusOr<std::string>> results(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      results[i] = flight.Do("key", absl::Now() + absl::Seconds(30),
                             [&]() -> absl::StatusOr<std::string> {
                               ++started;
                               // Hold the computation until every caller
                               // has had the chance to join it.
                               release.WaitForNotification();
                               return std::string("value");
                             });
    });
  }
  // The leader is inside compute(); give the others time to queue behind.
  while (started.load() == 0) absl::SleepFor(absl::Milliseconds(1));
  absl::SleepFor(absl::Milliseconds(100));
  release.Notify();
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(started.load(), 1);
  EXPECT_EQ(flight.computations(), 1);
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(*result, "value");
  }
}

TEST(SingleFlightTest, DifferentKeysAndLaterCallsComputeAgain) {
  SingleFlight flight;
  int computed = 0;
  auto compute = [&]() -> absl::StatusOr<std::string> {
    return std::to_string(++computed);
  };
  EXPECT_EQ(*flight.Do("a", absl::InfiniteFuture(), compute), "1");
  EXPECT_EQ(*flight.Do("b", absl::InfiniteFuture(), compute), "2");
  // Nothing is kept once a call ends: the same key computes again.
  EXPECT_EQ(*flight.Do("a", absl::InfiniteFuture(), compute), "3");
  EXPECT_EQ(flight.computations(), 3);
}

TEST(SingleFlightTest, ErrorsReachTheWaitersAndAWaiterHasADeadline) {
  SingleFlight flight;
  absl::Notification inside, release;
  absl::StatusOr<std::string> leader;
  std::thread thread([&] {
    leader = flight.Do("k", absl::InfiniteFuture(),
                       [&]() -> absl::StatusOr<std::string> {
                         inside.Notify();
                         release.WaitForNotification();
                         return absl::UnavailableError("database down");
                       });
  });
  inside.WaitForNotification();
  absl::StatusOr<std::string> impatient =
      flight.Do("k", absl::Now() + absl::Milliseconds(20),
                []() -> absl::StatusOr<std::string> { return "never"; });
  EXPECT_EQ(impatient.status().code(), absl::StatusCode::kDeadlineExceeded);
  release.Notify();
  thread.join();
  EXPECT_EQ(leader.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(flight.computations(), 1);
}

TEST(SingleFlightTest, ALeadersOwnDeadlineIsNotPassedOnToWaiters) {
  SingleFlight flight;
  absl::Notification inside, release;
  std::thread leader([&] {
    (void)flight.Do("k", absl::InfiniteFuture(),
                    [&]() -> absl::StatusOr<std::string> {
                      inside.Notify();
                      release.WaitForNotification();
                      return absl::DeadlineExceededError("leader's deadline");
                    });
  });
  inside.WaitForNotification();
  absl::StatusOr<std::string> waiter;
  std::thread waiting([&] {
    waiter = flight.Do("k", absl::Now() + absl::Seconds(30),
                       []() -> absl::StatusOr<std::string> {
                         return std::string("computed by the waiter");
                       });
  });
  absl::SleepFor(absl::Milliseconds(50));
  release.Notify();
  leader.join();
  waiting.join();
  ASSERT_TRUE(waiter.ok()) << waiter.status();
  EXPECT_EQ(*waiter, "computed by the waiter");
}

}  // namespace
}  // namespace prongsai::cache
