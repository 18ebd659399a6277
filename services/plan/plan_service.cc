#include "services/plan/plan_service.h"

#include <atomic>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/api/fields.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/cache/cache_aside.h"
#include "common/client/peer.h"
#include "common/server/list_scope.h"
#include "common/server/method_list.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "services/plan/account_service.h"
#include "services/plan/account_store.h"
#include "services/plan/oversight_service.h"
#include "services/plan/plan_domain.h"
#include "services/plan/plan_export.h"
#include "services/plan/plan_figures.h"
#include "services/plan/plan_import/measures_import.h"
#include "services/plan/plan_import/plan_import.h"
#include "services/plan/plan_import/progress_import.h"
#include "services/plan/plan_peers.h"
#include "services/plan/plan_store.h"

namespace prongsai::plan {
namespace {

using server::CallContext;
using storage::Connection;

constexpr absl::Duration kCacheTtl = absl::Minutes(10);
// Plan documents are a few hundred KB; 3 MB leaves room for long ones while
// keeping the parse bounded.
constexpr size_t kMaxImportBytes = 3 << 20;

// The text of a document to import: required, at most kMaxImportBytes.
absl::Status ValidateImportText(absl::string_view text) {
  if (text.empty()) return InvalidField("text", "is required");
  if (text.size() > kMaxImportBytes) {
    return InvalidField("text", "is larger than 3 MB");
  }
  return absl::OkStatus();
}

// `name` of an action plan the caller may act on.
absl::StatusOr<ChildName> PlanOf(const CallContext& call,
                                 absl::string_view field_path,
                                 absl::string_view name) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName plan,
                            ParseChildName(field_path, name, "actionPlans"));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(plan.organization));
  return plan;
}

// `name` of a plan's sub-resource the caller may act on.
absl::StatusOr<PlanChildName> PlanChildOf(const CallContext& call,
                                          absl::string_view field_path,
                                          absl::string_view name,
                                          absl::string_view collection) {
  PRONGSAI_ASSIGN_OR_RETURN(PlanChildName child,
                            ParsePlanChildName(field_path, name, collection));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(child.organization));
  return child;
}

// `name` of an organization-level resource the caller may act on.
absl::StatusOr<ChildName> ChildOf(const CallContext& call,
                                  absl::string_view field_path,
                                  absl::string_view name,
                                  absl::string_view collection) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName child,
                            ParseChildName(field_path, name, collection));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(child.organization));
  return child;
}

absl::StatusOr<std::string> ParentOf(const CallContext& call,
                                     absl::string_view parent) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParseOrganizationParent("parent", parent));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
  return organization;
}

// Plans and measures belong to registered organizations only.
absl::StatusOr<common::v1::OrganizationRef> RegisteredOrganization(
    Connection& db, absl::string_view code) {
  absl::StatusOr<v1::Organization> organization = GetOrganization(db, code);
  if (absl::IsNotFound(organization.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "organization ", code,
        " is not registered; register it with CreateOrganization first"));
  }
  PRONGSAI_RETURN_IF_ERROR(organization.status());
  return organization->organization();
}

// Reads `M` through the Redis cache under the organization's data version,
// so a cached value is never older than the last committed write.
template <typename M>
absl::StatusOr<M> ReadThroughCache(
    CallContext& call, absl::string_view organization, absl::string_view what,
    absl::FunctionRef<absl::StatusOr<M>(Connection&)> load) {
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(std::string version,
                            DataVersion(*db, organization));
  return cache::GetOrLoadVersionedMessage<M>(
      call.worker.NearCache(), call.worker.Redis(),
      cache::VersionedKey("plan", kCacheVersion,
                          absl::StrCat(what, "@", version)),
      kCacheTtl, [&]() -> absl::StatusOr<M> { return load(*db); });
}

absl::Status ValidateRendering(v1::DocumentFormat format, v1::Digits digits) {
  if (!v1::DocumentFormat_IsValid(format)) {
    return InvalidField("format", "is not a known format");
  }
  if (!v1::Digits_IsValid(digits)) {
    return InvalidField("digits", "is not a known digit style");
  }
  return absl::OkStatus();
}

absl::Status ValidateRound(v1::Round round) {
  if (round == v1::ROUND_UNSPECIFIED || !v1::Round_IsValid(round)) {
    return InvalidField("round", "is required");
  }
  return absl::OkStatus();
}

