// Figures over many assessments: an organization's standing among its peers
// of a year, and multi-year trends of an organization or a peer group. Group
// figures over too few assessments are hidden, as they would tell what one
// member scored. No I/O: the service reads the rows (one query per year)
// and passes them in.
//
//   PRONGSAI_ASSIGN_OR_RETURN(v1::PeerAnalytics peers, ComputePeerAnalytics(
//       rows, "5500101", v1::SAME_PROVINCE, framework, 85));
//   TrendSeries series({.group = v1::NATIONAL});
//   series.Add(2566, framework_2566, rows_2566);
//   v1::Trend trend = series.Compute();
#ifndef PRONGSAI_SERVICES_ITA_ITA_PEER_STATS_H_
#define PRONGSAI_SERVICES_ITA_ITA_PEER_STATS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "prongsai/common/v1/common.pb.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

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

// One year of a trend: the rows to aggregate (one row for an
// organization's trend, the group's otherwise) and how that year's
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

// Whose trend, over which years (GetTrendRequest, checked).
struct TrendFilter {
  // An organization's own trend when set; else the group's.
  std::string organization;
  // NATIONAL (or unspecified): every row; SAME_PROVINCE: rows of
  // `province`; SAME_KIND: rows of `kind`.
  v1::PeerGroup group = v1::PEER_GROUP_UNSPECIFIED;
  std::string province;
  common::v1::OrganizationKind kind = common::v1::ORGANIZATION_KIND_UNSPECIFIED;
  // Inclusive; 0 = unbounded.
  int first_be_year = 0;
  int last_be_year = 0;
};

// Whether `row` belongs to the filter's organization or group.
bool InTrend(const TrendFilter& filter, const PeerRow& row);

// A trend's series, built year by year (ascending) as the service reads
// each year's rows, so only the filter's rows are kept.
class TrendSeries {
 public:
  explicit TrendSeries(TrendFilter filter) : filter_(std::move(filter)) {}

  // Whether `be_year` is within the filter's years (read it, then Add it).
  bool Wants(int be_year) const;
  // Keeps the rows InTrend; a year left without rows is skipped. A year's
  // method difference is against the framework of the previous year kept.
  void Add(int be_year, const v1::Framework& framework,
           std::vector<PeerRow> rows);
  // ComputeTrend of the series: an organization's own trend is its own
  // figures (nothing hidden); a group's hides what few members would give
  // away (kMinimumGroupSize).
  v1::Trend Compute() const;

  const std::vector<TrendYear>& years() const { return years_; }

 private:
  TrendFilter filter_;
  std::vector<TrendYear> years_;
  std::optional<v1::Framework> previous_;
};

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_PEER_STATS_H_
