// The codes of the findings an importer step added, in order, for tests of
// the plan importer's pieces:
//
//   EXPECT_THAT(FindingCodes(state), ElementsAre("TOTAL_MISMATCH"));
#ifndef PRONGSAI_TESTS_SERVICES_PLAN_FINDING_CODES_H_
#define PRONGSAI_TESTS_SERVICES_PLAN_FINDING_CODES_H_

#include <string>
#include <vector>

#include "services/plan/plan_import/import_state.h"

namespace prongsai::plan::plan_import {

inline std::vector<std::string> FindingCodes(const ImportState& state) {
  std::vector<std::string> codes;
  for (const v1::Finding& finding : state.out.findings) {
    codes.push_back(finding.code());
  }
  return codes;
}

}  // namespace prongsai::plan::plan_import

#endif  // PRONGSAI_TESTS_SERVICES_PLAN_FINDING_CODES_H_
