#include "common/cache/rate_limiter.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/metrics/metrics.h"

namespace prongsai::cache {
namespace {

// KEYS[1] the bucket; ARGV: tokens per second, burst, now in milliseconds
// (the caller's clock, not Redis TIME, so tests can move time), TTL in
// seconds. Returns 1 when a token was taken.
constexpr absl::string_view kTokenBucketScript = R"lua(
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = burst
  updated = now
end
if now > updated then
  tokens = math.min(burst, tokens + (now - updated) / 1000 * rate)
  updated = now
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated',
           tostring(updated))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return allowed
)lua";

constexpr size_t kClientHashBytes = 16;

}  // namespace

RateLimiter::RateLimiter(Options options)
    : options_(std::move(options)),
      refill_time_(absl::Seconds(options_.burst / options_.tokens_per_second)) {
  // Picks BLAKE2b's fastest code before threads share it; hashing is
  // correct either way.
  [[maybe_unused]] const int sodium = sodium_init();
  if (!options_.client_hash_key.empty()) {
    hash_key_.resize(crypto_generichash_KEYBYTES);
    crypto_generichash(
        reinterpret_cast<unsigned char*>(hash_key_.data()), hash_key_.size(),
        reinterpret_cast<const unsigned char*>(options_.client_hash_key.data()),
        options_.client_hash_key.size(), nullptr, 0);
  }
}

std::string RateLimiter::RedisKey(absl::string_view client) const {
  unsigned char hash[kClientHashBytes];
  crypto_generichash(
      hash, sizeof(hash), reinterpret_cast<const unsigned char*>(client.data()),
      client.size(),
      hash_key_.empty()
          ? nullptr
          : reinterpret_cast<const unsigned char*>(hash_key_.data()),
      hash_key_.size());
  char hex[2 * kClientHashBytes + 1];
  sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
  return absl::StrCat(options_.key_prefix, hex);
}

bool RateLimiter::Allow(RedisClient* redis, absl::string_view client,
                        absl::Time now) {
  const bool allowed = Decide(redis, client, now);
  if (!allowed) metrics::Events().RateLimitRefusal(options_.name);
  return allowed;
}

bool RateLimiter::Decide(RedisClient* redis, absl::string_view client,
                         absl::Time now) {
  if (redis != nullptr) {
    // An idle bucket is full again after refill_time_: then it may go.
    const int64_t ttl_seconds =
        static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(refill_time_))) +
        1;
    const std::string argv[] = {"EVAL",
                                std::string(kTokenBucketScript),
                                "1",
                                RedisKey(client),
                                absl::StrCat(options_.tokens_per_second),
                                absl::StrCat(options_.burst),
                                absl::StrCat(absl::ToUnixMillis(now)),
                                absl::StrCat(ttl_seconds)};
    absl::StatusOr<Reply> reply = redis->Command(argv);
    if (reply.ok() && reply->type == Reply::Type::kInteger) {
      return reply->integer == 1;
    }
    // Redis failed or answered oddly: the local bucket decides. Not logged
    // here: RedisClient's breaker already limits the cost of an outage.
  }
  return AllowLocally(client, now);
}

bool RateLimiter::AllowLocally(absl::string_view client, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = local_.find(client);
  if (it == local_.end()) {
    if (local_.size() >= options_.max_local_buckets) EvictLocked(now);
    it = local_
             .emplace(std::string(client),
                      Bucket{static_cast<double>(options_.burst), now})
             .first;
  }
  Bucket& bucket = it->second;
  if (now > bucket.updated) {
    bucket.tokens = std::min<double>(
        options_.burst,
        bucket.tokens + absl::ToDoubleSeconds(now - bucket.updated) *
                            options_.tokens_per_second);
    bucket.updated = now;
  }
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

void RateLimiter::EvictLocked(absl::Time now) {
  // Refilled buckets first: forgetting them changes nothing.
  absl::erase_if(local_, [&](const auto& entry) {
    return now - entry.second.updated >= refill_time_;
  });
  // Then the longest idle, down to 7/8 of the maximum, so that the next
  // eviction (a scan of the whole map) is at least max/8 new clients away.
  const size_t target = options_.max_local_buckets / 8 * 7;
  if (local_.size() <= target) return;
  std::vector<absl::Time> updated;
  updated.reserve(local_.size());
  for (const auto& [client, bucket] : local_) updated.push_back(bucket.updated);
  const size_t excess = local_.size() - target;
  std::nth_element(updated.begin(), updated.begin() + (excess - 1),
                   updated.end());
  const absl::Time cutoff = updated[excess - 1];
  absl::erase_if(local_, [&](const auto& entry) {
    return entry.second.updated <= cutoff;
  });
}

size_t RateLimiter::local_buckets() const {
  absl::MutexLock lock(&mu_);
  return local_.size();
}

}  // namespace prongsai::cache
