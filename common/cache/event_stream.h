// Best-effort events on a Redis Stream, for other services to react to:
// XADD <stream> MAXLEN ~ <max_len> * field value ... A failure is counted and
// logged (at most one line per 10 seconds), never returned: a write must not
// fail because its event could not be sent, so nothing may depend on the
// stream for correctness (statistics come from the database). With the
// RedisClient's breaker open, Publish fails without touching the network.
//
// Fields must never hold personal data (names, contacts, free text from a
// request, tracking codes, client addresses): resource names and enum
// values only. A stream is read by other services and kept in Redis dumps.
//
//   EventPublisher events({.stream = "prongsai:events", .max_len = 100000});
//   const std::pair<std::string, std::string> fields[] = {
//       {"type", "complaint.filed"}, {"complaint", complaint.name()}};
//   events.Publish(worker.Redis(), fields);
#ifndef PRONGSAI_COMMON_CACHE_EVENT_STREAM_H_
#define PRONGSAI_COMMON_CACHE_EVENT_STREAM_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/types/span.h"
#include "common/cache/redis.h"

namespace prongsai::cache {

class EventPublisher {
 public:
  struct Options {
    std::string stream = "prongsai:events";
    // Approximate (MAXLEN ~): Redis trims whole nodes, so the stream may
    // hold somewhat more.
    int64_t max_len = 100000;
  };

  explicit EventPublisher(Options options);

  EventPublisher(const EventPublisher&) = delete;
  EventPublisher& operator=(const EventPublisher&) = delete;

  // Thread-safe (each thread with its own RedisClient). `redis` may be null
  // (no Redis configured): nothing is sent and nothing is counted. `fields`
  // must not be empty.
  void Publish(RedisClient* redis,
               absl::Span<const std::pair<std::string, std::string>> fields);

  // Events that could not be published, since construction.
  int64_t failures() const { return failures_.load(std::memory_order_relaxed); }

 private:
  const Options options_;
  std::atomic<int64_t> failures_{0};
  // Monotonic nanoseconds before which no further warning is logged.
  std::atomic<int64_t> next_warning_at_{0};
  std::atomic<int64_t> suppressed_warnings_{0};
};

}  // namespace prongsai::cache

#endif  // PRONGSAI_COMMON_CACHE_EVENT_STREAM_H_
