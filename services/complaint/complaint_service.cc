#include "services/complaint/complaint_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/api/fields.h"
#include "common/api/resource_table.h"
#include "common/base/log.h"
#include "common/base/organization_codes.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/cache/cache_aside.h"
#include "common/cache/event_stream.h"
#include "common/metrics/metrics.h"
#include "common/server/list_scope.h"
#include "common/server/method_list.h"
#include "prometheus/gauge.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/access_chain.h"
#include "services/complaint/complaint_domain.h"
#include "services/complaint/complaint_export.h"
#include "services/complaint/complaint_peers.h"
#include "services/complaint/complaint_sealing.h"
#include "services/complaint/complaint_statistics.h"
#include "services/complaint/complaint_store.h"
#include "services/complaint/photo.h"
#include "services/complaint/reply_template_store.h"
#include "services/complaint/reply_templates.h"
#include "services/complaint/retention.h"
#include "services/complaint/retention_store.h"
#include "services/complaint/tracking_code.h"

namespace prongsai::complaint {
namespace {

using common::v1::SYSTEM;

// 3: public entries hold the published figures, and general-only views.
constexpr int kStatisticsCacheVersion = 3;
constexpr int kTrackedRepliesLimit = 200;
// The largest request message: a filing with kMaxPhotos photos of
// kMaxPhotoBytes (4 MiB) and its text, with room to spare. Documented in
// complaint.proto (CreateComplaint).
constexpr int kMaxComplaintRequestBytes = 8 << 20;
static_assert(kMaxComplaintRequestBytes >=
              kMaxPhotos * kMaxPhotoBytes + (int64_t{1} << 20));

// Every RPC of the service, each answered by the member Do<Method>.
#define PRONGSAI_COMPLAINT_METHODS(UNARY, STREAM)                             \
  UNARY(CreateComplaint, CreateComplaintRequest, Complaint)                   \
  UNARY(GetComplaint, GetComplaintRequest, Complaint)                         \
  UNARY(GetAttachment, GetAttachmentRequest, Attachment)                      \
  UNARY(ListComplaints, ListComplaintsRequest, ListComplaintsResponse)        \
  UNARY(TransitionComplaint, TransitionComplaintRequest, Complaint)           \
  UNARY(CreateReply, CreateReplyRequest, Reply)                               \
  UNARY(ListReplies, ListRepliesRequest, ListRepliesResponse)                 \
  UNARY(GetProtectedIdentity, GetProtectedIdentityRequest, ProtectedIdentity) \
  UNARY(ListIdentityAccesses, ListIdentityAccessesRequest,                    \
        ListIdentityAccessesResponse)                                         \
  UNARY(VerifyIdentityAccessLog, VerifyIdentityAccessLogRequest,              \
        IdentityAccessLogVerification)                                        \
  UNARY(GetRetentionPolicy, GetRetentionPolicyRequest, RetentionPolicy)       \
  UNARY(UpdateRetentionPolicy, UpdateRetentionPolicyRequest, RetentionPolicy) \
  UNARY(ListPendingErasures, ListPendingErasuresRequest,                      \
        ListPendingErasuresResponse)                                          \
  UNARY(ListIdentityErasures, ListIdentityErasuresRequest,                    \
        ListIdentityErasuresResponse)                                         \
  UNARY(EraseComplainantContact, EraseComplainantContactRequest,              \
        IdentityErasure)                                                      \
  UNARY(UpsertCategory, UpsertCategoryRequest, Category)                      \
  UNARY(ListCategories, ListCategoriesRequest, ListCategoriesResponse)        \
  UNARY(TrackComplaint, TrackComplaintRequest, TrackedComplaint)              \
  UNARY(AddComplainantInformation, AddComplainantInformationRequest,          \
        TrackedComplaint)                                                     \
  UNARY(RespondToResolution, RespondToResolutionRequest, TrackedComplaint)    \
  UNARY(GetComplaintStatistics, GetComplaintStatisticsRequest,                \
        ComplaintStatistics)                                                  \
  UNARY(GetPublicComplaintStatistics, GetComplaintStatisticsRequest,          \
        ComplaintStatistics)                                                  \
  UNARY(BatchGetComplaintHandling, BatchGetComplaintHandlingRequest,          \
        BatchGetComplaintHandlingResponse)                                    \
  UNARY(ExportComplaints, ExportComplaintsRequest, ExportedDocument)          \
  UNARY(UpsertReplyTemplate, UpsertReplyTemplateRequest, ReplyTemplate)       \
  UNARY(ListReplyTemplates, ListReplyTemplatesRequest,                        \
        ListReplyTemplatesResponse)                                           \
  UNARY(DeleteReplyTemplate, DeleteReplyTemplateRequest,                      \
        DeleteReplyTemplateResponse)

using GrpcService = v1::ComplaintService;
using ComplaintRawService =
    server::RawCallbackService<GrpcService::Service PRONGSAI_COMPLAINT_METHODS(
        PRONGSAI_RAW_METHOD, PRONGSAI_RAW_METHOD)>;

// The roles of the caller's key, as the domain rules read them.
CallerRoles RolesOf(const server::CallContext& call) {
  CallerRoles roles;
  for (int role = common::v1::Role_MIN; role <= common::v1::Role_MAX; ++role) {
    if (common::v1::Role_IsValid(role) &&
        call.principal.HasRole(static_cast<common::v1::Role>(role))) {
      roles.Add(static_cast<common::v1::Role>(role));
    }
  }
  return roles;
}

// Buckets in Redis are named by a hash of the client's address: keyed, or a
// dump would give the addresses back to anyone hashing every IPv4 address.
// The key derives from the tracking key (the limiter hashes it again), so it
// is never the tracking key itself.
cache::RateLimiter::Options WithClientHashKey(cache::RateLimiter::Options limit,
                                              const ProtectionKeys& keys) {
  if (limit.client_hash_key.empty()) {
    limit.client_hash_key =
        absl::StrCat("prongsai complaint rate limit\n", keys.tracking_key());
  }
  return limit;
}

// The SLA of `category` (a resource name of `organization`, or empty for
// the default).
absl::StatusOr<int> CategorySlaDays(storage::Connection& db,
                                    absl::string_view organization,
                                    absl::string_view category,
                                    absl::string_view field) {
  if (category.empty()) return kDefaultSlaDays;
  PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                            ParseChildName(field, category, "categories"));
  if (name.organization != organization) {
    return InvalidField(field, "belongs to another organization");
  }
  absl::StatusOr<v1::Category> found = GetCategory(db, organization, name.id);
  if (absl::IsNotFound(found.status())) {
    return InvalidField(field, "is not a category of this organization");
  }
  PRONGSAI_RETURN_IF_ERROR(found.status());
  return SlaDaysOrDefault(found->sla_days());
}

// Parses `name` (reported as `field`), checks the caller's organization
// and loads the complaint, if the caller may read it.
absl::StatusOr<StoredComplaint> LoadByName(server::CallContext& call,
                                           absl::string_view complaint_name,
                                           absl::string_view field) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                            ParseChildName(field, complaint_name, kComplaints));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(name.organization));
  PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      StoredComplaint stored,
      complaint::GetComplaint(*db, name.organization, name.id, call.now));
  PRONGSAI_RETURN_IF_ERROR(CheckMayRead(RolesOf(call), stored.complaint));
  return stored;
}

