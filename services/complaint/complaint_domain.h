// Pure rules of the complaint service: what a valid complaint, reply,
// category and transition are, when a case falls due and is overdue, who
// may handle and read corruption reports, when a repeated filing is the
// same one, and what a complainant sees of a case. No I/O, so they are
// unit-tested on their own.
//
//   PRONGSAI_RETURN_IF_ERROR(ValidateNewComplaint(request.complaint(), now));
//   PRONGSAI_RETURN_IF_ERROR(CheckMayHandle(roles, stored.complaint));
//   PRONGSAI_RETURN_IF_ERROR(
//       ValidateTransition(current.state(), request, org, current.name()));
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_DOMAIN_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_DOMAIN_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/base/resource_name.h"
#include "prongsai/common/v1/access.pb.h"
#include "prongsai/complaint/v1/complaint.pb.h"

namespace prongsai::complaint {

// The collection of complaints under an organization:
// organizations/{code}/complaints/{id}.
inline constexpr absl::string_view kComplaints = "complaints";

// Seed 002, project 18: the responsible unit must act within 15 days.
inline constexpr int kDefaultSlaDays = 15;

inline constexpr int kMaxSubjectChars = 300;
inline constexpr int kMaxDescriptionChars = 10000;
inline constexpr int kMaxAttachments = 20;
// A category's SLA, and how far ahead an explanation may move a due date.
inline constexpr int kMaxSlaDays = 365;
inline constexpr int kMaxNewDueDays = 365;

// Checks the caller-settable fields; errors (INVALID_ARGUMENT) name
// `complaint.<path>`, e.g. "complaint.attachments[2].sha256". Output-only
// fields are not looked at. Beyond lengths and UTF-8: kind and channel are
// required, `category` (optional) is a well-formed category name, latitude
// and longitude come together and in range, attachments are described
// properly (a photo sent as `content` is a whole JPEG or PNG of its
// media type, at most kMaxPhotoBytes, at most kMaxPhotos of them: see
// photo.h), and a GENERAL complaint carries neither `accused` nor
// `evidence`.
// The organization of `category` is not compared with the parent here.
absl::Status ValidateNewComplaint(const v1::Complaint& complaint);
// Also rejects an incident more than a day in the future of `now`.
absl::Status ValidateNewComplaint(const v1::Complaint& complaint,
                                  absl::Time now);

// When a complaint received at `received` must have been handled: `sla_days`
// whole days later (Bangkok keeps no daylight saving time, so a day is 24 h).
absl::Time DueTime(absl::Time received, int sla_days = kDefaultSlaDays);
// A category's SLA, where 0 (unset) means kDefaultSlaDays.
int SlaDaysOrDefault(int sla_days);

// Still being handled: received, acknowledged, assigned or in progress.
bool IsOpen(v1::Complaint::State state);
// Ended for good: closed, referred, rejected or withdrawn (the retention
// policy counts from then).
bool HasEnded(v1::Complaint::State state);
// Open and strictly past its due date: on the due instant itself a case is
// still in time. (An explanation moves the due date.)
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

// Every state IsAllowedTransition admits from `from`, in enum order: what
// staff are offered as the next step.
std::vector<v1::Complaint::State> NextStates(v1::Complaint::State from);

// The roles of a caller (its key's), as the rules below read them; the
// service fills it from the authenticated principal.
class CallerRoles {
 public:
  CallerRoles() = default;
  CallerRoles(std::initializer_list<common::v1::Role> roles);
  void Add(common::v1::Role role);
  bool Has(common::v1::Role role) const;

