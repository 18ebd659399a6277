#include "services/plan/plan_service.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/api/fields.h"
#include "common/api/row_fields.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/cache/cache_aside.h"
#include "common/client/peer.h"
#include "common/server/list_scope.h"
#include "common/thai/thai.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "services/plan/plan_domain.h"
#include "services/plan/plan_export.h"
#include "services/plan/plan_import/plan_import.h"
#include "services/plan/plan_store.h"

namespace prongsai::plan {
namespace {

using server::CallContext;
using storage::Connection;

constexpr absl::Duration kCacheTtl = absl::Minutes(10);
// Plan documents are a few hundred KB; 3 MB leaves room for long ones while
// keeping the parse bounded.
constexpr size_t kMaxImportBytes = 3 << 20;

Writer WriterOf(const CallContext& call) {
  return {call.principal.name(), call.now};
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
absl::Status ReadCached(
    CallContext& call, absl::string_view organization, absl::string_view what,
    M& out, absl::FunctionRef<absl::StatusOr<M>(Connection&)> load) {
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(std::string version,
                            DataVersion(*db, organization));
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string bytes,
      cache::GetOrLoad(call.worker.Redis(),
                       cache::VersionedKey("plan", kCacheVersion,
                                           absl::StrCat(what, "@", version)),
                       kCacheTtl, [&]() -> absl::StatusOr<std::string> {
                         PRONGSAI_ASSIGN_OR_RETURN(M value, load(*db));
                         return value.SerializeAsString();
                       }));
  if (!out.ParseFromString(bytes)) {
    return absl::InternalError("corrupt cached value");
  }
  return absl::OkStatus();
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

// ------------------------------------------------------------ organizations

absl::Status DoCreateOrganization(CallContext& call,
                                  const v1::CreateOrganizationRequest& request,
                                  v1::Organization& response) {
  const common::v1::OrganizationRef& ref =
      request.organization().organization();
  PRONGSAI_RETURN_IF_ERROR(
      ValidateOrganization("organization.organization", ref));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(ref.code()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(response,
                            CreateOrganization(*db, ref, WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoGetOrganization(CallContext& call,
                               const v1::GetOrganizationRequest& request,
                               v1::Organization& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string code,
                            ParseOrganizationParent("name", request.name()));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(code));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(response, GetOrganization(*db, code));
  return absl::OkStatus();
}

absl::Status DoListOrganizations(CallContext& call,
                                 const v1::ListOrganizationsRequest& request,
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
      OrganizationPage found,
      ListOrganizations(*db, request.province(), request.kind(), page));
  server::FinishPage(found.organizations, found.next_cursor, scope,
                     response.mutable_organizations(), response);
  return absl::OkStatus();
}

absl::Status DoUpdateOrganization(CallContext& call,
                                  const v1::UpdateOrganizationRequest& request,
                                  v1::Organization& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string code, ParseOrganizationParent("organization.name",
                                                request.organization().name()));
  PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(code));
  v1::Organization patch = request.organization();
  patch.mutable_organization()->set_code(code);
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      UpdateOrganization(*db, patch, request.update_mask(), WriterOf(call)));
  return absl::OkStatus();
}

// ------------------------------------------------------------ action plans

absl::Status DoCreateActionPlan(CallContext& call,
                                const v1::CreateActionPlanRequest& request,
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
      response, CreateActionPlan(*db, organization, plan, request.request_id(),
                                 WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoGetActionPlan(CallContext& call,
                             const v1::GetActionPlanRequest& request,
                             v1::ActionPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                            PlanOf(call, "name", request.name()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(response,
                            GetActionPlan(*db, name.organization, name.id));
  return absl::OkStatus();
}

absl::Status DoListActionPlans(CallContext& call,
                               const v1::ListActionPlansRequest& request,
                               v1::ListActionPlansResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                            server::StartList(call, request));
  PRONGSAI_ASSIGN_OR_RETURN(
      ActionPlanPage plans,
      ListActionPlans(*scope.db, scope.organization, scope.page));
  server::FinishList(plans.plans, plans.next_cursor, request,
                     response.mutable_action_plans(), response);
  return absl::OkStatus();
}

absl::Status DoUpdateActionPlan(CallContext& call,
                                const v1::UpdateActionPlanRequest& request,
                                v1::ActionPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      ChildName name,
      PlanOf(call, "action_plan.name", request.action_plan().name()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      UpdateActionPlan(*db, name.organization, name.id, request.action_plan(),
                       request.update_mask(), WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoApproveActionPlan(CallContext& call,
                                 const v1::ApproveActionPlanRequest& request,
                                 v1::ActionPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                            PlanOf(call, "name", request.name()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      AdvanceActionPlan(*db, name.organization, name.id, request.etag(),
                        v1::ActionPlan::APPROVED, call.now, WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoAnnounceActionPlan(CallContext& call,
                                  const v1::AnnounceActionPlanRequest& request,
                                  v1::ActionPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                            PlanOf(call, "name", request.name()));
  absl::Time announce_time = call.now;
  if (request.has_announce_time()) {
    announce_time = api::FromProtoTime(request.announce_time());
    if (announce_time > call.now + absl::Hours(24 * 366)) {
      return InvalidField("announce_time", "is more than a year ahead");
    }
  }
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, AdvanceActionPlan(*db, name.organization, name.id,
                                  request.etag(), v1::ActionPlan::ANNOUNCED,
                                  announce_time, WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoImportActionPlan(CallContext& call,
                                const v1::ImportActionPlanRequest& request,
                                v1::ImportActionPlanResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  if (request.text().empty()) return InvalidField("text", "is required");
  if (request.text().size() > kMaxImportBytes) {
    return InvalidField("text", "is larger than 3 MB");
  }
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(common::v1::OrganizationRef registered,
                            RegisteredOrganization(*db, organization));
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      ImportActionPlan(*db, registered, ParsePlanDocument(request.text()),
                       request.request_id(), !request.validate_only(),
                       WriterOf(call)));
  return absl::OkStatus();
}

// Corruption reports the complaint service counted in fiscal year
// `be_year` of `organization`.
absl::StatusOr<int> CorruptionCases(const client::Peer& complaints,
                                    absl::string_view organization, int be_year,
                                    client::PeerCall& peers) {
  if (!complaints.configured()) {
    return absl::FailedPreconditionError(complaints.Describe(
        absl::StrCat("corruption cases of ", be_year),
        grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "")));
  }
  auto stub = complaint::v1::ComplaintService::NewStub(complaints.channel());
  complaint::v1::GetComplaintStatisticsRequest request;
  request.set_parent(absl::StrCat("organizations/", organization));
  request.mutable_fiscal_year()->set_be_year(be_year);
  complaint::v1::ComplaintStatistics statistics;
  grpc::Status status = complaints.Call(
      peers, client::Peer::kSafeToRetry, [&](grpc::ClientContext& context) {
        statistics.Clear();
        return stub->GetComplaintStatistics(&context, request, &statistics);
      });
  if (!status.ok()) {
    return absl::UnavailableError(complaints.Describe(
        absl::StrCat("corruption cases of ", be_year), status));
  }
  for (const complaint::v1::CountByKey& kind : statistics.by_kind()) {
    if (kind.key() == "CORRUPTION") return static_cast<int>(kind.received());
  }
  return 0;
}

// The overall ITA score of each fiscal year the ITA service has for
// `organization` (computed figures when there are, else published).
absl::StatusOr<absl::flat_hash_map<int, double>> ItaScores(
    const client::Peer& ita, absl::string_view organization,
    client::PeerCall& peers) {
  if (!ita.configured()) {
    return absl::FailedPreconditionError(ita.Describe(
        "ITA scores", grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "")));
  }
  auto stub = ita::v1::AssessmentService::NewStub(ita.channel());
  ita::v1::ListAssessmentsRequest request;
  request.set_parent(absl::StrCat("organizations/", organization));
  request.set_page_size(1000);
  ita::v1::ListAssessmentsResponse response;
  grpc::Status status = ita.Call(
      peers, client::Peer::kSafeToRetry, [&](grpc::ClientContext& context) {
        response.Clear();
        return stub->ListAssessments(&context, request, &response);
      });
  if (!status.ok()) {
    return absl::UnavailableError(ita.Describe("ITA scores", status));
  }
  absl::flat_hash_map<int, double> scores;
  for (const ita::v1::Assessment& assessment : response.assessments()) {
    const int year = assessment.fiscal_year().be_year();
    if (assessment.computed().has_overall()) {
      scores[year] = assessment.computed().overall().score();
    } else if (assessment.published().has_overall()) {
      scores[year] = assessment.published().overall().score();
    } else if (assessment.has_published_overall_score()) {
      scores[year] = assessment.published_overall_score();
    }
  }
  return scores;
}

absl::Status DoEvaluateTargets(CallContext& call,
                               const v1::EvaluateTargetsRequest& request,
                               v1::EvaluateTargetsResponse& response,
                               const client::Peer& complaints,
                               const client::Peer& ita) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName name,
                            PlanOf(call, "name", request.name()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(v1::ActionPlan plan,
                            GetActionPlan(*db, name.organization, name.id));
  // Counts the plan does not record come from the complaint service, for
  // fiscal years that have ended (a year still running has no final count).
  const int current_year = thai::FiscalQuarterOf(call.now).be_year;
  absl::flat_hash_map<int, absl::StatusOr<int>> counted;
  // Each peer call gets a share of the deadline, so that a frozen peer
  // still leaves time to answer with what the others said.
  client::PeerCall peers(call.deadline);
  // Once the complaint service has failed to answer, it is not asked again
  // in this call: a frozen peer costs one timeout, not one per year.
  std::optional<absl::Status> complaints_down;
  // By value: a reference into `counted` would not survive its next insert.
  auto count = [&](int be_year) -> absl::StatusOr<int> {
    auto found = counted.find(be_year);
    if (found == counted.end()) {
      absl::StatusOr<int> cases =
          complaints_down.has_value()
              ? absl::StatusOr<int>(*complaints_down)
              : CorruptionCases(complaints, name.organization, be_year, peers);
      if (!cases.ok() && !complaints_down.has_value()) {
        complaints_down = cases.status();
        response.add_missing(std::string(cases.status().message()));
      }
      found = counted.emplace(be_year, std::move(cases)).first;
    }
    return found->second;
  };
  // ITA actuals not recorded in the plan come from the ITA service.
  const bool needs_ita = std::any_of(
      plan.targets().begin(), plan.targets().end(),
      [](const v1::YearTarget& target) {
        return target.has_ita_score_target() && !target.has_actual_ita_score();
      });
  if (needs_ita) {
    absl::StatusOr<absl::flat_hash_map<int, double>> scores =
        ItaScores(ita, name.organization, peers);
    if (!scores.ok()) {
      response.add_missing(std::string(scores.status().message()));
    } else {
      for (v1::YearTarget& target : *plan.mutable_targets()) {
        auto found = scores->find(target.be_year());
        if (!target.has_actual_ita_score() && found != scores->end()) {
          target.set_actual_ita_score(found->second);
        }
      }
    }
  }
  for (v1::YearTarget& target : *plan.mutable_targets()) {
    if (!target.has_corruption_case_reduction_percent() ||
        target.be_year() >= current_year) {
      continue;
    }
    if (!target.has_base_corruption_cases()) {
      if (const absl::StatusOr<int> base = count(target.base_be_year());
          base.ok()) {
        target.set_base_corruption_cases(*base);
      }
    }
    if (!target.has_actual_corruption_cases()) {
      if (const absl::StatusOr<int> actual = count(target.be_year());
          actual.ok()) {
        target.set_actual_corruption_cases(*actual);
      }
    }
  }
  for (v1::TargetEvaluation& year : EvaluateTargets(plan)) {
    *response.add_years() = std::move(year);
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- projects

absl::Status DoCreateProject(CallContext& call,
                             const v1::CreateProjectRequest& request,
                             v1::Project& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName plan,
                            PlanOf(call, "parent", request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      CreateProject(*db, plan.organization, plan.id, request.project(),
                    request.request_id(), WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoGetProject(CallContext& call,
                          const v1::GetProjectRequest& request,
                          v1::Project& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "name", request.name(), "projects"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(response, GetProject(*db, name));
  return absl::OkStatus();
}

absl::Status DoListProjects(CallContext& call,
                            const v1::ListProjectsRequest& request,
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
  PRONGSAI_ASSIGN_OR_RETURN(
      ProjectPage found,
      ListProjects(*db, plan.organization, plan.id, request.be_year(), page));
  server::FinishPage(found.projects, found.next_cursor, scope,
                     response.mutable_projects(), response);
  return absl::OkStatus();
}

absl::Status DoUpdateProject(CallContext& call,
                             const v1::UpdateProjectRequest& request,
                             v1::Project& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "project.name", request.project().name(), "projects"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, UpdateProject(*db, name, request.project(),
                              request.update_mask(), WriterOf(call)));
  return absl::OkStatus();
}

// ------------------------------------------------------------ annual plans

absl::Status DoCreateAnnualPlan(CallContext& call,
                                const v1::CreateAnnualPlanRequest& request,
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
      CreateAnnualPlan(*db, plan.organization, plan.id, request.be_year(),
                       {request.default_quarters().begin(),
                        request.default_quarters().end()},
                       request.request_id(), WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoGetAnnualPlan(CallContext& call,
                             const v1::GetAnnualPlanRequest& request,
                             v1::AnnualPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "name", request.name(), "annualPlans"));
  return ReadCached<v1::AnnualPlan>(
      call, name.organization, request.name(), response,
      [&](Connection& db) { return GetAnnualPlan(db, name); });
}

absl::Status DoUpdateAnnualPlan(CallContext& call,
                                const v1::UpdateAnnualPlanRequest& request,
                                v1::AnnualPlan& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "annual_plan.name", request.annual_plan().name(),
                  "annualPlans"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, UpdateAnnualPlan(*db, name, request.annual_plan(),
                                 request.update_mask(), WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoReconcileAnnualPlan(
    CallContext& call, const v1::ReconcileAnnualPlanRequest& request,
    v1::ReconcileAnnualPlanResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "name", request.name(), "annualPlans"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(v1::AnnualPlan annual, GetAnnualPlan(*db, name));
  PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Project> projects,
                            AllProjects(*db, name.organization, name.plan_id));
  for (v1::Finding& finding : Reconcile(annual, projects)) {
    *response.add_findings() = std::move(finding);
  }
  response.set_consistent(response.findings().empty());
  return absl::OkStatus();
}

absl::Status DoExportAnnualPlan(CallContext& call,
                                const v1::ExportAnnualPlanRequest& request,
                                v1::ExportedDocument& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "name", request.name(), "annualPlans"));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRendering(request.format(), request.digits()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      v1::ActionPlan plan, GetActionPlan(*db, name.organization, name.plan_id));
  PRONGSAI_ASSIGN_OR_RETURN(v1::AnnualPlan annual, GetAnnualPlan(*db, name));
  RenderedDocument rendered =
      RenderAnnualPlan(plan, annual, request.format(), request.digits());
  response.set_content_type(std::move(rendered.content_type));
  response.set_content(std::move(rendered.content));
  return absl::OkStatus();
}

// ------------------------------------------------------- integrity measures

absl::Status DoCreateIntegrityMeasure(
    CallContext& call, const v1::CreateIntegrityMeasureRequest& request,
    v1::IntegrityMeasure& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_RETURN_IF_ERROR(RegisteredOrganization(*db, organization).status());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      CreateIntegrityMeasure(*db, organization, request.integrity_measure(),
                             request.request_id(), WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoGetIntegrityMeasure(
    CallContext& call, const v1::GetIntegrityMeasureRequest& request,
    v1::IntegrityMeasure& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      ChildName name,
      ChildOf(call, "name", request.name(), "integrityMeasures"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, GetIntegrityMeasure(*db, name.organization, name.id));
  return absl::OkStatus();
}

absl::Status DoListIntegrityMeasures(
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
      IntegrityMeasurePage found,
      ListIntegrityMeasures(*db, organization, request.be_year(), page));
  server::FinishPage(found.measures, found.next_cursor, scope,
                     response.mutable_integrity_measures(), response);
  return absl::OkStatus();
}

absl::Status DoUpdateIntegrityMeasure(
    CallContext& call, const v1::UpdateIntegrityMeasureRequest& request,
    v1::IntegrityMeasure& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      ChildName name,
      ChildOf(call, "integrity_measure.name",
              request.integrity_measure().name(), "integrityMeasures"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, UpdateIntegrityMeasure(*db, name.organization, name.id,
                                       request.integrity_measure(),
                                       request.update_mask(), WriterOf(call)));
  return absl::OkStatus();
}

// -------------------------------------------------------- progress reports

absl::Status DoCreateProgressReport(
    CallContext& call, const v1::CreateProgressReportRequest& request,
    v1::ProgressReport& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string organization,
                            ParentOf(call, request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      CreateProgressReport(*db, organization, request.progress_report(),
                           request.request_id(), WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoListProgressReports(
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
      ProgressReportPage found,
      ListProgressReports(
          *db, organization,
          {request.be_year(), request.round(), request.subject()}, page));
  server::FinishPage(found.reports, found.next_cursor, scope,
                     response.mutable_progress_reports(), response);
  return absl::OkStatus();
}

absl::Status DoGetRoundSummary(CallContext& call,
                               const v1::GetRoundSummaryRequest& request,
                               v1::RoundSummary& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "annual_plan", request.annual_plan(), "annualPlans"));
  PRONGSAI_RETURN_IF_ERROR(ValidateRound(request.round()));
  return ReadCached<v1::RoundSummary>(
      call, name.organization,
      absl::StrCat(request.annual_plan(), "#round", request.round()), response,
      [&](Connection& db) -> absl::StatusOr<v1::RoundSummary> {
        PRONGSAI_ASSIGN_OR_RETURN(RoundData round,
                                  LoadRound(db, name, request.round()));
        return std::move(round.summary);
      });
}

absl::Status DoExportRoundReport(CallContext& call,
                                 const v1::ExportRoundReportRequest& request,
                                 v1::ExportedDocument& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "annual_plan", request.annual_plan(), "annualPlans"));
  PRONGSAI_RETURN_IF_ERROR(ValidateRound(request.round()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRendering(request.format(), request.digits()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      v1::ActionPlan plan, GetActionPlan(*db, name.organization, name.plan_id));
  PRONGSAI_ASSIGN_OR_RETURN(RoundData round,
                            LoadRound(*db, name, request.round()));
  RenderedDocument rendered = RenderRoundReport(
      plan, round.summary, round.titles, request.format(), request.digits());
  response.set_content_type(std::move(rendered.content_type));
  response.set_content(std::move(rendered.content));
  return absl::OkStatus();
}

// ------------------------------------------------------------------ risks

absl::Status DoCreateRisk(CallContext& call,
                          const v1::CreateRiskRequest& request,
                          v1::Risk& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName plan,
                            PlanOf(call, "parent", request.parent()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, CreateRisk(*db, plan.organization, plan.id, request.risk(),
                           request.request_id(), WriterOf(call)));
  return absl::OkStatus();
}

absl::Status DoListRisks(CallContext& call, const v1::ListRisksRequest& request,
                         v1::ListRisksResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(ChildName plan,
                            PlanOf(call, "parent", request.parent()));
  const std::string scope =
      absl::StrCat(request.parent(), "?", request.uncontrolled_only());
  PRONGSAI_ASSIGN_OR_RETURN(
      PageRequest page,
      ParsePageRequest(request.page_size(), request.page_token(), scope));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(RiskPage found,
                            ListRisks(*db, plan.organization, plan.id,
                                      request.uncontrolled_only(), page));
  server::FinishPage(found.risks, found.next_cursor, scope,
                     response.mutable_risks(), response);
  return absl::OkStatus();
}

absl::Status DoUpdateRisk(CallContext& call,
                          const v1::UpdateRiskRequest& request,
                          v1::Risk& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PlanChildName name,
      PlanChildOf(call, "risk.name", request.risk().name(), "risks"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response, UpdateRisk(*db, name, request.risk(), request.update_mask(),
                           WriterOf(call)));
  return absl::OkStatus();
}

// Every method is a raw callback so that the runtime parses the request
// after authentication (see service_runtime.h).
using PlanRawService = server::RawCallbackService<
    v1::PlanService::Service,
    v1::PlanService::WithRawCallbackMethod_CreateOrganization,
    v1::PlanService::WithRawCallbackMethod_GetOrganization,
    v1::PlanService::WithRawCallbackMethod_ListOrganizations,
    v1::PlanService::WithRawCallbackMethod_UpdateOrganization,
    v1::PlanService::WithRawCallbackMethod_CreateActionPlan,
    v1::PlanService::WithRawCallbackMethod_GetActionPlan,
    v1::PlanService::WithRawCallbackMethod_ListActionPlans,
    v1::PlanService::WithRawCallbackMethod_UpdateActionPlan,
    v1::PlanService::WithRawCallbackMethod_ApproveActionPlan,
    v1::PlanService::WithRawCallbackMethod_AnnounceActionPlan,
    v1::PlanService::WithRawCallbackMethod_ImportActionPlan,
    v1::PlanService::WithRawCallbackMethod_EvaluateTargets,
    v1::PlanService::WithRawCallbackMethod_CreateProject,
    v1::PlanService::WithRawCallbackMethod_GetProject,
    v1::PlanService::WithRawCallbackMethod_ListProjects,
    v1::PlanService::WithRawCallbackMethod_UpdateProject,
    v1::PlanService::WithRawCallbackMethod_CreateAnnualPlan,
    v1::PlanService::WithRawCallbackMethod_GetAnnualPlan,
    v1::PlanService::WithRawCallbackMethod_UpdateAnnualPlan,
    v1::PlanService::WithRawCallbackMethod_ReconcileAnnualPlan,
    v1::PlanService::WithRawCallbackMethod_ExportAnnualPlan,
    v1::PlanService::WithRawCallbackMethod_CreateIntegrityMeasure,
    v1::PlanService::WithRawCallbackMethod_GetIntegrityMeasure,
    v1::PlanService::WithRawCallbackMethod_ListIntegrityMeasures,
    v1::PlanService::WithRawCallbackMethod_UpdateIntegrityMeasure,
    v1::PlanService::WithRawCallbackMethod_CreateProgressReport,
    v1::PlanService::WithRawCallbackMethod_ListProgressReports,
    v1::PlanService::WithRawCallbackMethod_GetRoundSummary,
    v1::PlanService::WithRawCallbackMethod_ExportRoundReport,
    v1::PlanService::WithRawCallbackMethod_CreateRisk,
    v1::PlanService::WithRawCallbackMethod_ListRisks,
    v1::PlanService::WithRawCallbackMethod_UpdateRisk>;

// Translation only: each method hands its request to the Do* function of the
// same name on a worker.
#define PRONGSAI_PLAN_METHOD(method, Request, Response)                   \
  grpc::ServerUnaryReactor* method(grpc::CallbackServerContext* context,  \
                                   const grpc::ByteBuffer* request,       \
                                   grpc::ByteBuffer* response) override { \
    return runtime_.Unary<v1::Request, v1::Response>(                     \
        context, #method, request, response, &Do##method);                \
  }

class PlanGrpcService final : public PlanRawService {
 public:
  PlanGrpcService(server::ServiceRuntime& runtime, const PlanOptions& options)
      : runtime_(runtime),
        complaints_(client::PeerOptions::Of("complaint service",
                                            options.complaint_address,
                                            options.peer_api_key)),
        ita_(client::PeerOptions::Of("ITA service", options.ita_address,
                                     options.peer_api_key)) {}

  PRONGSAI_PLAN_METHOD(CreateOrganization, CreateOrganizationRequest,
                       Organization)
  PRONGSAI_PLAN_METHOD(GetOrganization, GetOrganizationRequest, Organization)
  PRONGSAI_PLAN_METHOD(ListOrganizations, ListOrganizationsRequest,
                       ListOrganizationsResponse)
  PRONGSAI_PLAN_METHOD(UpdateOrganization, UpdateOrganizationRequest,
                       Organization)
  PRONGSAI_PLAN_METHOD(CreateActionPlan, CreateActionPlanRequest, ActionPlan)
  PRONGSAI_PLAN_METHOD(GetActionPlan, GetActionPlanRequest, ActionPlan)
  PRONGSAI_PLAN_METHOD(ListActionPlans, ListActionPlansRequest,
                       ListActionPlansResponse)
  PRONGSAI_PLAN_METHOD(UpdateActionPlan, UpdateActionPlanRequest, ActionPlan)
  PRONGSAI_PLAN_METHOD(ApproveActionPlan, ApproveActionPlanRequest, ActionPlan)
  PRONGSAI_PLAN_METHOD(AnnounceActionPlan, AnnounceActionPlanRequest,
                       ActionPlan)
  PRONGSAI_PLAN_METHOD(ImportActionPlan, ImportActionPlanRequest,
                       ImportActionPlanResponse)
  grpc::ServerUnaryReactor* EvaluateTargets(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_
        .Unary<v1::EvaluateTargetsRequest, v1::EvaluateTargetsResponse>(
            context, "EvaluateTargets", request, response,
            [this](CallContext& call, const v1::EvaluateTargetsRequest& in,
                   v1::EvaluateTargetsResponse& out) {
              return DoEvaluateTargets(call, in, out, complaints_, ita_);
            });
  }
  PRONGSAI_PLAN_METHOD(CreateProject, CreateProjectRequest, Project)
  PRONGSAI_PLAN_METHOD(GetProject, GetProjectRequest, Project)
  PRONGSAI_PLAN_METHOD(ListProjects, ListProjectsRequest, ListProjectsResponse)
  PRONGSAI_PLAN_METHOD(UpdateProject, UpdateProjectRequest, Project)
  PRONGSAI_PLAN_METHOD(CreateAnnualPlan, CreateAnnualPlanRequest, AnnualPlan)
  PRONGSAI_PLAN_METHOD(GetAnnualPlan, GetAnnualPlanRequest, AnnualPlan)
  PRONGSAI_PLAN_METHOD(UpdateAnnualPlan, UpdateAnnualPlanRequest, AnnualPlan)
  PRONGSAI_PLAN_METHOD(ReconcileAnnualPlan, ReconcileAnnualPlanRequest,
                       ReconcileAnnualPlanResponse)
  PRONGSAI_PLAN_METHOD(ExportAnnualPlan, ExportAnnualPlanRequest,
                       ExportedDocument)
  PRONGSAI_PLAN_METHOD(CreateIntegrityMeasure, CreateIntegrityMeasureRequest,
                       IntegrityMeasure)
  PRONGSAI_PLAN_METHOD(GetIntegrityMeasure, GetIntegrityMeasureRequest,
                       IntegrityMeasure)
  PRONGSAI_PLAN_METHOD(ListIntegrityMeasures, ListIntegrityMeasuresRequest,
                       ListIntegrityMeasuresResponse)
  PRONGSAI_PLAN_METHOD(UpdateIntegrityMeasure, UpdateIntegrityMeasureRequest,
                       IntegrityMeasure)
  PRONGSAI_PLAN_METHOD(CreateProgressReport, CreateProgressReportRequest,
                       ProgressReport)
  PRONGSAI_PLAN_METHOD(ListProgressReports, ListProgressReportsRequest,
                       ListProgressReportsResponse)
  PRONGSAI_PLAN_METHOD(GetRoundSummary, GetRoundSummaryRequest, RoundSummary)
  PRONGSAI_PLAN_METHOD(ExportRoundReport, ExportRoundReportRequest,
                       ExportedDocument)
  PRONGSAI_PLAN_METHOD(CreateRisk, CreateRiskRequest, Risk)
  PRONGSAI_PLAN_METHOD(ListRisks, ListRisksRequest, ListRisksResponse)
  PRONGSAI_PLAN_METHOD(UpdateRisk, UpdateRiskRequest, Risk)

 private:
  server::ServiceRuntime& runtime_;
  const client::Peer complaints_;
  const client::Peer ita_;
};

#undef PRONGSAI_PLAN_METHOD

}  // namespace

server::ServiceDefinition PlanServiceDefinition(PlanOptions options) {
  server::ServiceDefinition definition;
  definition.name = "plan";
  definition.service_full_name = v1::PlanService::service_full_name();
  definition.migrations = Migrations();
  definition.make_service =
      [options = std::move(options)](server::ServiceRuntime& runtime) {
        return std::make_unique<PlanGrpcService>(runtime, options);
      };
  return definition;
}

}  // namespace prongsai::plan
