// What the plan service asks its peers when it evaluates a plan's targets:
// the complaint service for the corruption cases of a fiscal year, and the
// ITA service for the overall scores of each year. Each answer is an
// absl::Status whose error message is the sentence for the answer's
// `missing` field (see common/client/peer.h): FAILED_PRECONDITION when the
// peer is not configured, UNAVAILABLE when it did not answer.
//
//   client::PeerCall peers(call.deadline);
//   absl::StatusOr<int> cases =
//       CorruptionCases(complaints, peers, "6340101", 2567);
//   if (!cases.ok()) response.add_missing(cases.status().message());
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_PEERS_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_PEERS_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/client/peer.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::plan {

// Corruption reports the complaint service received in fiscal year
// `be_year` of `organization` (0 when it counted none).
absl::StatusOr<int> CorruptionCases(const client::Peer& complaints,
                                    client::PeerCall& peers,
                                    absl::string_view organization,
                                    int be_year);

// The overall ITA score of each fiscal year the ITA service has for
// `organization`: each assessment's effective_overall_score (the ITA
// service's one rule for which of its figures counts).
absl::StatusOr<absl::flat_hash_map<int, double>> ItaScores(
    const client::Peer& ita, client::PeerCall& peers,
    absl::string_view organization);

// The oversight standings' batches (oversight_service.cc): the peers' figures
// of many organizations, asked in calls of at most kMaxBatchOrganizations
// codes each (never one call per organization), by code. A peer that fails
// one batch is not asked for the others (PeerCall): the whole part is then
// missing, never half of it.
absl::StatusOr<absl::flat_hash_map<
    std::string, complaint::v1::OrganizationComplaintHandling>>
BatchComplaintHandling(const client::Peer& complaints, client::PeerCall& peers,
                       absl::Span<const std::string> organizations, int be_year,
                       bool general_only);
absl::StatusOr<absl::flat_hash_map<std::string, ita::v1::AssessmentResult>>
BatchAssessmentResults(const client::Peer& ita, client::PeerCall& peers,
                       absl::Span<const std::string> organizations,
                       int be_year);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_PEERS_H_
