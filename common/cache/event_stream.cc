#include "common/cache/event_stream.h"

#include <chrono>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"

namespace prongsai::cache {
namespace {

constexpr int64_t kWarningIntervalNanos = int64_t{10} * 1000 * 1000 * 1000;

// Monotonic: a wall-clock step must not silence or flood the log.
int64_t MonotonicNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

EventPublisher::EventPublisher(Options options)
    : options_(std::move(options)) {}

void EventPublisher::Publish(
    RedisClient* redis,
    absl::Span<const std::pair<std::string, std::string>> fields) {
  if (redis == nullptr) return;
  std::vector<std::string> argv = {
      "XADD", options_.stream, "MAXLEN", "~", absl::StrCat(options_.max_len),
      "*"};
  argv.reserve(argv.size() + 2 * fields.size());
  for (const auto& [field, value] : fields) {
    argv.push_back(field);
    argv.push_back(value);
  }
  absl::StatusOr<Reply> reply = redis->Command(argv);
  if (reply.ok()) return;

  const int64_t failures =
      failures_.fetch_add(1, std::memory_order_relaxed) + 1;
  // With Redis down every write fails here: one line per interval.
  const int64_t now = MonotonicNanos();
  int64_t next = next_warning_at_.load(std::memory_order_relaxed);
  if (now < next || !next_warning_at_.compare_exchange_strong(
                        next, now + kWarningIntervalNanos)) {
    suppressed_warnings_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // The status names the command and Redis's error code, never arguments.
  log::Warning(
      "event_not_published",
      {{"stream", options_.stream},
       {"code", absl::StatusCodeToString(reply.status().code())},
       {"error", std::string(reply.status().message())},
       {"failures", absl::StrCat(failures)},
       {"suppressed", absl::StrCat(suppressed_warnings_.exchange(0))}});
}

}  // namespace prongsai::cache
