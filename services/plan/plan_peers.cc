#include "services/plan/plan_peers.h"

#include "absl/strings/str_cat.h"
#include "common/base/organization_codes.h"
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

absl::StatusOr<absl::flat_hash_map<
    std::string, complaint::v1::OrganizationComplaintHandling>>
BatchComplaintHandling(const client::Peer& complaints, client::PeerCall& peers,
                       absl::Span<const std::string> organizations, int be_year,
                       bool general_only) {
  absl::flat_hash_map<std::string, complaint::v1::OrganizationComplaintHandling>
      out;
  for (size_t first = 0; first < organizations.size();
       first += kMaxBatchOrganizations) {
    complaint::v1::BatchGetComplaintHandlingRequest request;
    request.mutable_fiscal_year()->set_be_year(be_year);
    request.set_general_only(general_only);
    for (const std::string& code :
         organizations.subspan(first, kMaxBatchOrganizations)) {
      request.add_organizations(code);
    }
    complaint::v1::BatchGetComplaintHandlingResponse response;
    PRONGSAI_RETURN_IF_ERROR(complaints.Unary<complaint::v1::ComplaintService>(
        peers, client::Peer::kSafeToRetry, "complaint figures",
        &complaint::v1::ComplaintService::Stub::BatchGetComplaintHandling,
        request, response));
    for (complaint::v1::OrganizationComplaintHandling& handling :
         *response.mutable_handlings()) {
      std::string code = handling.organization();
      out[std::move(code)] = std::move(handling);
    }
  }
  return out;
}

absl::StatusOr<absl::flat_hash_map<std::string, ita::v1::AssessmentResult>>
BatchAssessmentResults(const client::Peer& ita, client::PeerCall& peers,
                       absl::Span<const std::string> organizations,
                       int be_year) {
  absl::flat_hash_map<std::string, ita::v1::AssessmentResult> out;
  for (size_t first = 0; first < organizations.size();
       first += kMaxBatchOrganizations) {
    ita::v1::BatchGetAssessmentResultsRequest request;
    request.mutable_fiscal_year()->set_be_year(be_year);
    for (const std::string& code :
         organizations.subspan(first, kMaxBatchOrganizations)) {
      request.add_organizations(code);
    }
    ita::v1::BatchGetAssessmentResultsResponse response;
    PRONGSAI_RETURN_IF_ERROR(ita.Unary<ita::v1::AssessmentService>(
        peers, client::Peer::kSafeToRetry,
        absl::StrCat("ITA results of ", be_year),
        &ita::v1::AssessmentService::Stub::BatchGetAssessmentResults, request,
        response));
    for (ita::v1::AssessmentResult& result : *response.mutable_results()) {
      std::string code = result.organization();
      out[std::move(code)] = std::move(result);
    }
  }
  return out;
}

}  // namespace prongsai::plan
