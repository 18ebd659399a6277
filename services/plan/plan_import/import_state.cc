#include "services/plan/plan_import/import_state.h"

#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "services/plan/plan_import/plan_import.h"

namespace prongsai::plan::plan_import {

void ImportState::Add(Severity severity, absl::string_view code,
                      std::string location, std::string message) {
  int& count = finding_counts[std::string(code)];
  if (++count > kMaxFindingsPerCode) return;
  v1::Finding finding;
  finding.set_severity(severity);
  finding.set_code(std::string(code));
  finding.set_location(std::move(location));
  finding.set_message(std::move(message));
  out.findings.push_back(std::move(finding));
}

int SequenceForTitle(const ImportState& state, absl::string_view title) {
  auto it = state.title_index.find(
      NormalizeTitleForMatch(title, state.org_short_name));
  return it == state.title_index.end() ? 0 : it->second;
}

void NoteDimensionTitle(ImportState& state, int dimension,
                        const std::string& title, bool from_table) {
  DimensionTitles& titles = state.dimensions[dimension];
  std::string& slot = from_table ? titles.table : titles.heading;
  if (slot.empty()) slot = title;
}

void NoteMission(ImportState& state, const std::string& code,
                 const std::string& title, int line_no, bool from_table) {
  MissionInfo& mission = state.missions[code];
  if (mission.line_no == 0) mission.line_no = line_no;
  std::string& slot = from_table ? mission.table_title : mission.heading_title;
  if (slot.empty()) slot = title;
}

}  // namespace prongsai::plan::plan_import
