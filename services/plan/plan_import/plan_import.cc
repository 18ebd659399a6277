#include "services/plan/plan_import/plan_import.h"

#include <utility>

#include "absl/strings/string_view.h"
#include "services/plan/plan_import/import_state.h"
#include "services/plan/plan_import/reconcile.h"
#include "services/plan/plan_import/scanner.h"
#include "services/plan/plan_import/text.h"

namespace prongsai::plan {

ImportedPlan ParsePlanDocument(absl::string_view text) {
  plan_import::ImportState state(plan_import::CleanText(text));
  plan_import::Scan(state);
  plan_import::Reconcile(state);
  return std::move(state.out);
}

}  // namespace prongsai::plan
