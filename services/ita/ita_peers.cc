#include "services/ita/ita_peers.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/rpc/grpc_status.h"
#include "common/thai/thai.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "services/ita/ita_oit_evidence.h"

namespace prongsai::ita {
namespace {

using client::Peer;

// FNV-1a, 64 bits, as hex: stable across builds and machines, which is all a
// derived request id needs.
std::string StableDigest(absl::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return absl::StrCat(absl::Hex(hash, absl::kZeroPad16));
}

grpc::Status NotConfigured() {
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "");
}

std::string Parent(absl::string_view organization) {
  return absl::StrCat("organizations/", organization);
}

// Returns the organization's action plans, or nullopt when the plan
// service did not answer (so it is not asked again in the same call).
std::optional<std::vector<plan::v1::ActionPlan>> AddPlanTarget(
    const Peer& plan, absl::string_view organization, client::PeerCall& peers,
    v1::AgencyAnalysis& analysis) {
  plan::v1::ListActionPlansRequest request;
  request.set_parent(Parent(organization));
  request.set_page_size(1000);
  plan::v1::ListActionPlansResponse response;
  const absl::Status status = plan.Unary<plan::v1::PlanService>(
      peers, Peer::kSafeToRetry, "plan target",
      &plan::v1::PlanService::Stub::ListActionPlans, request, response);
  if (!status.ok()) {
    analysis.add_missing(std::string(status.message()));
    return std::nullopt;
  }
  std::vector<plan::v1::ActionPlan> plans(response.action_plans().begin(),
                                          response.action_plans().end());
  for (const plan::v1::ActionPlan& action_plan : plans) {
    const auto& span = action_plan.fiscal_years();
    if (analysis.be_year() < span.first_be_year() ||
        analysis.be_year() > span.last_be_year()) {
      continue;
    }
    for (const plan::v1::YearTarget& target : action_plan.targets()) {
      if (target.be_year() == analysis.be_year() &&
          target.has_ita_score_target()) {
        analysis.set_plan_target(target.ita_score_target());
        analysis.set_gap_to_target(target.ita_score_target() -
                                   analysis.overall());
        return plans;
      }
    }
  }
  analysis.add_missing(absl::StrCat("plan target unknown: no action plan of ",
                                    organization, " sets an ITA target for ",
                                    analysis.be_year()));
  return plans;
}

// The complaint service's rule (MayReadCorruptionReports) for the caller
// it does not see.
bool MayReadCorruptionReports(const auth::Principal& caller) {
  return caller.HasRole(common::v1::INTEGRITY_OFFICER) ||
         caller.HasRole(common::v1::SYSTEM) ||
         caller.HasRole(common::v1::AUDITOR);
}

void SetComplaintHandling(const complaint::v1::ComplaintStatistics& statistics,
                          bool with_corruption, const v1::Framework& framework,
                          v1::ComplaintHandling& handling) {
  handling.set_received(statistics.received());
  handling.set_completed(statistics.completed());
  handling.set_overdue(statistics.overdue());
  // Absent stays absent: "nothing was rated" is not "0 % satisfied".
  if (statistics.has_percent_resolved_within_sla()) {
    handling.set_percent_resolved_within_sla(
        statistics.percent_resolved_within_sla());
  }
  if (statistics.has_percent_satisfied()) {
    handling.set_percent_satisfied(statistics.percent_satisfied());
  }
  if (with_corruption) {
    handling.set_corruption_received(0);  // a real 0 when none was filed
    for (const complaint::v1::CountByKey& kind : statistics.by_kind()) {
      if (kind.key() == "CORRUPTION") {
        handling.set_corruption_received(kind.received());
      }
    }
  } else {
    handling.set_general_only(true);
  }
  // Indicator 5 (solving corruption problems) and the framework's items
  // whose text is about complaints (เรื่องร้องเรียน).
  handling.add_bears_on("5");
  for (const v1::Item& item : framework.items()) {
    if (item.text().find("ร้องเรียน") != std::string::npos) {
      handling.add_bears_on(item.code());
    }
  }
}

void AddComplaintHandling(const Peer& complaint, absl::string_view organization,
                          const v1::Framework& framework,
                          const auth::Principal& caller,
                          client::PeerCall& peers,
                          v1::AgencyAnalysis& analysis) {
  complaint::v1::GetComplaintStatisticsRequest request;
  request.set_parent(Parent(organization));
  request.mutable_fiscal_year()->set_be_year(analysis.be_year());
  // Asked with a SYSTEM key, the complaint service would count corruption
  // reports for anyone: the figures of a caller who may not read them leave
  // them out altogether (a total with them, beside the general count the
  // caller can get, would tell how many there are).
  const bool with_corruption = MayReadCorruptionReports(caller);
  request.set_general_only(!with_corruption);
  complaint::v1::ComplaintStatistics statistics;
  const absl::Status status = complaint.Unary<complaint::v1::ComplaintService>(
      peers, Peer::kSafeToRetry, "complaint handling",
      &complaint::v1::ComplaintService::Stub::GetComplaintStatistics, request,
      statistics);
  if (!status.ok()) {
    analysis.add_missing(std::string(status.message()));
    return;
  }
  SetComplaintHandling(statistics, with_corruption, framework,
                       *analysis.mutable_complaint_handling());
}

// Every page of one of the plan service's lists of an organization-year
// (an organization-year rarely has more than one), into `items`.
template <typename Request, typename Response, typename Item>
absl::Status ListEveryPage(
    const Peer& plan, client::PeerCall& peers, absl::string_view what,
    absl::string_view organization, int be_year,
    grpc::Status (plan::v1::PlanService::Stub::*method)(grpc::ClientContext*,
                                                        const Request&,
                                                        Response*),
    google::protobuf::RepeatedPtrField<Item>* (Response::*items_of)(),
    std::vector<Item>& items) {
  std::string token;
  do {
    Request request;
    request.set_parent(Parent(organization));
    request.set_be_year(be_year);
    request.set_page_size(1000);
    request.set_page_token(token);
    Response page;
    PRONGSAI_RETURN_IF_ERROR(plan.Unary<plan::v1::PlanService>(
        peers, Peer::kSafeToRetry, what, method, request, page));
    for (Item& item : *(page.*items_of)()) items.push_back(std::move(item));
    token = page.next_page_token();
  } while (!token.empty());
  return absl::OkStatus();
}

// What the coverage of a weakness is judged by: the next year's measures,
// the latest status of each, and which indicator each item belongs to.
struct MeasuresOfYear {
  int be_year = 0;
  std::vector<plan::v1::IntegrityMeasure> measures;
  absl::flat_hash_map<std::string, plan::v1::ProgressReport::Status> latest;
  absl::flat_hash_map<std::string, int> indicator_of_item;
  thai::FiscalQuarter current;
};

bool Answers(const plan::v1::IntegrityMeasure& measure,
             const v1::IndicatorResult& weakness, const MeasuresOfYear& year) {
  return std::any_of(measure.ita_indicators().begin(),
                     measure.ita_indicators().end(),
                     [&](const std::string& ref) {
                       auto item = year.indicator_of_item.find(ref);
                       return ref == absl::StrCat(weakness.number()) ||
                              (item != year.indicator_of_item.end() &&
                               item->second == weakness.number());
                     });
}

// Late: its last quarter has ended and it is neither done nor cancelled.
bool IsLate(const plan::v1::IntegrityMeasure& measure,
            const MeasuresOfYear& year) {
  int last_quarter = 4;
  if (!measure.quarters().empty()) {
    last_quarter =
        *std::max_element(measure.quarters().begin(), measure.quarters().end());
  }
  const bool ended = year.current.be_year > year.be_year ||
                     (year.current.be_year == year.be_year &&
                      last_quarter < year.current.quarter);
  auto status_of = year.latest.find(measure.name());
  const bool finished =
      status_of != year.latest.end() &&
      (status_of->second == plan::v1::ProgressReport::DONE ||
       status_of->second == plan::v1::ProgressReport::CANCELLED);
  return ended && !finished;
}

void AddCoverage(const Peer& plan, absl::string_view organization,
                 const v1::Framework& framework, absl::Time now,
                 client::PeerCall& peers, v1::AgencyAnalysis& analysis) {
  if (analysis.weaknesses().empty()) return;
  MeasuresOfYear year;
  year.be_year = analysis.be_year() + 1;
  std::vector<plan::v1::ProgressReport> reports;
  absl::Status status = ListEveryPage(
      plan, peers, "integrity measures", organization, year.be_year,
      &plan::v1::PlanService::Stub::ListIntegrityMeasures,
      &plan::v1::ListIntegrityMeasuresResponse::mutable_integrity_measures,
      year.measures);
  if (status.ok()) {
    status = ListEveryPage(
        plan, peers, "integrity measures", organization, year.be_year,
        &plan::v1::PlanService::Stub::ListProgressReports,
        &plan::v1::ListProgressReportsResponse::mutable_progress_reports,
        reports);
  }
  if (!status.ok()) {
    analysis.add_missing(std::string(status.message()));
    return;
  }
  // Reports list by round and time: the last one per measure is its latest.
  for (const plan::v1::ProgressReport& report : reports) {
    year.latest[report.subject()] = report.status();
  }
  for (const v1::Item& item : framework.items()) {
    year.indicator_of_item[item.code()] = item.indicator();
  }
  year.current = thai::FiscalQuarterOf(now);
  for (const v1::IndicatorResult& weakness : analysis.weaknesses()) {
    v1::WeaknessCoverage& coverage = *analysis.add_coverage();
    coverage.set_indicator(weakness.number());
    coverage.set_name(weakness.name());
    for (const plan::v1::IntegrityMeasure& measure : year.measures) {
      if (!Answers(measure, weakness, year)) continue;
      coverage.add_measures(measure.name());
      if (IsLate(measure, year)) coverage.add_late_measures(measure.name());
    }
  }
}

// Every page of `lister` into `out`; nullopt (and a `missing` sentence)
// when the peer did not answer.
template <typename Item>
std::optional<std::vector<Item>> Listed(
    v1::AgencyAnalysis& analysis,
    absl::FunctionRef<absl::Status(std::vector<Item>&)> lister) {
  std::vector<Item> out;
  if (absl::Status status = lister(out); !status.ok()) {
    analysis.add_missing(std::string(status.message()));
    return std::nullopt;
  }
  return out;
}

bool NamesEvidence(const v1::Framework& framework) {
  return std::any_of(framework.items().begin(), framework.items().end(),
                     [](const v1::Item& item) {
                       return item.evidence_source() !=
                              v1::EVIDENCE_SOURCE_UNSPECIFIED;
                     });
}

// The records the OIT items ask for. The plan service is asked only when it
// answered for the plan target (`plans` set).
OrganizationRecords GatherRecords(
    const Peers& peers, absl::string_view organization, int be_year,
    std::optional<std::vector<plan::v1::ActionPlan>> plans,
    client::PeerCall& call, v1::AgencyAnalysis& analysis) {
  OrganizationRecords records;
  records.complaint_statistics = analysis.has_complaint_handling();
  complaint::v1::ListCategoriesRequest categories_request;
  categories_request.set_parent(Parent(organization));
  complaint::v1::ListCategoriesResponse categories;
  if (absl::Status status =
          peers.complaint.Unary<complaint::v1::ComplaintService>(
              call, Peer::kSafeToRetry, "complaint categories",
              &complaint::v1::ComplaintService::Stub::ListCategories,
              categories_request, categories);
      status.ok()) {
    records.complaint_categories = categories.categories_size();
  } else {
    analysis.add_missing(std::string(status.message()));
  }
  if (!plans.has_value()) return records;
  records.action_plans = std::move(plans);
  auto reports_of = [&](int year) {
    return Listed<plan::v1::ProgressReport>(
        analysis, [&](std::vector<plan::v1::ProgressReport>& out) {
          return ListEveryPage(
              peers.plan, call, "progress reports", organization, year,
              &plan::v1::PlanService::Stub::ListProgressReports,
              &plan::v1::ListProgressReportsResponse::mutable_progress_reports,
              out);
        });
  };
  records.reports = reports_of(be_year);
  records.previous_reports = reports_of(be_year - 1);
  records.measures = Listed<plan::v1::IntegrityMeasure>(
      analysis, [&](std::vector<plan::v1::IntegrityMeasure>& out) {
        return ListEveryPage(
            peers.plan, call, "integrity measures", organization, be_year,
            &plan::v1::PlanService::Stub::ListIntegrityMeasures,
            &plan::v1::ListIntegrityMeasuresResponse::
                mutable_integrity_measures,
            out);
      });
  const plan::v1::ActionPlan* covering =
      PlanCovering(*records.action_plans, be_year);
  records.risks = Listed<plan::v1::Risk>(
      analysis, [&](std::vector<plan::v1::Risk>& out) -> absl::Status {
        if (covering == nullptr) return absl::OkStatus();
        std::string token;
        do {
          plan::v1::ListRisksRequest request;
          request.set_parent(covering->name());
          request.set_page_size(1000);
          request.set_page_token(token);
          plan::v1::ListRisksResponse page;
          PRONGSAI_RETURN_IF_ERROR(peers.plan.Unary<plan::v1::PlanService>(
              call, Peer::kSafeToRetry, "corruption risks",
              &plan::v1::PlanService::Stub::ListRisks, request, page));
          for (plan::v1::Risk& risk : *page.mutable_risks()) {
            out.push_back(std::move(risk));
          }
          token = page.next_page_token();
        } while (!token.empty());
        return absl::OkStatus();
      });
  return records;
}

}  // namespace

