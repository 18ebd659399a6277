#include "services/plan/plan_peers.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"

namespace prongsai::plan {

absl::StatusOr<int> CorruptionCases(const client::Peer& complaints,
                                    client::PeerCall& peers,
                                    absl::string_view organization,
                                    int be_year) {
  complaint::v1::GetComplaintStatisticsRequest request;
  request.set_parent(absl::StrCat("organizations/", organization));
  request.mutable_fiscal_year()->set_be_year(be_year);
  complaint::v1::ComplaintStatistics statistics;
  PRONGSAI_RETURN_IF_ERROR(complaints.Unary<complaint::v1::ComplaintService>(
      peers, client::Peer::kSafeToRetry,
      absl::StrCat("corruption cases of ", be_year),
      &complaint::v1::ComplaintService::Stub::GetComplaintStatistics, request,
      statistics));
  for (const complaint::v1::CountByKey& kind : statistics.by_kind()) {
    if (kind.key() == "CORRUPTION") return static_cast<int>(kind.received());
  }
  return 0;
}

absl::StatusOr<absl::flat_hash_map<int, double>> ItaScores(
    const client::Peer& ita, client::PeerCall& peers,
    absl::string_view organization) {
  ita::v1::ListAssessmentsRequest request;
  request.set_parent(absl::StrCat("organizations/", organization));
  request.set_page_size(1000);
  ita::v1::ListAssessmentsResponse response;
  PRONGSAI_RETURN_IF_ERROR(ita.Unary<ita::v1::AssessmentService>(
      peers, client::Peer::kSafeToRetry, "ITA scores",
      &ita::v1::AssessmentService::Stub::ListAssessments, request, response));
  absl::flat_hash_map<int, double> scores;
  for (const ita::v1::Assessment& assessment : response.assessments()) {
    const int year = assessment.fiscal_year().be_year();
    // The ITA service decides which of its figures is the score.
    if (assessment.has_effective_overall_score()) {
      scores[year] = assessment.effective_overall_score();
    }
  }
  return scores;
}

}  // namespace prongsai::plan
