// What the plan service's heavy operations cost: reading seed 002 (the
// reference plan document, 308 KB of Thai text) with the import parser,
// storing it in a SQLite file (parse + one transaction of ~50 rows), and
// the figures dashboards ask for (annual totals, round summaries) over a
// plan larger than any real one.
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "common/storage/storage.h"
#include "services/plan/plan_domain.h"
#include "services/plan/plan_figures.h"
#include "services/plan/plan_import/plan_import.h"
#include "services/plan/plan_store.h"

namespace prongsai::plan {
namespace {

// Seed 002 lives in ../shared/seeds beside the repository, not in it; the
// benchmarks that read it are skipped, saying so, when it is not there.
constexpr char kNoSeed[] =
    "seed 002 not found: the seed documents are not beside the repository "
    "(" PRONGSAI_SEEDS_DIR ")";

const std::string& Seed002() {
  static const std::string* text = [] {
    std::ifstream in(PRONGSAI_SEEDS_DIR "/002_da2eef7f943bd544.txt",
                     std::ios::binary);
    return new std::string(std::istreambuf_iterator<char>(in), {});
  }();
  return *text;
}

void BM_ParseSeed002(benchmark::State& state) {
  const std::string& text = Seed002();
  if (text.empty()) {
    state.SkipWithError(kNoSeed);
    return;
  }
  for (auto _ : state) {
    ImportedPlan imported = ParsePlanDocument(text);
    benchmark::DoNotOptimize(imported.projects.size());
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ParseSeed002)->Unit(benchmark::kMillisecond);

// Parse and store, as ImportActionPlan does, into one SQLite file (WAL,
// synchronous=FULL): each iteration imports the plan for a new organization.
void BM_ImportSeed002IntoSqlite(benchmark::State& state) {
  const std::string& text = Seed002();
  if (text.empty()) {
    state.SkipWithError(kNoSeed);
    return;
  }
  char dir[] = "/tmp/prongsai-bench-XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    state.SkipWithError("cannot make a scratch directory");
    return;
  }
  auto db = storage::Connect(absl::StrCat("sqlite://", dir, "/plan.db"));
  if (!db.ok() || !storage::Migrate(**db, "plan", Migrations()).ok()) {
    state.SkipWithError("cannot open the scratch database");
    return;
  }
  int organization = 0;
  for (auto _ : state) {
    common::v1::OrganizationRef ref;
    ref.set_code(absl::StrCat("b", ++organization));
    ref.set_name("องค์การบริหารส่วนตำบลอีสานเขต");
    auto response = ImportActionPlan(**db, ref, ParsePlanDocument(text), "",
                                     /*commit=*/true, {"bench", absl::Now()});
    if (!response.ok()) {
      state.SkipWithError(std::string(response.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(response->projects_size());
  }
  std::system(absl::StrCat("rm -rf ", dir).c_str());
}
BENCHMARK(BM_ImportSeed002IntoSqlite)->Unit(benchmark::kMillisecond);

// An annual plan of `n` entries over 4 dimensions.
v1::AnnualPlan BigAnnualPlan(int n) {
  v1::AnnualPlan annual;
  annual.set_name("organizations/6340101/actionPlans/p/annualPlans/2569");
  annual.set_be_year(2569);
  for (int i = 0; i < n; ++i) {
    v1::AnnualPlanEntry& entry = *annual.add_entries();
    entry.set_project(
        absl::StrCat("organizations/6340101/actionPlans/p/projects/", i));
    entry.set_title("โครงการเสริมสร้างค่านิยมต่อต้านการทุจริต");
    entry.set_dimension(1 + i % 4);
    entry.mutable_budget()->set_satang(1'500'000 + i);
    for (int quarter = 1 + i % 2; quarter <= 4; quarter += 2) {
      entry.add_quarters(quarter);
    }
  }
  return annual;
}

void BM_ComputeTotals(benchmark::State& state) {
  const v1::AnnualPlan annual = BigAnnualPlan(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ComputeTotals(annual.entries()));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ComputeTotals)->Arg(15)->Arg(1000);

void BM_SummarizeRound(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const v1::AnnualPlan annual = BigAnnualPlan(n);
  std::vector<v1::ProgressReport> reports;
  for (int i = 0; i < n; ++i) {
    for (v1::Round round : {v1::QUARTER_1, v1::HALF_YEAR}) {
      v1::ProgressReport& report = reports.emplace_back();
      report.set_subject(annual.entries(i).project());
      report.set_be_year(2569);
      report.set_round(round);
      report.set_status(i % 3 == 0 ? v1::ProgressReport::DONE
                                   : v1::ProgressReport::IN_PROGRESS);
      report.mutable_spent()->set_satang(int64_t{1000} * i);
    }
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        SummarizeRound(annual, {}, reports, v1::HALF_YEAR));
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_SummarizeRound)->Arg(15)->Arg(1000);

}  // namespace
}  // namespace prongsai::plan
