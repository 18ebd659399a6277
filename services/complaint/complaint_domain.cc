#include "services/complaint/complaint_domain.h"

#include <cmath>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/fields.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "services/complaint/photo.h"

namespace prongsai::complaint {
namespace {

using State = v1::Complaint::State;

constexpr int64_t kMaxAttachmentBytes = int64_t{1} << 30;
constexpr int kMaxCategoryIdChars = 40;
// google.protobuf.Timestamp's range: 0001-01-01 to 9999-12-31 UTC.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

// Category ids appear in URLs and forms: 1-40 of [a-z0-9-].
bool IsCategoryId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxCategoryIdChars) return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<ChildName> ParseCategoryName(absl::string_view field_path,
                                            absl::string_view name) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName parsed,
                            ParseChildName(field_path, name, "categories"));
  if (!IsCategoryId(parsed.id)) {
    return InvalidField(field_path, "the id must be 1-40 of a-z, 0-9 and '-'");
  }
  return parsed;
}

absl::Status ValidatePerson(absl::string_view path, const v1::Person& person) {
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText(absl::StrCat(path, ".name"), person.name(), 200, false));
  PRONGSAI_RETURN_IF_ERROR(ValidateText(absl::StrCat(path, ".contact"),
                                        person.contact(), 500, false));
  return ValidateText(absl::StrCat(path, ".position"), person.position(), 200,
                      false);
}

bool HasPerson(const v1::Person& person) {
  return !person.name().empty() || !person.contact().empty() ||
         !person.position().empty();
}

absl::Status ValidatePlace(const v1::Place& place) {
  PRONGSAI_RETURN_IF_ERROR(ValidateText("complaint.place.description",
                                        place.description(), 500, false));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText("complaint.place.village", place.village(), 100, false));
  PRONGSAI_RETURN_IF_ERROR(ValidateText("complaint.place.subdistrict",
                                        place.subdistrict(), 100, false));
  if (place.has_latitude() != place.has_longitude()) {
    return InvalidField(place.has_latitude() ? "complaint.place.longitude"
                                             : "complaint.place.latitude",
                        "latitude and longitude come together");
  }
  if (place.has_latitude() &&
      (!std::isfinite(place.latitude()) || std::abs(place.latitude()) > 90)) {
    return InvalidField("complaint.place.latitude",
                        "must be between -90 and 90");
  }
  if (place.has_longitude() && (!std::isfinite(place.longitude()) ||
                                std::abs(place.longitude()) > 180)) {
    return InvalidField("complaint.place.longitude",
                        "must be between -180 and 180");
  }
  return absl::OkStatus();
}

// A photo whose bytes the service stores (see photo.h); its size, hash and
// name are the service's to set, so what the caller sent there is ignored.
absl::Status ValidatePhoto(absl::string_view path,
                           const v1::Attachment& attachment) {
  PRONGSAI_RETURN_IF_ERROR(ValidateText(absl::StrCat(path, ".file_name"),
                                        attachment.file_name(), 255, true));
  if (attachment.file_name().find_first_of("/\\") != std::string::npos) {
    return InvalidField(absl::StrCat(path, ".file_name"),
                        "must be a file name without a path ('/' or '\\')");
  }
  if (!attachment.storage_uri().empty()) {
    return InvalidField(absl::StrCat(path, ".storage_uri"),
                        "a photo sent as content is stored by the service; "
                        "leave storage_uri empty");
  }
  return StripPhotoMetadata(absl::StrCat(path, ".content"),
                            attachment.media_type(), attachment.content())
      .status();
}

absl::Status ValidateAttachment(int index, const v1::Attachment& attachment) {
  const std::string path = absl::StrCat("complaint.attachments[", index, "]");
  if (!attachment.content().empty()) return ValidatePhoto(path, attachment);
  PRONGSAI_RETURN_IF_ERROR(ValidateText(absl::StrCat(path, ".file_name"),
                                        attachment.file_name(), 255, true));
  PRONGSAI_RETURN_IF_ERROR(ValidateText(absl::StrCat(path, ".media_type"),
                                        attachment.media_type(), 100, true));
  if (attachment.media_type().find('/') == std::string::npos) {
    return InvalidField(absl::StrCat(path, ".media_type"),
                        "must look like type/subtype");
  }
  if (attachment.size_bytes() < 0 ||
      attachment.size_bytes() > kMaxAttachmentBytes) {
    return InvalidField(absl::StrCat(path, ".size_bytes"),
                        "must be between 0 and 1 GiB");
  }
  bool hex = attachment.sha256().size() == 64;
  for (char c : attachment.sha256()) {
    hex = hex && absl::ascii_isxdigit(c) && !absl::ascii_isupper(c);
  }
  if (!hex) {
    return InvalidField(absl::StrCat(path, ".sha256"),
                        "must be 64 lower-case hex digits");
  }
  return ValidateText(absl::StrCat(path, ".storage_uri"),
                      attachment.storage_uri(), 1000, true);
}

}  // namespace

