// The per-client token bucket against a private Redis that the tests kill:
// burst then refusal, refill with (caller-supplied) time, independent
// clients, a bucket shared by two limiters (two replicas), hashed keys that
// expire, atomicity under threads, and the local fallback (bounded, evicting
// the longest idle) when Redis is gone.
#include "common/cache/rate_limiter.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/cache/private_redis.h"
#include "tests/support/test_env.h"

namespace prongsai::cache {
namespace {

using ::prongsai::cache::testing::PrivateRedis;
using ::prongsai::testing::IsOk;

RateLimiter::Options Limit(double per_second, int burst) {
  RateLimiter::Options options;
  options.tokens_per_second = per_second;
  options.burst = burst;
  options.key_prefix = "test:ratelimit:";
  options.client_hash_key = "a secret shared by the replicas";
  return options;
}

// How many of `attempts` calls at `now` are allowed.
int Allowed(RateLimiter& limiter, RedisClient* redis, absl::string_view client,
            absl::Time now, int attempts) {
  int allowed = 0;
  for (int i = 0; i < attempts; ++i) {
    if (limiter.Allow(redis, client, now)) ++allowed;
  }
  return allowed;
}

class RateLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(redis_.Start(), IsOk());
    client_ = NewClient();
  }

  // A client that reconnects at once, with a breaker on the fake clock, so
  // that tests can bring Redis back without sleeping.
  std::unique_ptr<RedisClient> NewClient() {
    RedisOptions options = redis_.ClientOptions();
    options.reconnect_backoff_initial = absl::ZeroDuration();
    options.reconnect_backoff_max = absl::ZeroDuration();
    return std::make_unique<RedisClient>(options, breaker_);
  }

  std::vector<std::string> Keys() {
    absl::StatusOr<Reply> keys =
        client_->Command(std::vector<std::string>{"KEYS", "*"});
    EXPECT_THAT(keys, IsOk());
    std::vector<std::string> names;
    if (keys.ok()) {
      for (const Reply& key : keys->elements) names.push_back(key.string);
    }
    return names;
  }

  PrivateRedis redis_;
  absl::Time clock_ = absl::FromUnixSeconds(1759311000);
  std::shared_ptr<CircuitBreaker> breaker_ = std::make_shared<CircuitBreaker>(
      CircuitBreaker::Options(), [this] { return clock_; });
  std::unique_ptr<RedisClient> client_;
  const absl::Time start_ = absl::FromUnixSeconds(1759311000);
};

TEST_F(RateLimiterTest, BurstThenRefusalThenRefill) {
  RateLimiter limiter(Limit(0.5, 3));
  EXPECT_EQ(Allowed(limiter, client_.get(), "10.0.0.1", start_, 5), 3);
  // Half a token after one second is not enough; a whole one after two is.
  EXPECT_EQ(
      Allowed(limiter, client_.get(), "10.0.0.1", start_ + absl::Seconds(1), 1),
      0);
  EXPECT_EQ(
      Allowed(limiter, client_.get(), "10.0.0.1", start_ + absl::Seconds(2), 3),
      1);
  // A clock running backwards adds nothing.
  EXPECT_EQ(
      Allowed(limiter, client_.get(), "10.0.0.1", start_ - absl::Hours(1), 3),
      0);
  // Never more than the burst, however long the wait.
  EXPECT_EQ(
      Allowed(limiter, client_.get(), "10.0.0.1", start_ + absl::Hours(1), 10),
      3);
  // The bucket lives in Redis, not in this process.
  EXPECT_EQ(limiter.local_buckets(), 0u);
}

TEST_F(RateLimiterTest, RedisHoldsAHashedKeyThatExpires) {
  RateLimiter limiter(Limit(0.5, 3));
  ASSERT_TRUE(limiter.Allow(client_.get(), "192.0.2.77", start_));
  const std::vector<std::string> keys = Keys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_TRUE(absl::StartsWith(keys[0], "test:ratelimit:")) << keys[0];
  EXPECT_FALSE(absl::StrContains(keys[0], "192.0.2.77")) << keys[0];
  // Full again after burst / rate = 6 seconds: the key goes soon after.
  absl::StatusOr<Reply> ttl =
      client_->Command(std::vector<std::string>{"TTL", keys[0]});
  ASSERT_THAT(ttl, IsOk());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 7);

  // Another hash key (another deployment) means another bucket.
  RateLimiter::Options other_options = Limit(0.5, 3);
  other_options.client_hash_key = "another secret";
  RateLimiter other(other_options);
  ASSERT_TRUE(other.Allow(client_.get(), "192.0.2.77", start_));
  EXPECT_EQ(Keys().size(), 2u);
}

