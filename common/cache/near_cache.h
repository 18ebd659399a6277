// An in-process cache in front of Redis for values whose key names the exact
// data they were computed from (a data version in the key, see
// common/api/data_version.h). Such an entry is never stale, so it needs no
// invalidation and is correct across replicas: a write on another replica
// changes the version the next read looks up, and the old entry is simply
// never asked for again. A hit costs no Redis round trip. Entries expire
// after the same time-to-live as their Redis copies, since a value may
// depend on the time too (what is overdue); as that counts from when this
// process got the value, one read from Redis near its expiry can be served
// here up to twice its time-to-live after it was computed. Least recently
// used entries go first once the bytes held pass the bound.
//
//   NearCache near({.max_bytes = 32 << 20});
//   if (auto bytes = near.Get(key)) return Parse(*bytes);
//   near.Put(key, LoadFromRedisOrDatabase(), absl::Minutes(5));
//
// Never use it for keys that an Invalidate() keeps fresh: nothing here
// would drop them.
#ifndef PRONGSAI_COMMON_CACHE_NEAR_CACHE_H_
#define PRONGSAI_COMMON_CACHE_NEAR_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace prongsai::cache {

class NearCache {
 public:
  struct Options {
    // Keys' and values' bytes held at most, over all shards.
    size_t max_bytes = size_t{32} << 20;
    // Independently locked parts, so that concurrent readers of different
    // keys rarely wait for each other.
    int shards = 16;
  };
  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
    int64_t evictions = 0;
    size_t bytes = 0;
    size_t entries = 0;
  };

  explicit NearCache(Options options);
  NearCache(const NearCache&) = delete;
  NearCache& operator=(const NearCache&) = delete;

  // The value stored under `key`, or nullptr (also once it expired). The
  // value stays valid for as long as the caller holds it, even if it is
  // evicted meanwhile.
  std::shared_ptr<const std::string> Get(absl::string_view key);

  // Stores `value` under `key` for `ttl` (replacing any), unless it alone
  // would take more than a shard's share of max_bytes.
  void Put(absl::string_view key, std::string value, absl::Duration ttl);

  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const std::string> value;
    absl::Time expiry;
  };
  struct Shard {
    mutable absl::Mutex mu;
    // Most recently used first.
    std::list<Entry> entries ABSL_GUARDED_BY(mu);
    absl::flat_hash_map<absl::string_view, std::list<Entry>::iterator> index
        ABSL_GUARDED_BY(mu);
    size_t bytes ABSL_GUARDED_BY(mu) = 0;
    int64_t hits ABSL_GUARDED_BY(mu) = 0;
    int64_t misses ABSL_GUARDED_BY(mu) = 0;
    int64_t evictions ABSL_GUARDED_BY(mu) = 0;
  };

  Shard& ShardOf(absl::string_view key);
  static size_t BytesOf(const Entry& entry);

  size_t shard_bytes_;
  std::vector<Shard> shards_;
};

}  // namespace prongsai::cache

#endif  // PRONGSAI_COMMON_CACHE_NEAR_CACHE_H_
