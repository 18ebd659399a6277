// What the ITA service's heavy computations cost: peer analytics over a
// national year (8,300 agencies × 10 indicators, as the NACC assesses) once
// the rows are in memory, and scoring raw survey answers (answers per
// second). The service-level figures (one query + compute, cached vs
// uncached) are measured with prongsai-load against a running service.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/auth/key_ring.h"
#include "common/server/server_host.h"
#include "grpcpp/grpcpp.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "services/ita/ita_framework.h"
#include "services/ita/ita_peer_stats.h"
#include "services/ita/ita_scoring.h"
#include "services/ita/ita_service.h"

namespace prongsai::ita {
namespace {

const v1::Framework& Framework2568() {
  static const v1::Framework* framework = [] {
    // Kept in a variable: the range of a range-for over *DefaultFrameworks()
    // would be destroyed before the loop runs.
    absl::StatusOr<std::vector<v1::Framework>> shipped = DefaultFrameworks();
    for (const v1::Framework& framework : *shipped) {
      if (framework.be_year() == 2568) return new v1::Framework(framework);
    }
    return new v1::Framework();
  }();
  return *framework;
}

std::vector<PeerRow> NationalYear(int agencies) {
  std::mt19937 random(2568);
  std::normal_distribution<double> score(93.8, 5.0);
  std::vector<PeerRow> rows(agencies);
  for (int i = 0; i < agencies; ++i) {
    PeerRow& row = rows[i];
    row.organization = absl::StrCat("org", i);
    row.province = absl::StrCat("province", i % 77);
    row.kind = static_cast<common::v1::OrganizationKind>(1 + i % 3);
    row.overall = std::clamp(score(random), 0.0, 100.0);
    row.passed = row.overall >= 85;
    for (int indicator = 1; indicator <= 10; ++indicator) {
      row.indicators[indicator] = std::clamp(score(random), 0.0, 100.0);
    }
  }
  return rows;
}

void BM_PeerAnalyticsNational(benchmark::State& state) {
  const std::vector<PeerRow> rows =
      NationalYear(static_cast<int>(state.range(0)));
  const v1::Framework& framework = Framework2568();
  int i = 0;
  for (auto _ : state) {
    auto peers = ComputePeerAnalytics(
        rows, rows[(size_t{97} * i++) % rows.size()].organization, v1::NATIONAL,
        framework, 85);
    benchmark::DoNotOptimize(peers);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PeerAnalyticsNational)->Arg(8300)->Unit(benchmark::kMillisecond);

// Respondents answering every IIT and EIT item of the 2568 framework.
void BM_ComputeScoresFromRawAnswers(benchmark::State& state) {
  const v1::Framework& framework = Framework2568();
  RawAnswers answers;
  std::mt19937 random(7);
  int64_t answer_count = 0;
  for (int r = 0; r < state.range(0); ++r) {
    for (const char* tool : {"IIT", "EIT"}) {
      v1::Respondent& respondent = answers.respondents.emplace_back();
      respondent.set_tool(tool);
      for (const v1::Item& item : framework.items()) {
        bool of_tool = false;
        for (const v1::Indicator& indicator : framework.indicators()) {
          of_tool = of_tool || (indicator.number() == item.indicator() &&
                                indicator.tool() == tool);
        }
        if (!of_tool) continue;
        (*respondent.mutable_answers())[item.code()] =
            item.scale() == v1::YES_NO ? random() % 2 : random() % 4;
        ++answer_count;
      }
    }
  }
  for (const v1::Item& item : framework.items()) {
    if (item.code()[0] == 'o') answers.oit_checks[item.code()] = random() % 2;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(ComputeScores(framework, answers));
  }
  state.SetItemsProcessed(state.iterations() * answer_count);
  state.counters["answers"] = static_cast<double>(answer_count);
}
BENCHMARK(BM_ComputeScoresFromRawAnswers)
    ->Arg(100)
    ->Arg(2000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace prongsai::ita

namespace prongsai::ita {
namespace {

// Bulk raw-answer ingestion end to end: an in-process ITA service on a
// SQLite file (WAL, synchronous=FULL), a client streaming batches of 100
// respondents; each iteration is one IngestRawAnswers call of `range(0)`
// respondents, every one answering every IIT (or EIT) item. Items processed
// = answers, so the rate is answers per second.
void BM_IngestRawAnswersThroughTheService(benchmark::State& state) {
  char dir[] = "/tmp/prongsai-bench-ita-XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    state.SkipWithError("no scratch directory");
    return;
  }
  const std::string key = "bench-system-key-0123456789";
  std::ofstream(absl::StrCat(dir, "/keys"))
      << auth::FormatKeyLine(auth::HashKey(key), "bench", "SYSTEM", "*");
  server::ServerOptions options;
  options.db_url = absl::StrCat("sqlite://", dir, "/ita.db");
  options.api_keys_path = absl::StrCat(dir, "/keys");
  options.workers = 4;
  absl::StatusOr<server::ServiceDefinition> definition = ItaServiceDefinition();
  if (!definition.ok()) {
    state.SkipWithError("no ITA service definition");
    return;
  }
  auto host = server::ServiceHost::Start(options, *std::move(definition));
  if (!host.ok() || !(*host)->CheckHealthNow()) {
    state.SkipWithError("the ITA service did not start");
    return;
  }
  auto stub = v1::AssessmentService::NewStub(grpc::CreateChannel(
      (*host)->address(), grpc::InsecureChannelCredentials()));
  const v1::Framework& framework = Framework2568();
  std::vector<std::string> iit_items;
  for (const v1::Item& item : framework.items()) {
    if (item.code()[0] == 'i') iit_items.push_back(item.code());
  }
  std::mt19937 random(11);
  int organization = 0;
  int64_t answers = 0;
  for (auto _ : state) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", key));
    v1::Assessment response;
    auto writer = stub->IngestRawAnswers(&context, &response);
    for (int sent = 0; sent < state.range(0); sent += 100) {
      v1::IngestRawAnswersRequest message;
      if (sent == 0) {
        message.set_name(absl::StrCat("organizations/b", ++organization,
                                      "/assessments/2568"));
      }
      for (int r = sent; r < std::min<int64_t>(sent + 100, state.range(0));
           ++r) {
        v1::Respondent& respondent = *message.add_respondents();
        respondent.set_tool("IIT");
        for (const std::string& item : iit_items) {
          (*respondent.mutable_answers())[item] = random() % 4;
          ++answers;
        }
      }
      writer->Write(message);
    }
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    if (!status.ok()) {
      state.SkipWithError(status.error_message().c_str());
      break;
    }
  }
  state.SetItemsProcessed(answers);
  (*host)->Shutdown();
  std::system(absl::StrCat("rm -rf ", dir).c_str());
}
BENCHMARK(BM_IngestRawAnswersThroughTheService)
    ->Arg(2000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace prongsai::ita