bool HasEnded(State state) {
  return state == v1::Complaint::CLOSED || state == v1::Complaint::REFERRED ||
         state == v1::Complaint::REJECTED || state == v1::Complaint::WITHDRAWN;
}

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
  PRONGSAI_RETURN_IF_ERROR(api::ValidateOrganizationRef(
      "complaint.organization", complaint.organization()));
  if (!complaint.category().empty()) {
    PRONGSAI_RETURN_IF_ERROR(
        ParseCategoryName("complaint.category", complaint.category()).status());
  }
  PRONGSAI_RETURN_IF_ERROR(ValidatePlace(complaint.place()));
  if (complaint.has_incident_time()) {
    const google::protobuf::Timestamp& incident = complaint.incident_time();
    if (incident.nanos() < 0 || incident.nanos() > 999'999'999 ||
        incident.seconds() < kMinTimestampSeconds ||
        incident.seconds() > kMaxTimestampSeconds) {
      return InvalidField("complaint.incident_time", "is not a valid time");
    }
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateText(
      "complaint.requested_action", complaint.requested_action(), 2000, false));
  if (complaint.attachments_size() > kMaxAttachments) {
    return InvalidField("complaint.attachments",
                        absl::StrCat("at most ", kMaxAttachments));
  }
  int photos = 0;
  for (int i = 0; i < complaint.attachments_size(); ++i) {
    if (!complaint.attachments(i).content().empty() && ++photos > kMaxPhotos) {
      return InvalidField(
          absl::StrCat("complaint.attachments[", i, "].content"),
          absl::StrCat("at most ", kMaxPhotos, " photos per complaint"));
    }
    PRONGSAI_RETURN_IF_ERROR(ValidateAttachment(i, complaint.attachments(i)));
  }
  PRONGSAI_RETURN_IF_ERROR(
      ValidatePerson("complaint.complainant", complaint.complainant()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidatePerson("complaint.accused", complaint.accused()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText("complaint.evidence", complaint.evidence(), 5000, false));
  if (complaint.kind() == v1::Complaint::GENERAL) {
    if (HasPerson(complaint.accused())) {
      return InvalidField("complaint.accused",
                          "only corruption reports name an accused");
    }
    if (!complaint.evidence().empty()) {
      return InvalidField("complaint.evidence",
                          "only corruption reports carry evidence");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateNewComplaint(const v1::Complaint& complaint,
                                  absl::Time now) {
  PRONGSAI_RETURN_IF_ERROR(ValidateNewComplaint(complaint));
  if (complaint.has_incident_time() &&
      api::FromProtoTime(complaint.incident_time()) > now + absl::Hours(24)) {
    return InvalidField("complaint.incident_time", "is in the future");
  }
  return absl::OkStatus();
}

absl::Time DueTime(absl::Time received, int sla_days) {
  return received + absl::Hours(24) * sla_days;
}

int SlaDaysOrDefault(int sla_days) {
  return sla_days > 0 ? sla_days : kDefaultSlaDays;
}

bool IsOpen(State state) {
  return state == v1::Complaint::RECEIVED ||
         state == v1::Complaint::ACKNOWLEDGED ||
         state == v1::Complaint::ASSIGNED ||
         state == v1::Complaint::IN_PROGRESS;
}

bool IsOverdue(State state, absl::Time due_time, absl::Time now) {
  return IsOpen(state) && now > due_time;
}

bool IsAllowedTransition(State from, State to) {
  using C = v1::Complaint;
  switch (from) {
    case C::RECEIVED:
      return to == C::ACKNOWLEDGED || to == C::REFERRED || to == C::REJECTED ||
             to == C::WITHDRAWN;
    case C::ACKNOWLEDGED:
    case C::ASSIGNED:
      return to == C::ASSIGNED || to == C::IN_PROGRESS || to == C::REFERRED ||
             to == C::REJECTED || to == C::WITHDRAWN;
    case C::IN_PROGRESS:
      return to == C::ASSIGNED || to == C::RESOLVED || to == C::REFERRED ||
             to == C::WITHDRAWN;
    case C::RESOLVED:
      return to == C::CLOSED;
    default:
      return false;
  }
}

std::vector<v1::Complaint::State> NextStates(v1::Complaint::State from) {
  std::vector<v1::Complaint::State> next;
  for (int value = v1::Complaint::State_MIN; value <= v1::Complaint::State_MAX;
       ++value) {
    const auto to = static_cast<v1::Complaint::State>(value);
    if (v1::Complaint::State_IsValid(value) && IsAllowedTransition(from, to)) {
      next.push_back(to);
    }
  }
  return next;
}

CallerRoles::CallerRoles(std::initializer_list<common::v1::Role> roles) {
  for (common::v1::Role role : roles) Add(role);
}

void CallerRoles::Add(common::v1::Role role) {
  if (role > 0 && role < 32) bits_ |= uint32_t{1} << role;
}

bool CallerRoles::Has(common::v1::Role role) const {
  return role > 0 && role < 32 && (bits_ & (uint32_t{1} << role)) != 0;
}

bool MayHandleCorruptionReports(const CallerRoles& roles) {
  return roles.Has(common::v1::INTEGRITY_OFFICER) ||
         roles.Has(common::v1::SYSTEM);
}

bool MayReadCorruptionReports(const CallerRoles& roles) {
  return MayHandleCorruptionReports(roles) || roles.Has(common::v1::AUDITOR);
}

absl::Status CheckMayHandle(const CallerRoles& roles,
                            const v1::Complaint& complaint) {
  if (complaint.kind() != v1::Complaint::CORRUPTION ||
      MayHandleCorruptionReports(roles)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "corruption reports are handled by integrity officers");
}

absl::Status CheckMayRead(const CallerRoles& roles,
                          const v1::Complaint& complaint) {
  if (complaint.kind() != v1::Complaint::CORRUPTION ||
      MayReadCorruptionReports(roles)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "corruption reports are read by integrity officers and auditors only");
}

bool FilesForOrganization(const CallerRoles& roles, bool covers_organization) {
  return (roles.Has(common::v1::OPERATOR) ||
          roles.Has(common::v1::INTEGRITY_OFFICER)) &&
         covers_organization;
}

absl::StatusOr<ComplaintFilter> ListFilter(
    const v1::ListComplaintsRequest& request, const CallerRoles& roles) {
  ComplaintFilter filter;
  PRONGSAI_ASSIGN_OR_RETURN(filter.states, StatesFilter(request.states()));
  if (!v1::Complaint::Kind_IsValid(request.kind())) {
    return InvalidField("kind", "is not a known kind");
  }
  filter.kind = request.kind();
  filter.overdue_only = request.overdue_only();
  if (request.due_within_days() < 0 || request.due_within_days() > 365) {
    return InvalidField("due_within_days", "must be between 0 and 365");
  }
  filter.due_within_days = request.due_within_days();
  filter.include_corruption = MayReadCorruptionReports(roles);
  return filter;
}

absl::StatusOr<std::vector<v1::Complaint::State>> StatesFilter(
    const google::protobuf::RepeatedField<int>& states) {
  // Any longer list repeats a state; refusing it bounds the work before the
  // loop below looks at it.
  const int max_states = v1::Complaint::State_ARRAYSIZE;
  if (states.size() > max_states) {
    return InvalidField(
        "states", absl::StrCat("must hold at most ", max_states, " states"));
  }
  std::vector<v1::Complaint::State> filter;
  for (int i = 0; i < states.size(); ++i) {
    const int state = states[i];
    if (state == v1::Complaint::STATE_UNSPECIFIED ||
        !v1::Complaint::State_IsValid(state)) {
      return InvalidField(IndexedPath("states", i), "is not a known state");
    }
    if (absl::c_find(filter, state) == filter.end()) {
      filter.push_back(static_cast<v1::Complaint::State>(state));
    }
  }
  return filter;
}

absl::Status ValidateReplaySecret(const v1::CreateComplaintRequest& request,
                                  bool anonymous) {
  const std::string& secret = request.replay_secret();
  if (secret.empty()) {
    if (anonymous && !request.request_id().empty()) {
      return InvalidField("replay_secret",
                          "is required with a request_id when filing without "
                          "an API key; make 16 or more random characters and "
                          "keep them with the request id");
    }
    return absl::OkStatus();
  }
  if (secret.size() < 16 || secret.size() > 128) {
    return InvalidField("replay_secret", "must be 16-128 characters");
  }
  for (char c : secret) {
    if (c < 0x21 || c > 0x7E) {
      return InvalidField("replay_secret",
                          "must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateTransition(State current,
                                const v1::TransitionComplaintRequest& request,
                                absl::string_view organization,
                                absl::string_view self_name) {
  using C = v1::Complaint;
  const State target = request.target_state();
  if (target == C::STATE_UNSPECIFIED || !C::State_IsValid(target) ||
      target == C::RECEIVED) {
    return InvalidField("target_state", "must be a state a case can move to");
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateText("note", request.note(), 2000, true));
  // Each detail belongs to one target, and is required there.
  struct Detail {
    absl::string_view field;
    bool given;
    State target;
    int max_chars;
    absl::string_view text;
  };
  const Detail details[] = {
      {"assignee", !request.assignee().empty(), C::ASSIGNED, 200,
       request.assignee()},
      {"referred_to", !request.referred_to().empty(), C::REFERRED, 200,
       request.referred_to()},
      {"resolution", !request.resolution().empty(), C::RESOLVED, 5000,
       request.resolution()},
  };
  for (const Detail& detail : details) {
    if (target == detail.target) {
      PRONGSAI_RETURN_IF_ERROR(
          ValidateText(detail.field, detail.text, detail.max_chars, true));
    } else if (detail.given) {
      return InvalidField(detail.field,
                          absl::StrCat("belongs only to a move to ",
                                       C::State_Name(detail.target)));
    }
  }
  if (target == C::REJECTED) {
    if (request.rejection_reason() == v1::REJECTION_REASON_UNSPECIFIED ||
        !v1::RejectionReason_IsValid(request.rejection_reason())) {
      return InvalidField("rejection_reason", "is required to reject");
    }
    if (request.rejection_reason() == v1::DUPLICATE) {
      PRONGSAI_ASSIGN_OR_RETURN(
          ChildName original,
          ParseChildName("duplicate_of", request.duplicate_of(), kComplaints));
      if (original.organization != organization) {
        return InvalidField("duplicate_of",
                            "must be a complaint of the same organization");
      }
      if (request.duplicate_of() == self_name) {
        return InvalidField("duplicate_of",
                            "a complaint cannot duplicate itself");
      }
    } else if (!request.duplicate_of().empty()) {
      return InvalidField("duplicate_of", "belongs only to DUPLICATE");
    }
  } else if (request.rejection_reason() != v1::REJECTION_REASON_UNSPECIFIED) {
    return InvalidField("rejection_reason", "belongs only to a rejection");
  } else if (!request.duplicate_of().empty()) {
    return InvalidField("duplicate_of", "belongs only to a rejection");
  }
  if (!IsAllowedTransition(current, target)) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot move a complaint from ", C::State_Name(current),
                     " to ", C::State_Name(target)));
  }
  return absl::OkStatus();
}

absl::StatusOr<State> ValidateResolutionResponse(
    State current, const v1::RespondToResolutionRequest& request) {
  switch (request.response_case()) {
    case v1::RespondToResolutionRequest::kSatisfaction:
      if (request.satisfaction() < 1 || request.satisfaction() > 5) {
        return InvalidField("satisfaction", "must be 1 to 5");
      }
      break;
    case v1::RespondToResolutionRequest::kReopenReason:
      PRONGSAI_RETURN_IF_ERROR(
          ValidateText("reopen_reason", request.reopen_reason(), 2000, true));
      break;
    default:
      return InvalidField("response", "give a satisfaction or a reopen_reason");
  }
  if (current != v1::Complaint::RESOLVED) {
    return absl::FailedPreconditionError(
        "only a resolved complaint can be rated or reopened");
  }
  return request.has_satisfaction() ? v1::Complaint::CLOSED
                                    : v1::Complaint::IN_PROGRESS;
}

absl::Status ValidateComplainantInformation(State current,
                                            absl::string_view text) {
  PRONGSAI_RETURN_IF_ERROR(ValidateText("text", text, 5000, true));
  if (HasEnded(current)) {
    return absl::FailedPreconditionError(
        "the case is closed; file a new complaint instead");
  }
  return absl::OkStatus();
}

absl::Status ValidateReply(const v1::Reply& reply, absl::Time current_due,
                           absl::Time now) {
  if (reply.visibility() != v1::Reply::INTERNAL &&
      reply.visibility() != v1::Reply::PUBLIC) {
    return InvalidField("reply.visibility", "must be INTERNAL or PUBLIC");
  }
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText("reply.text", reply.text(), 5000, true));
  if (reply.has_new_due_time()) {
    if (reply.visibility() != v1::Reply::PUBLIC) {
      return InvalidField("reply.new_due_time",
                          "a delay is explained to the complainant: only "
                          "PUBLIC replies move the due date");
    }
    const absl::Time due = api::FromProtoTime(reply.new_due_time());
    if (due <= current_due) {
      return InvalidField("reply.new_due_time",
                          "must be later than the current due date");
    }
    // A date already past would leave the case overdue: no explanation.
    if (due <= now) {
      return InvalidField("reply.new_due_time", "must be in the future");
    }
    if (due > now + absl::Hours(24) * kMaxNewDueDays) {
      return InvalidField("reply.new_due_time",
                          "must be within a year from now");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ChildName> ValidateCategory(const v1::Category& category) {
  PRONGSAI_ASSIGN_OR_RETURN(
      ChildName name, ParseCategoryName("category.name", category.name()));
  PRONGSAI_RETURN_IF_ERROR(ValidateText("category.display_name",
                                        category.display_name(), 200, true));
  if (category.sla_days() < 0 || category.sla_days() > kMaxSlaDays) {
    return InvalidField("category.sla_days", "must be between 0 and 365");
  }
  return name;
}

absl::Status ValidateIdentityAccessReason(absl::string_view reason) {
  PRONGSAI_RETURN_IF_ERROR(ValidateText("reason", reason, 500, true));
  if (VisibleLength(reason) < 10) {
    return InvalidField("reason",
                        "say why you need the identity (at least 10 "
                        "characters); it is logged");
  }
  return absl::OkStatus();
}

bool SameFiling(const v1::Complaint& stored, const v1::Complaint& request,
                absl::string_view principal) {
  return stored.audit().creator() == principal &&
         stored.kind() == request.kind() &&
         stored.channel() == request.channel() &&
         stored.subject() == request.subject() &&
         stored.description() == request.description() &&
         stored.category() == request.category();
}

absl::StatusOr<bool> CheckReplay(const v1::Complaint& stored,
                                 const v1::Complaint& request,
                                 absl::string_view principal, absl::Time now,
                                 absl::Duration replay_window) {
  if (!SameFiling(stored, request, principal)) {
    return InvalidField("request_id",
                        "was already used for a different complaint; "
                        "use a new request id for a new complaint");
  }
  return now - api::FromProtoTime(stored.audit().create_time()) <=
         replay_window;
}

absl::StatusOr<AttachmentName> ParseAttachmentName(absl::string_view field_path,
                                                   absl::string_view name) {
  const size_t split = name.rfind('/');
  const size_t collection = split == absl::string_view::npos
                                ? absl::string_view::npos
                                : name.rfind('/', split == 0 ? 0 : split - 1);
  const absl::string_view id =
      split == absl::string_view::npos ? "" : name.substr(split + 1);
  bool well_formed =
      collection != absl::string_view::npos &&
      name.substr(collection + 1, split - collection - 1) == kAttachments &&
      !id.empty() && id.size() <= 64;
  for (char c : id) {
    well_formed = well_formed && (absl::ascii_isalnum(c) || c == '-');
  }
  absl::StatusOr<ChildName> complaint =
      well_formed
          ? ParseChildName(field_path, name.substr(0, collection), kComplaints)
          : absl::InvalidArgumentError("");
  if (!complaint.ok()) {
    return InvalidField(field_path,
                        "must be organizations/{organization}/complaints/"
                        "{complaint}/attachments/{attachment}");
  }
  return AttachmentName{std::move(complaint->organization),
                        std::move(complaint->id), std::string(id)};
}

std::string FormatAttachmentName(absl::string_view complaint_name,
                                 absl::string_view id) {
  return absl::StrCat(complaint_name, "/", kAttachments, "/", id);
}

v1::TrackedComplaint TrackedView(const v1::Complaint& complaint,
                                 std::vector<v1::Reply> public_replies) {
  v1::TrackedComplaint tracked;
  tracked.set_kind(complaint.kind());
  tracked.set_subject(complaint.subject());
  tracked.set_state(complaint.state());
  *tracked.mutable_receive_time() = complaint.receive_time();
  *tracked.mutable_due_time() = complaint.due_time();
  tracked.set_overdue(complaint.overdue());
  tracked.set_resolution(complaint.resolution());
  tracked.set_satisfaction(complaint.satisfaction());
  tracked.set_reopen_count(complaint.reopen_count());
  tracked.set_photo_count(static_cast<int32_t>(absl::c_count_if(
      complaint.attachments(),
      [](const v1::Attachment& a) { return !a.name().empty(); })));
  *tracked.mutable_organization() = complaint.organization();
  for (v1::Reply& reply : public_replies) {
    if (reply.author() == v1::Reply::STAFF) reply.clear_actor();
    *tracked.add_public_replies() = std::move(reply);
  }
  return tracked;
}

}  // namespace prongsai::complaint