// Every RPC of the plan service, once: the list makes the raw-method base
// (the runtime parses each request after authentication, see
// service_runtime.h), the overrides, and the declarations of the members
// Do<Method> they call (common/server/method_list.h).
using GrpcService = v1::PlanService;
#define PRONGSAI_PLAN_METHODS(UNARY, STREAM)                                 \
  UNARY(CreateOrganization, CreateOrganizationRequest, Organization)         \
  UNARY(GetOrganization, GetOrganizationRequest, Organization)               \
  UNARY(ListOrganizations, ListOrganizationsRequest,                         \
        ListOrganizationsResponse)                                           \
  UNARY(SearchOrganizations, SearchOrganizationsRequest,                     \
        SearchOrganizationsResponse)                                         \
  UNARY(UpdateOrganization, UpdateOrganizationRequest, Organization)         \
  UNARY(CreateActionPlan, CreateActionPlanRequest, ActionPlan)               \
  UNARY(GetActionPlan, GetActionPlanRequest, ActionPlan)                     \
  UNARY(ListActionPlans, ListActionPlansRequest, ListActionPlansResponse)    \
  UNARY(UpdateActionPlan, UpdateActionPlanRequest, ActionPlan)               \
  UNARY(ApproveActionPlan, ApproveActionPlanRequest, ActionPlan)             \
  UNARY(AnnounceActionPlan, AnnounceActionPlanRequest, ActionPlan)           \
  UNARY(ImportActionPlan, ImportActionPlanRequest, ImportActionPlanResponse) \
  UNARY(EvaluateTargets, EvaluateTargetsRequest, EvaluateTargetsResponse)    \
  UNARY(CreateProject, CreateProjectRequest, Project)                        \
  UNARY(GetProject, GetProjectRequest, Project)                              \
  UNARY(ListProjects, ListProjectsRequest, ListProjectsResponse)             \
  UNARY(UpdateProject, UpdateProjectRequest, Project)                        \
  UNARY(CreateAnnualPlan, CreateAnnualPlanRequest, AnnualPlan)               \
  UNARY(GetAnnualPlan, GetAnnualPlanRequest, AnnualPlan)                     \
  UNARY(UpdateAnnualPlan, UpdateAnnualPlanRequest, AnnualPlan)               \
  UNARY(ReconcileAnnualPlan, ReconcileAnnualPlanRequest,                     \
        ReconcileAnnualPlanResponse)                                         \
  UNARY(ExportAnnualPlan, ExportAnnualPlanRequest, ExportedDocument)         \
  UNARY(CreateIntegrityMeasure, CreateIntegrityMeasureRequest,               \
        IntegrityMeasure)                                                    \
  UNARY(GetIntegrityMeasure, GetIntegrityMeasureRequest, IntegrityMeasure)   \
  UNARY(ListIntegrityMeasures, ListIntegrityMeasuresRequest,                 \
        ListIntegrityMeasuresResponse)                                       \
  UNARY(UpdateIntegrityMeasure, UpdateIntegrityMeasureRequest,               \
        IntegrityMeasure)                                                    \
  UNARY(ImportIntegrityMeasures, ImportIntegrityMeasuresRequest,             \
        ImportIntegrityMeasuresResponse)                                     \
  UNARY(CreateProgressReport, CreateProgressReportRequest, ProgressReport)   \
  UNARY(ListProgressReports, ListProgressReportsRequest,                     \
        ListProgressReportsResponse)                                         \
  UNARY(ImportProgressReports, ImportProgressReportsRequest,                 \
        ImportProgressReportsResponse)                                       \
  UNARY(GetRoundSummary, GetRoundSummaryRequest, RoundSummary)               \
  UNARY(ExportRoundReport, ExportRoundReportRequest, ExportedDocument)       \
  UNARY(CreateRisk, CreateRiskRequest, Risk)                                 \
  UNARY(ListRisks, ListRisksRequest, ListRisksResponse)                      \
  UNARY(UpdateRisk, UpdateRiskRequest, Risk)

// Declares each Do<Method>: adding an RPC is its line in the list above and
// the definition of its Do function below.
#define PRONGSAI_PLAN_DO(method, Request, Response)                      \
  absl::Status Do##method(CallContext& call, const v1::Request& request, \
                          v1::Response& response);

using PlanRawService =
    server::RawCallbackService<GrpcService::Service PRONGSAI_PLAN_METHODS(
        PRONGSAI_RAW_METHOD, PRONGSAI_RAW_METHOD)>;

