#include "common/cache/near_cache.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::cache {
namespace {

using ::testing::Pointee;

constexpr absl::Duration kTtl = absl::Minutes(5);

TEST(NearCacheTest, KeepsWhatWasPutUntilReplaced) {
  NearCache near({});
  EXPECT_EQ(near.Get("a@1"), nullptr);
  near.Put("a@1", "สถิติ ๑", kTtl);
  EXPECT_THAT(near.Get("a@1"), Pointee(std::string("สถิติ ๑")));
  near.Put("a@1", "second", kTtl);
  EXPECT_THAT(near.Get("a@1"), Pointee(std::string("second")));
  EXPECT_EQ(near.Get("a@2"), nullptr);
  const NearCache::Stats stats = near.stats();
  EXPECT_EQ(stats.hits, 2);
  EXPECT_EQ(stats.misses, 2);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.bytes, std::string("a@1second").size());
}

TEST(NearCacheTest, AnExpiredEntryIsNotServed) {
  NearCache near({});
  near.Put("overdue@1", "3", absl::ZeroDuration());
  EXPECT_EQ(near.Get("overdue@1"), nullptr);
  near.Put("overdue@1", "3", kTtl);
  EXPECT_THAT(near.Get("overdue@1"), Pointee(std::string("3")));
}

// One shard of 100 bytes: entries of 10 bytes, the least recently used go.
TEST(NearCacheTest, EvictsTheLeastRecentlyUsedBeyondItsBytes) {
  NearCache near({.max_bytes = 100, .shards = 1});
  for (int i = 0; i < 10; ++i) near.Put(absl::StrCat("k", i), "12345678", kTtl);
  EXPECT_EQ(near.stats().bytes, 100u);
  ASSERT_NE(near.Get("k0"), nullptr);  // now the most recently used
  near.Put("k10", "1234567", kTtl);    // 10 bytes more: k1 must go
  EXPECT_EQ(near.Get("k1"), nullptr);
  EXPECT_NE(near.Get("k0"), nullptr);
  EXPECT_NE(near.Get("k10"), nullptr);
  EXPECT_EQ(near.stats().evictions, 1);
  EXPECT_LE(near.stats().bytes, 100u);
  // A value bigger than the shard is not kept, and evicts nothing.
  near.Put("big", std::string(200, 'x'), kTtl);
  EXPECT_EQ(near.Get("big"), nullptr);
  EXPECT_EQ(near.stats().evictions, 1);
}

TEST(NearCacheTest, AHeldValueOutlivesItsEviction) {
  NearCache near({.max_bytes = 20, .shards = 1});
  near.Put("a", "first", kTtl);
  std::shared_ptr<const std::string> held = near.Get("a");
  near.Put("b", std::string(15, 'y'), kTtl);
  EXPECT_EQ(near.Get("a"), nullptr);
  EXPECT_THAT(held, Pointee(std::string("first")));
}

// Readers and writers on many threads never see a value stored under
// another key (ThreadSanitizer runs this too).
TEST(NearCacheTest, ConcurrentReadersSeeOnlyTheirKeysValues) {
  NearCache near({.max_bytes = 4096, .shards = 4});
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&near, &wrong, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = absl::StrCat("k", (t + i) % 50);
        if (i % 3 == 0) near.Put(key, absl::StrCat("v:", key), kTtl);
        std::shared_ptr<const std::string> value = near.Get(key);
        if (value != nullptr && *value != absl::StrCat("v:", key)) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(near.stats().bytes, 4096u);
}

}  // namespace
}  // namespace prongsai::cache
