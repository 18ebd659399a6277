// Cache-aside on top of RedisClient: read through the cache, fall back to the
// source of truth (the database) on a miss or on any cache trouble, and
// invalidate after writes. Redis being down, slow or its breaker open never
// changes an answer; it only costs a load().
//
//   const std::string key = VersionedKey("plan", 2, plan_name);
//   PRONGSAI_ASSIGN_OR_RETURN(
//       std::string bytes,
//       GetOrLoad(worker.Redis(), key, absl::Minutes(5),
//                 [&]() -> absl::StatusOr<std::string> {
//                   return store.LoadSerializedPlan(plan_name);
//                 }));
//   ...
//   PRONGSAI_RETURN_IF_ERROR(store.UpdatePlan(plan));  // commit first,
//   Invalidate(worker.Redis(), key);                   // then invalidate.
//
// Staleness. An entry can outlive a write in two ways:
//  - A failed invalidation (Redis down, timed out, breaker open) leaves the
//    old entry behind, to be served again once Redis is back. This process
//    remembers when its last invalidation failed, and every entry carries the
//    time its load() started (entries are GetOrLoad's own format; use the
//    same key only through GetOrLoad). An entry this process loaded before
//    that failure is not served: it is reloaded and overwritten. Serving an
//    entry is therefore safe for writes made by this process.
//  - Limits: another replica, or an earlier run of this process, does not
//    know about this process's failed invalidations (and the reverse); and a
//    load() racing a successful invalidation can still store the old value
//    (the classic cache-aside race). In both cases the stale entry lives at
//    most its `ttl`, which is why every entry has one: choose `ttl` as the
//    longest staleness a reader may see after a write by another replica.
#ifndef PRONGSAI_COMMON_CACHE_CACHE_ASIDE_H_
#define PRONGSAI_COMMON_CACHE_CACHE_ASIDE_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/cache/near_cache.h"
#include "common/cache/redis.h"
#include "common/cache/single_flight.h"

namespace prongsai::cache {

// "prongsai:{service}:v{schema_version}:{resource_name}". Bump
// `schema_version` when the cached format changes: old entries are then
// never read again and expire on their own.
std::string VersionedKey(absl::string_view service, int schema_version,
                         absl::string_view resource_name);

// The cached value for `key`, or else load()'s value, which is then stored
// for `ttl` (best effort). Any cache error falls back to load() silently,
// apart from a rate-limited warning naming the key (keys hold resource names,
// never personal data). load()'s errors are returned and not cached.
// `client` may be nullptr (no Redis configured): then this is just load().
absl::StatusOr<std::string> GetOrLoad(
    RedisClient* client, absl::string_view key, absl::Duration ttl,
    absl::FunctionRef<absl::StatusOr<std::string>()> load);

// A protobuf message through GetOrLoad, stored serialized. With `flight`,
// concurrent misses of `key` in this process run load() once, the others
// waiting for it until `deadline` (see single_flight.h). A cached value that
// does not parse as `M` is an INTERNAL error, never a wrong answer.
//
//   PRONGSAI_ASSIGN_OR_RETURN(v1::Trend trend, GetOrLoadMessage<v1::Trend>(
//       worker.Redis(), key, ttl, [&] { return ComputeTrend(...); }));
template <typename M>
absl::StatusOr<M> GetOrLoadMessage(
    RedisClient* client, absl::string_view key, absl::Duration ttl,
    absl::FunctionRef<absl::StatusOr<M>()> load, SingleFlight* flight = nullptr,
    absl::Time deadline = absl::InfiniteFuture());

// GetOrLoadMessage for a `key` that names the version of the data its value
// was computed from, so that it is never stale (see near_cache.h): served
// from `near` when this process holds it, otherwise as GetOrLoadMessage,
// and then kept in `near` for `ttl` too. `near` may be nullptr.
template <typename M>
absl::StatusOr<M> GetOrLoadVersionedMessage(
    NearCache* near, RedisClient* client, absl::string_view key,
    absl::Duration ttl, absl::FunctionRef<absl::StatusOr<M>()> load,
    SingleFlight* flight = nullptr,
    absl::Time deadline = absl::InfiniteFuture());

// Deletes `key` after a write, best effort: when that fails, GetOrLoad in
// this process stops serving the entries it loaded before (see above).
// Call it after the write has committed. `client` may be nullptr.
void Invalidate(RedisClient* client, absl::string_view key);

namespace internal {
// GetOrLoad whose load() goes through `flight` when there is one.
absl::StatusOr<std::string> GetOrLoadShared(
    RedisClient* client, absl::string_view key, absl::Duration ttl,
    absl::FunctionRef<absl::StatusOr<std::string>()> load, SingleFlight* flight,
    absl::Time deadline);
}  // namespace internal

namespace internal {
// Counts an answer from the near-cache (metrics::Cache(), "near_hit").
void CountNearHit(absl::string_view key);

template <typename M>
absl::StatusOr<M> ParseCached(absl::string_view bytes) {
  M message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InternalError("corrupt cached value");
  }
  return message;
}
}  // namespace internal

template <typename M>
absl::StatusOr<M> GetOrLoadVersionedMessage(
    NearCache* near, RedisClient* client, absl::string_view key,
    absl::Duration ttl, absl::FunctionRef<absl::StatusOr<M>()> load,
    SingleFlight* flight, absl::Time deadline) {
  if (near != nullptr) {
    if (std::shared_ptr<const std::string> held = near->Get(key)) {
      internal::CountNearHit(key);
      return internal::ParseCached<M>(*held);
    }
  }
  absl::StatusOr<std::string> bytes = internal::GetOrLoadShared(
      client, key, ttl,
      [&]() -> absl::StatusOr<std::string> {
        absl::StatusOr<M> message = load();
        if (!message.ok()) return message.status();
        return message->SerializeAsString();
      },
      flight, deadline);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<M> message = internal::ParseCached<M>(*bytes);
  if (near != nullptr && message.ok()) near->Put(key, *std::move(bytes), ttl);
  return message;
}

template <typename M>
absl::StatusOr<M> GetOrLoadMessage(RedisClient* client, absl::string_view key,
                                   absl::Duration ttl,
                                   absl::FunctionRef<absl::StatusOr<M>()> load,
                                   SingleFlight* flight, absl::Time deadline) {
  return GetOrLoadVersionedMessage<M>(nullptr, client, key, ttl, load, flight,
                                      deadline);
}

}  // namespace prongsai::cache

#endif  // PRONGSAI_COMMON_CACHE_CACHE_ASIDE_H_
