// The pure analytics of the ITA service: the analysis an organization files
// after its result (seed 000 §2-4), the integrity measures recommended for
// its weaknesses (seed 000 §5, from a catalogue built from seeds 000, 001,
// 003 and 004), its standing among peers, multi-year trends, and the whole
// analysis rendered as the Thai document. No I/O, no clock: the service reads
// the data (assessments, frameworks, method differences) and passes it in, so
// the rules are unit-tested on their own.
//
//   std::string basis;
//   v1::AgencyAnalysis analysis = Analyze(framework, current, &previous,
//                                         /*strength_threshold=*/90,
//                                         /*items_per_tool=*/3);
//   PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::RecommendedMeasure> measures,
//                             Recommend(analysis));
//   v1::RenderedReport report =
//       RenderReport(current, analysis, measures, v1::MARKDOWN);
#ifndef PRONGSAI_SERVICES_ITA_ITA_ANALYTICS_H_
#define PRONGSAI_SERVICES_ITA_ITA_ANALYTICS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "prongsai/common/v1/common.pb.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

// Indicators scoring below this are weaknesses even when not the lowest: 85
// is the pass mark from FY2566 and the national target (domain.md).
inline constexpr double kWeaknessBelow = 85;

// The figures an analysis uses: `computed` when it has an overall score (raw
// answers were ingested), else `published`. Sets *basis (when not null) to
// "computed" or "published".
const v1::ScoreSet& EffectiveScores(const v1::Assessment& assessment,
                                    std::string* basis);

// The analysis of seed 000 §2-4 from the effective figures:
// - overall (the effective overall; `published_overall_score` when the
//   published set has none); grade = the set's label, or the framework band
//   of the overall when the set has none; passed = that band's `passed`
//   (the set's own flag when the framework has no bands). A published label
//   is kept as published even when it contradicts the score (seed 001):
//   Assessment.findings reports that.
// - strengths: indicators scoring strictly above `strength_threshold` (seed
//   000: "มากกว่า 90"), best first (ties by number).
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

// Parses and checks a measure catalogue: a RecommendMeasuresResponse text
// proto whose entries each have a title (unique) and keys (`answers` and
// `measure.ita_indicators`) that are indicator numbers or item codes such as
// "i10". INTERNAL naming the line or entry otherwise: a catalogue is shipped
// data, so a bad one is a defect of the build.
absl::StatusOr<v1::RecommendMeasuresResponse> ParseMeasureCatalogue(
    absl::string_view text);

// The catalogue embedded at build time (services/ita/measure_catalogue
// .textproto), parsed once on first use. Errors: ParseMeasureCatalogue's.
absl::StatusOr<const v1::RecommendMeasuresResponse*> MeasureCatalogue();

// Integrity measures for the next fiscal year: for each weakness in order,
// the catalogue entries keyed by its indicator number; then, for each item
// to improve whose indicator has no catalogue entry, the entries keyed by
// its item code. Each measure gets be_year = analysis.be_year + 1 (also
// replacing "{be_year}" in its text), ita_indicators = the keys it answers,
// source = analysis.assessment. A measure met again for another key is not
// repeated: the key is added to its ita_indicators. Errors: those of
// MeasureCatalogue().
absl::StatusOr<std::vector<v1::RecommendedMeasure>> Recommend(
    const v1::AgencyAnalysis& analysis);

// One assessment of a fiscal year, as the service reads them in one query.
struct PeerRow {
  std::string organization;  // Its code.
  std::string province;
  common::v1::OrganizationKind kind = common::v1::ORGANIZATION_KIND_UNSPECIFIED;
  double overall = 0;
  // Empty: the framework band of `overall` is counted instead.
  std::string grade;
  bool passed = false;
  // Indicator number -> score.
  absl::flat_hash_map<int, double> indicators;
};

// Group figures over fewer assessments than this are not shown, as public
// complaint statistics hide cells under 5: a mean of two is the other
// member's score to anyone who knows their own.
inline constexpr int kMinimumGroupSize = 5;

// The standing of `own` among the rows of `group` (all rows for NATIONAL or
// unspecified; those of own's province or kind otherwise): rank (1 = best,
// ties share the better rank), percentile (% of peers with overall <= own),
// mean, median, per framework indicator own (unset when own has no score
// for it) and mean/median over the `peers` that have it (unset when fewer
// than `min_group_size` do), 10 histogram bins [0,10) ... [90,100], grade
// counts, pass rate (% passed) and the pass rate at `what_if_threshold` (%
// with overall >= it). With fewer than `min_group_size` peers, only the
// count, own overall and own indicator scores are set (`suppressed`).
// `assessment` is organizations/{own}/assessments/{framework.be_year}.
// NOT_FOUND when `own` is not in `rows`; FAILED_PRECONDITION when own has no
// province (SAME_PROVINCE) or kind (SAME_KIND). O(n log n) in the rows.
absl::StatusOr<v1::PeerAnalytics> ComputePeerAnalytics(
    absl::Span<const PeerRow> rows, absl::string_view own, v1::PeerGroup group,
    const v1::Framework& framework, double what_if_threshold,
    int min_group_size = kMinimumGroupSize);

// One year of a trend, from the service: the rows to aggregate (one row for
// an organization's trend, the group's otherwise) and how that year's
// framework differs from the previous year's (std::nullopt: same method).
struct TrendYear {
  int be_year = 0;
  std::vector<PeerRow> rows;
  std::optional<std::string> method_difference;
};

// A point per year that has rows, in the given (ascending) order: the mean
// overall and per indicator, count and pass rate. A point over fewer than
// `min_group_size` rows has only its count (`suppressed`), and an indicator
// fewer than that many rows have is left out (1: an organization's own
// trend, nothing hidden). A point is a method break when its year, or a
// skipped year without rows since the previous point, has a method
// difference; the first point never is (nothing to compare).
v1::Trend ComputeTrend(absl::Span<const TrendYear> years,
                       int min_group_size = kMinimumGroupSize);

// The analysis as the Thai document of seed 000 §2-5: the title
// "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ... ประจำปี พ.ศ. ...",
// the basis of the figures, §2 the result (overall, grade, a table per tool
// and per indicator, the plan target, the change from the previous year,
// the consistency findings), §3.1 strengths, §3.2 urgent weaknesses, §4
// items to improve per tool (tables with question texts), §5 the measures
// table (มาตรการ | แนวทางการปฏิบัติ | ขั้นตอน/วิธีการปฏิบัติ | ผู้รับผิดชอบ |
// ระยะเวลาดำเนินการ | การติดตามผล), and a line per analysis.missing().
// Figures that were never loaded read as absent ("no item scores were
// loaded"), never as a finding ("no item scored below 100").
// MARKDOWN (also for unspecified): data text has '\', '|', '<' escaped and
// line breaks as "<br>" in cells. HTML: a complete UTF-8 document where
// every piece of text has & < > " ' escaped.
v1::RenderedReport RenderReport(
    const v1::Assessment& assessment, const v1::AgencyAnalysis& analysis,
    const std::vector<v1::RecommendedMeasure>& measures,
    v1::ReportFormat format);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_ANALYTICS_H_
