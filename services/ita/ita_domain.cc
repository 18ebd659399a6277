#include "services/ita/ita_domain.h"

#include <cmath>
#include <optional>
#include <string>

#include "common/api/fields.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace prongsai::ita {

absl::Status ValidateNewAssessment(const v1::Assessment& assessment) {
  if (!assessment.has_fiscal_year()) {
    return InvalidField("assessment.fiscal_year", "is required");
  }
  PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(
      "assessment.fiscal_year.be_year", assessment.fiscal_year().be_year()));
  if (assessment.has_published_overall_score()) {
    const double score = assessment.published_overall_score();
    if (!std::isfinite(score) || score < 0 || score > 100) {
      return InvalidField("assessment.published_overall_score",
                          "must be between 0 and 100");
    }
  }
  return api::ValidateOrganizationRef("assessment.organization",
                                      assessment.organization());
}

const v1::ScoreSet& EffectiveScores(const v1::Assessment& assessment,
                                    std::string* basis) {
  const bool computed =
      assessment.has_computed() && assessment.computed().has_overall();
  if (basis != nullptr) *basis = computed ? "computed" : "published";
  return computed ? assessment.computed() : assessment.published();
}

std::optional<double> EffectiveOverallScore(const v1::Assessment& assessment) {
  const v1::ScoreSet& scores = EffectiveScores(assessment);
  if (scores.has_overall()) return scores.overall().score();
  if (assessment.has_published_overall_score()) {
    return assessment.published_overall_score();
  }
  return std::nullopt;
}

void SetEffectiveOverallScore(v1::Assessment& assessment) {
  if (std::optional<double> score = EffectiveOverallScore(assessment)) {
    assessment.set_effective_overall_score(*score);
  } else {
    assessment.clear_effective_overall_score();
  }
}

}  // namespace prongsai::ita
