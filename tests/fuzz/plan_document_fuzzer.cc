// The plan importer (ParsePlanDocument) on any text: its header promises
// that every input returns a plan and findings, never a crash or a hang;
// the parallel vectors it returns match; and from UTF-8 text it keeps only
// UTF-8 (every message parses back).
#include <cstddef>
#include <cstdint>

#include "absl/container/flat_hash_set.h"
#include "services/plan/plan_import/plan_import.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_input.h"

namespace pi = ::prongsai::plan;
using ::prongsai::fuzz::RoundTrips;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text = prongsai::fuzz::Text(data, size);
  const pi::ImportedPlan imported = pi::ParsePlanDocument(text);
  FUZZ_CHECK(imported.risk_control_sequences.size() == imported.risks.size(),
             "one list of control sequences per risk");
  if (imported.annual_plan.has_value()) {
    FUZZ_CHECK(imported.annual_entry_sequences.size() ==
                   static_cast<size_t>(imported.annual_plan->entries_size()),
               "one project sequence per annual entry");
  }
  // Controls point at project sheets by the sequence the document gave.
  absl::flat_hash_set<int> kept;
  for (const auto& project : imported.projects) kept.insert(project.sequence());
  for (const std::vector<int>& sequences : imported.risk_control_sequences) {
    for (int sequence : sequences) {
      FUZZ_CHECK(kept.contains(sequence),
                 "a control names a project sheet that was kept");
    }
  }
  if (!prongsai::fuzz::IsUtf8(text)) return 0;
  FUZZ_CHECK(RoundTrips(imported.plan), "the plan is UTF-8");
  for (const auto& project : imported.projects) {
    FUZZ_CHECK(RoundTrips(project), "each project is UTF-8");
  }
  for (const auto& risk : imported.risks) {
    FUZZ_CHECK(RoundTrips(risk), "each risk is UTF-8");
  }
  if (imported.annual_plan.has_value()) {
    FUZZ_CHECK(RoundTrips(*imported.annual_plan), "the annual plan is UTF-8");
  }
  for (const auto& finding : imported.findings) {
    FUZZ_CHECK(RoundTrips(finding), "each finding is UTF-8");
  }
  return 0;
}
