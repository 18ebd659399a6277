// A per-client token bucket: `burst` tokens, refilled at `tokens_per_second`.
// The bucket lives in Redis (one atomic Lua script per call), so every
// replica of a service shares it, and expires once it would be full again.
// When Redis is absent, down, timing out or its breaker is open, the process
// falls back to a local bucket, so a limit still holds, per replica (a client
// may then get up to one extra burst as the buckets switch).
//
//   RateLimiter limiter({.tokens_per_second = 0.2, .burst = 5});
//   if (!limiter.Allow(worker.Redis(), client_address, call.now)) {
//     return absl::ResourceExhaustedError("slow down");
//   }
//
// Clients are often IP addresses, which identify people: Redis keys hold a
// hash of the client keyed with `client_hash_key` (set it, the same on every
// replica, so the hash cannot be reversed by trying all addresses), never the
// client itself.
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
    // Both must be positive.
    double tokens_per_second = 0.2;
    int burst = 5;
    // Local buckets kept at most. When full, the refilled ones are dropped,
    // then the longest idle (a dropped client starts again with a full
    // bucket).
    size_t max_local_buckets = 100000;
    // Redis keys are key_prefix + hex hash of the client.
    std::string key_prefix = "prongsai:ratelimit:";
    // Key of the hash (up to 64 bytes; longer keys are hashed down). Empty:
    // unkeyed, which hides the client only from a casual look.
    std::string client_hash_key;
    // The limit's name in prongsai_rate_limit_refusals_total{limit}.
    std::string name = "unnamed";
  };

  explicit RateLimiter(Options options);

  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes one token for `client`; false when its bucket is empty.
  // Thread-safe. `redis` may be null (no Redis configured). `now` comes from
  // the caller (the Lua script does not read Redis TIME) so tests can move
  // time; replicas' clocks should agree to within a token's refill time.
  bool Allow(RedisClient* redis, absl::string_view client, absl::Time now);

  // Local buckets currently held (for tests and metrics).
  size_t local_buckets() const;

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };

  std::string RedisKey(absl::string_view client) const;
  // Allow's answer, before it is counted.
  bool Decide(RedisClient* redis, absl::string_view client, absl::Time now);
  bool AllowLocally(absl::string_view client, absl::Time now);
  // Makes room for a new local bucket.
  void EvictLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  // How long an untouched bucket takes to fill up from empty.
  const absl::Duration refill_time_;
  // The hash key, reduced to what BLAKE2b takes.
  std::string hash_key_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> local_ ABSL_GUARDED_BY(mu_);
};

}  // namespace prongsai::cache

#endif  // PRONGSAI_COMMON_CACHE_RATE_LIMITER_H_
