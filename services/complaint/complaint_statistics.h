// The statistics an organization publishes about its complaint register
// (seed 002, projects 18 and 27), computed from rows the store loads in one
// query. Pure: no I/O, unit-tested on hand-counted fixtures.
//
//   v1::ComplaintStatistics full = ComputeStatistics(rows, period, now);
//   Period covered = PublicPeriod(period, now);
//   v1::ComplaintStatistics published =
//       PublicFigures(rows_of_covered, covered, now, 5);
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STATISTICS_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STATISTICS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "prongsai/complaint/v1/complaint.pb.h"

namespace prongsai::complaint {

// A half-open interval of time, [start, end).
struct Period {
  absl::Time start;
  absl::Time end;
};

// [start, end) of the fiscal year, or of one quarter (1-4) or calendar month
// (1-12) within it, at Bangkok midnight: month 10 of FY2569 is October 2025.
// INVALID_ARGUMENT names fiscal_year.be_year, quarter or month (quarter and
// month are exclusive).
absl::StatusOr<Period> StatisticsPeriod(
    const v1::GetComplaintStatisticsRequest& request);

// Which figures a statistics request is answered with: every complaint,
// general complaints only, or the published figures of every complaint.
enum class StatisticsView { kFull, kGeneralOnly, kPublic };

// The view of `request`: kPublic for the public method (where general_only
// is INVALID_ARGUMENT: public statistics count every kind); else
// kGeneralOnly when asked for, or when the caller may not read corruption
// reports (`may_read_corruption` false), which is told so in the answer.
absl::StatusOr<StatisticsView> ChooseStatisticsView(
    const v1::GetComplaintStatisticsRequest& request, bool public_method,
    bool may_read_corruption);

// What statistics need to know about one complaint.
struct StatisticsRow {
  v1::Complaint::Kind kind = v1::Complaint::KIND_UNSPECIFIED;
  v1::Complaint::Channel channel = v1::Complaint::CHANNEL_UNSPECIFIED;
  // The category's display key (its display name); empty when
  // uncategorised.
  std::string category;
  v1::Complaint::State state = v1::Complaint::RECEIVED;
  absl::Time receive_time;
  // Received + the SLA; never moved by explanations.
  absl::Time sla_due_time;
  // The current due date.
  absl::Time due_time;
  std::optional<absl::Time> acknowledge_time;
  std::optional<absl::Time> resolve_time;
  int satisfaction = 0;  // 0 = not rated
  int reopen_count = 0;
};

// The by_category key of complaints without a category.
inline constexpr char kUncategorisedKey[] = "(none)";

// Figures for the complaints received within `period` (rows outside it are
// ignored), as of `now`; sets period_start/period_end, not the organization,
// fiscal year, quarter or month, which the caller knows.
//   completed = RESOLVED or CLOSED; ended_otherwise = REFERRED, REJECTED or
//   WITHDRAWN; in_progress = IsOpen; overdue = IsOverdue at `now`.
//   by_kind / by_channel / by_category: keyed by enum name / category key
//   (kUncategorisedKey for ""), sorted by key, only keys that occur.
//   Days are fractional (24 h each). Days to acknowledge: every row with an
//   acknowledge_time. Days to resolve and percent within SLA: completed rows
//   with a resolve_time (a reopened case being worked on again is not
//   counted as resolved); within SLA means resolve_time <= sla_due_time, the
//   original due date, which explanations do not move. The median of an
//   even count is the mean of the middle two.
//   ratings = rows rated 1-5; percent_satisfied = share rated 4 or 5;
//   reopen_count = sum. Counts are always set (0 is a figure); a mean,
//   median or percentage with nothing to compute it from is left unset
//   (absent), never 0 or NaN.
v1::ComplaintStatistics ComputeStatistics(absl::Span<const StatisticsRow> rows,
                                          const Period& period, absl::Time now);

// The part of `period` that public figures cover at `now`: complaints
// received before the start of the current month (Asia/Bangkok) only, so
// that a public figure moves at most once a month for arrivals, never the
// moment one report is filed. `end` is clamped to [start, period.end];
// start == end when no month of the period has ended.
Period PublicPeriod(const Period& period, absl::Time now);

// One period protected on its own: the public variant of `full`: nothing
// when the period is empty (period_end <= period_start); zeros and "no
// complaints" when nothing was received; every figure absent when 0 <
// received < `threshold`; else the totals, with breakdown rows hidden by
// primary and complementary suppression (and left out), and ratings with
// percent_satisfied absent when 0 < ratings < `threshold`. Sets
// suppression_threshold and a notice when anything is hidden. Not enough
// for a period longer than a month: see PublicFigures.
v1::ComplaintStatistics PublicStatistics(const v1::ComplaintStatistics& full,
                                         int threshold = 5);

// What GetPublicComplaintStatistics answers for `covered` (a
// PublicPeriod: whole Bangkok months that have ended), from `rows` (at
// least those received within it): each month of it protected by
// PublicStatistics, and the period's own PublicStatistics showing a figure
// or breakdown row only where every one of its months shows it. A month that
// hides its total hides all of the period's figures and rows. So each
// figure a quarter or year shows is the sum (or, for a mean, median or
// percentage, the combination) of figures its months show, and no
// combination of a year, its quarters, its months and year-to-date figures
// taken at different month ends tells more than the months do.
v1::ComplaintStatistics PublicFigures(absl::Span<const StatisticsRow> rows,
                                      const Period& covered, absl::Time now,
                                      int threshold = 5);

// The answer to `request` in `view` from `rows` (the complaints received
// within `period`, which for kPublic is already the PublicPeriod): general
// complaints only for kGeneralOnly (with general_only and a notice set),
// PublicFigures for kPublic, else ComputeStatistics; with the request's
// organization, fiscal year, quarter and month.
v1::ComplaintStatistics BuildStatistics(
    std::vector<StatisticsRow> rows,
    const v1::GetComplaintStatisticsRequest& request, StatisticsView view,
    const Period& period, absl::Time now, int threshold);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STATISTICS_H_
