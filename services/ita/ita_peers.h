// What the ITA service asks of the plan and complaint services: the plan's
// ITA target, the integrity measures answering each weakness (and which are
// late), the year's complaint handling, and adopting recommended measures
// into the plan. Every call goes through client::Peer (a share of the
// caller's deadline, one safe retry, a peer that did not answer asked once
// per incoming call); a peer that cannot answer never fails an analysis:
// the corresponding field stays unset and a sentence says why.
#ifndef PRONGSAI_SERVICES_ITA_ITA_PEERS_H_
#define PRONGSAI_SERVICES_ITA_ITA_PEERS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/key_ring.h"
#include "common/client/peer.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

struct Peers {
  client::Peer plan;
  client::Peer complaint;
};

// Fills `analysis` (of `organization`) with the plan target and gap, the
// complaint handling and the weaknesses' coverage, adding a `missing`
// sentence for each that could not be read. `framework` maps item codes to
// indicators; `now` decides which measures are late. The peers are asked
// with the ITA service's own SYSTEM key, so `caller` (who asked for the
// analysis) decides what it may see: the complaint handling counts
// corruption reports only for callers who may read them (INTEGRITY_OFFICER,
// SYSTEM, AUDITOR).
void AddPeerFigures(const Peers& peers, absl::string_view organization,
                    const v1::Framework& framework, absl::Time now,
                    absl::Time deadline, const auth::Principal& caller,
                    v1::AgencyAnalysis& analysis);

// Creates each measure in the plan service with a request id derived from
// the assessment and the measure, so that repeating the call creates
// nothing twice. A plan service that does not answer is asked once: every
// measure after that is "not adopted" without another attempt.
v1::AdoptRecommendedMeasuresResponse AdoptMeasures(
    const Peers& peers, absl::string_view organization,
    absl::string_view assessment,
    const std::vector<v1::RecommendedMeasure>& measures, absl::Time deadline);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_PEERS_H_
