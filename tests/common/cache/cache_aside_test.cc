#include "common/cache/cache_aside.h"

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/cache/redis.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/cache/private_redis.h"
#include "tests/support/test_env.h"

namespace prongsai::cache {
namespace {

using ::prongsai::cache::testing::PrivateRedis;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;

using State = CircuitBreaker::State;

MATCHER_P(IsOkAndHolds, expected, "") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return *arg == expected;
}

constexpr absl::Duration kTtl = absl::Minutes(5);

TEST(VersionedKeyTest, Format) {
  EXPECT_EQ(VersionedKey("plan", 2, "organizations/6340101/plans/2567"),
            "prongsai:plan:v2:organizations/6340101/plans/2567");
  EXPECT_NE(VersionedKey("plan", 2, "x"), VersionedKey("plan", 3, "x"));
  EXPECT_NE(VersionedKey("plan", 2, "x"), VersionedKey("ita", 2, "x"));
}

// A redis-server of its own, a breaker on a fake clock, and a "database": a
// map that load() reads, counting its calls.
class CacheAsideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(redis_.Start(), IsOk());
    RedisOptions options = redis_.ClientOptions();
    options.command_timeout = absl::Milliseconds(300);
    options.reconnect_backoff_initial = absl::Milliseconds(1);
    options.reconnect_backoff_max = absl::Milliseconds(5);
    client_ = std::make_unique<RedisClient>(options, breaker_);
    // Sees the raw entries; no breaker, so it never disturbs the client's.
    inspector_ = std::make_unique<RedisClient>(options, nullptr);
  }

  absl::StatusOr<std::string> Read(const std::string& key) {
    return GetOrLoad(client_.get(), key, kTtl,
                     [&]() -> absl::StatusOr<std::string> {
                       ++loads_;
                       auto row = database_.find(key);
                       if (row == database_.end()) {
                         return absl::NotFoundError("no such plan");
                       }
                       return row->second;
                     });
  }

  // The raw entry at `key`, as the inspector sees it ("" when none).
  std::string RawEntry(const std::string& key) {
    absl::StatusOr<std::optional<std::string>> raw = inspector_->Get(key);
    EXPECT_THAT(raw, IsOk());
    return raw.ok() ? raw->value_or("") : "";
  }

  PrivateRedis redis_;
  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
  std::shared_ptr<CircuitBreaker> breaker_ = std::make_shared<CircuitBreaker>(
      CircuitBreaker::Options{.failure_threshold = 3,
                              .open_duration = absl::Seconds(2)},
      [this] { return now_; });
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<RedisClient> inspector_;
  std::map<std::string, std::string> database_;
  int loads_ = 0;
};

TEST_F(CacheAsideTest, LoadsOnceThenServesFromTheCache) {
  const std::string key = VersionedKey("plan", 1, "plans/1");
  database_[key] = "แผน v1";
  EXPECT_THAT(Read(key), IsOkAndHolds(std::string("แผน v1")));
  EXPECT_THAT(Read(key), IsOkAndHolds(std::string("แผน v1")));
  EXPECT_EQ(loads_, 1);
  EXPECT_TRUE(absl::EndsWith(RawEntry(key), "แผน v1"));

  absl::StatusOr<Reply> pttl = inspector_->Command({"PTTL", key});
  ASSERT_THAT(pttl, IsOk());
  EXPECT_GT(pttl->integer, 0);  // Every entry expires.
}

