// ITA frameworks as data: validation, the text format they are written in,
// the defaults shipped with the service (services/ita/frameworks/*.textproto,
// embedded at build time), grade bands, and the comparison that marks method
// breaks in trends. Pure: no I/O beyond the embedded files.
//
//   PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Framework> defaults,
//                             DefaultFrameworks());
//   const v1::GradeBand& band = BandOf(defaults.back(), 89.20);
#ifndef PRONGSAI_SERVICES_ITA_ITA_FRAMEWORK_H_
#define PRONGSAI_SERVICES_ITA_ITA_FRAMEWORK_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

// Checks everything a framework must satisfy before scores are computed or
// checked with it (see ita.proto): be_year 2500-2700; tools with unique
// upper-case codes, a kind, finite non-negative weights summing to 100;
// indicators 1-99, unique, each of an existing tool; sub-indicator codes
// "<number>.<n>"; items with unique codes (one lower-case letter and digits)
// of an existing indicator and sub-indicator, with a scale that suits the
// tool (CHECKLIST tools take YES_NO only); no tool or indicator left empty;
// grade bands labelled, strictly descending, the last starting at 0 (so that
// they cover 0-100 without gaps or overlaps); min_respondents >= 0;
// renamed_from codes naming one item each and never one this version keeps
// (an item of that code must be new_in_version or renamed itself), not with
// new_in_version; evidence_source on CHECKLIST items only.
// Output-only fields are ignored. Field paths are relative to `field_path`,
// e.g. "framework.tools[2].weight".
absl::Status ValidateFramework(absl::string_view field_path,
                               const v1::Framework& framework);

// Parses a v1::Framework from protobuf text format (comments allowed). A
// syntax error or an unknown field is INVALID_ARGUMENT naming the line and
// column (1-based). Does not validate.
absl::StatusOr<v1::Framework> ParseFrameworkText(absl::string_view text);

// The frameworks shipped with the service, parsed and validated, by be_year.
// Each file must be named after its year ("2566.textproto"); an error names
// the file.
absl::StatusOr<std::vector<v1::Framework>> DefaultFrameworks();

// DefaultFrameworks over any (file name, text) pairs, e.g. a directory an
// operator prepared: the same checks, and a year may appear only once.
absl::StatusOr<std::vector<v1::Framework>> FrameworksFromFiles(
    const std::vector<std::pair<std::string, std::string>>& files);

// The raw embedded files (file name, text), by file name. Generated at build
// time from services/ita/frameworks/; most callers want DefaultFrameworks.
std::vector<std::pair<std::string, std::string>> EmbeddedFrameworkFiles();

// The band `score` falls in: the first band (bands are descending) whose
// min_score it reaches. Scores outside 0-100 are clamped and NaN counts as 0.
// For a framework without bands (never valid) an empty band.
const v1::GradeBand& BandOf(const v1::Framework& framework, double score);

// BandOf, or nullptr when the framework has no bands.
const v1::GradeBand* BandOrNull(const v1::Framework& framework, double score);

// Whether two frameworks measure the same way: tools (codes, kinds,
// weights), indicators (numbers, tools, weights), item codes with their
// indicator and scale, and grade bands (thresholds and pass status). Labels,
// names, texts and provenance may differ. Returns what differs ("grade bands:
// AA>=95 ... -> ผ่านดีเยี่ยม>=95 ...; items moved: e4 6->7"), or nullopt when
// nothing does.
std::optional<std::string> MethodDifference(const v1::Framework& before,
                                            const v1::Framework& after);

// A score set checked with `from`, an earlier version of `to`'s year, moved
// to `to` (MigrateAssessment): each item score goes to the item of `to`
// that lists its code in renamed_from, else to the item of the same code
// unless that item is new_in_version or was renamed from another code, else
// it is dropped. Marks `from` already has on the same item (both versions
// descend from one corrected file) are not applied again. Indicator and
// tool scores `to` has no indicator or tool for are dropped too. Overall and
// grade stay.
struct MigratedScores {
  v1::ScoreSet scores;
  std::vector<v1::CodeMove> moved;
  // Item codes, indicator numbers and tool codes, in the set's order.
  std::vector<std::string> dropped;
};
MigratedScores MigrateScores(const v1::Framework& from, const v1::Framework& to,
                             const v1::ScoreSet& scores);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_FRAMEWORK_H_
