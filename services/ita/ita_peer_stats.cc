#include "services/ita/ita_peer_stats.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/ita/ita_framework.h"

namespace prongsai::ita {
namespace {

constexpr int kHistogramBins = 10;
// Indicator numbers are 1-99 (ita.proto), so a table finds an indicator's
// slot without hashing.
constexpr int kNumberLimit = 100;

// The median of `values`, reordering them; 0 when empty. O(n).
double MedianOf(std::vector<double>& values) {
  if (values.empty()) return 0;
  const size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + middle, values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  // The lower middle is the largest of the first half, which nth_element
  // left unordered before `middle`.
  const double lower =
      *std::max_element(values.begin(), values.begin() + middle);
  return (lower + upper) / 2;
}

double Percent(int64_t part, int64_t whole) {
  return whole == 0
             ? 0
             : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

int HistogramBin(double score) {
  // NaN compares false everywhere and lands in the first bin.
  if (score >= 100) return kHistogramBins - 1;
  if (!(score > 0)) return 0;
  return std::min(kHistogramBins - 1, static_cast<int>(score / 10));
}

const PeerRow* FindRow(absl::Span<const PeerRow> rows, absl::string_view own) {
  for (const PeerRow& row : rows) {
    if (row.organization == own) return &row;
  }
  return nullptr;
}

// FAILED_PRECONDITION when own has nothing to form `group` by.
absl::Status CheckGroupOf(const PeerRow& self, v1::PeerGroup group) {
  if (group == v1::SAME_PROVINCE && self.province.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("organization ", self.organization,
                     " has no province: no SAME_PROVINCE peers"));
  }
  if (group == v1::SAME_KIND &&
      self.kind == common::v1::ORGANIZATION_KIND_UNSPECIFIED) {
    return absl::FailedPreconditionError(
        absl::StrCat("organization ", self.organization,
                     " has no kind: no SAME_KIND peers"));
  }
  return absl::OkStatus();
}

bool InGroupOf(const PeerRow& row, const PeerRow& self, v1::PeerGroup group) {
  switch (group) {
    case v1::SAME_PROVINCE:
      return row.province == self.province;
    case v1::SAME_KIND:
      return row.kind == self.kind;
    default:
      return true;
  }
}

std::vector<const PeerRow*> PeersOf(absl::Span<const PeerRow> rows,
                                    const PeerRow& self, v1::PeerGroup group) {
  std::vector<const PeerRow*> peers;
  peers.reserve(rows.size());
  for (const PeerRow& row : rows) {
    if (InGroupOf(row, self, group)) peers.push_back(&row);
  }
  return peers;
}

// The figures over the peers' overall scores.
void AddOverallFigures(const std::vector<const PeerRow*>& peers,
                       const PeerRow& self, const v1::Framework& framework,
                       double what_if_threshold, v1::PeerAnalytics& result) {
  std::vector<double> values;
  values.reserve(peers.size());
  int64_t better = 0;
  int64_t at_or_below = 0;
  int64_t passed = 0;
  int64_t what_if_passed = 0;
  double sum = 0;
  int32_t bins[kHistogramBins] = {};
  auto& grade_counts = *result.mutable_grade_counts();
  for (const PeerRow* peer : peers) {
    const double overall = peer->overall;
    values.push_back(overall);
    sum += overall;
    if (overall > self.overall) ++better;
    if (overall <= self.overall) ++at_or_below;
    if (peer->passed) ++passed;
    if (overall >= what_if_threshold) ++what_if_passed;
    ++bins[HistogramBin(overall)];
    if (!peer->grade.empty()) {
      ++grade_counts[peer->grade];
    } else if (const v1::GradeBand* band = BandOrNull(framework, overall)) {
      ++grade_counts[band->label()];
    }
  }
  const int64_t n = static_cast<int64_t>(peers.size());
  // Ties share the better rank: one more than those strictly above.
  result.set_rank(static_cast<int32_t>(better + 1));
  result.set_percentile(Percent(at_or_below, n));
  result.set_mean(n == 0 ? 0 : sum / static_cast<double>(n));
  result.set_median(MedianOf(values));
  result.set_pass_rate(Percent(passed, n));
  result.set_what_if_pass_rate(Percent(what_if_passed, n));
  for (int i = 0; i < kHistogramBins; ++i) {
    v1::HistogramBin* bin = result.add_histogram();
    bin->set_low(10.0 * i);
    bin->set_high(10.0 * (i + 1));
    bin->set_count(bins[i]);
  }
}

v1::PeerIndicator* AddOwnIndicator(const PeerRow& self, int number,
                                   v1::PeerAnalytics& result) {
  v1::PeerIndicator* out = result.add_indicators();
  out->set_number(number);
  auto own_score = self.indicators.find(number);
  if (own_score != self.indicators.end()) out->set_own(own_score->second);
  return out;
}

// Per framework indicator, one pass over the peers' figures.
void AddIndicatorFigures(const std::vector<const PeerRow*>& peers,
                         const PeerRow& self, const v1::Framework& framework,
                         int min_group_size, v1::PeerAnalytics& result) {
  std::array<int, kNumberLimit> slot_of;
  slot_of.fill(-1);
  const int indicator_count = framework.indicators_size();
  for (int i = 0; i < indicator_count; ++i) {
    const int number = framework.indicators(i).number();
    if (number >= 0 && number < kNumberLimit && slot_of[number] < 0) {
      slot_of[number] = i;
    }
  }
  std::vector<std::vector<double>> figures(indicator_count);
  std::vector<double> sums(indicator_count, 0);
  for (std::vector<double>& of_indicator : figures) {
    of_indicator.reserve(peers.size());
  }
  for (const PeerRow* peer : peers) {
    for (const auto& [number, score] : peer->indicators) {
      if (number < 0 || number >= kNumberLimit || slot_of[number] < 0) continue;
      figures[slot_of[number]].push_back(score);
      sums[slot_of[number]] += score;
    }
  }
  for (int i = 0; i < indicator_count; ++i) {
    std::vector<double>& of_indicator = figures[i];
    v1::PeerIndicator* out =
        AddOwnIndicator(self, framework.indicators(i).number(), result);
    out->set_peers(static_cast<int32_t>(of_indicator.size()));
    // Fewer peers with the indicator than a group may have: as above.
    if (!of_indicator.empty() &&
        static_cast<int64_t>(of_indicator.size()) >= min_group_size) {
      out->set_mean(sums[i] / static_cast<double>(of_indicator.size()));
      out->set_median(MedianOf(of_indicator));
    }
  }
}

}  // namespace

absl::StatusOr<v1::PeerAnalytics> ComputePeerAnalytics(
    absl::Span<const PeerRow> rows, absl::string_view own, v1::PeerGroup group,
    const v1::Framework& framework, double what_if_threshold,
    int min_group_size) {
  const PeerRow* self = FindRow(rows, own);
  if (self == nullptr) {
    return absl::NotFoundError(absl::StrCat("organization ", own,
                                            " has no assessment among the ",
                                            rows.size(), " of the year"));
  }
  if (group == v1::PEER_GROUP_UNSPECIFIED) group = v1::NATIONAL;
  if (absl::Status status = CheckGroupOf(*self, group); !status.ok()) {
    return status;
  }
  const std::vector<const PeerRow*> peers = PeersOf(rows, *self, group);

  v1::PeerAnalytics result;
  if (framework.be_year() > 0) {
    result.set_assessment(absl::StrCat("organizations/", own, "/assessments/",
                                       framework.be_year()));
  }
  result.set_group(group);
  result.set_peers(static_cast<int32_t>(peers.size()));
  result.set_overall(self->overall);
  result.set_what_if_threshold(what_if_threshold);
  result.set_minimum_group_size(min_group_size);
  // In a small group every figure about the others (a mean of two, a rank
  // of two) tells what one of them scored: only the own figures are shown.
  if (static_cast<int64_t>(peers.size()) < min_group_size) {
    result.set_suppressed(true);
    for (const v1::Indicator& indicator : framework.indicators()) {
      AddOwnIndicator(*self, indicator.number(), result);
    }
    return result;
  }
  AddOverallFigures(peers, *self, framework, what_if_threshold, result);
  AddIndicatorFigures(peers, *self, framework, min_group_size, result);
  return result;
}

v1::Trend ComputeTrend(absl::Span<const TrendYear> years, int min_group_size) {
  v1::Trend trend;
  trend.set_minimum_group_size(min_group_size);
  // Method differences of years without rows carry to the next point: it is
  // compared across them.
  std::vector<std::string> notes;
  for (const TrendYear& year : years) {
    if (year.method_difference.has_value()) {
      notes.push_back(year.rows.empty()
                          ? absl::StrCat("พ.ศ. ", year.be_year, ": ",
                                         *year.method_difference)
                          : *year.method_difference);
    }
    if (year.rows.empty()) continue;

    v1::TrendPoint* point = trend.add_points();
    point->set_be_year(year.be_year);
    double sum = 0;
    int64_t passed = 0;
    absl::flat_hash_map<int, std::pair<double, int64_t>> indicators;
    for (const PeerRow& row : year.rows) {
      sum += row.overall;
      if (row.passed) ++passed;
      for (const auto& [number, score] : row.indicators) {
        auto& [indicator_sum, count] = indicators[number];
        indicator_sum += score;
        ++count;
      }
    }
    const int64_t n = static_cast<int64_t>(year.rows.size());
    point->set_count(static_cast<int32_t>(n));
    // A mean over fewer members than a group may have tells what they
    // scored: the point says how many there are, and nothing more.
    if (n < min_group_size) {
      point->set_suppressed(true);
    } else {
      point->set_overall(sum / static_cast<double>(n));
      point->set_pass_rate(Percent(passed, n));
      for (const auto& [number, total] : indicators) {
        if (total.second < min_group_size) continue;
        (*point->mutable_indicators())[number] =
            total.first / static_cast<double>(total.second);
      }
    }
    // The first point has no earlier point to be compared with.
    if (trend.points_size() > 1 && !notes.empty()) {
      point->set_method_break(true);
      point->set_method_note(absl::StrJoin(notes, "; "));
    }
    notes.clear();
  }
  return trend;
}

bool InTrend(const TrendFilter& filter, const PeerRow& row) {
  if (!filter.organization.empty())
    return row.organization == filter.organization;
  switch (filter.group) {
    case v1::SAME_PROVINCE:
      return row.province == filter.province;
    case v1::SAME_KIND:
      return row.kind == filter.kind;
    default:
      return true;
  }
}

bool TrendSeries::Wants(int be_year) const {
  return (filter_.first_be_year == 0 || be_year >= filter_.first_be_year) &&
         (filter_.last_be_year == 0 || be_year <= filter_.last_be_year);
}

void TrendSeries::Add(int be_year, const v1::Framework& framework,
                      std::vector<PeerRow> rows) {
  std::erase_if(rows,
                [&](const PeerRow& row) { return !InTrend(filter_, row); });
  if (rows.empty()) return;
  TrendYear& year = years_.emplace_back();
  year.be_year = be_year;
  year.rows = std::move(rows);
  if (previous_.has_value()) {
    year.method_difference = MethodDifference(*previous_, framework);
  }
  previous_ = framework;
}

v1::Trend TrendSeries::Compute() const {
  return ComputeTrend(years_,
                      filter_.organization.empty() ? kMinimumGroupSize : 1);
}

}  // namespace prongsai::ita
