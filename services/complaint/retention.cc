#include "services/complaint/retention.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace prongsai::complaint {
namespace {

constexpr absl::string_view kPolicySuffix = "/retentionPolicy";

absl::Status CheckDays(absl::string_view field, int days, int min, int max) {
  if (days == 0 || (days >= min && days <= max)) return absl::OkStatus();
  return InvalidField(
      absl::StrCat("retention_policy.", field),
      absl::StrCat("must be ", min, "-", max, " days, or 0 for the default"));
}

}  // namespace

absl::StatusOr<std::string> ParseRetentionPolicyName(
    absl::string_view field_path, absl::string_view name) {
  if (!absl::ConsumeSuffix(&name, kPolicySuffix)) {
    return InvalidField(field_path,
                        "must be organizations/{organization}/retentionPolicy");
  }
  return ParseOrganizationParent(field_path, name);
}

std::string RetentionPolicyName(absl::string_view organization) {
  return absl::StrCat("organizations/", organization, kPolicySuffix);
}

absl::Status ValidateRetentionPolicy(const v1::RetentionPolicy& policy) {
  PRONGSAI_RETURN_IF_ERROR(CheckDays("general_retention_days",
                                     policy.general_retention_days(),
                                     kMinRetentionDays, kMaxRetentionDays));
  PRONGSAI_RETURN_IF_ERROR(CheckDays("corruption_retention_days",
                                     policy.corruption_retention_days(),
                                     kMinRetentionDays, kMaxRetentionDays));
  return CheckDays("warning_days", policy.warning_days(), 1,
                   kMaxRetentionWarningDays);
}

v1::RetentionPolicy WithRetentionDefaults(v1::RetentionPolicy policy) {
  if (policy.general_retention_days() == 0) {
    policy.set_general_retention_days(kDefaultGeneralRetentionDays);
  }
  if (policy.corruption_retention_days() == 0) {
    policy.set_corruption_retention_days(kDefaultCorruptionRetentionDays);
  }
  if (policy.warning_days() == 0) {
    policy.set_warning_days(kDefaultRetentionWarningDays);
  }
  return policy;
}

absl::Duration RetentionPeriod(const v1::RetentionPolicy& policy,
                               v1::Complaint::Kind kind) {
  const v1::RetentionPolicy effective = WithRetentionDefaults(policy);
  return absl::Hours(24) * (kind == v1::Complaint::CORRUPTION
                                ? effective.corruption_retention_days()
                                : effective.general_retention_days());
}

absl::Time IdentityEraseTime(const v1::RetentionPolicy& policy,
                             v1::Complaint::Kind kind, absl::Time end,
                             absl::Time policy_change) {
  const absl::Duration warning =
      absl::Hours(24) * WithRetentionDefaults(policy).warning_days();
  return std::max(end + RetentionPeriod(policy, kind), policy_change + warning);
}

absl::Time PendingErasureEndBound(const v1::RetentionPolicy& policy,
                                  v1::Complaint::Kind kind, absl::Time now) {
  const absl::Duration warning =
      absl::Hours(24) * WithRetentionDefaults(policy).warning_days();
  return now + warning - RetentionPeriod(policy, kind);
}

absl::Status ValidateRequestReference(absl::string_view reference) {
  return ValidateText("request_reference", reference, 200, true);
}

}  // namespace prongsai::complaint
