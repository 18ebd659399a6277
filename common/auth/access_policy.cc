#include "common/auth/access_policy.h"

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace prongsai::auth {

absl::StatusOr<AccessPolicy> AccessPolicy::ForService(
    absl::string_view service_full_name) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(service_full_name));
  if (service == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("service ", service_full_name, " is not linked in"));
  }
  AccessPolicy policy;
  policy.service_full_name_ = std::string(service_full_name);
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    const common::v1::AccessPolicy& access =
        method->options().GetExtension(common::v1::access);
    std::vector<Role>& roles = policy.roles_by_method_[method->name()];
    for (int role : access.roles()) roles.push_back(static_cast<Role>(role));
    if (access.before_password_change()) {
      policy.before_password_change_.insert(method->name());
    }
  }
  return policy;
}

absl::Status AccessPolicy::Check(absl::string_view method,
                                 const Principal& principal) const {
  auto it = roles_by_method_.find(method);
  if (it != roles_by_method_.end()) {
    const std::vector<Role>& roles = it->second;
    const bool restricted = principal.password_must_change() &&
                            !before_password_change_.contains(method) &&
                            !absl::c_linear_search(roles, common::v1::PUBLIC);
    if (restricted) {
      return absl::PermissionDeniedError(absl::StrCat(
          "password_must_change: ", principal.name(),
          " signed in with a one-time password; change it (ChangePassword) "
          "and refresh the session before calling ",
          method));
    }
    for (Role role : roles) {
      if (principal.HasRole(role)) return absl::OkStatus();
    }
  }
  if (principal.is_public()) {
    return absl::UnauthenticatedError(
        absl::StrCat(method, " requires an API key"));
  }
  return absl::PermissionDeniedError(
      absl::StrCat("principal ", principal.name(), " may not call ", method));
}

bool AccessPolicy::IsPublic(absl::string_view method) const {
  return Check(method, Principal::Public()).ok();
}

std::vector<Role> AccessPolicy::RolesOf(absl::string_view method) const {
  auto it = roles_by_method_.find(method);
  return it == roles_by_method_.end() ? std::vector<Role>() : it->second;
}

absl::Status CheckOrganization(const Principal& principal,
                               absl::string_view code) {
  if (principal.CanAccessOrganization(code)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "principal ", principal.name(), " may not access organization ", code));
}

}  // namespace prongsai::auth