// The complaint `duplicate_of` names must exist (the domain checked its
// form and organization).
absl::Status CheckDuplicateExists(storage::Connection& db,
                                  const v1::TransitionComplaintRequest& request,
                                  absl::Time now) {
  if (request.rejection_reason() != v1::DUPLICATE) return absl::OkStatus();
  PRONGSAI_ASSIGN_OR_RETURN(
      ChildName original,
      ParseChildName("duplicate_of", request.duplicate_of(), kComplaints));
  absl::StatusOr<StoredComplaint> found =
      complaint::GetComplaint(db, original.organization, original.id, now);
  if (absl::IsNotFound(found.status())) {
    return InvalidField("duplicate_of", "no such complaint");
  }
  return found.status();
}

// The cache key of one statistics answer. Any write to the organization's
// complaints replaces `version`, so a cached figure is never older than the
// last write; time-driven changes (a case becoming overdue) are bounded by
// the TTL. Each view has keys of its own; public figures also key on their
// cut-off and threshold.
std::string StatisticsKey(const v1::GetComplaintStatisticsRequest& request,
                          absl::string_view organization,
                          absl::string_view version, StatisticsView view,
                          const Period& period, int threshold) {
  const bool public_view = view == StatisticsView::kPublic;
  return cache::VersionedKey(
      "complaint", kStatisticsCacheVersion,
      absl::StrCat(
          public_view                            ? "public-"
          : view == StatisticsView::kGeneralOnly ? "general-"
                                                 : "",
          "statistics/", organization, "/", request.fiscal_year().be_year(),
          "/", request.quarter(), "/", request.month(), "/", version,
          public_view ? absl::StrCat("/", absl::ToUnixMicros(period.end), "/",
                                     threshold)
                      : ""));
}

class ComplaintGrpcService final : public ComplaintRawService {
 public:
  ComplaintGrpcService(server::ServiceRuntime& runtime,
                       ComplaintOptions options)
      : runtime_(runtime),
        options_(std::move(options)),
        filing_limiter_(
            WithClientHashKey(options_.public_filing_limit, options_.keys)),
        tracking_limiter_(
            WithClientHashKey(options_.public_tracking_limit, options_.keys)),
        tracking_global_limiter_(WithClientHashKey(
            options_.public_tracking_global_limit, options_.keys)),
        staff_filing_limiter_(
            WithClientHashKey(options_.staff_filing_limit, options_.keys)),
        registry_(options_.plan),
        events_(cache::EventPublisher::Options{}) {}

  PRONGSAI_COMPLAINT_METHODS(PRONGSAI_UNARY_OVERRIDE, PRONGSAI_STREAM_OVERRIDE)

