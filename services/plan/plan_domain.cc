#include "services/plan/plan_domain.h"

#include "absl/strings/str_cat.h"
#include "common/api/api_fields.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace prongsai::plan {

absl::Status ValidateNewActionPlan(const v1::ActionPlan& plan) {
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText("action_plan.title", plan.title(), 500, /*required=*/true));
  PRONGSAI_RETURN_IF_ERROR(api::ValidateOrganizationRef(
      "action_plan.organization", plan.organization()));
  if (!plan.has_fiscal_years()) {
    return InvalidField("action_plan.fiscal_years", "is required");
  }
  const common::v1::FiscalYearSpan& years = plan.fiscal_years();
  PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(
      "action_plan.fiscal_years.first_be_year", years.first_be_year()));
  PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(
      "action_plan.fiscal_years.last_be_year", years.last_be_year()));
  if (years.last_be_year() < years.first_be_year()) {
    return InvalidField("action_plan.fiscal_years.last_be_year",
                        "must not be before first_be_year");
  }
  if (years.last_be_year() - years.first_be_year() + 1 > kMaxPlanYears) {
    return InvalidField(
        "action_plan.fiscal_years",
        absl::StrCat("a plan spans at most ", kMaxPlanYears, " fiscal years"));
  }
  return absl::OkStatus();
}

}  // namespace prongsai::plan
