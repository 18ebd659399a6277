// What the services' pure request checks cost per call: validating a new
// action plan, complaint and assessment with Thai text of realistic length,
// and the paging-token round trip every List call makes.
#include <string>

#include "benchmark/benchmark.h"
#include "common/base/resource_name.h"
#include "services/complaint/complaint_domain.h"
#include "services/ita/ita_domain.h"
#include "services/plan/plan_domain.h"

namespace prongsai {
namespace {

std::string Repeat(absl::string_view text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out.append(text.data(), text.size());
  return out;
}

void BM_ValidateNewActionPlan(benchmark::State& state) {
  plan::v1::ActionPlan plan;
  plan.set_title("แผนปฏิบัติการป้องกันการทุจริต ๕ ปี (พ.ศ. ๒๕๖๖ - ๒๕๗๐)");
  plan.mutable_organization()->set_name("องค์การบริหารส่วนตำบลอีสานเขต");
  plan.mutable_fiscal_years()->set_first_be_year(2566);
  plan.mutable_fiscal_years()->set_last_be_year(2570);
  for (auto _ : state) {
    benchmark::DoNotOptimize(plan::ValidateNewActionPlan(plan));
  }
}
BENCHMARK(BM_ValidateNewActionPlan);

// Description length in Thai characters: a short note up to the maximum.
void BM_ValidateNewComplaint(benchmark::State& state) {
  complaint::v1::Complaint complaint;
  complaint.set_kind(complaint::v1::Complaint::GENERAL);
  complaint.set_channel(complaint::v1::Complaint::PHONE);
  complaint.set_subject("ไฟฟ้าส่องสว่างสาธารณะดับ");
  complaint.set_description(Repeat("ก", static_cast<int>(state.range(0))));
  for (auto _ : state) {
    benchmark::DoNotOptimize(complaint::ValidateNewComplaint(complaint));
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(complaint.description().size()));
}
BENCHMARK(BM_ValidateNewComplaint)->Arg(200)->Arg(10000);

void BM_ValidateNewAssessment(benchmark::State& state) {
  ita::v1::Assessment assessment;
  assessment.mutable_fiscal_year()->set_be_year(2565);
  assessment.set_published_overall_score(89.20);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ita::ValidateNewAssessment(assessment));
  }
}
BENCHMARK(BM_ValidateNewAssessment);

void BM_PageTokenRoundTrip(benchmark::State& state) {
  const std::string parent = "organizations/6340101";
  for (auto _ : state) {
    std::string token =
        MakePageToken(parent, "1763800000000000:kqyaa3oosljspmyn");
    benchmark::DoNotOptimize(ParsePageRequest(50, token, parent));
  }
}
BENCHMARK(BM_PageTokenRoundTrip);

}  // namespace
}  // namespace prongsai
