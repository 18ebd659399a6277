// ITA scoring by a framework: checks of a published summary, consistency
// findings on it (seed 001's 99.78 labelled "ต้องปรับปรุง"), validation of
// raw answers, and the scores computed from them. Pure: no I/O.
//
//   PRONGSAI_RETURN_IF_ERROR(ValidatePublished(
//       "published", framework, *request.mutable_published()));
//   std::vector<v1::ConsistencyFinding> findings =
//       CheckPublished(framework, request.published());
//
// How scores are computed (ComputeScores):
//  - A survey answer is a score level 0-3 (3 = the answer most favourable to
//    integrity; negatively worded questions are reversed by the collector)
//    and scores 0 / 33 / 67 / 100, exactly as domain.md and ita.proto state
//    (not 100/3 multiples, so that figures match the published ones). A
//    YES_NO answer (1 = yes) and an OIT check (published) score 100 / 0.
//  - Item: the mean over the respondents who answered it (`respondents`);
//    standard error = sample sd / sqrt(n) for n >= 2, 95 % interval =
//    mean ± 1.96 SE clipped to 0-100.
//  - Indicator: the mean of its items' scores (items without answers are left
//    out). Its SE comes from per-respondent indicator means (each
//    respondent's mean over the indicator's items they answered);
//    `respondents` = respondents who answered any of its items.
//  - Tool: the mean of its indicators weighted by Indicator.weight (0 = the
//    indicator's number of items in the framework, so that with default
//    weights the tool is the mean of its items); SE from per-respondent tool
//    scores weighted the same way.
//  - Checklist (OIT): item = 100 / 0 with respondents 1; indicator and tool
//    = the same means over the checked items; respondents = checks counted;
//    no SE. Items without a check are left out (not scored 0: a missing
//    check is missing data, not a missing publication), and the indicator
//    and tool are then low_confidence: the checklist is incomplete.
//  - Overall: Σ tool weight × tool score / Σ weight over the tools with a
//    score. With every tool present that is the framework's formula;
//    otherwise the weights are renormalized over the present tools and, to
//    keep that visible, overall.respondents = 0 and low_confidence = true.
//    With every tool present, overall.respondents = the survey respondents
//    (IIT + EIT) and low_confidence = any tool's. SE = sqrt(Σ (w_t/Σw)²
//    SE_t²) over survey tools with an SE. No data at all: overall 0,
//    low_confidence, no grade.
//  - low_confidence on survey figures: respondents < framework
//    min_respondents (30 when 0).
//  - grade = BandOf(overall).label, passed = that band's passed.
//  - Order: tools as in the framework, indicators by number, items as in the
//    framework; figures without data are omitted.
#ifndef PRONGSAI_SERVICES_ITA_ITA_SCORING_H_
#define PRONGSAI_SERVICES_ITA_ITA_SCORING_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

// Tolerance for OVERALL_MISMATCH and TOOL_MISMATCH: published figures carry
// two decimals, so honest rounding stays far below it.
inline constexpr double kPublishedTolerance = 0.05;

// Checks a published summary against the framework and normalizes its codes:
// overall is required (its code becomes "overall"); tool codes ("IIT",
// upper-cased), indicator numbers ("9") and item codes ("i3", lower-cased)
// must be in the framework, once each; every score finite and 0-100; the
// grade at most 64 characters. Errors name the field under `field_path`,
// e.g. "published.items[3].code".
absl::Status ValidatePublished(absl::string_view field_path,
                               const v1::Framework& framework,
                               v1::ScoreSet& published);

// What a (validated) published summary gets wrong by the framework:
// OVERALL_MISMATCH (overall vs Σ tool weight × tool score / 100, when every
// tool is published), TOOL_MISMATCH (a tool vs the weighted mean of its
// indicators, when all of them are published), GRADE_MISMATCH (the grade
// label is not the band of the overall), MISSING_INDICATOR (an indicator
// without a score). In that order; each with the published and expected
// values where they exist.
std::vector<v1::ConsistencyFinding> CheckPublished(
    const v1::Framework& framework, const v1::ScoreSet& published);

// Checks one IngestRawAnswers message: each respondent's tool is a SURVEY
// tool of the framework (any case), has at least one answer, and answers
// only that tool's items (any case) within the item's scale (FOUR_LEVEL 0-3,
// YES_NO 0-1); each oit_checks key is an item of a CHECKLIST tool. Errors
// name e.g. "respondents[4].answers[i99]" or "oit_checks[o99]" under
// `field_path` (empty for the message itself). Keys are checked in sorted
// order so that the error is the same for the same message.
absl::Status ValidateRawAnswers(absl::string_view field_path,
                                const v1::Framework& framework,
                                const v1::IngestRawAnswersRequest& message);

// Everything a stream brought: respondents of every message, and the OIT
// checks (a later message's check of an item replaces an earlier one).
struct RawAnswers {
  std::vector<v1::Respondent> respondents;
  absl::flat_hash_map<std::string, bool> oit_checks;
};

// The answers of a whole IngestRawAnswers stream, each message checked with
// ValidateRawAnswers under "messages[i]": respondents in order; OIT check
// codes lower-cased (codes are case-insensitive), a later message's check
// of an item replacing an earlier one whatever case either was sent in.
// INVALID_ARGUMENT "messages" when they carry no respondents and no OIT
// checks (storing the figures of no answers would replace a computed result
// with zeros). Consumes `messages`.
absl::StatusOr<RawAnswers> MergeRawMessages(
    const v1::Framework& framework,
    std::vector<v1::IngestRawAnswersRequest>& messages);

// How many respondents answered each survey tool, by tool code in any case.
struct RespondentCounts {
  int iit = 0;
  int eit = 0;
};
RespondentCounts CountRespondents(
    const std::vector<v1::Respondent>& respondents);

// The tool codes of `stored` that `computed` has no score for, in stored
// order: what replacing `stored` with `computed` would drop.
std::vector<std::string> DroppedTools(const v1::ScoreSet& stored,
                                      const v1::ScoreSet& computed);

// Scores `answers` (validated with ValidateRawAnswers) by the framework; see
// the top of this file. Answers the framework does not know are ignored.
v1::ScoreSet ComputeScores(const v1::Framework& framework,
                           const RawAnswers& answers);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_SCORING_H_
