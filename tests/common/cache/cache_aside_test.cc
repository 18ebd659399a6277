#include "common/cache/cache_aside.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/cache/near_cache.h"
#include "common/cache/redis.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/common/v1/common.pb.h"
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

// GetOrLoadMessage: the same cache with a proto, as the services read their
// cached responses.
class CacheAsideMessageTest : public CacheAsideTest {
 protected:
  using Ref = common::v1::OrganizationRef;

  static Ref Organization(absl::string_view name) {
    Ref ref;
    ref.set_code("6340101");
    ref.set_name(std::string(name));
    ref.set_kind(common::v1::MUNICIPALITY);
    return ref;
  }

  absl::StatusOr<Ref> ReadMessage(RedisClient* client, const std::string& key,
                                  SingleFlight* flight = nullptr) {
    return GetOrLoadMessage<Ref>(
        client, key, kTtl,
        [&]() -> absl::StatusOr<Ref> {
          absl::MutexLock lock(&mu_);
          ++message_loads_;
          if (!message_database_.has_value()) {
            return absl::NotFoundError("no such organization");
          }
          return *message_database_;
        },
        flight);
  }

  int message_loads() {
    absl::MutexLock lock(&mu_);
    return message_loads_;
  }

  absl::Mutex mu_;
  std::optional<Ref> message_database_ ABSL_GUARDED_BY(mu_);
  int message_loads_ ABSL_GUARDED_BY(mu_) = 0;
};

MATCHER_P(HoldsMessage, expected, "") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return arg->SerializeAsString() == expected.SerializeAsString();
}

TEST_F(CacheAsideMessageTest, AMissLoadsThenTheCacheAnswers) {
  const std::string key = VersionedKey("plan", 1, "organizations/6340101");
  const Ref stored = Organization("เทศบาลตำบลทดสอบ");
  {
    absl::MutexLock lock(&mu_);
    message_database_ = stored;
  }
  EXPECT_THAT(ReadMessage(client_.get(), key), HoldsMessage(stored));
  EXPECT_EQ(message_loads(), 1);
  {
    absl::MutexLock lock(&mu_);
    message_database_ = Organization("changed without invalidation");
  }
  EXPECT_THAT(ReadMessage(client_.get(), key), HoldsMessage(stored));
  EXPECT_EQ(message_loads(), 1);
  // Stored serialized, after GetOrLoad's header.
  EXPECT_TRUE(absl::EndsWith(RawEntry(key), stored.SerializeAsString()));
}

TEST_F(CacheAsideMessageTest, WithRedisDownEveryReadLoads) {
  const std::string key = VersionedKey("plan", 1, "organizations/6340101");
  const Ref stored = Organization("เทศบาลตำบลทดสอบ");
  {
    absl::MutexLock lock(&mu_);
    message_database_ = stored;
  }
  redis_.Kill();
  for (int i = 1; i <= 3; ++i) {
    EXPECT_THAT(ReadMessage(client_.get(), key), HoldsMessage(stored));
    EXPECT_EQ(message_loads(), i);
  }
  // No Redis configured at all: the same.
  EXPECT_THAT(ReadMessage(nullptr, key), HoldsMessage(stored));
  EXPECT_EQ(message_loads(), 4);
}

TEST_F(CacheAsideMessageTest, CachedBytesThatAreNotTheMessageAreInternal) {
  const std::string key = VersionedKey("plan", 1, "organizations/6340101");
  // An entry in GetOrLoad's format whose bytes do not parse as the message
  // (a wire-type 7 tag, which protobuf rejects).
  ASSERT_THAT(GetOrLoad(client_.get(), key, kTtl,
                        []() -> absl::StatusOr<std::string> {
                          return std::string("\x0f\xff\xff");
                        }),
              IsOk());
  {
    absl::MutexLock lock(&mu_);
    message_database_ = Organization("ไม่ควรถูกอ่าน");
  }
  EXPECT_THAT(ReadMessage(client_.get(), key),
              StatusIs(absl::StatusCode::kInternal));
  // Never a wrong answer, and never silently the database's either.
  EXPECT_EQ(message_loads(), 0);
}

