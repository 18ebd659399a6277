// Pure rules of the plan service: what a valid action plan is. No I/O, so
// they are unit-tested on their own.
//
//   PRONGSAI_RETURN_IF_ERROR(ValidateNewActionPlan(request.action_plan()));
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_DOMAIN_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_DOMAIN_H_

#include "absl/status/status.h"
#include "prongsai/plan/v1/plan.pb.h"

namespace prongsai::plan {

// The longest plan the template knows is 5 years; 10 leaves room for
// extended plans without admitting typos such as 2566-2670.
inline constexpr int kMaxPlanYears = 10;

// Checks the caller-settable fields of a plan to create; errors name the
// field as `action_plan.<path>`.
absl::Status ValidateNewActionPlan(const v1::ActionPlan& plan);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_DOMAIN_H_
