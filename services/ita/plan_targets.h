// Asks the plan service for an organization's ITA score target of a fiscal
// year (the action plan covering that year, YearTarget.ita_score_target).
// An analysis must answer even when the plan service does not: every
// failure comes back as a sentence for AgencyAnalysis.missing, never as an
// error, and no call waits longer than its deadline.
//
//   PlanTargets targets(address, api_key);
//   PlanTargets::Lookup found = targets.Find("6340101", 2569, call.deadline);
#ifndef PRONGSAI_SERVICES_ITA_PLAN_TARGETS_H_
#define PRONGSAI_SERVICES_ITA_PLAN_TARGETS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace prongsai::ita {

class PlanTargets {
 public:
  // `address` empty: no plan service is configured (every lookup says so).
  // `api_key` is a SYSTEM key of the plan service.
  PlanTargets(std::string address, std::string api_key);

  struct Lookup {
    std::optional<double> target;
    // Why there is no target, e.g. "plan service unreachable (UNAVAILABLE)".
    std::string missing;
  };
  // At most `timeout` (and never past `deadline`); one retry with back-off
  // when the plan service is UNAVAILABLE, since the call only reads.
  Lookup Find(absl::string_view organization, int be_year,
              absl::Time deadline) const;

  static constexpr absl::Duration kTimeout = absl::Seconds(2);

 private:
  std::string api_key_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_PLAN_TARGETS_H_
