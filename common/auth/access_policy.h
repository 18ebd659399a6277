// Who may call which RPC, read from the `(prongsai.common.v1.access)` option
// that every method declares in its .proto file. The policy is the API's own
// documentation: there is no second table to keep in step.
//
//   PRONGSAI_ASSIGN_OR_RETURN(
//       AccessPolicy policy,
//       AccessPolicy::ForService(plan::v1::PlanService::service_full_name()));
//   PRONGSAI_RETURN_IF_ERROR(policy.Check("CreateActionPlan", principal));
#ifndef PRONGSAI_COMMON_AUTH_ACCESS_POLICY_H_
#define PRONGSAI_COMMON_AUTH_ACCESS_POLICY_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/key_ring.h"

namespace prongsai::auth {

class AccessPolicy {
 public:
  // The policy of the service named `service_full_name` (e.g.
  // "prongsai.plan.v1.PlanService") in the generated descriptor pool.
  // NOT_FOUND if the service is not linked in. A method without the access
  // option gets no roles: every call to it is denied.
  static absl::StatusOr<AccessPolicy> ForService(
      absl::string_view service_full_name);

  // OK when `principal` holds a role that `method` (its short name, e.g.
  // "CreateActionPlan") admits. Otherwise UNAUTHENTICATED for a caller
  // without a key, PERMISSION_DENIED for a caller whose key lacks the role,
  // and PERMISSION_DENIED "password_must_change: ..." for a person who has
  // not changed a one-time password, unless the method is PUBLIC or
  // declares `before_password_change`.
  absl::Status Check(absl::string_view method,
                     const Principal& principal) const;

  // Whether anyone, without a key, may call `method`.
  bool IsPublic(absl::string_view method) const;

  // The roles `method` admits; empty for an unknown or undeclared method.
  std::vector<Role> RolesOf(absl::string_view method) const;

  const std::string& service_full_name() const { return service_full_name_; }

 private:
  std::string service_full_name_;
  absl::flat_hash_map<std::string, std::vector<Role>> roles_by_method_;
  absl::flat_hash_set<std::string> before_password_change_;
};

// OK when `principal` may act for organization `code`. PERMISSION_DENIED
// otherwise. Callers skip this check for methods open to the PUBLIC.
absl::Status CheckOrganization(const Principal& principal,
                               absl::string_view code);

}  // namespace prongsai::auth

#endif  // PRONGSAI_COMMON_AUTH_ACCESS_POLICY_H_
