// The per-client token bucket against a private Redis that the tests kill:
// burst then refusal, refill with (caller-supplied) time, independent
// clients, a bucket shared by two limiters (two replicas), and the local
// fallback when Redis is gone.
#include "common/cache/rate_limiter.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/common/cache/private_redis.h"

namespace prongsai::cache {
namespace {

using ::prongsai::cache::testing::PrivateRedis;

RateLimiter::Options Limit(double per_second, int burst) {
  RateLimiter::Options options;
  options.tokens_per_second = per_second;
  options.burst = burst;
  options.key_prefix = "test:ratelimit:";
  return options;
}

class RateLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(redis_.Start().ok());
    client_ = std::make_unique<RedisClient>(
        redis_.ClientOptions(),
        std::make_shared<CircuitBreaker>(CircuitBreaker::Options()));
  }

  // How many of `attempts` calls at `now` are allowed.
  static int Allowed(RateLimiter& limiter, RedisClient* redis,
                     absl::string_view client, absl::Time now, int attempts) {
    int allowed = 0;
    for (int i = 0; i < attempts; ++i) {
      if (limiter.Allow(redis, client, now)) ++allowed;
    }
    return allowed;
  }

  PrivateRedis redis_;
  std::unique_ptr<RedisClient> client_;
  const absl::Time start_ = absl::FromUnixSeconds(1759311000);
};

TEST_F(RateLimiterTest, BurstThenRefusalThenRefill) {
  RateLimiter limiter(Limit(0.5, 3));
  EXPECT_EQ(Allowed(limiter, client_.get(), "10.0.0.1", start_, 5), 3);
  // Two seconds refill one token at 0.5 per second.
  EXPECT_EQ(
      Allowed(limiter, client_.get(), "10.0.0.1", start_ + absl::Seconds(2), 3),
      1);
  // Never more than the burst, however long the wait.
  EXPECT_EQ(
      Allowed(limiter, client_.get(), "10.0.0.1", start_ + absl::Hours(1), 10),
      3);
  // The bucket lives in Redis, not in this process.
  EXPECT_EQ(limiter.local_buckets(), 0u);
}

TEST_F(RateLimiterTest, ClientsAreIndependentAndReplicasShareBuckets) {
  RateLimiter first(Limit(0.1, 2));
  RateLimiter second(Limit(0.1, 2));  // another replica, same Redis
  EXPECT_EQ(Allowed(first, client_.get(), "a", start_, 1), 1);
  EXPECT_EQ(Allowed(second, client_.get(), "a", start_, 5), 1);
  EXPECT_EQ(Allowed(first, client_.get(), "b", start_, 5), 2);
}

TEST_F(RateLimiterTest, LocalFallbackStillLimitsWhenRedisDies) {
  RateLimiter limiter(Limit(0.5, 2));
  redis_.Kill();
  EXPECT_EQ(Allowed(limiter, client_.get(), "10.0.0.9", start_, 5), 2);
  EXPECT_EQ(limiter.local_buckets(), 1u);
  EXPECT_EQ(
      Allowed(limiter, client_.get(), "10.0.0.9", start_ + absl::Seconds(2), 5),
      1);
  // Without any Redis configured it is the same local bucket.
  EXPECT_EQ(Allowed(limiter, nullptr, "10.0.0.9", start_ + absl::Seconds(2), 1),
            0);
}

TEST(RateLimiterLocalTest, LocalBucketsAreBounded) {
  RateLimiter::Options options = Limit(1, 1);
  options.max_local_buckets = 100;
  RateLimiter limiter(options);
  const absl::Time now = absl::FromUnixSeconds(1759311000);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limiter.Allow(nullptr, absl::StrCat("client-", i), now));
    ASSERT_LE(limiter.local_buckets(), 100u);
  }
}

}  // namespace
}  // namespace prongsai::cache
