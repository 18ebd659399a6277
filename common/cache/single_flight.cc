#include "common/cache/single_flight.h"

#include <utility>

namespace prongsai::cache {

absl::StatusOr<std::string> SingleFlight::Do(
    absl::string_view key, absl::Time deadline,
    absl::FunctionRef<absl::StatusOr<std::string>()> compute) {
  std::shared_ptr<Call> call;
  bool leader = false;
  {
    absl::MutexLock lock(&mu_);
    std::shared_ptr<Call>& slot = calls_[key];
    if (slot == nullptr) {
      slot = std::make_shared<Call>();
      leader = true;
      ++computations_;
    }
    call = slot;
  }
  if (!leader) {
    if (!call->done.WaitForNotificationWithDeadline(deadline)) {
      return absl::DeadlineExceededError(
          "the deadline passed while waiting for the same computation");
    }
    // The leader ran under its own caller's deadline: its running out of
    // time (or being cancelled) says nothing about this caller, who then
    // computes for itself.
    const absl::StatusCode code = call->result.status().code();
    if (code == absl::StatusCode::kDeadlineExceeded ||
        code == absl::StatusCode::kCancelled) {
      return compute();
    }
    return call->result;
  }
  call->result = compute();
  {
    absl::MutexLock lock(&mu_);
    calls_.erase(key);
  }
  call->done.Notify();
  return call->result;
}

int64_t SingleFlight::computations() const {
  absl::MutexLock lock(&mu_);
  return computations_;
}

}  // namespace prongsai::cache
