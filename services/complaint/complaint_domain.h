// Pure rules of the complaint service: what a valid complaint, reply,
// category and transition are, when a case falls due and is overdue, and
// which period statistics cover. No I/O, so they are unit-tested on their
// own.
//
//   PRONGSAI_RETURN_IF_ERROR(ValidateNewComplaint(request.complaint(), now));
//   PRONGSAI_RETURN_IF_ERROR(
//       ValidateTransition(current.state(), request, org, current.name()));
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_DOMAIN_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_DOMAIN_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/base/resource_name.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "services/complaint/complaint_statistics.h"

namespace prongsai::complaint {

// Seed 002, project 18: the responsible unit must act within 15 days.
inline constexpr int kDefaultSlaDays = 15;

inline constexpr int kMaxSubjectChars = 300;
inline constexpr int kMaxDescriptionChars = 10000;
inline constexpr int kMaxAttachments = 20;

// Checks the caller-settable fields; errors name `complaint.<path>`.
absl::Status ValidateNewComplaint(const v1::Complaint& complaint);
// Also rejects an incident more than a day in the future of `now`.
absl::Status ValidateNewComplaint(const v1::Complaint& complaint,
                                  absl::Time now);

// When a complaint received at `received` must have been handled.
absl::Time DueTime(absl::Time received, int sla_days = kDefaultSlaDays);
int SlaDaysOrDefault(int sla_days);

// Still being handled: received, acknowledged, assigned or in progress.
bool IsOpen(v1::Complaint::State state);
// Open and past its due date (an explanation moves the due date).
bool IsOverdue(v1::Complaint::State state, absl::Time due_time, absl::Time now);

// The workflow staff drive:
//   RECEIVED     -> ACKNOWLEDGED | REFERRED | REJECTED | WITHDRAWN
//   ACKNOWLEDGED -> ASSIGNED | IN_PROGRESS | REFERRED | REJECTED | WITHDRAWN
//   ASSIGNED     -> ASSIGNED | IN_PROGRESS | REFERRED | REJECTED | WITHDRAWN
//   IN_PROGRESS  -> ASSIGNED | RESOLVED | REFERRED | WITHDRAWN
//   RESOLVED     -> CLOSED
// CLOSED, REFERRED, REJECTED and WITHDRAWN are final. (The complainant moves
// RESOLVED to CLOSED by rating or back to IN_PROGRESS by reopening.)
bool IsAllowedTransition(v1::Complaint::State from, v1::Complaint::State to);

// The request's own fields (INVALID_ARGUMENT naming the field), then the
// move from `current` (FAILED_PRECONDITION). `self_name` is the complaint's
// name: a duplicate must be another complaint of `organization`.
absl::Status ValidateTransition(v1::Complaint::State current,
                                const v1::TransitionComplaintRequest& request,
                                absl::string_view organization,
                                absl::string_view self_name);

// A rating (1-5, closes the case) or a reopening of a RESOLVED case; returns
// the state it leads to.
absl::StatusOr<v1::Complaint::State> ValidateResolutionResponse(
    v1::Complaint::State current,
    const v1::RespondToResolutionRequest& request);

// The complainant may add information until the case is final.
absl::Status ValidateComplainantInformation(v1::Complaint::State current,
                                            absl::string_view text);

// A staff reply; `new_due_time` (an explanation of a delay) only on PUBLIC
// replies, later than `current_due` and within a year of `now`.
absl::Status ValidateReply(const v1::Reply& reply, absl::Time current_due,
                           absl::Time now);

// `organizations/{org}/categories/{id}` with id 1-40 of [a-z0-9-], a display
// name and an SLA of 0 (default) to 365 days.
absl::StatusOr<ChildName> ValidateCategory(const v1::Category& category);

// [start, end) of the fiscal year, or of one quarter (1-4) or calendar month
// (1-12) within it, at Bangkok midnight.
absl::StatusOr<Period> StatisticsPeriod(
    const v1::GetComplaintStatisticsRequest& request);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_DOMAIN_H_