void AddPeerFigures(const Peers& peers, absl::string_view organization,
                    const v1::Framework& framework, absl::Time now,
                    absl::Time deadline, const auth::Principal& caller,
                    v1::AgencyAnalysis& analysis) {
  // One per incoming call: each peer's share of the deadline, and a peer
  // that did not answer is not asked again.
  client::PeerCall call(deadline);
  std::optional<std::vector<plan::v1::ActionPlan>> plans =
      AddPlanTarget(peers.plan, organization, call, analysis);
  AddComplaintHandling(peers.complaint, organization, framework, caller, call,
                       analysis);
  if (plans.has_value()) {
    AddCoverage(peers.plan, organization, framework, now, call, analysis);
  } else if (!analysis.weaknesses().empty()) {
    // A plan service that did not answer is not asked twice in one call.
    analysis.add_missing(
        "integrity measures unknown: the plan service did not answer");
  }
  if (NamesEvidence(framework)) {
    const OrganizationRecords records =
        GatherRecords(peers, organization, analysis.be_year(), std::move(plans),
                      call, analysis);
    if (std::optional<v1::OitEvidenceSummary> evidence = EvidenceOitItems(
            framework, organization, analysis.be_year(), records)) {
      *analysis.mutable_oit_evidence() = *std::move(evidence);
    }
  }
}

