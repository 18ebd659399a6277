#include "services/complaint/complaint_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/fields.h"
#include "common/api/row_fields.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/cache/cache_aside.h"
#include "common/cache/event_stream.h"
#include "common/server/list_scope.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/complaint_domain.h"
#include "services/complaint/complaint_peers.h"
#include "services/complaint/complaint_statistics.h"
#include "services/complaint/complaint_store.h"
#include "services/complaint/tracking_code.h"

namespace prongsai::complaint {
namespace {

using common::v1::INTEGRITY_OFFICER;
using common::v1::SYSTEM;

constexpr absl::string_view kComplaints = "complaints";
// 3: public entries hold the published figures, and general-only views.
constexpr int kStatisticsCacheVersion = 3;
constexpr int kTrackedRepliesLimit = 200;

// Corruption reports are the protected channel: only integrity officers (and
// trusted systems acting for them) work on them.
absl::Status CheckMayHandle(const server::CallContext& call,
                            const v1::Complaint& complaint) {
  if (complaint.kind() != v1::Complaint::CORRUPTION ||
      MayHandleCorruptionReports(call.principal)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "corruption reports are handled by integrity officers");
}

// Reading one is as narrow: an operator may be the official it accuses, and
// its replies hold the officer's notes and the reporter's own words.
absl::Status CheckMayRead(const server::CallContext& call,
                          const v1::Complaint& complaint) {
  if (complaint.kind() != v1::Complaint::CORRUPTION ||
      MayReadCorruptionReports(call.principal)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "corruption reports are read by integrity officers and auditors only");
}

// The part of a Person worth sealing, or "" when nothing was given.
std::string PersonBytes(const v1::Person& person) {
  if (person.name().empty() && person.contact().empty() &&
      person.position().empty()) {
    return "";
  }
  return person.SerializeAsString();
}

std::string SealContext(absl::string_view name, absl::string_view part) {
  return absl::StrCat(name, "#", part);
}

// Buckets in Redis are named by a hash of the client's address: keyed, or a
// dump would give the addresses back to anyone hashing every IPv4 address.
// Whether `request` repeats the filing that stored `stored`: the same caller
// and the same complaint (what a retry of one form submission sends).
bool SameFiling(const v1::Complaint& stored, const v1::Complaint& request,
                absl::string_view principal) {
  return stored.audit().creator() == principal &&
         stored.kind() == request.kind() &&
         stored.channel() == request.channel() &&
         stored.subject() == request.subject() &&
         stored.description() == request.description() &&
         stored.category() == request.category();
}

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

class ComplaintGrpcService final
    : public v1::ComplaintService::WithRawCallbackMethod_CreateComplaint<
          v1::ComplaintService::WithRawCallbackMethod_GetComplaint<
              v1::ComplaintService::WithRawCallbackMethod_ListComplaints<
                  v1::ComplaintService::WithRawCallbackMethod_TransitionComplaint<
                      v1::ComplaintService::WithRawCallbackMethod_CreateReply<
                          v1::ComplaintService::WithRawCallbackMethod_ListReplies<
                              v1::ComplaintService::WithRawCallbackMethod_GetProtectedIdentity<
                                  v1::ComplaintService::WithRawCallbackMethod_ListIdentityAccesses<
                                      v1::ComplaintService::
                                          WithRawCallbackMethod_UpsertCategory<
                                              v1::ComplaintService::WithRawCallbackMethod_ListCategories<
                                                  v1::ComplaintService::WithRawCallbackMethod_TrackComplaint<
                                                      v1::ComplaintService::WithRawCallbackMethod_AddComplainantInformation<
                                                          v1::ComplaintService::WithRawCallbackMethod_RespondToResolution<
                                                              v1::ComplaintService::WithRawCallbackMethod_GetComplaintStatistics<
                                                                  v1::ComplaintService::WithRawCallbackMethod_GetPublicComplaintStatistics<
                                                                      v1::ComplaintService::
                                                                          Service>>>>>>>>>>>>>>> {
 public:
  ComplaintGrpcService(server::ServiceRuntime& runtime,
                       ComplaintOptions options)
      : runtime_(runtime),
        options_(std::move(options)),
        filing_limiter_(
            WithClientHashKey(options_.public_filing_limit, options_.keys)),
        tracking_limiter_(
            WithClientHashKey(options_.public_tracking_limit, options_.keys)),
        staff_filing_limiter_(
            WithClientHashKey(options_.staff_filing_limit, options_.keys)),
        registry_(options_.plan),
        events_(cache::EventPublisher::Options{}) {}

  grpc::ServerUnaryReactor* CreateComplaint(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::CreateComplaintRequest, v1::Complaint>(
        context, "CreateComplaint", request, response,
        [this](server::CallContext& call,
               const v1::CreateComplaintRequest& request,
               v1::Complaint& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              std::string organization,
              ParseOrganizationParent("parent", request.parent()));
          PRONGSAI_RETURN_IF_ERROR(
              ValidateRequestId("request_id", request.request_id()));
          PRONGSAI_RETURN_IF_ERROR(
              ValidateReplaySecret(request, call.principal.is_public()));
          PRONGSAI_RETURN_IF_ERROR(
              ValidateNewComplaint(request.complaint(), call.now));
          cache::RateLimiter& limiter =
              FilesForOrganization(call.principal, organization)
                  ? staff_filing_limiter_
                  : filing_limiter_;
          if (!AllowPublicCall(limiter, call)) {
            return absl::ResourceExhaustedError(
                "too many complaints from this client; try again later");
          }
          // The organization as registered, not as the caller described it.
          v1::Complaint complaint = request.complaint();
          client::PeerCall peers(call.deadline);
          PRONGSAI_ASSIGN_OR_RETURN(
              *complaint.mutable_organization(),
              registry_.Lookup(peers, organization, call.now));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          NewComplaint extra;
          PRONGSAI_ASSIGN_OR_RETURN(
              extra.sla_days,
              CategorySlaDays(*db, organization, complaint.category(),
                              "complaint.category"));
          extra.id = NewResourceId();
          const std::string name =
              FormatChildName(organization, kComplaints, extra.id);
          const std::string code = NewTrackingCode();
          PRONGSAI_ASSIGN_OR_RETURN(std::string canonical,
                                    NormalizeTrackingCode(code));
          extra.tracking_hash =
              TrackingCodeHash(canonical, options_.keys.tracking_key());
          extra.tracking_sealed = options_.keys.Seal(code, name);
          if (std::string person = PersonBytes(complaint.complainant());
              !person.empty()) {
            extra.complainant_sealed =
                options_.keys.Seal(person, SealContext(name, "complainant"));
          }
          if (std::string person = PersonBytes(complaint.accused());
              !person.empty()) {
            extra.accused_sealed =
                options_.keys.Seal(person, SealContext(name, "accused"));
          }
          PRONGSAI_ASSIGN_OR_RETURN(
              StoredComplaint stored,
              complaint::CreateComplaint(
                  *db, organization, complaint, extra,
                  ScopedRequestId(call.principal.name(), request.request_id(),
                                  request.replay_secret(),
                                  options_.keys.tracking_key()),
                  call.principal.name(), call.now));
          response = std::move(stored.complaint);
          if (response.name() == name) {
            response.set_tracking_code(code);
            Publish(call, "complaint.filed", response);
          } else if (!SameFiling(response, complaint, call.principal.name())) {
            // Only the caller who made the id (and, anonymously, holds its
            // secret) reaches here, so this tells nobody else anything.
            return InvalidField("request_id",
                                "was already used for a different complaint; "
                                "use a new request id for a new complaint");
          } else if (call.now -
                         api::FromProtoTime(response.audit().create_time()) <=
                     options_.tracking_code_replay_window) {
            // A repeated request: hand back the code the first call made.
            absl::StatusOr<std::string> first =
                options_.keys.Open(stored.tracking_sealed, response.name());
            if (first.ok()) response.set_tracking_code(*first);
          }
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* GetComplaint(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::GetComplaintRequest, v1::Complaint>(
        context, "GetComplaint", request, response,
        [](server::CallContext& call, const v1::GetComplaintRequest& request,
           v1::Complaint& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                                    LoadByName(call, request.name(), "name"));
          response = std::move(stored.complaint);
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* ListComplaints(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::ListComplaintsRequest,
                          v1::ListComplaintsResponse>(
        context, "ListComplaints", request, response,
        [](server::CallContext& call, const v1::ListComplaintsRequest& request,
           v1::ListComplaintsResponse& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                                    server::StartList(call, request));
          PRONGSAI_ASSIGN_OR_RETURN(ComplaintFilter filter,
                                    FilterOf(call, request));
          PRONGSAI_ASSIGN_OR_RETURN(
              ComplaintPage complaints,
              complaint::ListComplaints(*scope.db, scope.organization, filter,
                                        scope.page, call.now));
          server::FinishList(complaints.complaints, complaints.next_cursor,
                             request, response.mutable_complaints(), response);
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* TransitionComplaint(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::TransitionComplaintRequest, v1::Complaint>(
        context, "TransitionComplaint", request, response,
        [this](server::CallContext& call,
               const v1::TransitionComplaintRequest& request,
               v1::Complaint& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                                    LoadByName(call, request.name(), "name"));
          PRONGSAI_RETURN_IF_ERROR(CheckMayHandle(call, stored.complaint));
          PRONGSAI_ASSIGN_OR_RETURN(
              ChildName name,
              ParseChildName("name", request.name(), kComplaints));
          PRONGSAI_RETURN_IF_ERROR(
              ValidateTransition(stored.complaint.state(), request,
                                 name.organization, stored.complaint.name()));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          if (request.rejection_reason() == v1::DUPLICATE) {
            PRONGSAI_ASSIGN_OR_RETURN(
                ChildName original,
                ParseChildName("duplicate_of", request.duplicate_of(),
                               kComplaints));
            if (absl::StatusOr<StoredComplaint> found = complaint::GetComplaint(
                    *db, original.organization, original.id, call.now);
                absl::IsNotFound(found.status())) {
              return InvalidField("duplicate_of", "no such complaint");
            } else if (!found.ok()) {
              return found.status();
            }
          }
          PRONGSAI_ASSIGN_OR_RETURN(
              stored, ApplyTransition(*db, name.organization, name.id,
                                      stored.complaint.state(), request,
                                      call.principal.name(), call.now));
          response = std::move(stored.complaint);
          Publish(call, "complaint.state_changed", response);
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* CreateReply(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::CreateReplyRequest, v1::Reply>(
        context, "CreateReply", request, response,
        [](server::CallContext& call, const v1::CreateReplyRequest& request,
           v1::Reply& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              StoredComplaint stored,
              LoadByName(call, request.parent(), "parent"));
          PRONGSAI_RETURN_IF_ERROR(CheckMayHandle(call, stored.complaint));
          PRONGSAI_RETURN_IF_ERROR(ValidateReply(
              request.reply(), api::FromProtoTime(stored.complaint.due_time()),
              call.now));
          PRONGSAI_ASSIGN_OR_RETURN(
              ChildName name,
              ParseChildName("parent", request.parent(), kComplaints));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          PRONGSAI_ASSIGN_OR_RETURN(
              response,
              AddReply(*db, name.organization, name.id, request.reply(),
                       v1::Reply::STAFF, call.principal.name(), call.now));
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* ListReplies(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::ListRepliesRequest, v1::ListRepliesResponse>(
        context, "ListReplies", request, response,
        [](server::CallContext& call, const v1::ListRepliesRequest& request,
           v1::ListRepliesResponse& response) -> absl::Status {
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
              ReplyPage replies,
              complaint::ListReplies(*db, name.organization, name.id,
                                     /*public_only=*/false, page));
          server::FinishList(replies.replies, replies.next_cursor, request,
                             response.mutable_replies(), response);
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* GetProtectedIdentity(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::GetProtectedIdentityRequest,
                          v1::ProtectedIdentity>(
        context, "GetProtectedIdentity", request, response,
        [this](server::CallContext& call,
               const v1::GetProtectedIdentityRequest& request,
               v1::ProtectedIdentity& response) -> absl::Status {
          PRONGSAI_RETURN_IF_ERROR(
              ValidateText("reason", request.reason(), 500, true));
          if (VisibleLength(request.reason()) < 10) {
            return InvalidField("reason",
                                "say why you need the identity (at least 10 "
                                "characters); it is logged");
          }
          PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                                    LoadByName(call, request.name(), "name"));
          PRONGSAI_ASSIGN_OR_RETURN(
              ChildName name,
              ParseChildName("name", request.name(), kComplaints));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          // Logged before anything is revealed: no read goes unrecorded.
          PRONGSAI_RETURN_IF_ERROR(RecordIdentityAccess(
              *db, name.organization, name.id, call.principal.name(),
              request.reason(), call.now));
          response.set_complaint(stored.complaint.name());
          PRONGSAI_RETURN_IF_ERROR(
              OpenPerson(stored.complainant_sealed, stored.complaint.name(),
                         "complainant", response.mutable_complainant()));
          return OpenPerson(stored.accused_sealed, stored.complaint.name(),
                            "accused", response.mutable_accused());
        });
  }

  grpc::ServerUnaryReactor* ListIdentityAccesses(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::ListIdentityAccessesRequest,
                          v1::ListIdentityAccessesResponse>(
        context, "ListIdentityAccesses", request, response,
        [](server::CallContext& call,
           const v1::ListIdentityAccessesRequest& request,
           v1::ListIdentityAccessesResponse& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                                    server::StartList(call, request));
          PRONGSAI_ASSIGN_OR_RETURN(
              IdentityAccessPage accesses,
              complaint::ListIdentityAccesses(*scope.db, scope.organization,
                                              scope.page));
          server::FinishList(accesses.accesses, accesses.next_cursor, request,
                             response.mutable_accesses(), response);
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* UpsertCategory(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::UpsertCategoryRequest, v1::Category>(
        context, "UpsertCategory", request, response,
        [](server::CallContext& call, const v1::UpsertCategoryRequest& request,
           v1::Category& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                                    ValidateCategory(request.category()));
          PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(name.organization));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          PRONGSAI_ASSIGN_OR_RETURN(
              response,
              complaint::UpsertCategory(*db, name.organization, name.id,
                                        request.category(), call.now));
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* ListCategories(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::ListCategoriesRequest,
                          v1::ListCategoriesResponse>(
        context, "ListCategories", request, response,
        [](server::CallContext& call, const v1::ListCategoriesRequest& request,
           v1::ListCategoriesResponse& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              std::string organization,
              ParseOrganizationParent("parent", request.parent()));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          PRONGSAI_ASSIGN_OR_RETURN(
              std::vector<v1::Category> categories,
              complaint::ListCategories(*db, organization));
          for (v1::Category& category : categories) {
            *response.add_categories() = std::move(category);
          }
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* TrackComplaint(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::TrackComplaintRequest, v1::TrackedComplaint>(
        context, "TrackComplaint", request, response,
        [this](server::CallContext& call,
               const v1::TrackComplaintRequest& request,
               v1::TrackedComplaint& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                                    LoadByCode(call, request.tracking_code()));
          return FillTracked(call, stored, response);
        });
  }

  grpc::ServerUnaryReactor* AddComplainantInformation(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::AddComplainantInformationRequest,
                          v1::TrackedComplaint>(
        context, "AddComplainantInformation", request, response,
        [this](server::CallContext& call,
               const v1::AddComplainantInformationRequest& request,
               v1::TrackedComplaint& response) -> absl::Status {
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
          PRONGSAI_RETURN_IF_ERROR(AddReply(*db, name.organization, name.id,
                                            reply, v1::Reply::COMPLAINANT,
                                            "complainant", call.now)
                                       .status());
          return FillTracked(call, stored, response);
        });
  }

  grpc::ServerUnaryReactor* RespondToResolution(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::RespondToResolutionRequest, v1::TrackedComplaint>(
        context, "RespondToResolution", request, response,
        [this](server::CallContext& call,
               const v1::RespondToResolutionRequest& request,
               v1::TrackedComplaint& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
                                    LoadByCode(call, request.tracking_code()));
          PRONGSAI_RETURN_IF_ERROR(
              ValidateResolutionResponse(stored.complaint.state(), request)
                  .status());
          PRONGSAI_ASSIGN_OR_RETURN(
              ChildName name,
              ParseChildName("name", stored.complaint.name(), kComplaints));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          PRONGSAI_ASSIGN_OR_RETURN(
              int sla_days,
              CategorySlaDays(*db, name.organization,
                              stored.complaint.category(), "category"));
          PRONGSAI_ASSIGN_OR_RETURN(
              stored, ApplyResolutionResponse(*db, name.organization, name.id,
                                              stored.complaint.state(), request,
                                              sla_days, call.now));
          Publish(call,
                  request.has_satisfaction() ? "complaint.rated"
                                             : "complaint.reopened",
                  stored.complaint);
          return FillTracked(call, stored, response);
        });
  }

  grpc::ServerUnaryReactor* GetComplaintStatistics(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_
        .Unary<v1::GetComplaintStatisticsRequest, v1::ComplaintStatistics>(
            context, "GetComplaintStatistics", request, response,
            [this](server::CallContext& call,
                   const v1::GetComplaintStatisticsRequest& request,
                   v1::ComplaintStatistics& response) -> absl::Status {
              PRONGSAI_ASSIGN_OR_RETURN(response, Statistics(call, request));
              return absl::OkStatus();
            });
  }

  grpc::ServerUnaryReactor* GetPublicComplaintStatistics(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_
        .Unary<v1::GetComplaintStatisticsRequest, v1::ComplaintStatistics>(
            context, "GetPublicComplaintStatistics", request, response,
            [this](server::CallContext& call,
                   const v1::GetComplaintStatisticsRequest& request,
                   v1::ComplaintStatistics& response) -> absl::Status {
              PRONGSAI_ASSIGN_OR_RETURN(
                  response, Statistics(call, request, /*public_view=*/true));
              return absl::OkStatus();
            });
  }

 private:
  // Parses `name` (reported as `field`), checks the caller's organization
  // and loads the complaint.
  static absl::StatusOr<StoredComplaint> LoadByName(
      server::CallContext& call, absl::string_view complaint_name,
      absl::string_view field) {
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name, ParseChildName(field, complaint_name, kComplaints));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(name.organization));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PRONGSAI_ASSIGN_OR_RETURN(
        StoredComplaint stored,
        complaint::GetComplaint(*db, name.organization, name.id, call.now));
    PRONGSAI_RETURN_IF_ERROR(CheckMayRead(call, stored.complaint));
    return stored;
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

  // The complaint a tracking code stands for. Public callers are rate
  // limited so codes cannot be guessed at speed; errors never echo the code.
  absl::StatusOr<StoredComplaint> LoadByCode(server::CallContext& call,
                                             absl::string_view code) {
    if (!AllowPublicCall(tracking_limiter_, call)) {
      return absl::ResourceExhaustedError(
          "too many tracking requests from this client; try again later");
    }
    PRONGSAI_ASSIGN_OR_RETURN(std::string canonical,
                              NormalizeTrackingCode(code));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    return GetComplaintByTrackingHash(
        *db, TrackingCodeHash(canonical, options_.keys.tracking_key()),
        call.now);
  }

  // The SLA of `category` (a resource name of `organization`, or empty for
  // the default).
  static absl::StatusOr<int> CategorySlaDays(storage::Connection& db,
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

  static absl::StatusOr<ComplaintFilter> FilterOf(
      const server::CallContext& call,
      const v1::ListComplaintsRequest& request) {
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
    // Others see nothing of corruption reports in lists, not even that the
    // filter matched one.
    filter.include_corruption = MayReadCorruptionReports(call.principal);
    return filter;
  }

  absl::Status OpenPerson(absl::string_view sealed, absl::string_view name,
                          absl::string_view part, v1::Person* person) const {
    if (sealed.empty()) return absl::OkStatus();
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string bytes, options_.keys.Open(sealed, SealContext(name, part)));
    if (!person->ParseFromString(bytes)) {
      return absl::DataLossError("a protected identity cannot be decoded");
    }
    return absl::OkStatus();
  }

  absl::Status FillTracked(server::CallContext& call,
                           const StoredComplaint& stored,
                           v1::TrackedComplaint& tracked) {
    const v1::Complaint& complaint = stored.complaint;
    tracked.set_kind(complaint.kind());
    tracked.set_subject(complaint.subject());
    tracked.set_state(complaint.state());
    *tracked.mutable_receive_time() = complaint.receive_time();
    *tracked.mutable_due_time() = complaint.due_time();
    tracked.set_overdue(complaint.overdue());
    tracked.set_resolution(complaint.resolution());
    tracked.set_satisfaction(complaint.satisfaction());
    tracked.set_reopen_count(complaint.reopen_count());
    *tracked.mutable_organization() = complaint.organization();
    PRONGSAI_ASSIGN_OR_RETURN(
        ChildName name, ParseChildName("name", complaint.name(), kComplaints));
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    PageRequest page;
    page.limit = kTrackedRepliesLimit;
    PRONGSAI_ASSIGN_OR_RETURN(
        ReplyPage replies,
        complaint::ListReplies(*db, name.organization, name.id,
                               /*public_only=*/true, page));
    for (v1::Reply& reply : replies.replies) {
      // The complainant sees what was said, not which staff key said it.
      if (reply.author() == v1::Reply::STAFF) reply.clear_actor();
      *tracked.add_public_replies() = std::move(reply);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<v1::ComplaintStatistics> Statistics(
      server::CallContext& call,
      const v1::GetComplaintStatisticsRequest& request,
      bool public_view = false) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string organization,
        ParseOrganizationParent("parent", request.parent()));
    PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
    PRONGSAI_ASSIGN_OR_RETURN(Period period, StatisticsPeriod(request));
    if (public_view && request.general_only()) {
      return InvalidField("general_only",
                          "public statistics count every kind of complaint");
    }
    // Corruption figures are for those who may read the reports; anyone else
    // gets figures of general complaints only (and is told so).
    const bool general_only =
        !public_view &&
        (request.general_only() || !MayReadCorruptionReports(call.principal));
    // Public figures count only months that have ended, so a new report
    // does not move them; the cut-off is part of their cache key.
    if (public_view) period = PublicPeriod(period, call.now);
    const int threshold = options_.public_statistics_threshold;
    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
    // Any write to the organization's complaints changes the version, so a
    // cached figure is never older than the last write; time-driven changes
    // (a case becoming overdue) are bounded by the TTL. Each view (public,
    // general only, full) has keys of its own.
    PRONGSAI_ASSIGN_OR_RETURN(std::string version,
                              DataVersion(*db, organization));
    const std::string key = cache::VersionedKey(
        "complaint", kStatisticsCacheVersion,
        absl::StrCat(
            public_view    ? "public-"
            : general_only ? "general-"
                           : "",
            "statistics/", organization, "/", request.fiscal_year().be_year(),
            "/", request.quarter(), "/", request.month(), "/", version,
            public_view ? absl::StrCat("/", absl::ToUnixMicros(period.end), "/",
                                       threshold)
                        : ""));
    PRONGSAI_ASSIGN_OR_RETURN(
        std::string bytes,
        cache::GetOrLoad(
            call.worker.Redis(), key, options_.statistics_cache_ttl,
            [&]() -> absl::StatusOr<std::string> {
              PRONGSAI_ASSIGN_OR_RETURN(
                  std::vector<StatisticsRow> rows,
                  LoadStatisticsRows(*db, organization, period.start,
                                     period.end));
              if (general_only) {
                std::erase_if(rows, [](const StatisticsRow& row) {
                  return row.kind != v1::Complaint::GENERAL;
                });
              }
              v1::ComplaintStatistics statistics =
                  public_view ? PublicFigures(rows, period, call.now, threshold)
                              : ComputeStatistics(rows, period, call.now);
              statistics.set_organization(std::string(request.parent()));
              *statistics.mutable_fiscal_year() = request.fiscal_year();
              statistics.set_quarter(request.quarter());
              statistics.set_month(request.month());
              if (general_only) {
                statistics.set_general_only(true);
                statistics.set_notice(
                    "นับเฉพาะเรื่องร้องเรียนทั่วไป ไม่รวมเรื่องร้องเรียนการทุจริต "
                    "(general complaints only: corruption reports are not "
                    "counted)");
              }
              return statistics.SerializeAsString();
            }));
    v1::ComplaintStatistics statistics;
    if (!statistics.ParseFromString(bytes)) {
      return absl::InternalError("corrupt cached statistics");
    }
    return statistics;
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
  cache::RateLimiter staff_filing_limiter_;
  OrganizationRegistry registry_;
  cache::EventPublisher events_;
};

}  // namespace

server::ServiceDefinition ComplaintServiceDefinition(ComplaintOptions options) {
  server::ServiceDefinition definition;
  definition.name = "complaint";
  definition.service_full_name = v1::ComplaintService::service_full_name();
  definition.migrations = Migrations();
  // The sealed tracking codes exist only for replies to a retried filing;
  // past the replay window they are erased, filings or not.
  definition.housekeeping = [window = options.tracking_code_replay_window](
                                storage::Connection& db, absl::Time now) {
    return EraseSealedTrackingCodes(db, now - window).status();
  };
  definition.make_service =
      [options = std::move(options)](server::ServiceRuntime& runtime) {
        return std::make_unique<ComplaintGrpcService>(runtime, options);
      };
  return definition;
}

}  // namespace prongsai::complaint