 private:
  absl::Status DoCreateComplaint(server::CallContext& call,
                                 const v1::CreateComplaintRequest& request,
                                 v1::Complaint& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string organization,
        ParseOrganizationParent("parent", request.parent()));
    PRONGSAI_RETURN_IF_ERROR(
        ValidateRequestId("request_id", request.request_id()));
    PRONGSAI_RETURN_IF_ERROR(
        ValidateReplaySecret(request, call.principal.is_public()));
    PRONGSAI_RETURN_IF_ERROR(
        ValidateNewComplaint(request.complaint(), call.now));
    PRONGSAI_RETURN_IF_ERROR(AllowFiling(call, organization));
    // The organization as registered, not as the caller described it.
    v1::Complaint complaint = request.complaint();
    client::PeerCall peers(call.deadline);
    PRONGSAI_ASSIGN_OR_RETURN(*complaint.mutable_organization(),
                              registry_.Lookup(peers, organization, call.now));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        int sla_days, CategorySlaDays(*db, organization, complaint.category(),
                                      "complaint.category"));
    PRONGSAI_ASSIGN_OR_RETURN(
        SealedFiling filing,
        SealNewFiling(options_.keys, complaint, organization, sla_days));
    // Photos are described in the register; their bytes go separately.
    *complaint.mutable_attachments() = std::move(filing.attachments);
    PRONGSAI_ASSIGN_OR_RETURN(
        StoredComplaint stored,
        complaint::CreateComplaint(
            *db, organization, complaint, filing.stored,
            ScopedRequestId(call.principal.name(), request.request_id(),
                            request.replay_secret(),
                            options_.keys.tracking_key()),
            call.writer()));
    response = std::move(stored.complaint);
    if (response.name() == filing.name) {
      response.set_tracking_code(filing.tracking_code);
      Publish(call, "complaint.filed", response);
      return absl::OkStatus();
    }
    // A repeated request: hand back the code the first call made.
    PRONGSAI_ASSIGN_OR_RETURN(
        bool replay_code,
        CheckReplay(response, complaint, call.principal.name(), call.now,
                    options_.tracking_code_replay_window));
    if (replay_code) {
      PRONGSAI_ASSIGN_OR_RETURN(
          ChildName first_name,
          ParseChildName("name", response.name(), kComplaints));
      PRONGSAI_ASSIGN_OR_RETURN(
          stored.sealed.wrapped_key,
          ReadComplaintKey(*db, organization, first_name.id));
      absl::StatusOr<std::string> first =
          OpenTrackingCode(options_.keys, stored.sealed, response.name());
      if (first.ok()) response.set_tracking_code(*first);
    }
    return absl::OkStatus();
  }

  absl::Status DoGetComplaint(server::CallContext& call,
                              const v1::GetComplaintRequest& request,
                              v1::Complaint& response) {
    PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                              LoadByName(call, request.name(), "name"));
    response = std::move(stored.complaint);
    return absl::OkStatus();
  }

  absl::Status DoGetAttachment(server::CallContext& call,
                               const v1::GetAttachmentRequest& request,
                               v1::Attachment& response) {
    PRONGSAI_ASSIGN_OR_RETURN(AttachmentName name,
                              ParseAttachmentName("name", request.name()));
    // The complaint's rules decide: whoever may read it may see its photos.
    PRONGSAI_RETURN_IF_ERROR(
        LoadByName(
            call,
            FormatChildName(name.organization, kComplaints, name.complaint_id),
            "name")
            .status());
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        StoredPhoto photo,
        GetPhoto(*db, name.organization, name.complaint_id, name.id));
    PRONGSAI_ASSIGN_OR_RETURN(*response.mutable_content(),
                              OpenPhoto(options_.keys, photo, request.name()));
    response.set_name(request.name());
    response.set_file_name(photo.file_name);
    response.set_media_type(photo.media_type);
    response.set_size_bytes(photo.size_bytes);
    response.set_sha256(photo.sha256);
    return absl::OkStatus();
  }

  absl::Status DoListComplaints(server::CallContext& call,
                                const v1::ListComplaintsRequest& request,
                                v1::ListComplaintsResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                              server::StartList(call, request));
    PRONGSAI_ASSIGN_OR_RETURN(ComplaintFilter filter,
                              ListFilter(request, RolesOf(call)));
    PRONGSAI_ASSIGN_OR_RETURN(
        api::Page<v1::Complaint> complaints,
        complaint::ListComplaints(*scope.db, scope.organization, filter,
                                  scope.page, call.now));
    server::FinishList(complaints.items, complaints.next_cursor, request,
                       response.mutable_complaints(), response);
    return absl::OkStatus();
  }

  absl::Status DoTransitionComplaint(
      server::CallContext& call, const v1::TransitionComplaintRequest& request,
      v1::Complaint& response) {
    PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                              LoadByName(call, request.name(), "name"));
    PRONGSAI_RETURN_IF_ERROR(CheckMayHandle(RolesOf(call), stored.complaint));
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name, ParseChildName("name", request.name(), kComplaints));
    PRONGSAI_RETURN_IF_ERROR(ValidateTransition(stored.complaint.state(),
                                                request, name.organization,
                                                stored.complaint.name()));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_RETURN_IF_ERROR(CheckDuplicateExists(*db, request, call.now));
    PRONGSAI_ASSIGN_OR_RETURN(
        stored,
        ApplyTransition(*db, name.organization, name.id,
                        stored.complaint.state(), request, call.writer()));
    response = std::move(stored.complaint);
    Publish(call, "complaint.state_changed", response);
    return absl::OkStatus();
  }

  absl::Status DoCreateReply(server::CallContext& call,
                             const v1::CreateReplyRequest& request,
                             v1::Reply& response) {
    PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                              LoadByName(call, request.parent(), "parent"));
    PRONGSAI_RETURN_IF_ERROR(CheckMayHandle(RolesOf(call), stored.complaint));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        v1::Reply reply, ReplyFromTemplate(*db, stored.complaint, request));
    PRONGSAI_RETURN_IF_ERROR(ValidateReply(
        reply, api::FromProtoTime(stored.complaint.due_time()), call.now));
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name,
        ParseChildName("parent", request.parent(), kComplaints));
    PRONGSAI_ASSIGN_OR_RETURN(response,
                              AddReply(*db, name.organization, name.id, reply,
                                       v1::Reply::STAFF, call.writer()));
    return absl::OkStatus();
  }

  // The reply to store: the request's, or, with `reply.reply_template`, the
  // template's text with its placeholders filled from `complaint` and the
  // given values.
  static absl::StatusOr<v1::Reply> ReplyFromTemplate(
      storage::Connection& db, const v1::Complaint& complaint,
      const v1::CreateReplyRequest& request) {
    v1::Reply reply = request.reply();
    if (reply.reply_template().empty()) {
      if (!reply.template_values().empty()) {
        return InvalidField("reply.template_values",
                            "given without reply.reply_template");
      }
      return reply;
    }
    if (!reply.text().empty()) {
      return InvalidField("reply.text",
                          "must be empty: the template gives the text");
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name,
        ParseChildName("reply.reply_template", reply.reply_template(),
                       kReplyTemplates));
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName complaint_name,
        ParseChildName("parent", complaint.name(), kComplaints));
    absl::StatusOr<v1::ReplyTemplate> found =
        GetReplyTemplate(db, complaint_name.organization, name.id);
    if (absl::IsNotFound(found.status()) ||
        name.organization != complaint_name.organization) {
      return InvalidField("reply.reply_template",
                          "is not a reply template of this organization");
    }
    PRONGSAI_RETURN_IF_ERROR(found.status());
    std::string category;
    if (!complaint.category().empty()) {
      PRONGSAI_ASSIGN_OR_RETURN(
          ChildName category_name,
          ParseChildName("category", complaint.category(), "categories"));
      absl::StatusOr<v1::Category> stored_category =
          GetCategory(db, category_name.organization, category_name.id);
      category = stored_category.ok() ? stored_category->display_name()
                                      : category_name.id;
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        *reply.mutable_text(),
        FillReplyTemplate(*found, KnownPlaceholders(complaint, category),
                          reply.template_values()));
    if (reply.visibility() == v1::Reply::VISIBILITY_UNSPECIFIED) {
      reply.set_visibility(found->visibility());
    }
    reply.clear_reply_template();
    reply.clear_template_values();
    return reply;
  }

  absl::Status DoUpsertReplyTemplate(
      server::CallContext& call, const v1::UpsertReplyTemplateRequest& request,
      v1::ReplyTemplate& response) {
    PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                              ValidateReplyTemplate(request.reply_template()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(name.organization));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_RETURN_IF_ERROR(
        CategorySlaDays(*db, name.organization,
                        request.reply_template().category(),
                        "reply_template.category")
            .status());
    PRONGSAI_ASSIGN_OR_RETURN(
        response,
        complaint::UpsertReplyTemplate(*db, name.organization, name.id,
                                       request.reply_template(), call.now));
    return absl::OkStatus();
  }

  absl::Status DoListReplyTemplates(
      server::CallContext& call, const v1::ListReplyTemplatesRequest& request,
      v1::ListReplyTemplatesResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string organization,
        ParseOrganizationParent("parent", request.parent()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
    std::string category_id;
    if (!request.category().empty()) {
      PRONGSAI_ASSIGN_OR_RETURN(
          ChildName category,
          ParseChildName("category", request.category(), "categories"));
      if (category.organization != organization) {
        return InvalidField("category", "belongs to another organization");
      }
      category_id = category.id;
    }
    if (!v1::Complaint::State_IsValid(request.state())) {
      return InvalidField("state", "is not a state");
    }
    // The token is bound to the filters too, so it resumes only this list.
    const std::string scope =
        absl::StrCat(request.parent(), "|", category_id, "|", request.state());
    PRONGSAI_ASSIGN_OR_RETURN(
        PageRequest page,
        ParsePageRequest(request.page_size(), request.page_token(), scope));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        api::Page<v1::ReplyTemplate> templates,
        complaint::ListReplyTemplates(*db, organization, category_id,
                                      request.state(), page));
    server::FinishPage(templates.items, templates.next_cursor, scope,
                       response.mutable_reply_templates(), response);
    return absl::OkStatus();
  }

  absl::Status DoDeleteReplyTemplate(
      server::CallContext& call, const v1::DeleteReplyTemplateRequest& request,
      v1::DeleteReplyTemplateResponse& /*response*/) {
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name,
        ParseChildName("name", request.name(), kReplyTemplates));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(name.organization));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    return complaint::DeleteReplyTemplate(*db, name.organization, name.id);
  }

  absl::Status DoListReplies(server::CallContext& call,
                             const v1::ListRepliesRequest& request,
                             v1::ListRepliesResponse& response) {
    PRONGSAI_RETURN_IF_ERROR(
        LoadByName(call, request.parent(), "parent").status());
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name,
        ParseChildName("parent", request.parent(), kComplaints));
    PRONGSAI_ASSIGN_OR_RETURN(
        PageRequest page,
        ParsePageRequest(request.page_size(), request.page_token(),
                         request.parent()));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        api::Page<v1::Reply> replies,
        complaint::ListReplies(*db, name.organization, name.id,
                               /*public_only=*/false, page));
    server::FinishList(replies.items, replies.next_cursor, request,
                       response.mutable_replies(), response);
    return absl::OkStatus();
  }

  absl::Status DoGetProtectedIdentity(
      server::CallContext& call, const v1::GetProtectedIdentityRequest& request,
      v1::ProtectedIdentity& response) {
    PRONGSAI_RETURN_IF_ERROR(ValidateIdentityAccessReason(request.reason()));
    PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                              LoadByName(call, request.name(), "name"));
    if (stored.complaint.has_identities_erase_time()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the identities of this complaint were erased on ",
          absl::FormatTime(
              "%Y-%m-%d",
              api::FromProtoTime(stored.complaint.identities_erase_time()),
              absl::UTCTimeZone()),
          " under the organization's retention policy"));
    }
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        response, RevealIdentity(call, *db, stored, request.reason()));
    return absl::OkStatus();
  }

  // Opens the identities of `stored` for the caller, an integrity officer,
  // after recording the read with `reason` (validated): every identity the
  // service shows goes through here.
  absl::StatusOr<v1::ProtectedIdentity> RevealIdentity(
      server::CallContext& call, storage::Connection& db,
      const StoredComplaint& stored, absl::string_view reason) {
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name,
        ParseChildName("name", stored.complaint.name(), kComplaints));
    // Logged before anything is revealed: no read goes unrecorded.
    PRONGSAI_RETURN_IF_ERROR(
        RecordIdentityAccess(db, name.organization, name.id,
                             call.principal.name(), reason, call.now));
    SealedValues sealed = stored.sealed;
    PRONGSAI_ASSIGN_OR_RETURN(sealed.wrapped_key,
                              ReadComplaintKey(db, name.organization, name.id));
    v1::ProtectedIdentity identity;
    identity.set_complaint(stored.complaint.name());
    PRONGSAI_RETURN_IF_ERROR(OpenIdentity(
        options_.keys, sealed, stored.complaint.name(),
        IdentityPart::kComplainant, identity.mutable_complainant()));
    PRONGSAI_RETURN_IF_ERROR(
        OpenIdentity(options_.keys, sealed, stored.complaint.name(),
                     IdentityPart::kAccused, identity.mutable_accused()));
    return identity;
  }

  absl::Status DoExportComplaints(server::CallContext& call,
                                  const v1::ExportComplaintsRequest& request,
                                  v1::ExportedDocument& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string organization,
        ParseOrganizationParent("parent", request.parent()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
    v1::GetComplaintStatisticsRequest period_request;
    *period_request.mutable_fiscal_year() = request.fiscal_year();
    period_request.set_quarter(request.quarter());
    period_request.set_month(request.month());
    PRONGSAI_ASSIGN_OR_RETURN(Period period, StatisticsPeriod(period_request));
    const CallerRoles roles = RolesOf(call);
    const bool reveal = roles.Has(common::v1::INTEGRITY_OFFICER);
    if (reveal) {
      PRONGSAI_RETURN_IF_ERROR(ValidateIdentityAccessReason(request.reason()));
    }
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        std::vector<StoredComplaint> stored,
        ComplaintsReceivedIn(call, *db, organization, period,
                             MayReadCorruptionReports(roles)));
    std::vector<RegisterRow> rows;
    rows.reserve(stored.size());
    for (StoredComplaint& one : stored) {
      RegisterRow& row = rows.emplace_back();
      if (reveal && one.complaint.kind() == v1::Complaint::CORRUPTION) {
        PRONGSAI_ASSIGN_OR_RETURN(
            row.identity, RevealIdentity(call, *db, one, request.reason()));
      }
      row.sla_due_time = one.sla_due_time;
      row.complaint = std::move(one.complaint);
    }
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Category> categories,
                              complaint::ListCategories(*db, organization));
    absl::flat_hash_map<std::string, std::string> category_names;
    for (const v1::Category& category : categories) {
      category_names[category.name()] = category.display_name();
    }
    response.set_content_type(std::string(kCsvContentType));
    response.set_content(RegisterCsv(rows, category_names));
    return absl::OkStatus();
  }

  // The complaints of `organization` received in `period`, oldest first,
  // corruption reports only when `include_corruption`.
  static absl::StatusOr<std::vector<StoredComplaint>> ComplaintsReceivedIn(
      server::CallContext& call, storage::Connection& db,
      absl::string_view organization, const Period& period,
      bool include_corruption) {
    ComplaintFilter filter;
    filter.include_corruption = include_corruption;
    PageRequest page;
    page.limit = kMaxPageSize;
    std::vector<StoredComplaint> found;
    do {
      PRONGSAI_ASSIGN_OR_RETURN(
          api::Page<v1::Complaint> listed,
          complaint::ListComplaints(db, organization, filter, page, call.now));
      for (const v1::Complaint& listed_one : listed.items) {
        const absl::Time received =
            api::FromProtoTime(listed_one.receive_time());
        if (received < period.start || received >= period.end) continue;
        PRONGSAI_ASSIGN_OR_RETURN(
            ChildName name,
            ParseChildName("name", listed_one.name(), kComplaints));
        PRONGSAI_ASSIGN_OR_RETURN(
            found.emplace_back(),
            complaint::GetComplaint(db, organization, name.id, call.now));
      }
      page.cursor = std::move(listed.next_cursor);
    } while (!page.cursor.empty());
    return found;
  }

  absl::Status DoListIdentityAccesses(
      server::CallContext& call, const v1::ListIdentityAccessesRequest& request,
      v1::ListIdentityAccessesResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                              server::StartList(call, request));
    PRONGSAI_ASSIGN_OR_RETURN(api::Page<v1::IdentityAccess> accesses,
                              complaint::ListIdentityAccesses(
                                  *scope.db, scope.organization, scope.page));
    server::FinishList(accesses.items, accesses.next_cursor, request,
                       response.mutable_accesses(), response);
    return absl::OkStatus();
  }

  absl::Status DoVerifyIdentityAccessLog(
      server::CallContext& call,
      const v1::VerifyIdentityAccessLogRequest& request,
      v1::IdentityAccessLogVerification& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string organization,
        ParseOrganizationParent("parent", request.parent()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
    PRONGSAI_RETURN_IF_ERROR(ValidateKnownHead(request.known_head()));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        response, complaint::VerifyIdentityAccessLog(*db, organization,
                                                     request.known_head()));
    return absl::OkStatus();
  }

  absl::Status DoGetRetentionPolicy(
      server::CallContext& call, const v1::GetRetentionPolicyRequest& request,
      v1::RetentionPolicy& response) {
    PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                              ParseRetentionPolicyName("name", request.name()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(StoredRetentionPolicy stored,
                              complaint::GetRetentionPolicy(*db, organization));
    response = std::move(stored.policy);
    return absl::OkStatus();
  }

  absl::Status DoUpdateRetentionPolicy(
      server::CallContext& call,
      const v1::UpdateRetentionPolicyRequest& request,
      v1::RetentionPolicy& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string organization,
        ParseRetentionPolicyName("retention_policy.name",
                                 request.retention_policy().name()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
    PRONGSAI_RETURN_IF_ERROR(
        ValidateRetentionPolicy(request.retention_policy()));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        StoredRetentionPolicy stored,
        PutRetentionPolicy(*db, organization, request.retention_policy(),
                           call.writer()));
    response = std::move(stored.policy);
    return absl::OkStatus();
  }

  absl::Status DoListPendingErasures(
      server::CallContext& call, const v1::ListPendingErasuresRequest& request,
      v1::ListPendingErasuresResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                              server::StartList(call, request));
    PRONGSAI_ASSIGN_OR_RETURN(
        StoredRetentionPolicy policy,
        complaint::GetRetentionPolicy(*scope.db, scope.organization));
    PRONGSAI_ASSIGN_OR_RETURN(
        api::Page<v1::PendingErasure> pending,
        complaint::ListPendingErasures(*scope.db, scope.organization, policy,
                                       scope.page, call.now));
    server::FinishList(pending.items, pending.next_cursor, request,
                       response.mutable_erasures(), response);
    return absl::OkStatus();
  }

  absl::Status DoListIdentityErasures(
      server::CallContext& call, const v1::ListIdentityErasuresRequest& request,
      v1::ListIdentityErasuresResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                              server::StartList(call, request));
    PRONGSAI_ASSIGN_OR_RETURN(api::Page<v1::IdentityErasure> erasures,
                              complaint::ListIdentityErasures(
                                  *scope.db, scope.organization, scope.page));
    server::FinishList(erasures.items, erasures.next_cursor, request,
                       response.mutable_erasures(), response);
    return absl::OkStatus();
  }

  absl::Status DoEraseComplainantContact(
      server::CallContext& call,
      const v1::EraseComplainantContactRequest& request,
      v1::IdentityErasure& response) {
    PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                              LoadByName(call, request.name(), "name"));
    PRONGSAI_RETURN_IF_ERROR(
        ValidateRequestReference(request.request_reference()));
    const v1::Complaint& complaint = stored.complaint;
    if (!HasEnded(complaint.state())) {
      return absl::FailedPreconditionError(
          "the complaint has not ended: its contact details are still needed "
          "to handle it");
    }
    if (complaint.kind() != v1::Complaint::GENERAL) {
      return absl::FailedPreconditionError(
          "a corruption report's identities are kept for the reporter's "
          "protection until the retention policy erases them");
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name, ParseChildName("name", complaint.name(), kComplaints));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        stored.sealed.wrapped_key,
        ReadComplaintKey(*db, name.organization, name.id));
    PRONGSAI_ASSIGN_OR_RETURN(
        SealedValues resealed,
        SealWithoutContact(options_.keys, stored.sealed, complaint.name()));
    PRONGSAI_ASSIGN_OR_RETURN(
        response, complaint::EraseComplainantContact(
                      *db, name.organization, name.id, stored.sealed, resealed,
                      request.request_reference(), call.writer()));
    return absl::OkStatus();
  }

  absl::Status DoUpsertCategory(server::CallContext& call,
                                const v1::UpsertCategoryRequest& request,
                                v1::Category& response) {
    PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                              ValidateCategory(request.category()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(name.organization));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        response, complaint::UpsertCategory(*db, name.organization, name.id,
                                            request.category(), call.now));
    return absl::OkStatus();
  }

  absl::Status DoListCategories(server::CallContext& call,
                                const v1::ListCategoriesRequest& request,
                                v1::ListCategoriesResponse& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string organization,
        ParseOrganizationParent("parent", request.parent()));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Category> categories,
                              complaint::ListCategories(*db, organization));
    for (v1::Category& category : categories) {
      *response.add_categories() = std::move(category);
    }
    return absl::OkStatus();
  }

  absl::Status DoTrackComplaint(server::CallContext& call,
                                const v1::TrackComplaintRequest& request,
                                v1::TrackedComplaint& response) {
    PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                              LoadByCode(call, request.tracking_code()));
    return FillTracked(call, stored, response);
  }

  absl::Status DoAddComplainantInformation(
      server::CallContext& call,
      const v1::AddComplainantInformationRequest& request,
      v1::TrackedComplaint& response) {
    PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                              LoadByCode(call, request.tracking_code()));
    PRONGSAI_RETURN_IF_ERROR(ValidateComplainantInformation(
        stored.complaint.state(), request.text()));
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name,
        ParseChildName("name", stored.complaint.name(), kComplaints));
    v1::Reply reply;
    reply.set_visibility(v1::Reply::PUBLIC);
    reply.set_text(request.text());
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_RETURN_IF_ERROR(AddReply(*db, name.organization, name.id, reply,
                                      v1::Reply::COMPLAINANT,
                                      {"complainant", call.now})
                                 .status());
    return FillTracked(call, stored, response);
  }

  absl::Status DoRespondToResolution(
      server::CallContext& call, const v1::RespondToResolutionRequest& request,
      v1::TrackedComplaint& response) {
    PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                              LoadByCode(call, request.tracking_code()));
    PRONGSAI_RETURN_IF_ERROR(
        ValidateResolutionResponse(stored.complaint.state(), request).status());
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name,
        ParseChildName("name", stored.complaint.name(), kComplaints));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        int sla_days, CategorySlaDays(*db, name.organization,
                                      stored.complaint.category(), "category"));
    PRONGSAI_ASSIGN_OR_RETURN(
        stored, ApplyResolutionResponse(*db, name.organization, name.id,
                                        stored.complaint.state(), request,
                                        sla_days, call.now));
    Publish(
        call,
        request.has_satisfaction() ? "complaint.rated" : "complaint.reopened",
        stored.complaint);
    return FillTracked(call, stored, response);
  }

  absl::Status DoGetComplaintStatistics(
      server::CallContext& call,
      const v1::GetComplaintStatisticsRequest& request,
      v1::ComplaintStatistics& response) {
    PRONGSAI_ASSIGN_OR_RETURN(response, Statistics(call, request));
    return absl::OkStatus();
  }

  absl::Status DoGetPublicComplaintStatistics(
      server::CallContext& call,
      const v1::GetComplaintStatisticsRequest& request,
      v1::ComplaintStatistics& response) {
    PRONGSAI_ASSIGN_OR_RETURN(
        response, Statistics(call, request, /*public_method=*/true));
    return absl::OkStatus();
  }

  // One query over every organization of the batch; each one's figures by
  // the same ComputeStatistics GetComplaintStatistics answers with.
  absl::Status DoBatchGetComplaintHandling(
      server::CallContext& call,
      const v1::BatchGetComplaintHandlingRequest& request,
      v1::BatchGetComplaintHandlingResponse& response) {
    v1::GetComplaintStatisticsRequest year;
    *year.mutable_fiscal_year() = request.fiscal_year();
    PRONGSAI_ASSIGN_OR_RETURN(Period period, StatisticsPeriod(year));
    PRONGSAI_ASSIGN_OR_RETURN(
        std::vector<std::string> codes,
        ParseOrganizationCodes(
            "organizations",
            {request.organizations().begin(), request.organizations().end()}));
    for (const std::string& code : codes) {
      PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(code));
    }
    const bool general_only =
        request.general_only() || !MayReadCorruptionReports(RolesOf(call));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        auto rows_of,
        LoadStatisticsRowsOf(*db, codes, period.start, period.end));
    for (const std::string& code : codes) {
      std::vector<StatisticsRow>& rows = rows_of[code];
      if (general_only) {
        std::erase_if(rows, [](const StatisticsRow& row) {
          return row.kind != v1::Complaint::GENERAL;
        });
      }
      const v1::ComplaintStatistics statistics =
          ComputeStatistics(rows, period, call.now);
      v1::OrganizationComplaintHandling& handling = *response.add_handlings();
      handling.set_organization(code);
      handling.set_received(statistics.received());
      handling.set_open(statistics.in_progress());
      handling.set_overdue(statistics.overdue());
      if (statistics.has_percent_resolved_within_sla()) {
        handling.set_percent_resolved_within_sla(
            statistics.percent_resolved_within_sla());
      }
      if (statistics.has_percent_satisfied()) {
        handling.set_percent_satisfied(statistics.percent_satisfied());
      }
      handling.set_general_only(general_only);
    }
    return absl::OkStatus();
  }

  // Takes a token of `limiter` for the caller of a public method: a key's
  // own bucket for key holders (so no key holder skips the limits, whatever
  // its role or organization, and a shared proxy address does not throttle
  // it), the client's for anonymous callers. Trusted systems (SYSTEM keys)
  // are not limited.
  bool AllowPublicCall(cache::RateLimiter& limiter,
                       const server::CallContext& call) {
    if (call.principal.HasRole(SYSTEM)) return true;
    const std::string client =
        call.principal.is_public()
            ? call.client_address
            : absl::StrCat("key:", call.principal.name());
    return limiter.Allow(call.worker.Redis(), client, call.now);
  }

  // The organization's own staff have a filing budget of their own.
  absl::Status AllowFiling(const server::CallContext& call,
                           absl::string_view organization) {
    cache::RateLimiter& limiter =
        FilesForOrganization(RolesOf(call),
                             call.principal.CanAccessOrganization(organization))
            ? staff_filing_limiter_
            : filing_limiter_;
    if (!AllowPublicCall(limiter, call)) {
      return absl::ResourceExhaustedError(
          "too many complaints from this client; try again later");
    }
    return absl::OkStatus();
  }

  // The complaint a tracking code stands for. Public callers are rate
  // limited so codes cannot be guessed at speed; errors never echo the code.
  absl::StatusOr<StoredComplaint> LoadByCode(server::CallContext& call,
                                             absl::string_view code) {
    if (!AllowPublicCall(tracking_limiter_, call)) {
      return absl::ResourceExhaustedError(
          "too many tracking requests from this client; try again later");
    }
    if (!call.principal.HasRole(SYSTEM) &&
        !tracking_global_limiter_.Allow(call.worker.Redis(), "all clients",
                                        call.now)) {
      return absl::ResourceExhaustedError(
          "too many tracking requests right now; try again later");
    }
    PRONGSAI_ASSIGN_OR_RETURN(std::string canonical,
                              NormalizeTrackingCode(code));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    return GetComplaintByTrackingHash(
        *db, TrackingCodeHash(canonical, options_.keys.tracking_key()),
        call.now);
  }

  static absl::Status FillTracked(server::CallContext& call,
                                  const StoredComplaint& stored,
                                  v1::TrackedComplaint& tracked) {
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name,
        ParseChildName("name", stored.complaint.name(), kComplaints));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PageRequest page;
    page.limit = kTrackedRepliesLimit;
    PRONGSAI_ASSIGN_OR_RETURN(
        api::Page<v1::Reply> replies,
        complaint::ListReplies(*db, name.organization, name.id,
                               /*public_only=*/true, page));
    tracked = TrackedView(stored.complaint, std::move(replies.items));
    return absl::OkStatus();
  }

  absl::StatusOr<v1::ComplaintStatistics> Statistics(
      server::CallContext& call,
      const v1::GetComplaintStatisticsRequest& request,
      bool public_method = false) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string organization,
        ParseOrganizationParent("parent", request.parent()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
    PRONGSAI_ASSIGN_OR_RETURN(Period period, StatisticsPeriod(request));
    PRONGSAI_ASSIGN_OR_RETURN(
        StatisticsView view,
        ChooseStatisticsView(request, public_method,
                             MayReadCorruptionReports(RolesOf(call))));
    // Public figures count only months that have ended, so a new report
    // does not move them; the cut-off is part of their cache key.
    if (view == StatisticsView::kPublic)
      period = PublicPeriod(period, call.now);
    const int threshold = options_.public_statistics_threshold;
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(std::string version,
                              DataVersion(*db, organization));
    return cache::GetOrLoadVersionedMessage<v1::ComplaintStatistics>(
        call.worker.NearCache(), call.worker.Redis(),
        StatisticsKey(request, organization, version, view, period, threshold),
        options_.statistics_cache_ttl,
        [&]() -> absl::StatusOr<v1::ComplaintStatistics> {
          PRONGSAI_ASSIGN_OR_RETURN(
              std::vector<StatisticsRow> rows,
              LoadStatisticsRows(*db, organization, period.start, period.end));
          return BuildStatistics(std::move(rows), request, view, period,
                                 call.now, threshold);
        },
        &statistics_flight_, call.deadline);
  }

  // Best effort, and never personal data: the event names the complaint and
  // its categorical fields only.
  void Publish(server::CallContext& call, absl::string_view type,
               const v1::Complaint& complaint) {
    const std::pair<std::string, std::string> fields[] = {
        {"type", std::string(type)},
        {"organization", complaint.organization().code()},
        {"complaint", complaint.name()},
        {"kind", v1::Complaint::Kind_Name(complaint.kind())},
        {"channel", v1::Complaint::Channel_Name(complaint.channel())},
        {"state", v1::Complaint::State_Name(complaint.state())},
    };
    events_.Publish(call.worker.Redis(), fields);
  }

  server::ServiceRuntime& runtime_;
  const ComplaintOptions options_;
  cache::RateLimiter filing_limiter_;
  cache::RateLimiter tracking_limiter_;
  cache::RateLimiter tracking_global_limiter_;
  cache::RateLimiter staff_filing_limiter_;
  OrganizationRegistry registry_;
  cache::EventPublisher events_;
  // Concurrent misses of one statistics key count the year once: a year of
  // 100,000 complaints takes a while, and 16 callers counting it at once
  // would each run out of their deadline.
  cache::SingleFlight statistics_flight_;
};