v1::AdoptRecommendedMeasuresResponse AdoptMeasures(
    const Peers& peers, absl::string_view organization,
    absl::string_view assessment,
    const std::vector<v1::RecommendedMeasure>& measures, absl::Time deadline) {
  v1::AdoptRecommendedMeasuresResponse response;
  if (!peers.plan.configured()) {
    response.add_missing(
        peers.plan.Describe("adopted measures", NotConfigured()));
    return response;
  }
  auto stub = plan::v1::PlanService::NewStub(peers.plan.channel());
  // Shared by every measure: a plan service that did not answer for the
  // first is not asked for the others (each is then "not adopted" at once).
  client::PeerCall call(deadline);
  for (const v1::RecommendedMeasure& recommended : measures) {
    plan::v1::CreateIntegrityMeasureRequest request;
    request.set_parent(Parent(organization));
    *request.mutable_integrity_measure() = recommended.measure();
    // The same assessment and measure always make the same request id, so
    // the plan service creates each adopted measure once, however often
    // this runs: the create is safe to retry.
    request.set_request_id(absl::StrCat(
        "ita-", StableDigest(absl::StrCat(assessment, "\n",
                                          recommended.measure().be_year(), "\n",
                                          recommended.measure().title()))));
    plan::v1::IntegrityMeasure created;
    grpc::Status status = peers.plan.Call(
        call, client::Peer::kSafeToRetry, [&](grpc::ClientContext& context) {
          return stub->CreateIntegrityMeasure(&context, request, &created);
        });
    if (status.ok()) {
      *response.add_measures() = std::move(created);
    } else {
      // The code and the plan service's own message, without payloads.
      response.add_missing(
          absl::StrCat("\"", recommended.measure().title(), "\" not adopted: ",
                       absl::StatusCodeToString(FromGrpcStatus(status).code()),
                       ": ", status.error_message()));
    }
  }
  return response;
}

}  // namespace prongsai::ita