// Translation only: each Do<Method> parses and checks the request's names,
// calls the domain and the store, and maps the result into the response.
// The store's functions are named after the RPCs, which are members here,
// so the members call them as plan::GetActionPlan and so on.
class PlanGrpcService final : public PlanRawService {
 public:
  PlanGrpcService(server::ServiceRuntime& runtime, const PlanOptions& options)
      : runtime_(runtime),
        complaints_(client::PeerOptions::Of(
            "complaint service", options.complaint_address,
            options.peer_api_key, options.peer_credentials)),
        ita_(client::PeerOptions::Of("ITA service", options.ita_address,
                                     options.peer_api_key,
                                     options.peer_credentials)) {}

  PRONGSAI_PLAN_METHODS(PRONGSAI_UNARY_OVERRIDE, PRONGSAI_STREAM_OVERRIDE)

 private:
  PRONGSAI_PLAN_METHODS(PRONGSAI_PLAN_DO, PRONGSAI_PLAN_DO)

  // The complaint service's count of each of `years`. Once it has failed to
  // answer it is not asked again in this call (a frozen peer costs one
  // timeout, not one per year), and its failure is one `missing` sentence.
  absl::flat_hash_map<int, int> CountCorruptionCases(
      client::PeerCall& peers, absl::string_view organization,
      absl::Span<const int> years, v1::EvaluateTargetsResponse& response) const;

  server::ServiceRuntime& runtime_;
  const client::Peer complaints_;
  const client::Peer ita_;
};

#undef PRONGSAI_PLAN_DO

