#include "services/ita/ita_peers.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/grpc_status.h"
#include "common/thai/thai.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"

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

// Returns false when the plan service did not answer (so it is not asked
// again in the same call).
bool AddPlanTarget(const Peer& plan, absl::string_view organization,
                   client::PeerCall& peers, v1::AgencyAnalysis& analysis) {
  if (!plan.configured()) {
    analysis.add_missing(plan.Describe("plan target", NotConfigured()));
    return false;
  }
  auto stub = plan::v1::PlanService::NewStub(plan.channel());
  plan::v1::ListActionPlansRequest request;
  request.set_parent(Parent(organization));
  request.set_page_size(1000);
  plan::v1::ListActionPlansResponse response;
  grpc::Status status =
      plan.Call(peers, Peer::kSafeToRetry, [&](grpc::ClientContext& context) {
        response.Clear();
        return stub->ListActionPlans(&context, request, &response);
      });
  if (!status.ok()) {
    analysis.add_missing(plan.Describe("plan target", status));
    return false;
  }
  for (const plan::v1::ActionPlan& action_plan : response.action_plans()) {
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
        return true;
      }
    }
  }
  analysis.add_missing(absl::StrCat("plan target unknown: no action plan of ",
                                    organization, " sets an ITA target for ",
                                    analysis.be_year()));
  return true;
}

// The complaint service's rule (MayReadCorruptionReports) for the caller
// it does not see.
bool MayReadCorruptionReports(const auth::Principal& caller) {
  return caller.HasRole(common::v1::INTEGRITY_OFFICER) ||
         caller.HasRole(common::v1::SYSTEM) ||
         caller.HasRole(common::v1::AUDITOR);
}

void AddComplaintHandling(const Peer& complaint, absl::string_view organization,
                          const v1::Framework& framework,
                          const auth::Principal& caller,
                          client::PeerCall& peers,
                          v1::AgencyAnalysis& analysis) {
  if (!complaint.configured()) {
    analysis.add_missing(
        complaint.Describe("complaint handling", NotConfigured()));
    return;
  }
  auto stub = complaint::v1::ComplaintService::NewStub(complaint.channel());
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
  grpc::Status status = complaint.Call(
      peers, Peer::kSafeToRetry, [&](grpc::ClientContext& context) {
        statistics.Clear();
        return stub->GetComplaintStatistics(&context, request, &statistics);
      });
  if (!status.ok()) {
    analysis.add_missing(complaint.Describe("complaint handling", status));
    return;
  }
  v1::ComplaintHandling& handling = *analysis.mutable_complaint_handling();
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

void AddCoverage(const Peer& plan, absl::string_view organization,
                 const v1::Framework& framework, absl::Time now,
                 client::PeerCall& peers, v1::AgencyAnalysis& analysis) {
  if (analysis.weaknesses().empty()) return;
  if (!plan.configured()) {
    analysis.add_missing(plan.Describe("integrity measures", NotConfigured()));
    return;
  }
  auto stub = plan::v1::PlanService::NewStub(plan.channel());
  const int year = analysis.be_year() + 1;
  // Every page of both lists (an organization-year rarely has more than one).
  std::vector<plan::v1::IntegrityMeasure> measures;
  std::vector<plan::v1::ProgressReport> reports;
  grpc::Status status;
  std::string token;
  do {
    plan::v1::ListIntegrityMeasuresRequest request;
    request.set_parent(Parent(organization));
    request.set_be_year(year);
    request.set_page_size(1000);
    request.set_page_token(token);
    plan::v1::ListIntegrityMeasuresResponse page;
    status =
        plan.Call(peers, Peer::kSafeToRetry, [&](grpc::ClientContext& context) {
          page.Clear();
          return stub->ListIntegrityMeasures(&context, request, &page);
        });
    for (plan::v1::IntegrityMeasure& measure :
         *page.mutable_integrity_measures()) {
      measures.push_back(std::move(measure));
    }
    token = page.next_page_token();
  } while (status.ok() && !token.empty());
  while (status.ok()) {
    plan::v1::ListProgressReportsRequest request;
    request.set_parent(Parent(organization));
    request.set_be_year(year);
    request.set_page_size(1000);
    request.set_page_token(token);
    plan::v1::ListProgressReportsResponse page;
    status =
        plan.Call(peers, Peer::kSafeToRetry, [&](grpc::ClientContext& context) {
          page.Clear();
          return stub->ListProgressReports(&context, request, &page);
        });
    for (plan::v1::ProgressReport& report : *page.mutable_progress_reports()) {
      reports.push_back(std::move(report));
    }
    token = page.next_page_token();
    if (token.empty()) break;
  }
  if (!status.ok()) {
    analysis.add_missing(plan.Describe("integrity measures", status));
    return;
  }
  // Reports list by round and time: the last one per measure is its latest.
  absl::flat_hash_map<std::string, plan::v1::ProgressReport::Status> latest;
  for (const plan::v1::ProgressReport& report : reports) {
    latest[report.subject()] = report.status();
  }
  absl::flat_hash_map<std::string, int> indicator_of_item;
  for (const v1::Item& item : framework.items()) {
    indicator_of_item[item.code()] = item.indicator();
  }
  const thai::FiscalQuarter current = thai::FiscalQuarterOf(now);
  for (const v1::IndicatorResult& weakness : analysis.weaknesses()) {
    v1::WeaknessCoverage& coverage = *analysis.add_coverage();
    coverage.set_indicator(weakness.number());
    coverage.set_name(weakness.name());
    for (const plan::v1::IntegrityMeasure& measure : measures) {
      const bool answers = std::any_of(
          measure.ita_indicators().begin(), measure.ita_indicators().end(),
          [&](const std::string& ref) {
            auto item = indicator_of_item.find(ref);
            return ref == absl::StrCat(weakness.number()) ||
                   (item != indicator_of_item.end() &&
                    item->second == weakness.number());
          });
      if (!answers) continue;
      coverage.add_measures(measure.name());
      int last_quarter = 4;
      if (!measure.quarters().empty()) {
        last_quarter = *std::max_element(measure.quarters().begin(),
                                         measure.quarters().end());
      }
      const bool ended =
          current.be_year > year ||
          (current.be_year == year && last_quarter < current.quarter);
      auto status_of = latest.find(measure.name());
      const bool finished =
          status_of != latest.end() &&
          (status_of->second == plan::v1::ProgressReport::DONE ||
           status_of->second == plan::v1::ProgressReport::CANCELLED);
      if (ended && !finished) coverage.add_late_measures(measure.name());
    }
  }
}

}  // namespace

void AddPeerFigures(const Peers& peers, absl::string_view organization,
                    const v1::Framework& framework, absl::Time now,
                    absl::Time deadline, const auth::Principal& caller,
                    v1::AgencyAnalysis& analysis) {
  // One per incoming call: each peer's share of the deadline, and a peer
  // that did not answer is not asked again.
  client::PeerCall call(deadline);
  const bool plan_answered =
      AddPlanTarget(peers.plan, organization, call, analysis);
  AddComplaintHandling(peers.complaint, organization, framework, caller, call,
                       analysis);
  if (plan_answered) {
    AddCoverage(peers.plan, organization, framework, now, call, analysis);
  } else if (!analysis.weaknesses().empty()) {
    // A plan service that did not answer is not asked twice in one call.
    analysis.add_missing(
        "integrity measures unknown: the plan service did not answer");
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
