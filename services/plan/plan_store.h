// SQL for the plan service's resources, the same statements on SQLite and
// PostgreSQL. Every function takes the calling worker's connection.
//
//   PRONGSAI_ASSIGN_OR_RETURN(v1::ActionPlan plan,
//                             GetActionPlan(db, "6340101", "k3x..."));
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_STORE_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/base/resource_name.h"
#include "common/storage/storage.h"
#include "prongsai/plan/v1/plan.pb.h"

namespace prongsai::plan {

// Schema version of the cached ActionPlan encoding; bump on a format change.
inline constexpr int kCacheVersion = 1;

std::vector<storage::Migration> Migrations();

// Stores a new DRAFT plan (or returns the one an earlier call with the same
// request id created).
absl::StatusOr<v1::ActionPlan> CreateActionPlan(storage::Connection& db,
                                                absl::string_view organization,
                                                const v1::ActionPlan& plan,
                                                absl::string_view request_id,
                                                absl::string_view creator,
                                                absl::Time now);

// NOT_FOUND when the organization has no plan with this id.
absl::StatusOr<v1::ActionPlan> GetActionPlan(storage::Connection& db,
                                             absl::string_view organization,
                                             absl::string_view id);

struct ActionPlanPage {
  std::vector<v1::ActionPlan> plans;
  std::string next_cursor;
};
absl::StatusOr<ActionPlanPage> ListActionPlans(storage::Connection& db,
                                               absl::string_view organization,
                                               const PageRequest& page);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_STORE_H_