absl::Status PlanGrpcService::DoCreateOrganization(
    CallContext& call, const v1::CreateOrganizationRequest& request,
    v1::Organization& response) {
  const common::v1::OrganizationRef& ref =
      request.organization().organization();
  PRONGSAI_RETURN_IF_ERROR(
      ValidateOrganization("organization.organization", ref));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(ref.code()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(response,
                            plan::CreateOrganization(*db, ref, call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoGetOrganization(
    CallContext& call, const v1::GetOrganizationRequest& request,
    v1::Organization& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string code,
                            ParseOrganizationParent("name", request.name()));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(code));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(response, plan::GetOrganization(*db, code));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoListOrganizations(
    CallContext& call, const v1::ListOrganizationsRequest& request,
    v1::ListOrganizationsResponse& response) {
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText("province", request.province(), 100, false));
  if (!common::v1::OrganizationKind_IsValid(request.kind())) {
    return InvalidField("kind", "is not a known kind");
  }
  // The token is bound to the filter, so it cannot resume another listing.
  const std::string scope =
      absl::StrCat("organizations?", request.province(), "&", request.kind());
  PRONGSAI_ASSIGN_OR_RETURN(
      PageRequest page,
      ParsePageRequest(request.page_size(), request.page_token(), scope));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      api::Page<v1::Organization> found,
      plan::ListOrganizations(*db, request.province(), request.kind(), page));
  server::FinishPage(found.items, found.next_cursor, scope,
                     response.mutable_organizations(), response);
  return absl::OkStatus();
}

// Public: no organization check, the directory lists every organization.
absl::Status PlanGrpcService::DoSearchOrganizations(
    CallContext& call, const v1::SearchOrganizationsRequest& request,
    v1::SearchOrganizationsResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(OrganizationSearch search,
                            ParseOrganizationSearch(request));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(api::Page<common::v1::OrganizationRef> found,
                            plan::SearchOrganizations(*db, search));
  server::FinishPage(found.items, found.next_cursor, SearchScope(search),
                     response.mutable_organizations(), response);
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoUpdateOrganization(
    CallContext& call, const v1::UpdateOrganizationRequest& request,
    v1::Organization& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string code, ParseOrganizationParent("organization.name",
                                                request.organization().name()));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(code));
  v1::Organization patch = request.organization();
  patch.mutable_organization()->set_code(code);
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, plan::UpdateOrganization(*db, patch, request.update_mask(),
                                         call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoCreateActionPlan(
    CallContext& call, const v1::CreateActionPlanRequest& request,
    v1::ActionPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_RETURN_IF_ERROR(ValidateNewActionPlan(request.action_plan()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  v1::ActionPlan plan = request.action_plan();
  PRONGSAI_ASSIGN_OR_RETURN(*plan.mutable_organization(),
                            RegisteredOrganization(*db, organization));
  plan.clear_approver();
  plan.clear_approve_time();
  plan.clear_announce_time();
  plan.clear_import_findings();
  PRONGSAI_ASSIGN_OR_RETURN(
      response, plan::CreateActionPlan(*db, organization, plan,
                                       request.request_id(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoGetActionPlan(
    CallContext& call, const v1::GetActionPlanRequest& request,
    v1::ActionPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                            PlanOf(call, "name", request.name()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, plan::GetActionPlan(*db, name.organization, name.id));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoListActionPlans(
    CallContext& call, const v1::ListActionPlansRequest& request,
    v1::ListActionPlansResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                            server::StartList(call, request));
  PRONGSAI_ASSIGN_OR_RETURN(
      api::Page<v1::ActionPlan> plans,
      plan::ListActionPlans(*scope.db, scope.organization, scope.page));
  server::FinishList(plans.items, plans.next_cursor, request,
                     response.mutable_action_plans(), response);
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoUpdateActionPlan(
    CallContext& call, const v1::UpdateActionPlanRequest& request,
    v1::ActionPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      ChildName name,
      PlanOf(call, "action_plan.name", request.action_plan().name()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, plan::UpdateActionPlan(*db, name.organization, name.id,
                                       request.action_plan(),
                                       request.update_mask(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoApproveActionPlan(
    CallContext& call, const v1::ApproveActionPlanRequest& request,
    v1::ActionPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                            PlanOf(call, "name", request.name()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      AdvanceActionPlan(*db, name.organization, name.id, request.etag(),
                        v1::ActionPlan::APPROVED, call.now, call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoAnnounceActionPlan(
    CallContext& call, const v1::AnnounceActionPlanRequest& request,
    v1::ActionPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                            PlanOf(call, "name", request.name()));
  absl::Time announce_time = call.now;
  if (request.has_announce_time()) {
    announce_time = api::FromProtoTime(request.announce_time());
    PRONGSAI_RETURN_IF_ERROR(ValidateAnnounceTime(announce_time, call.now));
  }
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, AdvanceActionPlan(*db, name.organization, name.id,
                                  request.etag(), v1::ActionPlan::ANNOUNCED,
                                  announce_time, call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoImportActionPlan(
    CallContext& call, const v1::ImportActionPlanRequest& request,
    v1::ImportActionPlanResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_RETURN_IF_ERROR(ValidateImportText(request.text()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(common::v1::OrganizationRef registered,
                            RegisteredOrganization(*db, organization));
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      plan::ImportActionPlan(*db, registered, ParsePlanDocument(request.text()),
                             request.request_id(), !request.validate_only(),
                             call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoEvaluateTargets(
    CallContext& call, const v1::EvaluateTargetsRequest& request,
    v1::EvaluateTargetsResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                            PlanOf(call, "name", request.name()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      v1::ActionPlan plan,
      plan::GetActionPlan(*db, name.organization, name.id));
  // Each peer call gets a share of the deadline, so that a frozen peer
  // still leaves time to answer with what the others said.
  client::PeerCall peers(call.deadline);
  if (NeedsItaScores(plan)) {
    absl::StatusOr<absl::flat_hash_map<int, double>> scores =
        ItaScores(ita_, peers, name.organization);
    if (scores.ok()) {
      FillItaScores(*scores, plan);
    } else {
      response.add_missing(std::string(scores.status().message()));
    }
  }
  FillCorruptionCases(CountCorruptionCases(
                          peers, name.organization,
                          CorruptionCaseYearsToCount(plan, call.now), response),
                      call.now, plan);
  for (v1::TargetEvaluation& year : plan::EvaluateTargets(plan)) {
    *response.add_years() = std::move(year);
  }
  return absl::OkStatus();
}

absl::flat_hash_map<int, int> PlanGrpcService::CountCorruptionCases(
    client::PeerCall& peers, absl::string_view organization,
    absl::Span<const int> years, v1::EvaluateTargetsResponse& response) const {
  absl::flat_hash_map<int, int> cases;
  for (int be_year : years) {
    absl::StatusOr<int> count =
        CorruptionCases(complaints_, peers, organization, be_year);
    if (!count.ok()) {
      response.add_missing(std::string(count.status().message()));
      break;
    }
    cases[be_year] = *count;
  }
  return cases;
}

absl::Status PlanGrpcService::DoCreateProject(
    CallContext& call, const v1::CreateProjectRequest& request,
    v1::Project& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName plan,
                            PlanOf(call, "parent", request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      plan::CreateProject(*db, plan.organization, plan.id, request.project(),
                          request.request_id(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoGetProject(CallContext& call,
                                           const v1::GetProjectRequest& request,
                                           v1::Project& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "name", request.name(), "projects"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(response, plan::GetProject(*db, name));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoListProjects(
    CallContext& call, const v1::ListProjectsRequest& request,
    v1::ListProjectsResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName plan,
                            PlanOf(call, "parent", request.parent()));
  if (request.be_year() != 0) {
    PRONGSAI_RETURN_IF_ERROR(
        api::ValidateFiscalYear("be_year", request.be_year()));
  }
  const std::string scope =
      absl::StrCat(request.parent(), "?", request.be_year());
  PRONGSAI_ASSIGN_OR_RETURN(
      PageRequest page,
      ParsePageRequest(request.page_size(), request.page_token(), scope));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(api::Page<v1::Project> found,
                            plan::ListProjects(*db, plan.organization, plan.id,
                                               request.be_year(), page));
  server::FinishPage(found.items, found.next_cursor, scope,
                     response.mutable_projects(), response);
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoUpdateProject(
    CallContext& call, const v1::UpdateProjectRequest& request,
    v1::Project& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "project.name", request.project().name(), "projects"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, plan::UpdateProject(*db, name, request.project(),
                                    request.update_mask(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoCreateAnnualPlan(
    CallContext& call, const v1::CreateAnnualPlanRequest& request,
    v1::AnnualPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName plan,
                            PlanOf(call, "parent", request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_RETURN_IF_ERROR(
      api::ValidateFiscalYear("be_year", request.be_year()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateQuarters("default_quarters", request.default_quarters()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      plan::CreateAnnualPlan(*db, plan.organization, plan.id, request.be_year(),
                             {request.default_quarters().begin(),
                              request.default_quarters().end()},
                             request.request_id(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoGetAnnualPlan(
    CallContext& call, const v1::GetAnnualPlanRequest& request,
    v1::AnnualPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "name", request.name(), "annualPlans"));
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      ReadThroughCache<v1::AnnualPlan>(
          call, name.organization, request.name(),
          [&](Connection& db) { return plan::GetAnnualPlan(db, name); }));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoUpdateAnnualPlan(
    CallContext& call, const v1::UpdateAnnualPlanRequest& request,
    v1::AnnualPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "annual_plan.name", request.annual_plan().name(),
                  "annualPlans"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, plan::UpdateAnnualPlan(*db, name, request.annual_plan(),
                                       request.update_mask(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoReconcileAnnualPlan(
    CallContext& call, const v1::ReconcileAnnualPlanRequest& request,
    v1::ReconcileAnnualPlanResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "name", request.name(), "annualPlans"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(v1::AnnualPlan annual,
                            plan::GetAnnualPlan(*db, name));
  PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Project> projects,
                            AllProjects(*db, name.organization, name.plan_id));
  for (v1::Finding& finding : Reconcile(annual, projects)) {
    *response.add_findings() = std::move(finding);
  }
  response.set_consistent(response.findings().empty());
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoExportAnnualPlan(
    CallContext& call, const v1::ExportAnnualPlanRequest& request,
    v1::ExportedDocument& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "name", request.name(), "annualPlans"));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRendering(request.format(), request.digits()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      v1::ActionPlan plan,
      plan::GetActionPlan(*db, name.organization, name.plan_id));
  PRONGSAI_ASSIGN_OR_RETURN(v1::AnnualPlan annual,
                            plan::GetAnnualPlan(*db, name));
  RenderedDocument rendered =
      RenderAnnualPlan(plan, annual, request.format(), request.digits());
  response.set_content_type(std::move(rendered.content_type));
  response.set_content(std::move(rendered.content));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoCreateIntegrityMeasure(
    CallContext& call, const v1::CreateIntegrityMeasureRequest& request,
    v1::IntegrityMeasure& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_RETURN_IF_ERROR(RegisteredOrganization(*db, organization).status());
  PRONGSAI_ASSIGN_OR_RETURN(response,
                            plan::CreateIntegrityMeasure(
                                *db, organization, request.integrity_measure(),
                                request.request_id(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoGetIntegrityMeasure(
    CallContext& call, const v1::GetIntegrityMeasureRequest& request,
    v1::IntegrityMeasure& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      ChildName name,
      ChildOf(call, "name", request.name(), "integrityMeasures"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, plan::GetIntegrityMeasure(*db, name.organization, name.id));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoListIntegrityMeasures(
    CallContext& call, const v1::ListIntegrityMeasuresRequest& request,
    v1::ListIntegrityMeasuresResponse& response) {
  if (request.be_year() != 0) {
    PRONGSAI_RETURN_IF_ERROR(
        api::ValidateFiscalYear("be_year", request.be_year()));
  }
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  const std::string scope =
      absl::StrCat(request.parent(), "?", request.be_year());
  PRONGSAI_ASSIGN_OR_RETURN(
      PageRequest page,
      ParsePageRequest(request.page_size(), request.page_token(), scope));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      api::Page<v1::IntegrityMeasure> found,
      plan::ListIntegrityMeasures(*db, organization, request.be_year(), page));
  server::FinishPage(found.items, found.next_cursor, scope,
                     response.mutable_integrity_measures(), response);
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoUpdateIntegrityMeasure(
    CallContext& call, const v1::UpdateIntegrityMeasureRequest& request,
    v1::IntegrityMeasure& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      ChildName name,
      ChildOf(call, "integrity_measure.name",
              request.integrity_measure().name(), "integrityMeasures"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      plan::UpdateIntegrityMeasure(*db, name.organization, name.id,
                                   request.integrity_measure(),
                                   request.update_mask(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoImportIntegrityMeasures(
    CallContext& call, const v1::ImportIntegrityMeasuresRequest& request,
    v1::ImportIntegrityMeasuresResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      api::ValidateFiscalYear("be_year", request.be_year()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_RETURN_IF_ERROR(ValidateImportText(request.text()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_RETURN_IF_ERROR(RegisteredOrganization(*db, organization).status());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      plan::ImportIntegrityMeasures(*db, organization,
                                    plan_import::ParseIntegrityMeasures(
                                        request.text(), request.be_year()),
                                    request.request_id(),
                                    !request.validate_only(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoCreateProgressReport(
    CallContext& call, const v1::CreateProgressReportRequest& request,
    v1::ProgressReport& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      plan::CreateProgressReport(*db, organization, request.progress_report(),
                                 request.request_id(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoListProgressReports(
    CallContext& call, const v1::ListProgressReportsRequest& request,
    v1::ListProgressReportsResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  if (request.be_year() != 0) {
    PRONGSAI_RETURN_IF_ERROR(
        api::ValidateFiscalYear("be_year", request.be_year()));
  }
  if (!v1::Round_IsValid(request.round())) {
    return InvalidField("round", "is not a known round");
  }
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText("subject", request.subject(), 300, false));
  const std::string scope =
      absl::StrCat(request.parent(), "?", request.be_year(), "&",
                   request.round(), "&", request.subject());
  PRONGSAI_ASSIGN_OR_RETURN(
      PageRequest page,
      ParsePageRequest(request.page_size(), request.page_token(), scope));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      api::Page<v1::ProgressReport> found,
      plan::ListProgressReports(
          *db, organization,
          {request.be_year(), request.round(), request.subject()}, page));
  server::FinishPage(found.items, found.next_cursor, scope,
                     response.mutable_progress_reports(), response);
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoImportProgressReports(
    CallContext& call, const v1::ImportProgressReportsRequest& request,
    v1::ImportProgressReportsResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      api::ValidateFiscalYear("be_year", request.be_year()));
  if (request.round() != v1::ROUND_UNSPECIFIED &&
      request.round() != v1::HALF_YEAR && request.round() != v1::FULL_YEAR) {
    return InvalidField("round", "must be HALF_YEAR or FULL_YEAR");
  }
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_RETURN_IF_ERROR(ValidateImportText(request.text()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_RETURN_IF_ERROR(RegisteredOrganization(*db, organization).status());
  PRONGSAI_ASSIGN_OR_RETURN(
      std::vector<plan_import::MeasureRef> measures,
      MeasureRefsOfYear(*db, organization, request.be_year()));
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      plan::ImportProgressReports(
          *db, organization,
          plan_import::ParseProgressReport(request.text(), request.be_year(),
                                           request.round(), measures),
          request.request_id(), !request.validate_only(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoGetRoundSummary(
    CallContext& call, const v1::GetRoundSummaryRequest& request,
    v1::RoundSummary& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "annual_plan", request.annual_plan(), "annualPlans"));
  PRONGSAI_RETURN_IF_ERROR(ValidateRound(request.round()));
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      ReadThroughCache<v1::RoundSummary>(
          call, name.organization,
          absl::StrCat(request.annual_plan(), "#round", request.round()),
          [&](Connection& db) -> absl::StatusOr<v1::RoundSummary> {
            PRONGSAI_ASSIGN_OR_RETURN(RoundData round,
                                      LoadRound(db, name, request.round()));
            return std::move(round.summary);
          }));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoExportRoundReport(
    CallContext& call, const v1::ExportRoundReportRequest& request,
    v1::ExportedDocument& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "annual_plan", request.annual_plan(), "annualPlans"));
  PRONGSAI_RETURN_IF_ERROR(ValidateRound(request.round()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRendering(request.format(), request.digits()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      v1::ActionPlan plan,
      plan::GetActionPlan(*db, name.organization, name.plan_id));
  PRONGSAI_ASSIGN_OR_RETURN(RoundData round,
                            LoadRound(*db, name, request.round()));
  RenderedDocument rendered = RenderRoundReport(
      plan, round.summary, round.titles, request.format(), request.digits());
  response.set_content_type(std::move(rendered.content_type));
  response.set_content(std::move(rendered.content));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoCreateRisk(CallContext& call,
                                           const v1::CreateRiskRequest& request,
                                           v1::Risk& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName plan,
                            PlanOf(call, "parent", request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      plan::CreateRisk(*db, plan.organization, plan.id, request.risk(),
                       request.request_id(), call.writer()));
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoListRisks(CallContext& call,
                                          const v1::ListRisksRequest& request,
                                          v1::ListRisksResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName plan,
                            PlanOf(call, "parent", request.parent()));
  const std::string scope =
      absl::StrCat(request.parent(), "?", request.uncontrolled_only());
  PRONGSAI_ASSIGN_OR_RETURN(
      PageRequest page,
      ParsePageRequest(request.page_size(), request.page_token(), scope));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(api::Page<v1::Risk> found,
                            plan::ListRisks(*db, plan.organization, plan.id,
                                            request.uncontrolled_only(), page));
  server::FinishPage(found.items, found.next_cursor, scope,
                     response.mutable_risks(), response);
  return absl::OkStatus();
}

absl::Status PlanGrpcService::DoUpdateRisk(CallContext& call,
                                           const v1::UpdateRiskRequest& request,
                                           v1::Risk& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "risk.name", request.risk().name(), "risks"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, plan::UpdateRisk(*db, name, request.risk(),
                                 request.update_mask(), call.writer()));
  return absl::OkStatus();
}

#undef PRONGSAI_PLAN_METHODS

}  // namespace
server::ServiceDefinition PlanServiceDefinition(PlanOptions options) {
  server::ServiceDefinition definition;
  definition.name = "plan";
  definition.service_full_name = v1::PlanService::service_full_name();
  definition.migrations = Migrations();
  definition.additional_services.push_back(
      AccountServiceDefinition({.signer = options.session_signer}));
  definition.additional_services.push_back(OversightServiceDefinition(
      {.complaint_address = options.complaint_address,
       .complaint_api_key = options.peer_api_key,
       .ita_address = options.ita_address,
       .ita_api_key = options.peer_api_key,
       .peer_credentials = options.peer_credentials}));
  // Ended sessions and old failure records, at most once an hour (the
  // health thread calls this every probe).
  definition.housekeeping = [last_us = std::make_shared<std::atomic<int64_t>>(
                                 std::numeric_limits<int64_t>::min())](
                                storage::Connection& db,
                                absl::Time now) -> absl::Status {
    const int64_t now_us = absl::ToUnixMicros(now);
    const int64_t last = last_us->load();
    if (last != std::numeric_limits<int64_t>::min() &&
        now_us - last < absl::ToInt64Microseconds(absl::Hours(1))) {
      return absl::OkStatus();
    }
    PRONGSAI_RETURN_IF_ERROR(PruneAccountState(db, now));
    last_us->store(now_us);
    return absl::OkStatus();
  };
  definition.make_service =
      [options = std::move(options)](server::ServiceRuntime& runtime) {
        return std::make_unique<PlanGrpcService>(runtime, options);
      };
  return definition;
}

}  // namespace prongsai::plan
