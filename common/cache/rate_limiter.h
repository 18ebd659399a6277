// A per-client token bucket: `burst` tokens, refilled at `tokens_per_second`.
// The bucket lives in Redis (one atomic Lua script per call), so every
// replica of a service shares it; when Redis is absent or down the process
// falls back to a local bucket, so limits still hold, per replica.
//
//   RateLimiter limiter({.tokens_per_second = 0.2, .burst = 5, ...});
//   if (!limiter.Allow(worker.Redis(), client_address, now)) {
//     return absl::ResourceExhaustedError("slow down");
//   }
#ifndef PRONGSAI_COMMON_CACHE_RATE_LIMITER_H_
#define PRONGSAI_COMMON_CACHE_RATE_LIMITER_H_

#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/cache/redis.h"

namespace prongsai::cache {

class RateLimiter {
 public:
  struct Options {
    double tokens_per_second = 0.2;
    int burst = 5;
    // Local buckets kept at most; idle ones are dropped first.
    size_t max_local_buckets = 100000;
    std::string key_prefix = "prongsai:ratelimit:";
  };

  explicit RateLimiter(Options options);

  // Takes one token for `client`; false when its bucket is empty. Thread-safe.
  // `now` comes from the caller so tests can move time.
  bool Allow(RedisClient* redis, absl::string_view client, absl::Time now);

  // Local buckets currently held (for tests and metrics).
  size_t local_buckets() const;

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };

  bool AllowLocally(absl::string_view client, absl::Time now);

  const Options options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> local_ ABSL_GUARDED_BY(mu_);
};

}  // namespace prongsai::cache

#endif  // PRONGSAI_COMMON_CACHE_RATE_LIMITER_H_
