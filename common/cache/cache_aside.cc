#include "common/cache/cache_aside.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/metrics/metrics.h"

namespace prongsai::cache {
namespace {

// An entry is kFormat, the writing process's instance id, the monotonic time
// its load() started (both native-endian uint64/int64), then the value.
constexpr char kFormat = '\x01';
constexpr size_t kHeaderSize = 1 + sizeof(uint64_t) + sizeof(int64_t);
constexpr int64_t kWarningIntervalNanos = int64_t{10} * 1000 * 1000 * 1000;

// Tells this process's entries from other replicas': the load times of
// others come from other monotonic clocks and cannot be compared.
uint64_t InstanceId() {
  static const uint64_t kId = [] {
    std::random_device random;
    return (uint64_t{random()} << 32) ^ uint64_t { random() };
  }();
  return kId;
}

// Monotonic: a wall-clock step must not make an old entry look new.
int64_t MonotonicNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// When this process last failed to invalidate an entry.
std::atomic<int64_t> last_failed_invalidation{
    std::numeric_limits<int64_t>::min()};

std::atomic<int64_t> next_warning_at{std::numeric_limits<int64_t>::min()};
std::atomic<int64_t> suppressed_warnings{0};

struct Entry {
  uint64_t instance_id;
  int64_t loaded_at;
  absl::string_view value;
};

std::string Encode(int64_t loaded_at, absl::string_view value) {
  const uint64_t instance_id = InstanceId();
  std::string entry(kHeaderSize, '\0');
  entry[0] = kFormat;
  std::memcpy(&entry[1], &instance_id, sizeof(instance_id));
  std::memcpy(&entry[1 + sizeof(instance_id)], &loaded_at, sizeof(loaded_at));
  entry.append(value.data(), value.size());
  return entry;
}

std::optional<Entry> Decode(absl::string_view raw) {
  if (raw.size() < kHeaderSize || raw[0] != kFormat) return std::nullopt;
  Entry entry;
  std::memcpy(&entry.instance_id, raw.data() + 1, sizeof(entry.instance_id));
  std::memcpy(&entry.loaded_at, raw.data() + 1 + sizeof(entry.instance_id),
              sizeof(entry.loaded_at));
  entry.value = raw.substr(kHeaderSize);
  return entry;
}

// False for an entry this process loaded before an invalidation failed: it
// may predate the write that invalidation was for.
bool Servable(const Entry& entry) {
  return entry.instance_id != InstanceId() ||
         entry.loaded_at > last_failed_invalidation.load();
}

void RecordFailedInvalidation() {
  const int64_t now = MonotonicNanos();
  int64_t last = last_failed_invalidation.load();
  while (last < now &&
         !last_failed_invalidation.compare_exchange_weak(last, now)) {
  }
}

// At most one warning per interval: with Redis down, every call fails.
void WarnCacheError(absl::string_view operation, absl::string_view key,
                    const absl::Status& status) {
  const int64_t now = MonotonicNanos();
  int64_t next = next_warning_at.load(std::memory_order_relaxed);
  if (now < next || !next_warning_at.compare_exchange_strong(
                        next, now + kWarningIntervalNanos)) {
    suppressed_warnings.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  log::Warning("cache_error",
               {{"operation", std::string(operation)},
                {"key", std::string(key)},
                {"code", absl::StatusCodeToString(status.code())},
                {"error", std::string(status.message())},
                {"suppressed", absl::StrCat(suppressed_warnings.exchange(0))}});
}

}  // namespace

std::string VersionedKey(absl::string_view service, int schema_version,
                         absl::string_view resource_name) {
  return absl::StrCat("prongsai:", service, ":v", schema_version, ":",
                      resource_name);
}

void internal::CountNearHit(absl::string_view key) {
  metrics::Cache().Count(metrics::CacheNameOf(key), "near_hit");
}

absl::StatusOr<std::string> GetOrLoad(
    RedisClient* client, absl::string_view key, absl::Duration ttl,
    absl::FunctionRef<absl::StatusOr<std::string>()> load) {
  if (client == nullptr) return load();

  const std::string cache = metrics::CacheNameOf(key);
  absl::StatusOr<std::optional<std::string>> cached = client->Get(key);
  if (!cached.ok()) {
    metrics::Cache().Count(cache, "error");
    WarnCacheError("get", key, cached.status());
    // No Set: it would only fail the same way, and maybe as slowly.
    return load();
  }
  if (cached->has_value()) {
    std::optional<Entry> entry = Decode(**cached);
    if (entry.has_value() && Servable(*entry)) {
      metrics::Cache().Count(cache, "hit");
      return std::string(entry->value);
    }
    // Unreadable, or possibly stale: reload and overwrite below.
  }
  metrics::Cache().Count(cache, "miss");

  const int64_t load_started = MonotonicNanos();
  absl::StatusOr<std::string> value = load();
  if (!value.ok()) return value;
  if (absl::Status stored = client->Set(key, Encode(load_started, *value), ttl);
      !stored.ok()) {
    WarnCacheError("set", key, stored);
  }
  return value;
}

void Invalidate(RedisClient* client, absl::string_view key) {
  if (client == nullptr) return;
  if (absl::Status deleted = client->Delete(key); !deleted.ok()) {
    RecordFailedInvalidation();
    WarnCacheError("invalidate", key, deleted);
  }
}

namespace internal {

absl::StatusOr<std::string> GetOrLoadShared(
    RedisClient* client, absl::string_view key, absl::Duration ttl,
    absl::FunctionRef<absl::StatusOr<std::string>()> load, SingleFlight* flight,
    absl::Time deadline) {
  if (flight == nullptr) return GetOrLoad(client, key, ttl, load);
  return GetOrLoad(client, key, ttl, [&]() -> absl::StatusOr<std::string> {
    return flight->Do(key, deadline, load);
  });
}

}  // namespace internal

}  // namespace prongsai::cache
