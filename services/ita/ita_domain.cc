#include "services/ita/ita_domain.h"

#include <cmath>

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

}  // namespace prongsai::ita