constexpr absl::Duration kOverdueCountInterval = absl::Minutes(1);

// prongsai_complaints_overdue: one number for the whole register, never
// per organization or case (see common/metrics/metrics.h on labels).
prometheus::Gauge& OverdueGauge() {
  static prometheus::Gauge& gauge =
      prometheus::BuildGauge()
          .Name("prongsai_complaints_overdue")
          .Help(
              "Open complaints past their due time, all organizations "
              "together; recounted every minute")
          .Register(metrics::Registry())
          .Add({});
  return gauge;
}

// Gives up to `limit` complaints filed before complaints had keys a key of
// their own (SealUnderNewKey), so that erasing them later also puts the
// copies in older backups out of reach. True when no more are left than it
// was given, or when none of them could be keyed: a complaint whose values
// do not open (its protection key is not loaded) is left as it is, and
// tried again a minute later rather than at every pass.
absl::StatusOr<bool> KeyOlderComplaints(storage::Connection& db,
                                        const ProtectionKeys& keys,
                                        int64_t limit) {
  PRONGSAI_ASSIGN_OR_RETURN(std::vector<SealedComplaint> older,
                            ListComplaintsWithoutOwnKey(db, limit));
  int64_t keyed = 0;
  for (const SealedComplaint& complaint : older) {
    const std::string name =
        FormatChildName(complaint.organization, kComplaints, complaint.id);
    absl::StatusOr<SealedValues> resealed =
        SealUnderNewKey(keys, complaint.sealed, name);
    if (!resealed.ok()) continue;
    PRONGSAI_RETURN_IF_ERROR(storage::InTransaction(
        db, [&](storage::Connection& tx) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              bool replaced,
              ReplaceSealedValues(tx, complaint.organization, complaint.id,
                                  complaint.sealed, *resealed));
          keyed += replaced ? 1 : 0;  // else changed meanwhile: next pass
          return absl::OkStatus();
        }));
  }
  if (keyed > 0) {
    log::Info("complaints_keyed", {{"count", absl::StrCat(keyed)}});
  }
  return static_cast<int64_t>(older.size()) < limit || keyed == 0;
}

}  // namespace

