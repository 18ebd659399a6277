#include "tools/cli/plan_commands.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/thai/thai.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "tools/cli/table.h"

namespace prongsai::cli {
namespace {

namespace cv1 = ::prongsai::common::v1;
namespace pv1 = ::prongsai::plan::v1;

using PlanClient = Client<pv1::PlanService>;
using Stub = PlanClient::Stub;

// ------------------------------------------------------------- arguments

std::vector<int32_t> Quarters(const CliOptions& options) {
  std::vector<int32_t> quarters;
  for (absl::string_view part :
       absl::StrSplit(options.quarters, ',', absl::SkipEmpty())) {
    int quarter;
    if (!absl::SimpleAtoi(thai::ThaiDigitsToAscii(part), &quarter)) {
      UsageError("--quarters must look like 1,3");
    }
    quarters.push_back(quarter);
  }
  return quarters;
}

pv1::Round Round(const CliOptions& options) {
  static const auto* rounds =
      new std::map<std::string, pv1::Round>{{"q1", pv1::QUARTER_1},
                                            {"half", pv1::HALF_YEAR},
                                            {"q3", pv1::QUARTER_3},
                                            {"full", pv1::FULL_YEAR}};
  auto found = rounds->find(Require(options.round, "round"));
  if (found == rounds->end()) UsageError("--round: q1 | half | q3 | full");
  return found->second;
}

pv1::ProgressReport::Status ProgressStatus(const CliOptions& options) {
  static const auto* statuses =
      new std::map<std::string, pv1::ProgressReport::Status>{
          {"not_started", pv1::ProgressReport::NOT_STARTED},
          {"in_progress", pv1::ProgressReport::IN_PROGRESS},
          {"done", pv1::ProgressReport::DONE},
          {"cancelled", pv1::ProgressReport::CANCELLED},
          {"postponed", pv1::ProgressReport::POSTPONED}};
  auto status = statuses->find(Require(options.status, "status"));
  if (status == statuses->end()) UsageError("unknown --status");
  return status->second;
}

// The required --year; a year that does not parse is a usage error.
int RequireYear(const CliOptions& options) {
  absl::StatusOr<int> year =
      thai::ParseFiscalYear(Require(options.year, "year"), "--year");
  if (!year.ok()) UsageError(year.status().message());
  return *year;
}

pv1::DocumentFormat Format(const CliOptions& options) {
  return options.format == "csv" ? pv1::CSV : pv1::MARKDOWN;
}

pv1::Digits Digits(const CliOptions& options) {
  return options.thai_digits ? pv1::THAI : pv1::ARABIC;
}

// ---------------------------------------------------------------- output

std::string Span(const cv1::FiscalYearSpan& span) {
  return absl::StrCat(span.first_be_year(), "-", span.last_be_year());
}

std::string Baht(const cv1::Money& money) {
  return thai::FormatBaht(money.satang());
}

void PrintPlan(const pv1::ActionPlan& plan) {
  PrintFields({{"name", plan.name()},
               {"organization", plan.organization().code()},
               {"title", plan.title()},
               {"fiscal years", Span(plan.fiscal_years())},
               {"state", pv1::ActionPlan::State_Name(plan.state())},
               {"created", Time(plan.audit().create_time())},
               {"creator", plan.audit().creator()},
               {"approved by", plan.approver().empty() ? "-" : plan.approver()},
               {"approved", Time(plan.approve_time())},
               {"announced", Time(plan.announce_time())},
               {"dimensions", absl::StrCat(plan.dimensions_size())},
               {"import findings", absl::StrCat(plan.import_findings_size())}});
}

void PrintFindings(
    const google::protobuf::RepeatedPtrField<pv1::Finding>& findings) {
  if (findings.empty()) {
    std::cout << "no findings\n";
    return;
  }
  Table table({"SEVERITY", "CODE", "WHERE", "MESSAGE"});
  for (const pv1::Finding& finding : findings) {
    table.AddRow({pv1::Finding::Severity_Name(finding.severity()),
                  finding.code(), finding.location(), finding.message()});
  }
  std::cout << table.Render();
}

void PrintAnnualPlan(const pv1::AnnualPlan& annual) {
  Table table({"#", "TITLE", "DIM", "BUDGET", "Q1", "Q2", "Q3", "Q4"});
  int row = 0;
  for (const pv1::AnnualPlanEntry& entry : annual.entries()) {
    std::vector<std::string> cells = {absl::StrCat(++row), entry.title(),
                                      absl::StrCat(entry.dimension()),
                                      Baht(entry.budget())};
    for (int quarter = 1; quarter <= 4; ++quarter) {
      bool runs = std::find(entry.quarters().begin(), entry.quarters().end(),
                            quarter) != entry.quarters().end();
      cells.push_back(runs ? "☑" : "");
    }
    table.AddRow(cells);
  }
  std::vector<std::string> total = {"", "รวมทั้งสิ้น", "",
                                    Baht(annual.totals().budget())};
  for (int count : annual.totals().projects_per_quarter()) {
    total.push_back(absl::StrCat(count));
  }
  table.AddRow(total);
  std::cout << annual.name() << "\n" << table.Render();
}

void PrintImported(const pv1::ImportActionPlanResponse& imported) {
  const pv1::ActionPlan& plan = imported.action_plan();
  std::cout << "plan: "
            << (plan.name().empty() ? "(validate only: not stored)"
                                    : plan.name())
            << "\nprojects: " << imported.projects_size()
            << "\nrisks: " << imported.risks_size() << "\n";
  if (imported.has_annual_plan()) PrintAnnualPlan(imported.annual_plan());
  std::cout << "findings: " << imported.findings_size() << "\n";
  PrintFindings(imported.findings());
}

void PrintPlans(const pv1::ListActionPlansResponse& plans) {
  Table table({"NAME", "YEARS", "STATE", "TITLE"});
  for (const pv1::ActionPlan& plan : plans.action_plans()) {
    table.AddRow({plan.name(), Span(plan.fiscal_years()),
                  pv1::ActionPlan::State_Name(plan.state()), plan.title()});
  }
  std::cout << table.Render();
  PrintNextPage(plans.next_page_token());
}

void PrintProjects(const pv1::ListProjectsResponse& projects) {
  Table table({"#", "MISSION", "KIND", "YEARS", "TITLE"});
  for (const pv1::Project& project : projects.projects()) {
    table.AddRow({absl::StrCat(project.sequence()), project.mission_code(),
                  pv1::Project::Kind_Name(project.kind()),
                  absl::StrJoin(project.fiscal_years(), ","), project.title()});
  }
  std::cout << table.Render();
  PrintNextPage(projects.next_page_token());
}

void PrintRisks(const pv1::ListRisksResponse& risks) {
  Table table({"#", "LEVEL", "CONTROLS", "PROCESS STEP"});
  for (const pv1::Risk& risk : risks.risks()) {
    table.AddRow(
        {absl::StrCat(risk.sequence()), pv1::Risk::Level_Name(risk.level()),
         absl::StrCat(risk.control_projects_size()), risk.process_step()});
  }
  std::cout << table.Render();
}

// A target the plan does not set reads "-".
template <typename Number>
std::string TargetOrDash(bool present, Number target) {
  return present ? absl::StrCat(target) : "-";
}

void PrintTargets(const pv1::EvaluateTargetsResponse& targets) {
  Table table({"YEAR", "ITA TARGET", "ITA", "CASES -%", "CASES"});
  for (const pv1::TargetEvaluation& year : targets.years()) {
    const pv1::YearTarget& target = year.target();
    table.AddRow(
        {absl::StrCat(year.be_year()),
         TargetOrDash(target.has_ita_score_target(), target.ita_score_target()),
         pv1::TargetEvaluation::Result_Name(year.ita_score()),
         TargetOrDash(target.has_corruption_case_reduction_percent(),
                      target.corruption_case_reduction_percent()),
         pv1::TargetEvaluation::Result_Name(year.corruption_cases())});
  }
  std::cout << table.Render();
  for (const std::string& missing : targets.missing()) {
    std::cout << "missing: " << missing << "\n";
  }
}

void PrintMeasures(const pv1::ListIntegrityMeasuresResponse& measures) {
  Table table({"NAME", "YEAR", "QUARTERS", "ITA", "TITLE"});
  for (const pv1::IntegrityMeasure& measure : measures.integrity_measures()) {
    table.AddRow({measure.name(), absl::StrCat(measure.be_year()),
                  absl::StrJoin(measure.quarters(), ","),
                  absl::StrJoin(measure.ita_indicators(), ","),
                  measure.title()});
  }
  std::cout << table.Render();
  PrintNextPage(measures.next_page_token());
}

void PrintSummary(const pv1::RoundSummary& summary) {
  Table table({"DIMENSION", "ITEMS", "DONE", "% DONE", "APPROVED", "SPENT"});
  for (const pv1::DimensionProgress& dimension : summary.dimensions()) {
    table.AddRow(
        {dimension.dimension() == 0 ? "measures"
                                    : absl::StrCat(dimension.dimension()),
         absl::StrCat(dimension.items()), absl::StrCat(dimension.done()),
         absl::StrFormat("%.1f", dimension.percent_done()),
         Baht(dimension.approved()), Baht(dimension.spent())});
  }
  table.AddRow({"all", absl::StrCat(summary.items()),
                absl::StrCat(summary.done()),
                absl::StrFormat("%.1f", summary.percent_done()),
                Baht(summary.approved()), Baht(summary.spent())});
  std::cout << table.Render() << "overdue: " << summary.overdue_size()
            << ", unreported: " << summary.unreported_size() << "\n";
  for (const pv1::OverdueItem& item : summary.overdue()) {
    std::cout << "  overdue: " << item.title() << " (quarter "
              << item.last_quarter() << ")\n";
  }
}

void PrintDocument(const pv1::ExportedDocument& document) {
  std::cout << document.content();
}

// Prints the name of what a create made.
template <typename Created>
void PrintName(const Created& created) {
  std::cout << created.name() << "\n";
}

}  // namespace

// ----------------------------------------------------------------- verbs

int PlanCreate(const CliOptions& options, const Args& /*args*/) {
  PlanClient client(options, kPlanPort);
  pv1::CreateActionPlanRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_request_id(options.request_id);
  pv1::ActionPlan* plan = request.mutable_action_plan();
  plan->set_title(Require(options.title, "title"));
  std::vector<std::string> span =
      absl::StrSplit(Require(options.years, "years"), '-');
  if (span.size() != 2) UsageError("--years must look like 2566-2570");
  absl::StatusOr<int> first = thai::ParseFiscalYear(span[0], "--years");
  absl::StatusOr<int> last = thai::ParseFiscalYear(span[1], "--years");
  if (!first.ok()) return Fail(first.status());
  if (!last.ok()) return Fail(last.status());
  plan->mutable_fiscal_years()->set_first_be_year(*first);
  plan->mutable_fiscal_years()->set_last_be_year(*last);
  return client.CallAndPrint(&Stub::CreateActionPlan, request, PrintPlan);
}

// The whole of the FILE argument; NOT_FOUND when it cannot be read.
absl::StatusOr<std::string> ReadFileArgument(const Args& args,
                                             absl::string_view usage) {
  const std::string path = Argument(args, usage);
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int PlanImport(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  absl::StatusOr<std::string> text =
      ReadFileArgument(args, "plan import FILE --org CODE");
  if (!text.ok()) return Fail(text.status());
  pv1::ImportActionPlanRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_text(*std::move(text));
  request.set_request_id(options.request_id);
  request.set_validate_only(options.validate_only);
  return client.CallAndPrint(&Stub::ImportActionPlan, request, PrintImported);
}

int PlanGet(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::GetActionPlanRequest request;
  request.set_name(Argument(args, "plan get PLAN"));
  return client.CallAndPrint(&Stub::GetActionPlan, request, PrintPlan);
}

int PlanList(const CliOptions& options, const Args& /*args*/) {
  PlanClient client(options, kPlanPort);
  pv1::ListActionPlansRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  return client.CallAndPrint(&Stub::ListActionPlans, request, PrintPlans);
}

int PlanApprove(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::ApproveActionPlanRequest request;
  request.set_name(Argument(args, "plan approve PLAN"));
  return client.CallAndPrint(&Stub::ApproveActionPlan, request, PrintPlan);
}

int PlanAnnounce(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::AnnounceActionPlanRequest request;
  request.set_name(Argument(args, "plan announce PLAN"));
  return client.CallAndPrint(&Stub::AnnounceActionPlan, request, PrintPlan);
}

int PlanProjects(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::ListProjectsRequest request;
  request.set_parent(Argument(args, "plan projects PLAN"));
  if (!options.year.empty()) request.set_be_year(RequireYear(options));
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  return client.CallAndPrint(&Stub::ListProjects, request, PrintProjects);
}

int PlanRisks(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::ListRisksRequest request;
  request.set_parent(Argument(args, "plan risks PLAN"));
  request.set_uncontrolled_only(options.uncontrolled);
  return client.CallAndPrint(&Stub::ListRisks, request, PrintRisks);
}

int PlanTargets(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::EvaluateTargetsRequest request;
  request.set_name(Argument(args, "plan targets PLAN"));
  return client.CallAndPrint(&Stub::EvaluateTargets, request, PrintTargets);
}

int PlanAnnualCreate(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::CreateAnnualPlanRequest request;
  request.set_parent(Argument(args, "plan annual-create PLAN --year 2569"));
  request.set_be_year(RequireYear(options));
  for (int quarter : Quarters(options)) request.add_default_quarters(quarter);
  request.set_request_id(options.request_id);
  return client.CallAndPrint(&Stub::CreateAnnualPlan, request, PrintAnnualPlan);
}

int PlanAnnual(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::GetAnnualPlanRequest request;
  request.set_name(Argument(args, "plan annual ANNUAL_PLAN"));
  return client.CallAndPrint(&Stub::GetAnnualPlan, request, PrintAnnualPlan);
}

int PlanReconcile(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::ReconcileAnnualPlanRequest request;
  request.set_name(Argument(args, "plan reconcile ANNUAL_PLAN"));
  return client.CallAndPrint(
      &Stub::ReconcileAnnualPlan, request,
      [](const pv1::ReconcileAnnualPlanResponse& result) {
        PrintFindings(result.findings());
      });
}

int PlanExport(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::ExportAnnualPlanRequest request;
  request.set_name(Argument(args, "plan export ANNUAL_PLAN"));
  request.set_format(Format(options));
  request.set_digits(Digits(options));
  return client.CallAndPrint(&Stub::ExportAnnualPlan, request, PrintDocument);
}

int PlanMeasure(const CliOptions& options, const Args& /*args*/) {
  PlanClient client(options, kPlanPort);
  pv1::CreateIntegrityMeasureRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_request_id(options.request_id);
  pv1::IntegrityMeasure* measure = request.mutable_integrity_measure();
  measure->set_be_year(RequireYear(options));
  measure->set_title(Require(options.title, "title"));
  for (int quarter : Quarters(options)) measure->add_quarters(quarter);
  return client.CallAndPrint(&Stub::CreateIntegrityMeasure, request,
                             PrintName<pv1::IntegrityMeasure>);
}

int PlanMeasures(const CliOptions& options, const Args& /*args*/) {
  PlanClient client(options, kPlanPort);
  pv1::ListIntegrityMeasuresRequest request;
  request.set_parent(OrganizationParent(options));
  if (!options.year.empty()) request.set_be_year(RequireYear(options));
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  return client.CallAndPrint(&Stub::ListIntegrityMeasures, request,
                             PrintMeasures);
}

int PlanMeasuresImport(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  absl::StatusOr<std::string> text = ReadFileArgument(
      args, "plan measures-import FILE --org CODE --year 2569");
  if (!text.ok()) return Fail(text.status());
  pv1::ImportIntegrityMeasuresRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_be_year(RequireYear(options));
  request.set_text(*std::move(text));
  request.set_request_id(options.request_id);
  request.set_validate_only(options.validate_only);
  return client.CallAndPrint(
      &Stub::ImportIntegrityMeasures, request,
      [](const pv1::ImportIntegrityMeasuresResponse& imported) {
        std::cout << (imported.stored() ? "stored " : "not stored: ")
                  << imported.integrity_measures_size() << " measure(s)\n";
        Table table({"NAME", "QUARTERS", "ITA", "TITLE"});
        for (const pv1::IntegrityMeasure& measure :
             imported.integrity_measures()) {
          table.AddRow({measure.name(), absl::StrJoin(measure.quarters(), ","),
                        absl::StrJoin(measure.ita_indicators(), ","),
                        measure.title()});
        }
        std::cout << table.Render() << "findings: " << imported.findings_size()
                  << "\n";
        PrintFindings(imported.findings());
      });
}

int PlanProgressImport(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  absl::StatusOr<std::string> text = ReadFileArgument(
      args, "plan progress-import FILE --org CODE --year 2569");
  if (!text.ok()) return Fail(text.status());
  pv1::ImportProgressReportsRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_be_year(RequireYear(options));
  if (!options.round.empty()) request.set_round(Round(options));
  request.set_text(*std::move(text));
  request.set_request_id(options.request_id);
  request.set_validate_only(options.validate_only);
  return client.CallAndPrint(
      &Stub::ImportProgressReports, request,
      [](const pv1::ImportProgressReportsResponse& imported) {
        std::cout << (imported.stored() ? "stored " : "not stored: ")
                  << imported.progress_reports_size() << " report(s) of "
                  << pv1::Round_Name(imported.round()) << "\n";
        Table table({"SUBJECT", "STATUS", "OUTPUT"});
        for (const pv1::ProgressReport& report : imported.progress_reports()) {
          table.AddRow({report.subject(),
                        pv1::ProgressReport::Status_Name(report.status()),
                        report.output()});
        }
        std::cout << table.Render() << "findings: " << imported.findings_size()
                  << "\n";
        PrintFindings(imported.findings());
      });
}

int PlanProgress(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::CreateProgressReportRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_request_id(options.request_id);
  pv1::ProgressReport* report = request.mutable_progress_report();
  report->set_subject(Argument(args, "plan progress SUBJECT --org CODE ..."));
  report->set_be_year(RequireYear(options));
  report->set_round(Round(options));
  report->set_status(ProgressStatus(options));
  report->set_output(options.output);
  report->set_outcome(options.outcome);
  if (!options.spent.empty()) {
    absl::StatusOr<std::optional<int64_t>> spent =
        thai::ParseBaht(options.spent, "--spent");
    if (!spent.ok()) return Fail(spent.status());
    report->mutable_spent()->set_satang(spent->value_or(0));
  }
  return client.CallAndPrint(&Stub::CreateProgressReport, request,
                             PrintName<pv1::ProgressReport>);
}

int PlanSummary(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::GetRoundSummaryRequest request;
  request.set_annual_plan(
      Argument(args, "plan summary ANNUAL_PLAN --round half"));
  request.set_round(Round(options));
  return client.CallAndPrint(&Stub::GetRoundSummary, request, PrintSummary);
}

int PlanReport(const CliOptions& options, const Args& args) {
  PlanClient client(options, kPlanPort);
  pv1::ExportRoundReportRequest request;
  request.set_annual_plan(
      Argument(args, "plan report ANNUAL_PLAN --round half"));
  request.set_round(Round(options));
  request.set_format(Format(options));
  request.set_digits(Digits(options));
  return client.CallAndPrint(&Stub::ExportRoundReport, request, PrintDocument);
}

}  // namespace prongsai::cli
