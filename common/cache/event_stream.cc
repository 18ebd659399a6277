#include "common/cache/event_stream.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"

namespace prongsai::cache {

EventPublisher::EventPublisher(Options options)
    : options_(std::move(options)) {}

void EventPublisher::Publish(
    RedisClient* redis,
    absl::Span<const std::pair<std::string, std::string>> fields) {
  if (redis == nullptr) return;
  std::vector<std::string> argv = {
      "XADD", options_.stream, "MAXLEN", "~", absl::StrCat(options_.max_len),
      "*"};
  for (const auto& [field, value] : fields) {
    argv.push_back(field);
    argv.push_back(value);
  }
  absl::StatusOr<Reply> reply = redis->Command(argv);
  if (!reply.ok()) {
    const int64_t failures = ++failures_;
    // One line per 100 failures: a long outage must not flood the log.
    if (failures % 100 == 1) {
      log::Warning("event_not_published",
                   {{"stream", options_.stream},
                    {"code", absl::StatusCodeToString(reply.status().code())},
                    {"failures", absl::StrCat(failures)}});
    }
  }
}

}  // namespace prongsai::cache
