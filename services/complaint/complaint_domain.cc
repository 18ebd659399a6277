#include "services/complaint/complaint_domain.h"

#include "common/api/api_fields.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace prongsai::complaint {

absl::Status ValidateNewComplaint(const v1::Complaint& complaint) {
  if (complaint.kind() == v1::Complaint::KIND_UNSPECIFIED ||
      !v1::Complaint::Kind_IsValid(complaint.kind())) {
    return InvalidField("complaint.kind", "must be GENERAL or CORRUPTION");
  }
  if (complaint.channel() == v1::Complaint::CHANNEL_UNSPECIFIED ||
      !v1::Complaint::Channel_IsValid(complaint.channel())) {
    return InvalidField("complaint.channel", "is required");
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateText("complaint.subject",
                                        complaint.subject(), kMaxSubjectChars,
                                        /*required=*/true));
  PRONGSAI_RETURN_IF_ERROR(ValidateText("complaint.description",
                                        complaint.description(),
                                        kMaxDescriptionChars, true));
  return api::ValidateOrganizationRef("complaint.organization",
                                      complaint.organization());
}

absl::Time DueTime(absl::Time received, int sla_days) {
  return received + absl::Hours(24) * sla_days;
}

}  // namespace prongsai::complaint
