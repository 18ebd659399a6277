// Pure rules of the complaint service: what a valid complaint is and when
// it falls due. No I/O, so they are unit-tested on their own.
//
//   PRONGSAI_RETURN_IF_ERROR(ValidateNewComplaint(request.complaint()));
//   absl::Time due = DueTime(received);
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_DOMAIN_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_DOMAIN_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "prongsai/complaint/v1/complaint.pb.h"

namespace prongsai::complaint {

// Seed 002, project 18: the responsible unit must act within 15 days.
inline constexpr int kDefaultSlaDays = 15;

inline constexpr int kMaxSubjectChars = 300;
inline constexpr int kMaxDescriptionChars = 10000;

// Checks the caller-settable fields; errors name `complaint.<path>`.
absl::Status ValidateNewComplaint(const v1::Complaint& complaint);

// When a complaint received at `received` must have been handled.
absl::Time DueTime(absl::Time received, int sla_days = kDefaultSlaDays);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_DOMAIN_H_
