// CircuitBreaker: the shared memory of how one Redis has been doing lately.

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/log.h"
#include "common/cache/redis.h"
#include "common/metrics/metrics.h"

namespace prongsai::cache {

CircuitBreaker::CircuitBreaker(Options options, Clock clock)
    : options_(options), clock_(std::move(clock)) {}

bool CircuitBreaker::AllowRequest() {
  absl::MutexLock lock(&mu_);
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
    case State::kHalfOpen: {
      const absl::Time now = clock_();
      if (now < retry_at_) return false;
      // Let one probe through; should it never report back, let another
      // through after open_duration.
      SetState(State::kHalfOpen);
      retry_at_ = now + options_.open_duration;
      return true;
    }
  }
  return true;
}

void CircuitBreaker::RecordSuccess() {
  absl::MutexLock lock(&mu_);
  if (state_ != State::kClosed) {
    log::Info("redis_circuit_closed", {});
  }
  SetState(State::kClosed);
  consecutive_failures_ = 0;
}

void CircuitBreaker::RecordFailure() {
  absl::MutexLock lock(&mu_);
  switch (state_) {
    case State::kClosed:
      if (++consecutive_failures_ >= options_.failure_threshold) {
        Open(clock_());
      }
      return;
    case State::kHalfOpen:
      Open(clock_());
      return;
    case State::kOpen:
      // A request let through before the breaker opened: already counted.
      return;
  }
}

void CircuitBreaker::SetState(State state) {
  if (state == state_) return;
  state_ = state;
  metrics::Events().BreakerState("redis", static_cast<int>(state));
}

void CircuitBreaker::Open(absl::Time now) {
  SetState(State::kOpen);
  retry_at_ = now + options_.open_duration;
  log::Warning("redis_circuit_open",
               {{"failures", absl::StrCat(consecutive_failures_)},
                {"open_for", absl::FormatDuration(options_.open_duration)}});
}

CircuitBreaker::State CircuitBreaker::state() {
  absl::MutexLock lock(&mu_);
  return state_;
}

}  // namespace prongsai::cache
