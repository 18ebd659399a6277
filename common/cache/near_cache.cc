#include "common/cache/near_cache.h"

#include <algorithm>

#include "absl/hash/hash.h"
#include "absl/time/clock.h"

namespace prongsai::cache {

NearCache::NearCache(Options options)
    : shard_bytes_(options.max_bytes /
                   static_cast<size_t>(std::max(options.shards, 1))),
      shards_(static_cast<size_t>(std::max(options.shards, 1))) {}

NearCache::Shard& NearCache::ShardOf(absl::string_view key) {
  return shards_[absl::HashOf(key) % shards_.size()];
}

size_t NearCache::BytesOf(const Entry& entry) {
  return entry.key.size() + entry.value->size();
}

std::shared_ptr<const std::string> NearCache::Get(absl::string_view key) {
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  auto found = shard.index.find(key);
  if (found == shard.index.end() || found->second->expiry <= absl::Now()) {
    ++shard.misses;
    return nullptr;
  }
  ++shard.hits;
  shard.entries.splice(shard.entries.begin(), shard.entries, found->second);
  return found->second->value;
}

void NearCache::Put(absl::string_view key, std::string value,
                    absl::Duration ttl) {
  if (key.size() + value.size() > shard_bytes_) return;
  const absl::Time expiry = absl::Now() + ttl;
  Shard& shard = ShardOf(key);
  auto stored = std::make_shared<const std::string>(std::move(value));
  absl::MutexLock lock(&shard.mu);
  auto found = shard.index.find(key);
  if (found != shard.index.end()) {
    shard.bytes -= BytesOf(*found->second);
    found->second->value = std::move(stored);
    found->second->expiry = expiry;
    shard.bytes += BytesOf(*found->second);
    shard.entries.splice(shard.entries.begin(), shard.entries, found->second);
  } else {
    shard.entries.push_front(
        Entry{std::string(key), std::move(stored), expiry});
    shard.index.emplace(shard.entries.front().key, shard.entries.begin());
    shard.bytes += BytesOf(shard.entries.front());
  }
  while (shard.bytes > shard_bytes_) {
    const Entry& oldest = shard.entries.back();
    shard.bytes -= BytesOf(oldest);
    shard.index.erase(oldest.key);
    shard.entries.pop_back();
    ++shard.evictions;
  }
}

NearCache::Stats NearCache::stats() const {
  Stats total;
  for (const Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    total.hits += shard.hits;
    total.misses += shard.misses;
    total.evictions += shard.evictions;
    total.bytes += shard.bytes;
    total.entries += shard.entries.size();
  }
  return total;
}

}  // namespace prongsai::cache
