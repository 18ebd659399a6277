#include "tools/cli/demo.h"

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/rpc/grpc_status.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "tools/cli/demo_sample_plan.h"

namespace prongsai::cli {
namespace {

namespace cv1 = ::prongsai::common::v1;
namespace iv1 = ::prongsai::ita::v1;
namespace kv1 = ::prongsai::complaint::v1;
namespace pv1 = ::prongsai::plan::v1;

// The sample organization: its plan from seed 002 (อบต.อีสานเขต) when the
// seed documents are at hand (--seeds), else from the project's own sample
// document in the same template (demo_sample_plan.h), ITA results in the style
// of seed 000 for 2565-2568 with a few generated peers of the same province,
// the recommended measures adopted into the plan with progress reported, and
// complaints.
constexpr absl::string_view kDemoOrganization = "6340101";
constexpr absl::string_view kDemoName = "องค์การบริหารส่วนตำบลอีสานเขต";
constexpr absl::string_view kDemoDistrict = "เมืองยโสธร";
constexpr int kDemoPeers = 24;

struct DemoStep {
  std::string what;
  grpc::Status status;
};

// The demo's own server flags, with the CLI's TLS flags.
std::shared_ptr<grpc::Channel> DemoChannel(const CliOptions& options,
                                           const std::string& server,
                                           int port) {
  CliOptions one = options;
  one.server = server.empty() ? absl::StrCat("127.0.0.1:", port) : server;
  return Connect(one, port);
}

// The three services and the steps done so far.
struct DemoRun {
  explicit DemoRun(const CliOptions& cli_options)
      : options(cli_options),
        plan(pv1::PlanService::NewStub(
            DemoChannel(cli_options, cli_options.plan_server, kPlanPort))),
        ita(iv1::AssessmentService::NewStub(
            DemoChannel(cli_options, cli_options.ita_server, kItaPort))),
        complaints(kv1::ComplaintService::NewStub(DemoChannel(
            cli_options, cli_options.complaint_server, kComplaintPort))) {}

  // Calls with a fresh context (deadline, key) each time.
  template <typename Call>
  grpc::Status Do(Call call) const {
    grpc::ClientContext context;
    Prepare(options, context);
    return call(context);
  }

