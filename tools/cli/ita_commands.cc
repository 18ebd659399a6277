#include "tools/cli/ita_commands.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/thai/thai.h"
#include "google/protobuf/text_format.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "tools/cli/table.h"

namespace prongsai::cli {
namespace {

namespace iv1 = ::prongsai::ita::v1;
namespace pv1 = ::prongsai::plan::v1;

using ItaClient = Client<iv1::AssessmentService>;
using Stub = ItaClient::Stub;

// ------------------------------------------------------------- arguments

// A published score in ASCII or Thai digits, e.g. 89.20.
double ScoreFromText(const std::string& text) {
  double value;
  if (!absl::SimpleAtod(thai::ThaiDigitsToAscii(text), &value)) {
    UsageError("--score must be a number such as 89.20");
  }
  return value;
}

// "CODE=SCORE,CODE=SCORE" (--tools, --indicators) appended to `out`.
void AddScores(const std::string& text,
               google::protobuf::RepeatedPtrField<iv1::Score>* out) {
  for (absl::string_view pair : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> parts =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    double value;
    if (!absl::SimpleAtod(thai::ThaiDigitsToAscii(parts.second), &value)) {
      UsageError(absl::StrCat("not CODE=SCORE: ", pair));
    }
    iv1::Score* score = out->Add();
    score->set_code(parts.first);
    score->set_score(value);
  }
}

iv1::PeerGroup Group(const CliOptions& options) {
  if (options.group == "province") return iv1::SAME_PROVINCE;
  if (options.group == "kind") return iv1::SAME_KIND;
  return iv1::NATIONAL;
}

// ---------------------------------------------------------------- output

std::string Score(const iv1::Assessment& assessment) {
  return assessment.has_published_overall_score()
             ? absl::StrFormat("%.2f", assessment.published_overall_score())
             : "-";
}

void PrintAssessment(const iv1::Assessment& assessment) {
  PrintFields(
      {{"name", assessment.name()},
       {"organization", assessment.organization().code()},
       {"fiscal year", absl::StrCat(assessment.fiscal_year().be_year())},
       {"published overall", Score(assessment)},
       {"created", Time(assessment.audit().create_time())}});
}

void PrintPublished(const iv1::Assessment& assessment) {
  PrintAssessment(assessment);
  for (const iv1::ConsistencyFinding& finding : assessment.findings()) {
    std::cout << "finding: "
              << iv1::ConsistencyFinding::Kind_Name(finding.kind()) << " "
              << finding.message() << "\n";
  }
}

void PrintAssessments(const iv1::ListAssessmentsResponse& response) {
  Table table({"NAME", "FISCAL YEAR", "OVERALL"});
  for (const iv1::Assessment& assessment : response.assessments()) {
    table.AddRow({assessment.name(),
                  absl::StrCat(assessment.fiscal_year().be_year()),
                  Score(assessment)});
  }
  std::cout << table.Render();
  PrintNextPage(response.next_page_token());
}

void PrintComplaintHandling(const iv1::ComplaintHandling& handling) {
  std::cout << "complaints " << handling.received()
            << (handling.general_only()
                    ? " (general only)"
                    : absl::StrCat(
                          " (corruption ",
                          CountOrDash(handling.has_corruption_received(),
                                      handling.corruption_received()),
                          ")"))
            << ", completed " << handling.completed() << ", within SLA "
            << PercentOrDash(handling.has_percent_resolved_within_sla(),
                             handling.percent_resolved_within_sla())
            << ", satisfied "
            << PercentOrDash(handling.has_percent_satisfied(),
                             handling.percent_satisfied())
            << " — bears on " << absl::StrJoin(handling.bears_on(), ",")
            << "\n";
}

void PrintAnalysis(const iv1::AgencyAnalysis& analysis) {
  std::cout << analysis.assessment() << " (" << analysis.basis()
            << ")\noverall " << absl::StrFormat("%.2f", analysis.overall())
            << "  grade " << analysis.grade() << "  "
            << (analysis.passed() ? "passed" : "not passed") << "\n";
  if (analysis.has_plan_target()) {
    std::cout << "plan target " << analysis.plan_target() << ", gap "
              << absl::StrFormat("%.2f", analysis.gap_to_target()) << "\n";
  }
  Table table({"", "INDICATOR", "TOOL", "SCORE", "NAME"});
  auto add = [&table](absl::string_view side, const auto& results) {
    for (const iv1::IndicatorResult& result : results) {
      table.AddRow({std::string(side), absl::StrCat(result.number()),
                    result.tool(), absl::StrFormat("%.2f", result.score()),
                    result.name()});
    }
  };
  add("strength", analysis.strengths());
  add("weakness", analysis.weaknesses());
  std::cout << table.Render();
  if (analysis.has_complaint_handling()) {
    PrintComplaintHandling(analysis.complaint_handling());
  }
  for (const iv1::WeaknessCoverage& coverage : analysis.coverage()) {
    std::cout << "weakness " << coverage.indicator() << ": "
              << coverage.measures_size() << " measure(s), "
              << coverage.late_measures_size() << " late\n";
  }
  for (const std::string& missing : analysis.missing()) {
    std::cout << "missing: " << missing << "\n";
  }
}

void PrintRecommended(const iv1::RecommendMeasuresResponse& response) {
  Table table({"ANSWERS", "YEAR", "MEASURE"});
  for (const iv1::RecommendedMeasure& measure : response.measures()) {
    table.AddRow({measure.answers(), absl::StrCat(measure.measure().be_year()),
                  measure.measure().title()});
  }
  std::cout << table.Render();
}

void PrintAdopted(const iv1::AdoptRecommendedMeasuresResponse& response) {
  Table table({"MEASURE", "YEAR", "ITA", "TITLE"});
  for (const pv1::IntegrityMeasure& measure : response.measures()) {
    table.AddRow({measure.name(), absl::StrCat(measure.be_year()),
                  absl::StrJoin(measure.ita_indicators(), ","),
                  measure.title()});
  }
  std::cout << table.Render();
  for (const std::string& missing : response.missing()) {
    std::cout << "missing: " << missing << "\n";
  }
}

// Figures about the others are absent for a group too small to show them
// (`suppressed`): they read "-", and a line says why.
void PrintPeerAnalytics(const iv1::PeerAnalytics& peers) {
  const bool ranked = !peers.suppressed() && peers.rank() > 0;
  std::cout << "rank " << (ranked ? absl::StrCat(peers.rank()) : "-") << " of "
            << peers.peers() << " (" << iv1::PeerGroup_Name(peers.group())
            << "), percentile "
            << FigureOrDash(peers.has_percentile(), peers.percentile())
            << ", mean "
            << (peers.has_mean() ? absl::StrFormat("%.2f", peers.mean()) : "-")
            << ", median "
            << (peers.has_median() ? absl::StrFormat("%.2f", peers.median())
                                   : "-")
            << ", pass rate "
            << PercentOrDash(peers.has_pass_rate(), peers.pass_rate()) << "\n";
  if (peers.suppressed()) {
    std::cout << "group too small: figures about the others are shown for "
                 "groups of at least "
              << peers.minimum_group_size() << " (" << peers.peers()
              << " in this one)\n";
  }
}

void PrintFrameworks(const iv1::ListFrameworksResponse& response) {
  Table table({"NAME", "TOOLS", "INDICATORS", "ITEMS", "BANDS"});
  for (const iv1::Framework& framework : response.frameworks()) {
    std::vector<std::string> bands;
    for (const iv1::GradeBand& band : framework.grade_bands()) {
      bands.push_back(absl::StrCat(band.label(), "≥", band.min_score()));
    }
    table.AddRow({framework.name(), absl::StrCat(framework.tools_size()),
                  absl::StrCat(framework.indicators_size()),
                  absl::StrCat(framework.items_size()),
                  absl::StrJoin(bands, " ")});
  }
  std::cout << table.Render();
}

}  // namespace

// ----------------------------------------------------------------- verbs

// What a move to a newer framework version did, or would do.
void PrintMigrated(const iv1::MigrateAssessmentResponse& response,
                   bool validate_only) {
  const iv1::Assessment& assessment = response.assessment();
  std::cout << assessment.name() << ": framework version "
            << response.from_version() << " -> "
            << assessment.framework_version()
            << (validate_only ? " (validate only: nothing stored)" : "")
            << "\n";
  for (const iv1::CodeMove& move : response.moved()) {
    std::cout << "  moved    " << move.from() << " -> " << move.to() << "\n";
  }
  for (const std::string& code : response.dropped()) {
    std::cout << "  dropped  " << code << "\n";
  }
}

int ItaCreate(const CliOptions& options, const Args& /*args*/) {
  ItaClient client(options, kItaPort);
  iv1::CreateAssessmentRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_request_id(options.request_id);
  iv1::Assessment* assessment = request.mutable_assessment();
  *assessment->mutable_organization() = OrganizationFromOptions(options);
  absl::StatusOr<int> year =
      thai::ParseFiscalYear(Require(options.year, "year"), "--year");
  if (!year.ok()) return Fail(year.status());
  assessment->mutable_fiscal_year()->set_be_year(*year);
  if (!options.score.empty()) {
    assessment->set_published_overall_score(ScoreFromText(options.score));
  }
  return client.CallAndPrint(&Stub::CreateAssessment, request, PrintAssessment);
}

int ItaGet(const CliOptions& options, const Args& args) {
  ItaClient client(options, kItaPort);
  iv1::GetAssessmentRequest request;
  request.set_name(Argument(args, "ita get NAME"));
  return client.CallAndPrint(&Stub::GetAssessment, request, PrintAssessment);
}

int ItaList(const CliOptions& options, const Args& /*args*/) {
  ItaClient client(options, kItaPort);
  iv1::ListAssessmentsRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  return client.CallAndPrint(&Stub::ListAssessments, request, PrintAssessments);
}

// prongsai ita publish --org CODE --year 2565 --score 89.20 --grade A
//   --indicators 1=99.77,9=71.3 [--tools IIT=95,EIT=90,OIT=80]
int ItaPublish(const CliOptions& options, const Args& /*args*/) {
  ItaClient client(options, kItaPort);
  iv1::IngestPublishedScoresRequest request;
  const std::string code = Require(options.org, "org");
  absl::StatusOr<int> year =
      thai::ParseFiscalYear(Require(options.year, "year"), "--year");
  if (!year.ok()) return Fail(year.status());
  request.set_name(
      absl::StrCat("organizations/", code, "/assessments/", *year));
  *request.mutable_organization() = OrganizationFromOptions(options);
  iv1::ScoreSet* published = request.mutable_published();
  const double overall = ScoreFromText(Require(options.score, "score"));
  published->mutable_overall()->set_code("overall");
  published->mutable_overall()->set_score(overall);
  published->set_grade(options.grade);
  AddScores(options.tools, published->mutable_tools());
  AddScores(options.indicators, published->mutable_indicators());
  return client.CallAndPrint(&Stub::IngestPublishedScores, request,
                             PrintPublished);
}

int ItaAnalyze(const CliOptions& options, const Args& args) {
  ItaClient client(options, kItaPort);
  iv1::AnalyzeAssessmentRequest request;
  request.set_name(Argument(args, "ita analyze NAME"));
  return client.CallAndPrint(&Stub::AnalyzeAssessment, request, PrintAnalysis);
}

int ItaRecommend(const CliOptions& options, const Args& args) {
  ItaClient client(options, kItaPort);
  iv1::RecommendMeasuresRequest request;
  request.set_name(Argument(args, "ita recommend NAME"));
  return client.CallAndPrint(&Stub::RecommendMeasures, request,
                             PrintRecommended);
}

int ItaAdopt(const CliOptions& options, const Args& args) {
  ItaClient client(options, kItaPort);
  iv1::AdoptRecommendedMeasuresRequest request;
  request.set_name(Argument(args, "ita adopt NAME"));
  return client.CallAndPrint(&Stub::AdoptRecommendedMeasures, request,
                             PrintAdopted);
}

int ItaPeers(const CliOptions& options, const Args& args) {
  ItaClient client(options, kItaPort);
  iv1::GetPeerAnalyticsRequest request;
  request.set_name(Argument(args, "ita peers NAME [--group province|kind]"));
  request.set_group(Group(options));
  return client.CallAndPrint(&Stub::GetPeerAnalytics, request,
                             PrintPeerAnalytics);
}

// The report is the document itself, with --json too.
int ItaReport(const CliOptions& options, const Args& args) {
  ItaClient client(options, kItaPort);
  iv1::RenderReportRequest request;
  request.set_name(Argument(args, "ita report NAME [--format html]"));
  request.set_format(options.format == "html" ? iv1::HTML : iv1::MARKDOWN);
  iv1::RenderedReport response;
  grpc::Status status = client.Call(&Stub::RenderReport, request, &response);
  if (!status.ok()) return Fail(status);
  std::cout << response.content();
  return 0;
}

int ItaFrameworks(const CliOptions& options, const Args& /*args*/) {
  ItaClient client(options, kItaPort);
  return client.CallAndPrint(&Stub::ListFrameworks,
                             iv1::ListFrameworksRequest(), PrintFrameworks);
}

// A framework in protobuf text format, like services/ita/frameworks/; prints
// the name of the version stored, with --json too.
int ItaLoadFramework(const CliOptions& options, const Args& args) {
  ItaClient client(options, kItaPort);
  const std::string path = Argument(args, "ita load-framework FILE.textproto");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(absl::NotFoundError("cannot read " + path));
  iv1::LoadFrameworkRequest request;
  if (!google::protobuf::TextFormat::ParseFromString(
          std::string(std::istreambuf_iterator<char>(in), {}),
          request.mutable_framework())) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat(path, " is not a Framework in text format")));
  }
  iv1::Framework response;
  grpc::Status status = client.Call(&Stub::LoadFramework, request, &response);
  if (!status.ok()) return Fail(status);
  std::cout << response.name() << "\n";
  return 0;
}

int ItaMigrate(const CliOptions& options, const Args& args) {
  ItaClient client(options, kItaPort);
  iv1::MigrateAssessmentRequest request;
  request.set_name(Argument(args, "ita migrate NAME"));
  request.set_framework_version(options.framework_version);
  request.set_validate_only(options.validate_only);
  return client.CallAndPrint(
      &Stub::MigrateAssessment, request,
      [&](const iv1::MigrateAssessmentResponse& response) {
        PrintMigrated(response, options.validate_only);
      });
}

}  // namespace prongsai::cli
