// Best-effort events on a Redis Stream, for other services to react to
// (XADD <stream> MAXLEN ~ <max_len> * field value ...). A failure is counted
// and logged, never returned: a write must not fail because its event could
// not be sent, and statistics never depend on the stream. Fields must never
// hold personal data: names of resources and enum values only.
//
//   EventPublisher events({.stream = "prongsai:events", .max_len = 100000});
//   events.Publish(worker.Redis(), {{"type", "complaint.filed"}, ...});
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
    int64_t max_len = 100000;
  };

  explicit EventPublisher(Options options);

  // Thread-safe; `redis` may be null (no cache configured): nothing is sent.
  void Publish(RedisClient* redis,
               absl::Span<const std::pair<std::string, std::string>> fields);

  int64_t failures() const { return failures_.load(); }

 private:
  const Options options_;
  std::atomic<int64_t> failures_{0};
};

}  // namespace prongsai::cache

#endif  // PRONGSAI_COMMON_CACHE_EVENT_STREAM_H_