 private:
  uint32_t bits_ = 0;
};

// `organizations/{organization}/complaints/{complaint}/attachments/{id}`.
struct AttachmentName {
  std::string organization;
  std::string complaint_id;
  std::string id;
};
inline constexpr absl::string_view kAttachments = "attachments";
// INVALID_ARGUMENT `field_path` when `name` is not of that form.
absl::StatusOr<AttachmentName> ParseAttachmentName(absl::string_view field_path,
                                                   absl::string_view name);
std::string FormatAttachmentName(absl::string_view complaint_name,
                                 absl::string_view id);

// Who works on corruption reports (INTEGRITY_OFFICER, SYSTEM), and who may
// read them and their replies (those, and AUDITOR).
bool MayHandleCorruptionReports(const CallerRoles& roles);
bool MayReadCorruptionReports(const CallerRoles& roles);

// Corruption reports are the protected channel: PERMISSION_DENIED unless
// the caller may handle them (MayHandleCorruptionReports). Any other
// complaint: OK.
absl::Status CheckMayHandle(const CallerRoles& roles,
                            const v1::Complaint& complaint);
// Reading one is as narrow: an operator may be the official it accuses, and
// its replies hold the officer's notes and the reporter's own words.
absl::Status CheckMayRead(const CallerRoles& roles,
                          const v1::Complaint& complaint);

// Whether a caller with `roles` whose key covers the complaint's
// organization (`covers_organization`) is the organization's own staff
// filing on behalf of a walk-in or caller (OPERATOR or INTEGRITY_OFFICER),
// which has a larger filing budget than the public.
bool FilesForOrganization(const CallerRoles& roles, bool covers_organization);

// What a listing of complaints asks for.
struct ComplaintFilter {
  std::vector<v1::Complaint::State> states;
  v1::Complaint::Kind kind = v1::Complaint::KIND_UNSPECIFIED;
  bool overdue_only = false;
  int due_within_days = 0;
  // False leaves corruption reports out (callers who may not read them).
  bool include_corruption = true;
};

// The filter of `request` (INVALID_ARGUMENT naming states, kind or
// due_within_days, 0-365). Callers who may not read corruption reports see
// nothing of them in lists, not even that the filter matched one.
absl::StatusOr<ComplaintFilter> ListFilter(
    const v1::ListComplaintsRequest& request, const CallerRoles& roles);

// The `states` filter of a listing: known states, each once (at most the
// number of states there are; more is INVALID_ARGUMENT).
absl::StatusOr<std::vector<v1::Complaint::State>> StatesFilter(
    const google::protobuf::RepeatedField<int>& states);

// The replay secret of a filing: empty, or 16-128 printable ASCII
// characters; required with a request id when the caller has no API key
// (see CreateComplaintRequest.replay_secret).
absl::Status ValidateReplaySecret(const v1::CreateComplaintRequest& request,
                                  bool anonymous);

// The request's own fields (INVALID_ARGUMENT naming the field), then the
// move from `current` (FAILED_PRECONDITION "cannot move a complaint from
// RESOLVED to ASSIGNED"). Every move needs a note (1-2000); ASSIGNED an
// assignee (1-200), REFERRED referred_to (1-200), RESOLVED a resolution
// (1-5000), REJECTED a rejection_reason, and DUPLICATE a duplicate_of naming
// another complaint (not `self_name`) of `organization`. A detail given for
// another target is INVALID_ARGUMENT too.
absl::Status ValidateTransition(v1::Complaint::State current,
                                const v1::TransitionComplaintRequest& request,
                                absl::string_view organization,
                                absl::string_view self_name);

// A rating (1-5, closes the case) or a reopening (reason 1-2000 characters,
// back to IN_PROGRESS) of a RESOLVED case; returns the state it leads to.
// Neither given: INVALID_ARGUMENT "response"; not RESOLVED:
// FAILED_PRECONDITION.
absl::StatusOr<v1::Complaint::State> ValidateResolutionResponse(
    v1::Complaint::State current,
    const v1::RespondToResolutionRequest& request);

// The complainant may add information (1-5000 characters) until the case is
// final (CLOSED, REFERRED, REJECTED, WITHDRAWN: FAILED_PRECONDITION).
absl::Status ValidateComplainantInformation(v1::Complaint::State current,
                                            absl::string_view text);

// A staff reply: visibility required, text 1-5000 characters; `new_due_time`
// (an explanation of a delay) only on PUBLIC replies, later than both
// `current_due` and `now`, and at most kMaxNewDueDays after `now`.
absl::Status ValidateReply(const v1::Reply& reply, absl::Time current_due,
                           absl::Time now);

// `organizations/{org}/categories/{id}` with id 1-40 of [a-z0-9-], a display
// name (1-200) and an SLA of 0 (the default) to 365 days; returns the parsed
// name.
absl::StatusOr<ChildName> ValidateCategory(const v1::Category& category);

// Why an officer reads a protected identity (it is logged with the read):
// 10-500 characters, so that "x" is not a reason.
absl::Status ValidateIdentityAccessReason(absl::string_view reason);

// Whether `request` repeats the filing that stored `stored`: the same caller
// (`principal`, the key's name) and the same complaint (what a retry of one
// form submission sends).
bool SameFiling(const v1::Complaint& stored, const v1::Complaint& request,
                absl::string_view principal);

// A create whose request id found the earlier filing `stored`: the same
// filing (SameFiling) is answered with that complaint, and with its
// tracking code while `now` is within `replay_window` of its creation
// (returns whether to); another complaint under the same id is
// INVALID_ARGUMENT "request_id". Only the caller who made the id (and,
// anonymously, holds its secret) reaches this, so it tells nobody else
// anything.
absl::StatusOr<bool> CheckReplay(const v1::Complaint& stored,
                                 const v1::Complaint& request,
                                 absl::string_view principal, absl::Time now,
                                 absl::Duration replay_window);

// What the complainant sees of `complaint` and its PUBLIC `replies`: what
// was said, not which staff key said it (a staff reply's actor is cleared),
// and how many photos it holds, never the photos.
v1::TrackedComplaint TrackedView(const v1::Complaint& complaint,
                                 std::vector<v1::Reply> public_replies);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_DOMAIN_H_
