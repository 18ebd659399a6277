// The rules of an ITA assessment record: what a valid new one is, and which
// of its figures count. An assessment may hold the NACC's published summary,
// a summary computed here from raw answers, and a bare published overall
// score; analytics, the stored peer columns and the API's
// `effective_overall_score` all take their figures from here. No I/O.
//
//   PRONGSAI_RETURN_IF_ERROR(ValidateNewAssessment(request.assessment()));
//   std::string basis;
//   const v1::ScoreSet& scores = EffectiveScores(assessment, &basis);
//   std::optional<double> overall = EffectiveOverallScore(assessment);
#ifndef PRONGSAI_SERVICES_ITA_ITA_DOMAIN_H_
#define PRONGSAI_SERVICES_ITA_ITA_DOMAIN_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

// Checks the caller-settable fields; errors name `assessment.<path>`.
absl::Status ValidateNewAssessment(const v1::Assessment& assessment);

// The figures analytics use: `computed` when it has an overall score (raw
// answers were ingested), else `published`. Sets *basis (when not null) to
// "computed" or "published".
const v1::ScoreSet& EffectiveScores(const v1::Assessment& assessment,
                                    std::string* basis = nullptr);

// The assessment's ITA score: the overall of EffectiveScores when it has
// one, else `published_overall_score`; std::nullopt when neither is set.
std::optional<double> EffectiveOverallScore(const v1::Assessment& assessment);

// Sets (or clears) `effective_overall_score` from the figures above, as
// every Assessment the API returns carries it.
void SetEffectiveOverallScore(v1::Assessment& assessment);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_DOMAIN_H_
