#include <memory>

#include "absl/time/time.h"
#include "common/cache/redis.h"
#include "gtest/gtest.h"

namespace prongsai::cache {
namespace {

using State = CircuitBreaker::State;

class CircuitBreakerTest : public ::testing::Test {
 protected:
  CircuitBreakerTest()
      : breaker_({.failure_threshold = 3, .open_duration = absl::Seconds(2)},
                 [this] { return now_; }) {}

  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
  CircuitBreaker breaker_;
};

TEST_F(CircuitBreakerTest, StaysClosedBelowTheThreshold) {
  breaker_.RecordFailure();
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.state(), State::kClosed);
  EXPECT_TRUE(breaker_.AllowRequest());
}

TEST_F(CircuitBreakerTest, ASuccessResetsTheFailureCount) {
  breaker_.RecordFailure();
  breaker_.RecordFailure();
  breaker_.RecordSuccess();
  breaker_.RecordFailure();
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.state(), State::kClosed);
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.state(), State::kOpen);
}

TEST_F(CircuitBreakerTest, OpensAtTheThresholdAndRefusesUntilOpenDuration) {
  for (int i = 0; i < 3; ++i) breaker_.RecordFailure();
  EXPECT_EQ(breaker_.state(), State::kOpen);
  EXPECT_FALSE(breaker_.AllowRequest());
  now_ += absl::Milliseconds(1999);
  EXPECT_FALSE(breaker_.AllowRequest());
  EXPECT_EQ(breaker_.state(), State::kOpen);
}

TEST_F(CircuitBreakerTest, HalfOpenLetsOneProbeThroughAndItsSuccessCloses) {
  for (int i = 0; i < 3; ++i) breaker_.RecordFailure();
  now_ += absl::Seconds(2);
  EXPECT_TRUE(breaker_.AllowRequest());
  EXPECT_EQ(breaker_.state(), State::kHalfOpen);
  EXPECT_FALSE(breaker_.AllowRequest());  // Only one probe at a time.
  EXPECT_FALSE(breaker_.AllowRequest());
  breaker_.RecordSuccess();
  EXPECT_EQ(breaker_.state(), State::kClosed);
  EXPECT_TRUE(breaker_.AllowRequest());
  EXPECT_TRUE(breaker_.AllowRequest());
}

TEST_F(CircuitBreakerTest, AFailedProbeOpensForAnotherFullDuration) {
  for (int i = 0; i < 3; ++i) breaker_.RecordFailure();
  now_ += absl::Seconds(2);
  ASSERT_TRUE(breaker_.AllowRequest());
  now_ += absl::Milliseconds(500);
  breaker_.RecordFailure();
  EXPECT_EQ(breaker_.state(), State::kOpen);
  now_ += absl::Milliseconds(1999);
  EXPECT_FALSE(breaker_.AllowRequest());
  now_ += absl::Milliseconds(1);
  EXPECT_TRUE(breaker_.AllowRequest());
  EXPECT_EQ(breaker_.state(), State::kHalfOpen);
}

TEST_F(CircuitBreakerTest, ALostProbeIsReplacedAfterOpenDuration) {
  for (int i = 0; i < 3; ++i) breaker_.RecordFailure();
  now_ += absl::Seconds(2);
  ASSERT_TRUE(breaker_.AllowRequest());  // This probe never reports back.
  now_ += absl::Seconds(1);
  EXPECT_FALSE(breaker_.AllowRequest());
  now_ += absl::Seconds(1);
  EXPECT_TRUE(breaker_.AllowRequest());
  EXPECT_EQ(breaker_.state(), State::kHalfOpen);
}

TEST_F(CircuitBreakerTest, LateFailuresWhileOpenDoNotExtendIt) {
  for (int i = 0; i < 3; ++i) breaker_.RecordFailure();
  now_ += absl::Seconds(1);
  breaker_.RecordFailure();  // A request let through before it opened.
  now_ += absl::Seconds(1);
  EXPECT_TRUE(breaker_.AllowRequest());
}

}  // namespace
}  // namespace prongsai::cache
