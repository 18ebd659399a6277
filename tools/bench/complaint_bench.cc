// What the complaint service's pure work costs: statistics over a year of a
// busy organization's register (full and public variants), and reading a
// typed tracking code: normalizing it, verifying its check symbol and
// hashing it for the lookup.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "benchmark/benchmark.h"
#include "services/complaint/complaint_domain.h"
#include "services/complaint/complaint_statistics.h"
#include "services/complaint/tracking_code.h"

namespace prongsai::complaint {
namespace {

std::vector<StatisticsRow> Rows(int count) {
  const absl::Time start = absl::FromUnixSeconds(1759251600);  // 1 Oct 2025
  std::vector<StatisticsRow> rows(count);
  for (int i = 0; i < count; ++i) {
    StatisticsRow& row = rows[i];
    row.kind = i % 5 == 0 ? v1::Complaint::CORRUPTION : v1::Complaint::GENERAL;
    row.channel = static_cast<v1::Complaint::Channel>(1 + i % 9);
    row.category = i % 3 == 0 ? "ไฟฟ้า" : "ถนน";
    row.state = static_cast<v1::Complaint::State>(1 + i % 9);
    row.receive_time = start + absl::Minutes(30 * i);
    row.sla_due_time = DueTime(row.receive_time);
    row.due_time = row.sla_due_time;
    row.acknowledge_time = row.receive_time + absl::Hours(1 + i % 48);
    row.resolve_time = row.receive_time + absl::Hours(24 * (1 + i % 20));
    row.satisfaction = i % 6;
  }
  return rows;
}

void BM_ComputeStatistics(benchmark::State& state) {
  const std::vector<StatisticsRow> rows =
      Rows(static_cast<int>(state.range(0)));
  const Period year{absl::FromUnixSeconds(1759251600),
                    absl::FromUnixSeconds(1790787600)};
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        ComputeStatistics(rows, year, absl::FromUnixSeconds(1780000000)));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ComputeStatistics)->Arg(1000)->Arg(10000);

void BM_PublicStatistics(benchmark::State& state) {
  const std::vector<StatisticsRow> rows = Rows(10000);
  const Period year{absl::FromUnixSeconds(1759251600),
                    absl::FromUnixSeconds(1790787600)};
  const v1::ComplaintStatistics full =
      ComputeStatistics(rows, year, absl::FromUnixSeconds(1780000000));
  for (auto _ : state) {
    benchmark::DoNotOptimize(PublicStatistics(full));
  }
}
BENCHMARK(BM_PublicStatistics);

// As a complainant types it: lower case, spaces for dashes.
std::string TypedCode() {
  return absl::AsciiStrToLower(
      absl::StrReplaceAll(NewTrackingCode(), {{"-", " "}}));
}

// Normalize + check-symbol verification, what every tracking RPC does first.
void BM_NormalizeTrackingCode(benchmark::State& state) {
  const std::string typed = TypedCode();
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeTrackingCode(typed));
  }
}
BENCHMARK(BM_NormalizeTrackingCode);

// A mistyped code is refused by its check symbol, before any lookup.
void BM_NormalizeMistypedTrackingCode(benchmark::State& state) {
  std::string typed = TypedCode();
  typed[0] = typed[0] == '0' ? '1' : '0';
  for (auto _ : state) {
    benchmark::DoNotOptimize(NormalizeTrackingCode(typed));
  }
}
BENCHMARK(BM_NormalizeMistypedTrackingCode);

// Normalize, verify and compute the keyed hash the store is searched by.
void BM_TrackingLookupKey(benchmark::State& state) {
  const std::string typed = TypedCode();
  const std::string key(kTrackingKeyBytes, 'k');
  for (auto _ : state) {
    absl::StatusOr<std::string> canonical = NormalizeTrackingCode(typed);
    benchmark::DoNotOptimize(TrackingCodeHash(*canonical, key));
  }
}
BENCHMARK(BM_TrackingLookupKey);

void BM_NewTrackingCode(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(NewTrackingCode());
  }
}
BENCHMARK(BM_NewTrackingCode);

}  // namespace
}  // namespace prongsai::complaint
