#include "common/cache/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"

namespace prongsai::cache {
namespace {

// KEYS[1] bucket; ARGV: rate per second, burst, now in milliseconds, TTL in
// seconds. The caller's clock, not Redis TIME, so tests can move time.
// Returns 1 when a token was taken.
constexpr absl::string_view kTokenBucketScript = R"lua(
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil then
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
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(updated))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return allowed
)lua";

}  // namespace

RateLimiter::RateLimiter(Options options) : options_(std::move(options)) {}

bool RateLimiter::Allow(RedisClient* redis, absl::string_view client,
                        absl::Time now) {
  if (redis != nullptr) {
    // An idle bucket is full again after burst / rate seconds: then it may go.
    const int64_t ttl_seconds = std::max<int64_t>(
        1, static_cast<int64_t>(
               std::ceil(options_.burst / options_.tokens_per_second)) +
               1);
    const std::string argv[] = {"EVAL",
                                std::string(kTokenBucketScript),
                                "1",
                                absl::StrCat(options_.key_prefix, client),
                                absl::StrCat(options_.tokens_per_second),
                                absl::StrCat(options_.burst),
                                absl::StrCat(absl::ToUnixMillis(now)),
                                absl::StrCat(ttl_seconds)};
    absl::StatusOr<Reply> reply = redis->Command(argv);
    if (reply.ok() && reply->type == Reply::Type::kInteger) {
      return reply->integer == 1;
    }
  }
  return AllowLocally(client, now);
}

bool RateLimiter::AllowLocally(absl::string_view client, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = local_.find(client);
  if (it == local_.end()) {
    if (local_.size() >= options_.max_local_buckets) {
      // Drop the buckets that have refilled: forgetting them changes nothing.
      const absl::Duration refill =
          absl::Seconds(options_.burst / options_.tokens_per_second);
      absl::erase_if(local_, [&](const auto& entry) {
        return now - entry.second.updated >= refill;
      });
      // Still full: forget everything rather than grow without bound.
      if (local_.size() >= options_.max_local_buckets) local_.clear();
    }
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

size_t RateLimiter::local_buckets() const {
  absl::MutexLock lock(&mu_);
  return local_.size();
}

}  // namespace prongsai::cache