  const CliOptions& options;
  std::unique_ptr<pv1::PlanService::Stub> plan;
  std::unique_ptr<iv1::AssessmentService::Stub> ita;
  std::unique_ptr<kv1::ComplaintService::Stub> complaints;
  const std::string parent = absl::StrCat("organizations/", kDemoOrganization);
  std::vector<DemoStep> steps;
};

// One year of published ITA results, seed-000 style.
struct ItaYear {
  int be_year;
  double overall;
  const char* grade;
  std::vector<double> indicators;  // 1..10
};

// 2568: the latest year with published results.
const std::vector<ItaYear>& DemoYears() {
  static const auto* years = new std::vector<ItaYear>{
      {2565,
       89.20,
       "A",
       {99.77, 88.10, 86.40, 84.90, 95.10, 92.30, 88.00, 85.40, 71.30, 100.0}},
      {2566,
       90.15,
       "ผ่าน",
       {99.10, 89.00, 87.20, 85.50, 95.80, 92.80, 88.60, 86.10, 74.90, 100.0}},
      {2567,
       91.02,
       "ผ่าน",
       {99.40, 90.20, 88.00, 86.30, 96.20, 93.10, 89.30, 87.00, 77.10, 100.0}},
      {2568,
       89.60,
       "ผ่าน",
       {99.50, 90.40, 87.70, 83.80, 96.00, 93.50, 89.10, 87.40, 72.60, 100.0}},
  };
  return *years;
}

// A complaint the demo files.
struct Filing {
  kv1::Complaint::Kind kind;
  kv1::Complaint::Channel channel;
  const char* subject;
  const char* description;
};

// Complaints of this fiscal year: general ones and a corruption report.
const std::vector<Filing>& DemoFilings() {
  using kv1::Complaint;
  static const auto* filings = new std::vector<Filing>{
      {Complaint::GENERAL, Complaint::PHONE, "ไฟฟ้าส่องสว่างดับ",
       "ไฟถนนหน้าโรงเรียนดับมาสองสัปดาห์"},
      {Complaint::GENERAL, Complaint::WALK_IN, "ถนนชำรุด",
       "ถนนเข้าหมู่ ๓ เป็นหลุมลึก"},
      {Complaint::GENERAL, Complaint::LINE, "ขยะไม่ได้จัดเก็บ",
       "รถเก็บขยะไม่มาสามสัปดาห์"},
      {Complaint::CORRUPTION, Complaint::WEBSITE, "เรียกรับเงินค่าอนุญาตก่อสร้าง",
       "เจ้าหน้าที่เรียกเงินพิเศษ ๓,๐๐๐ บาท"},
  };
  return *filings;
}

// Prints one line per step; 0 when all succeeded or existed already.
int Report(const std::vector<DemoStep>& steps) {
  int failed = 0;
  for (const DemoStep& step : steps) {
    const bool ok = step.status.ok() || step.status.error_code() ==
                                            grpc::StatusCode::ALREADY_EXISTS;
    if (!ok) ++failed;
    std::cout << (ok ? "ok    " : "FAILED") << "  " << step.what;
    if (!ok) std::cout << ": " << FromGrpcStatus(step.status).ToString();
    std::cout << "\n";
  }
  return failed == 0 ? 0 : 1;
}

cv1::OrganizationRef DemoOrganizationRef(absl::string_view code,
                                         absl::string_view name,
                                         absl::string_view district) {
  cv1::OrganizationRef ref;
  ref.set_code(std::string(code));
  ref.set_name(std::string(name));
  ref.set_kind(cv1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  ref.set_province("ยโสธร");
  ref.set_district(std::string(district));
  return ref;
}

// The plan document the demo imports: seed 002 when `seeds` holds it (a
// checkout next to the seed documents), else the project's sample, so that
// a clone with nothing beside it still gets a full demo.
struct DemoPlanDocument {
  std::string text;
  std::string source;
  std::string request_id;
};

DemoPlanDocument ChooseDemoPlan(const std::string& seeds) {
  const std::string seed = absl::StrCat(seeds, "/002_da2eef7f943bd544.txt");
  if (std::ifstream in(seed, std::ios::binary); !seeds.empty() && in) {
    return {std::string(std::istreambuf_iterator<char>(in), {}),
            absl::StrCat("seed 002 (", seed, ")"), "demo-seed-002"};
  }
  return {std::string(kDemoSamplePlan), "the sample document",
          "demo-sample-plan"};
}

// 1. The organization and its plan.
void AddOrganizationAndPlan(DemoRun& run,
                            pv1::ImportActionPlanResponse& imported) {
  pv1::CreateOrganizationRequest request;
  *request.mutable_organization()->mutable_organization() =
      DemoOrganizationRef(kDemoOrganization, kDemoName, kDemoDistrict);
  pv1::Organization organization;
  run.steps.push_back(
      {absl::StrCat("organization ", kDemoOrganization, " ", kDemoName),
       run.Do([&](grpc::ClientContext& context) {
         return run.plan->CreateOrganization(&context, request, &organization);
       })});
  DemoPlanDocument document = ChooseDemoPlan(run.options.seeds);
  pv1::ImportActionPlanRequest import;
  import.set_parent(run.parent);
  import.set_text(std::move(document.text));
  import.set_request_id(document.request_id);
  run.steps.push_back(
      {absl::StrCat("plan 2566-2570 imported from ", document.source),
       run.Do([&](grpc::ClientContext& context) {
         return run.plan->ImportActionPlan(&context, import, &imported);
       })});
}

grpc::Status PublishScores(const DemoRun& run, absl::string_view code,
                           absl::string_view name, const ItaYear& year) {
  iv1::IngestPublishedScoresRequest request;
  request.set_name(
      absl::StrCat("organizations/", code, "/assessments/", year.be_year));
  *request.mutable_organization() =
      DemoOrganizationRef(code, name, kDemoDistrict);
  iv1::ScoreSet* published = request.mutable_published();
  published->mutable_overall()->set_code("overall");
  published->mutable_overall()->set_score(year.overall);
  published->set_grade(year.grade);
  for (size_t i = 0; i < year.indicators.size(); ++i) {
    iv1::Score* score = published->add_indicators();
    score->set_code(absl::StrCat(i + 1));
    score->set_score(year.indicators[i]);
  }
  iv1::Assessment response;
  return run.Do([&](grpc::ClientContext& context) {
    return run.ita->IngestPublishedScores(&context, request, &response);
  });
}

// 2. ITA results of the organization, then of peers of the same province
// for 2568, spread around the national mean.
void PublishItaResults(DemoRun& run) {
  for (const ItaYear& year : DemoYears()) {
    run.steps.push_back(
        {absl::StrCat("ITA ", year.be_year, ": ", year.overall),
         PublishScores(run, kDemoOrganization, kDemoName, year)});
  }
  int peers_ok = 0;
  grpc::Status peer_status;
  for (int i = 1; i <= kDemoPeers; ++i) {
    ItaYear year = DemoYears().back();
    const double shift = ((i * 37) % 21 - 10) * 0.9;
    year.overall = std::clamp(year.overall + shift, 0.0, 100.0);
    year.grade = year.overall >= 95   ? "ผ่านดีเยี่ยม"
                 : year.overall >= 85 ? "ผ่าน"
                                      : "ต้องปรับปรุง";
    for (double& score : year.indicators) {
      score = std::clamp(score + shift, 0.0, 100.0);
    }
    peer_status =
        PublishScores(run, absl::StrCat("63401", 10 + i),
                      absl::StrCat("องค์การบริหารส่วนตำบลตัวอย่าง ", i), year);
    if (peer_status.ok()) ++peers_ok;
  }
  run.steps.push_back(
      {absl::StrCat("ITA 2568 of ", kDemoPeers, " peers in ยโสธร (", peers_ok,
                    " stored)"),
       peers_ok == kDemoPeers ? grpc::Status::OK : peer_status});
}

// 3. The 2568 analysis' measures adopted into the plan for 2569, with
// progress reported for the half year.
void AdoptMeasuresAndReportProgress(DemoRun& run) {
  iv1::AdoptRecommendedMeasuresRequest adopt;
  adopt.set_name(absl::StrCat(run.parent, "/assessments/2568"));
  iv1::AdoptRecommendedMeasuresResponse adopted;
  grpc::Status adopt_status = run.Do([&](grpc::ClientContext& context) {
    return run.ita->AdoptRecommendedMeasures(&context, adopt, &adopted);
  });
  if (adopt_status.ok() && !adopted.missing().empty()) {
    adopt_status =
        grpc::Status(grpc::StatusCode::UNAVAILABLE, adopted.missing(0));
  }
  run.steps.push_back(
      {absl::StrCat(adopted.measures_size(),
                    " recommended measures adopted into the 2569 plan"),
       adopt_status});
  for (int i = 0; i < adopted.measures_size(); ++i) {
    pv1::CreateProgressReportRequest request;
    request.set_parent(run.parent);
    request.set_request_id(absl::StrCat("demo-progress-", i));
    pv1::ProgressReport* report = request.mutable_progress_report();
    report->set_subject(adopted.measures(i).name());
    report->set_be_year(2569);
    report->set_round(pv1::HALF_YEAR);
    report->set_status(i == 0 ? pv1::ProgressReport::DONE
                              : pv1::ProgressReport::IN_PROGRESS);
    report->set_output(i == 0 ? "เผยแพร่ข้อมูลครบ ๓๓ รายการบนเว็บไซต์"
                              : "จัดทำร่างคู่มือแล้ว");
    pv1::ProgressReport response;
    run.steps.push_back(
        {absl::StrCat("progress (6 months) of ", adopted.measures(i).title()),
         run.Do([&](grpc::ClientContext& context) {
           return run.plan->CreateProgressReport(&context, request, &response);
         })});
  }
}

// 4. The complaints.
void FileComplaints(DemoRun& run) {
  const std::vector<Filing>& filings = DemoFilings();
  for (size_t i = 0; i < filings.size(); ++i) {
    kv1::CreateComplaintRequest request;
    request.set_parent(run.parent);
    request.set_request_id(absl::StrCat("demo-complaint-", i));
    kv1::Complaint* complaint = request.mutable_complaint();
    complaint->set_kind(filings[i].kind);
    complaint->set_channel(filings[i].channel);
    complaint->set_subject(filings[i].subject);
    complaint->set_description(filings[i].description);
    kv1::Complaint response;
    run.steps.push_back({absl::StrCat("complaint: ", filings[i].subject),
                         run.Do([&](grpc::ClientContext& context) {
                           return run.complaints->CreateComplaint(
                               &context, request, &response);
                         })});
  }
}

}  // namespace

int DemoLoad(const CliOptions& options, const Args& /*args*/) {
  DemoRun run(options);
  pv1::ImportActionPlanResponse imported;
  AddOrganizationAndPlan(run, imported);
  PublishItaResults(run);
  AdoptMeasuresAndReportProgress(run);
  FileComplaints(run);
  const int status = Report(run.steps);
  if (!imported.action_plan().name().empty()) {
    std::cout << "\nplan: " << imported.action_plan().name()
              << "\nassessment: " << run.parent << "/assessments/2568\n";
  }
  return status;
}

}  // namespace prongsai::cli
