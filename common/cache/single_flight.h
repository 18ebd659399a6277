// Collapses concurrent computations of one key into one: while a call for
// `key` runs, other callers for the same key wait for its result instead of
// computing it again (a cache miss under load costs one computation, not one
// per waiting caller). Results are not kept after the call ends; pair it with
// a cache.
//
//   SingleFlight flight;
//   absl::StatusOr<std::string> value =
//       flight.Do(key, deadline, [&] { return ComputeExpensive(); });
#ifndef PRONGSAI_COMMON_CACHE_SINGLE_FLIGHT_H_
#define PRONGSAI_COMMON_CACHE_SINGLE_FLIGHT_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace prongsai::cache {

class SingleFlight {
 public:
  // Runs `compute` unless a call for `key` is already running, in which case
  // it waits for that call's result until `deadline` (DEADLINE_EXCEEDED
  // after). Errors are shared with the waiters like values, except the
  // leader's DEADLINE_EXCEEDED or CANCELLED (its caller's limits, not the
  // computation's): a waiter then computes for itself.
  absl::StatusOr<std::string> Do(
      absl::string_view key, absl::Time deadline,
      absl::FunctionRef<absl::StatusOr<std::string>()> compute);

  // How many computations ran (for tests and metrics).
  int64_t computations() const;

 private:
  struct Call {
    absl::Notification done;
    absl::StatusOr<std::string> result;
  };

  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<Call>> calls_
      ABSL_GUARDED_BY(mu_);
  int64_t computations_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace prongsai::cache

#endif  // PRONGSAI_COMMON_CACHE_SINGLE_FLIGHT_H_