TEST_F(CacheAsideTest, LoadErrorsAreReturnedAndNotCached) {
  const std::string key = VersionedKey("plan", 1, "plans/missing");
  EXPECT_THAT(Read(key), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Read(key), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(loads_, 2);
  EXPECT_EQ(RawEntry(key), "");
}

TEST_F(CacheAsideTest, InvalidateMakesTheNextReadLoad) {
  const std::string key = VersionedKey("plan", 1, "plans/1");
  database_[key] = "v1";
  ASSERT_THAT(Read(key), IsOk());
  database_[key] = "v2";
  Invalidate(client_.get(), key);
  EXPECT_THAT(Read(key), IsOkAndHolds(std::string("v2")));
  EXPECT_EQ(loads_, 2);
}

TEST_F(CacheAsideTest, WithoutRedisJustLoads) {
  int loads = 0;
  auto load = [&]() -> absl::StatusOr<std::string> {
    ++loads;
    return std::string("value");
  };
  EXPECT_THAT(GetOrLoad(nullptr, "k", kTtl, load),
              IsOkAndHolds(std::string("value")));
  EXPECT_THAT(GetOrLoad(nullptr, "k", kTtl, load),
              IsOkAndHolds(std::string("value")));
  EXPECT_EQ(loads, 2);
  Invalidate(nullptr, "k");  // A no-op, not a crash.
}

TEST_F(CacheAsideTest, KeepsAnsweringCorrectlyWhileRedisIsDownAndAfter) {
  const std::string key = VersionedKey("plan", 1, "plans/1");
  database_[key] = "v1";
  ASSERT_THAT(Read(key), IsOkAndHolds(std::string("v1")));
  ASSERT_EQ(loads_, 1);

  redis_.Kill();
  database_[key] = "v2";
  Invalidate(client_.get(), key);  // Fails: Redis is gone.
  for (int i = 0; i < 2000 && breaker_->state() != State::kOpen; ++i) {
    ASSERT_THAT(Read(key), IsOkAndHolds(std::string("v2")));
    absl::SleepFor(absl::Milliseconds(1));  // Let the back-off pass.
  }
  ASSERT_EQ(breaker_->state(), State::kOpen);

  // Breaker open: every read is answered by load(), without touching Redis.
  const int loads_before = loads_;
  for (int i = 0; i < 50; ++i) {
    ASSERT_THAT(Read(key), IsOkAndHolds(std::string("v2")));
  }
  EXPECT_EQ(loads_, loads_before + 50);
  EXPECT_FALSE(client_->connected());

  // Redis comes back (empty): the probe reconnects and caching resumes.
  ASSERT_THAT(redis_.Start(), IsOk());
  now_ += absl::Seconds(2);
  for (int i = 0; i < 200 && !client_->connected(); ++i) {
    ASSERT_THAT(Read(key), IsOkAndHolds(std::string("v2")));
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_TRUE(client_->connected());
  EXPECT_EQ(breaker_->state(), State::kClosed);
  ASSERT_THAT(Read(key), IsOkAndHolds(std::string("v2")));
  const int loads_after = loads_;
  EXPECT_THAT(Read(key), IsOkAndHolds(std::string("v2")));
  EXPECT_EQ(loads_, loads_after);
}

// The invalidation never reaches Redis (the breaker, opened by other
// workers' failures, refuses it) while Redis itself keeps the old entry.
TEST_F(CacheAsideTest, AnEntryFromBeforeAFailedInvalidationIsNotServed) {
  const std::string key = VersionedKey("plan", 1, "plans/1");
  database_[key] = "v1";
  ASSERT_THAT(Read(key), IsOkAndHolds(std::string("v1")));

  for (int i = 0; i < 3; ++i) breaker_->RecordFailure();
  ASSERT_EQ(breaker_->state(), State::kOpen);
  database_[key] = "v2";
  Invalidate(client_.get(), key);
  ASSERT_TRUE(absl::EndsWith(RawEntry(key), "v1")) << "the stale entry is gone";

  now_ += absl::Seconds(2);  // Redis is reachable again.
  EXPECT_THAT(Read(key), IsOkAndHolds(std::string("v2")));
  EXPECT_EQ(loads_, 2);
  EXPECT_EQ(breaker_->state(), State::kClosed);
  // The stale entry was overwritten, and the fresh one is served.
  EXPECT_TRUE(absl::EndsWith(RawEntry(key), "v2"));
  EXPECT_THAT(Read(key), IsOkAndHolds(std::string("v2")));
  EXPECT_EQ(loads_, 2);
}

// The invalidation times out against a stopped Redis. Once resumed, Redis
// executes the DEL it had buffered; the test puts the old entry back, as if
// the DEL had been lost (a partition), to check it is not served.
TEST_F(CacheAsideTest, AnEntryFromBeforeATimedOutInvalidationIsNotServed) {
  const std::string key = VersionedKey("plan", 1, "plans/1");
  database_[key] = "v1";
  ASSERT_THAT(Read(key), IsOkAndHolds(std::string("v1")));
  const std::string stale_entry = RawEntry(key);
  ASSERT_TRUE(absl::EndsWith(stale_entry, "v1"));

  redis_.Pause();
  database_[key] = "v2";
  Invalidate(client_.get(), key);  // Times out after command_timeout.
  EXPECT_FALSE(client_->connected());
  redis_.Resume();
  ASSERT_THAT(inspector_->Set(key, stale_entry, kTtl), IsOk());

  for (int i = 0; i < 200 && !absl::EndsWith(RawEntry(key), "v2"); ++i) {
    ASSERT_THAT(Read(key), IsOkAndHolds(std::string("v2")));
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_TRUE(absl::EndsWith(RawEntry(key), "v2"));
  const int loads_after = loads_;
  EXPECT_THAT(Read(key), IsOkAndHolds(std::string("v2")));
  EXPECT_EQ(loads_, loads_after);  // Served from the cache again.
}

TEST_F(CacheAsideTest, AnUnreadableEntryIsReloadedAndOverwritten) {
  const std::string key = VersionedKey("plan", 1, "plans/1");
  database_[key] = "v1";
  ASSERT_THAT(inspector_->Set(key, "written by someone else", kTtl), IsOk());
  EXPECT_THAT(Read(key), IsOkAndHolds(std::string("v1")));
  EXPECT_EQ(loads_, 1);
  EXPECT_THAT(Read(key), IsOkAndHolds(std::string("v1")));
  EXPECT_EQ(loads_, 1);
}

}  // namespace
}  // namespace prongsai::cache
