// How long identities in ended complaints are kept (the organization's
// retention policy, under the PDPA), and when each is erased. Pure rules;
// the policies and the erasures are stored by retention_store.h.
//
//   v1::RetentionPolicy policy = WithRetentionDefaults(stored);
//   absl::Time erase = IdentityEraseTime(policy, kind, end, policy_change);
#ifndef PRONGSAI_SERVICES_COMPLAINT_RETENTION_H_
#define PRONGSAI_SERVICES_COMPLAINT_RETENTION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "prongsai/complaint/v1/complaint.pb.h"

namespace prongsai::complaint {

inline constexpr int kDefaultGeneralRetentionDays = 365;
inline constexpr int kDefaultCorruptionRetentionDays = 1825;
inline constexpr int kDefaultRetentionWarningDays = 30;
inline constexpr int kMinRetentionDays = 30;
inline constexpr int kMaxRetentionDays = 3650;
inline constexpr int kMaxRetentionWarningDays = 365;
// The actor the erasure log names for erasures by the policy.
inline constexpr absl::string_view kRetentionActor = "retention";

// "organizations/{organization}/retentionPolicy" -> the organization code;
// INVALID_ARGUMENT `field_path` otherwise.
absl::StatusOr<std::string> ParseRetentionPolicyName(
    absl::string_view field_path, absl::string_view name);
std::string RetentionPolicyName(absl::string_view organization);

// INVALID_ARGUMENT naming the field (under "retention_policy.") when a
// period is out of range; 0 is allowed everywhere (the default).
absl::Status ValidateRetentionPolicy(const v1::RetentionPolicy& policy);

// `policy` with every 0 replaced by its default.
v1::RetentionPolicy WithRetentionDefaults(v1::RetentionPolicy policy);

// How long identities in an ended complaint of `kind` are kept under
// `policy` (defaults applied).
absl::Duration RetentionPeriod(const v1::RetentionPolicy& policy,
                               v1::Complaint::Kind kind);

// When the identities of a complaint of `kind` that ended at `end` are
// erased: its retention period after the end, but never sooner than the
// warning period after the policy last changed (`policy_change`;
// InfinitePast when it never did), so that no change erases anything the
// integrity officer has not been shown first.
absl::Time IdentityEraseTime(const v1::RetentionPolicy& policy,
                             v1::Complaint::Kind kind, absl::Time end,
                             absl::Time policy_change);

// The latest end time of a complaint of `kind` that is listed as pending
// at `now`: one whose erasure falls within the warning period.
absl::Time PendingErasureEndBound(const v1::RetentionPolicy& policy,
                                  v1::Complaint::Kind kind, absl::Time now);

// INVALID_ARGUMENT `request_reference` unless 1-200 characters of text.
absl::Status ValidateRequestReference(absl::string_view reference);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_RETENTION_H_