TEST_F(CacheAsideMessageTest, LoadErrorsAreReturnedAndNotCached) {
  const std::string key = VersionedKey("plan", 1, "organizations/missing");
  EXPECT_THAT(ReadMessage(client_.get(), key),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ReadMessage(client_.get(), key),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(message_loads(), 2);
  EXPECT_EQ(RawEntry(key), "");
}

// A versioned key through the near-cache: once this process holds it,
// neither Redis nor the database is asked again; with Redis gone the held
// answer stays; a new version (a write) is a new key and loads.
TEST_F(CacheAsideMessageTest, TheNearCacheAnswersAVersionedKeyWithoutRedis) {
  const Ref stored = Organization("เทศบาลตำบลทดสอบ");
  {
    absl::MutexLock lock(&mu_);
    message_database_ = stored;
  }
  NearCache near({});
  auto read = [&](absl::string_view version) {
    return GetOrLoadVersionedMessage<Ref>(
        &near, client_.get(),
        VersionedKey("plan", 1,
                     absl::StrCat("organizations/6340101@", version)),
        kTtl, [&]() -> absl::StatusOr<Ref> {
          absl::MutexLock lock(&mu_);
          ++message_loads_;
          return *message_database_;
        });
  };
  EXPECT_THAT(read("v1"), HoldsMessage(stored));
  EXPECT_EQ(message_loads(), 1);
  // In Redis as GetOrLoadMessage stores it, so other replicas share it.
  EXPECT_TRUE(absl::EndsWith(
      RawEntry(VersionedKey("plan", 1, "organizations/6340101@v1")),
      stored.SerializeAsString()));
  redis_.Kill();
  EXPECT_THAT(read("v1"), HoldsMessage(stored));
  EXPECT_EQ(message_loads(), 1);
  EXPECT_EQ(near.stats().hits, 1);

  const Ref changed = Organization("เทศบาลเมืองทดสอบ");
  {
    absl::MutexLock lock(&mu_);
    message_database_ = changed;
  }
  EXPECT_THAT(read("v2"), HoldsMessage(changed));
  EXPECT_EQ(message_loads(), 2);
  EXPECT_THAT(read("v2"), HoldsMessage(changed));
  EXPECT_EQ(message_loads(), 2);
}

TEST_F(CacheAsideMessageTest, SingleFlightCollapsesConcurrentMisses) {
  const std::string key = VersionedKey("ita", 1, "organizations/6340101");
  const Ref stored = Organization("เทศบาลตำบลทดสอบ");
  constexpr int kReaders = 8;
  // Every reader has its own client (one per worker thread, as in the
  // services) on the shared breaker; the load is slow enough that all of
  // them miss the cache before it ends.
  std::vector<std::unique_ptr<RedisClient>> clients;
  for (int i = 0; i < kReaders; ++i) {
    clients.push_back(
        std::make_unique<RedisClient>(redis_.ClientOptions(), breaker_));
  }
  SingleFlight flight;
  absl::Mutex results_mu;
  std::vector<absl::StatusOr<Ref>> results;
  std::vector<std::thread> readers;
  for (int i = 0; i < kReaders; ++i) {
    readers.emplace_back([&, i] {
      absl::StatusOr<Ref> read = GetOrLoadMessage<Ref>(
          clients[i].get(), key, kTtl,
          [&]() -> absl::StatusOr<Ref> {
            {
              absl::MutexLock lock(&mu_);
              ++message_loads_;
            }
            absl::SleepFor(absl::Milliseconds(300));
            return stored;
          },
          &flight, absl::Now() + absl::Seconds(20));
      absl::MutexLock lock(&results_mu);
      results.push_back(std::move(read));
    });
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(message_loads(), 1);
  EXPECT_EQ(flight.computations(), 1);
  ASSERT_EQ(results.size(), static_cast<size_t>(kReaders));
  for (const absl::StatusOr<Ref>& read : results) {
    EXPECT_THAT(read, HoldsMessage(stored));
  }
}

}  // namespace
}  // namespace prongsai::cache
