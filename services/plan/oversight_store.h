// SQL for the oversight standings (oversight.proto): a few set-based
// queries over a whole group of organizations (a province, a district, a
// kind, the country), never one query per organization. The same
// statements on SQLite and PostgreSQL.
//
//   PRONGSAI_ASSIGN_OR_RETURN(std::vector<GroupMember> members,
//                             LoadGroup(db, group));
//   PRONGSAI_ASSIGN_OR_RETURN(auto facts, LoadPlanFacts(db, group, now));
#ifndef PRONGSAI_SERVICES_PLAN_OVERSIGHT_STORE_H_
#define PRONGSAI_SERVICES_PLAN_OVERSIGHT_STORE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/storage/storage.h"
#include "prongsai/common/v1/common.pb.h"
#include "services/plan/oversight_domain.h"

namespace prongsai::plan {

// Which organizations: the registered ones matching the filters (empty =
// any), and, unless `all_organizations`, only those of `organizations`.
struct StandingGroup {
  int be_year = 0;
  std::string province;
  std::string district;
  common::v1::OrganizationKind kind = common::v1::ORGANIZATION_KIND_UNSPECIFIED;
  bool all_organizations = true;
  std::vector<std::string> organizations;
};

// One organization of the group, with its plan data version (a token every
// write of its plan data replaces; "0" before the first).
struct GroupMember {
  common::v1::OrganizationRef organization;
  std::string version;
};

// The group's organizations by code: one query.
absl::StatusOr<std::vector<GroupMember>> LoadGroup(storage::Connection& db,
                                                   const StandingGroup& group);

// The plan figures of every organization of the group that has any (the
// others are absent), at `now` (which decides lateness): four queries, one
// per table (action plans, annual plans, measures, progress reports).
absl::StatusOr<absl::flat_hash_map<std::string, PlanFacts>> LoadPlanFacts(
    storage::Connection& db, const StandingGroup& group, absl::Time now);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_OVERSIGHT_STORE_H_