TEST_F(RateLimiterTest, ClientsAreIndependentAndReplicasShareBuckets) {
  RateLimiter first(Limit(0.1, 2));
  RateLimiter second(Limit(0.1, 2));  // another replica, same Redis
  std::unique_ptr<RedisClient> second_client = NewClient();
  EXPECT_EQ(Allowed(first, client_.get(), "a", start_, 1), 1);
  EXPECT_EQ(Allowed(second, second_client.get(), "a", start_, 5), 1);
  EXPECT_EQ(Allowed(first, client_.get(), "a", start_, 5), 0);
  EXPECT_EQ(Allowed(first, client_.get(), "b", start_, 5), 2);
  EXPECT_EQ(Allowed(second, second_client.get(), "c", start_, 5), 2);
}

TEST_F(RateLimiterTest, ConcurrentCallsNeverExceedTheBurst) {
  RateLimiter limiter(Limit(0.001, 5));
  std::atomic<int> allowed_with_redis{0};
  std::atomic<int> allowed_locally{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::unique_ptr<RedisClient> client = NewClient();  // one per thread
      allowed_with_redis += Allowed(limiter, client.get(), "x", start_, 25);
      allowed_locally += Allowed(limiter, nullptr, "x", start_, 25);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(allowed_with_redis.load(), 5);
  EXPECT_EQ(allowed_locally.load(), 5);
}

TEST_F(RateLimiterTest, LocalFallbackLimitsWhileRedisIsDownThenRedisAgain) {
  RateLimiter limiter(Limit(0.5, 2));
  EXPECT_EQ(Allowed(limiter, client_.get(), "10.0.0.9", start_, 5), 2);
  EXPECT_EQ(limiter.local_buckets(), 0u);

  redis_.Kill();
  // The local bucket starts full (one extra burst), then refuses.
  EXPECT_EQ(Allowed(limiter, client_.get(), "10.0.0.9", start_, 5), 2);
  EXPECT_EQ(limiter.local_buckets(), 1u);
  EXPECT_EQ(breaker_->state(), CircuitBreaker::State::kOpen);
  EXPECT_EQ(
      Allowed(limiter, client_.get(), "10.0.0.9", start_ + absl::Seconds(2), 5),
      1);
  // Without any Redis configured it is the same local bucket.
  EXPECT_EQ(Allowed(limiter, nullptr, "10.0.0.9", start_ + absl::Seconds(2), 1),
            0);

  // Redis is back (and empty) once the breaker lets a probe through.
  ASSERT_THAT(redis_.Start(), IsOk());
  clock_ += absl::Minutes(1);
  EXPECT_EQ(Allowed(limiter, client_.get(), "10.0.0.10", start_, 5), 2);
  EXPECT_EQ(limiter.local_buckets(), 1u);  // the new client is in Redis
  EXPECT_EQ(Keys().size(), 1u);
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

TEST(RateLimiterLocalTest, EvictionForgetsTheLongestIdleFirst) {
  // Buckets take 1000 s to refill: none is ever dropped for being full.
  RateLimiter::Options options = Limit(0.001, 1);
  options.max_local_buckets = 8;
  RateLimiter limiter(options);
  const absl::Time start = absl::FromUnixSeconds(1759311000);
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(
        limiter.Allow(nullptr, absl::StrCat("c", i), start + absl::Seconds(i)));
  }
  // c0 is refused (and so recently seen); c1 is now the longest idle.
  EXPECT_FALSE(limiter.Allow(nullptr, "c0", start + absl::Seconds(10)));
  // A ninth client makes room by forgetting c1 (down to 7 of 8, then 8).
  EXPECT_TRUE(limiter.Allow(nullptr, "new", start + absl::Seconds(11)));
  EXPECT_EQ(limiter.local_buckets(), 8u);
  EXPECT_FALSE(limiter.Allow(nullptr, "c0", start + absl::Seconds(12)));
  EXPECT_FALSE(limiter.Allow(nullptr, "c7", start + absl::Seconds(12)));
  EXPECT_TRUE(limiter.Allow(nullptr, "c1", start + absl::Seconds(12)));
}

}  // namespace
}  // namespace prongsai::cache