server::ServiceDefinition ComplaintServiceDefinition(ComplaintOptions options) {
  server::ServiceDefinition definition;
  definition.name = "complaint";
  definition.service_full_name = v1::ComplaintService::service_full_name();
  definition.migrations = Migrations();
  // Four photos of 1 MiB (photo.h) and the rest of a complaint.
  definition.max_receive_message_bytes = kMaxComplaintRequestBytes;
  // The sealed tracking codes exist only for replies to a retried filing;
  // past the replay window they are erased, filings or not.
  OverdueGauge();  // exported (0) before the first count
  // And, once a minute, identities past their retention are erased and the
  // overdue gauge is recounted (a count over every organization's open
  // cases; the health thread probes every 2 s).
  // Once, at the first run: identity reads recorded before the log was
  // chained get their hashes, and erasing begins (StartRetention).
  // Complaints filed before complaints had keys (before the upgrade, or by
  // a replica not yet upgraded) get theirs, 200 a pass: once a minute, and
  // at every pass while more are left.
  definition.housekeeping =
      [window = options.tracking_code_replay_window, keys = options.keys,
       next_count = std::make_shared<absl::Time>(absl::InfinitePast()),
       started = std::make_shared<bool>(false),
       all_keyed = std::make_shared<bool>(false),
       scrubbed = std::make_shared<bool>(true)](
          storage::Connection& db, absl::Time now) -> absl::Status {
    if (!*started) {
      PRONGSAI_RETURN_IF_ERROR(ChainEntriesRecordedBeforeTheChain(db));
      PRONGSAI_RETURN_IF_ERROR(StartRetention(db, now));
      *started = true;
    }
    if (!*all_keyed || now >= *next_count) {
      PRONGSAI_ASSIGN_OR_RETURN(*all_keyed, KeyOlderComplaints(db, keys, 200));
    }
    PRONGSAI_RETURN_IF_ERROR(
        EraseSealedTrackingCodes(db, now - window).status());
    if (now < *next_count) return absl::OkStatus();
    PRONGSAI_ASSIGN_OR_RETURN(int64_t erased, EraseExpiredIdentities(db, now));
    if (erased > 0 || !*scrubbed) {
      PRONGSAI_ASSIGN_OR_RETURN(*scrubbed, ScrubErasedValues(db));
    }
    PRONGSAI_ASSIGN_OR_RETURN(int64_t overdue, CountOverdueComplaints(db, now));
    OverdueGauge().Set(static_cast<double>(overdue));
    *next_count = now + kOverdueCountInterval;
    return absl::OkStatus();
  };
  definition.make_service =
      [options = std::move(options)](server::ServiceRuntime& runtime) {
        return std::make_unique<ComplaintGrpcService>(runtime, options);
      };
  return definition;
}

}  // namespace prongsai::complaint
