// The analysis an organization files after its ITA result (strengths,
// urgent weaknesses, items to improve, the change from the previous year),
// from its effective figures (ita_domain.h) and the framework they were
// computed with. No I/O, no clock: the service reads the assessments and
// passes them in.
//
//   v1::AgencyAnalysis analysis = Analyze(framework, current, &previous,
//                                         /*strength_threshold=*/90,
//                                         /*items_per_tool=*/3);
#ifndef PRONGSAI_SERVICES_ITA_ITA_ANALYSIS_H_
#define PRONGSAI_SERVICES_ITA_ITA_ANALYSIS_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

// Indicators scoring below this are weaknesses even when not the lowest: 85
// is the pass mark from FY2566 and the national target.
inline constexpr double kWeaknessBelow = 85;

// "9" -> 9. Indicator codes are positive numbers; anything else ("overall",
// "IIT", "i3") is not an indicator.
std::optional<int> IndicatorNumber(absl::string_view code);

// The analysis from the effective figures (EffectiveScores):
// - overall (EffectiveOverallScore, 0 when none); grade = the set's label,
//   or the framework band of the overall when the set has none; passed =
//   that band's `passed` (the set's own flag when the framework has no
//   bands). A published label is kept as published even when it
//   contradicts the score: Assessment.findings reports that.
// - strengths: indicators scoring strictly above `strength_threshold`
//   ("มากกว่า 90"), best first (ties by number).
// - weaknesses: the lowest indicator(s), ties all included, plus every
//   indicator under kWeaknessBelow; lowest first, each once.
// - items_to_improve: per tool in framework order, its `items_per_tool`
//   (<= 0: 3) lowest items scoring below 100, with the question text; ties
//   keep framework order. An item's tool is its indicator's tool.
// - changes against `previous` (nullptr: none), per indicator present in
//   both, by number; previous_be_year is set with them.
// Indicator and item names come from the framework; figures whose code is
// not in it are ignored. plan_target, gap_to_target and missing are left to
// the service.
v1::AgencyAnalysis Analyze(const v1::Framework& framework,
                           const v1::Assessment& current,
                           const v1::Assessment* previous,
                           double strength_threshold, int items_per_tool);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_ANALYSIS_H_
