#include "tools/cli/oversight_commands.h"

#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/thai/thai.h"
#include "prongsai/plan/v1/oversight.grpc.pb.h"
#include "tools/cli/table.h"

namespace prongsai::cli {
namespace {

namespace pv1 = ::prongsai::plan::v1;
namespace cv1 = ::prongsai::common::v1;
using OversightClient = Client<pv1::OversightService>;

pv1::StandingQuery QueryOf(const CliOptions& options) {
  pv1::StandingQuery query;
  absl::StatusOr<int> year =
      thai::ParseFiscalYear(Require(options.year, "year"), "--year");
  if (!year.ok()) UsageError(year.status().message());
  query.mutable_fiscal_year()->set_be_year(*year);
  query.set_province(options.province);
  query.set_district(options.district);
  query.set_order_by(options.order_by);
  if (!options.org_kind.empty()) {
    static const auto* kinds = new std::map<std::string, cv1::OrganizationKind>{
        {"sao", cv1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION},
        {"municipality", cv1::MUNICIPALITY},
        {"pao", cv1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION},
        {"special", cv1::SPECIAL_LOCAL_GOVERNMENT}};
    auto kind = kinds->find(options.org_kind);
    if (kind == kinds->end()) {
      UsageError("--org_kind: sao | municipality | pao | special");
    }
    query.set_kind(kind->second);
  }
  return query;
}

std::string StateOf(const pv1::PlanStanding& plan) {
  if (plan.action_plan().empty()) return "-";
  return pv1::ActionPlan::State_Name(plan.action_plan_state());
}

void PrintStandings(const pv1::ListOrganizationStandingsResponse& response) {
  Table table({"CODE", "NAME", "DISTRICT", "PLAN", "LPA", "MEASURES", "LATE",
               "ITA", "RANK", "COMPLAINTS", "OVERDUE"});
  for (const pv1::OrganizationStanding& s : response.standings()) {
    table.AddRow(
        {s.organization().code(), s.organization().name(),
         s.organization().district(), s.has_plan() ? StateOf(s.plan()) : "-",
         CountOrDash(s.has_plan(), s.plan().lpa_requirements_met()),
         s.has_plan() ? absl::StrCat(s.plan().measures(), " (",
                                     s.plan().measures_answering_weaknesses(),
                                     " answer weaknesses)")
                      : "-",
         CountOrDash(s.has_plan(), s.plan().late_measures()),
         FigureOrDash(s.ita().has_score(), s.ita().score()),
         CountOrDash(s.ita().rank() > 0, s.ita().rank()),
         CountOrDash(s.has_complaints(), s.complaints().received()),
         CountOrDash(s.has_complaints(), s.complaints().overdue())});
  }
  std::cout << table.Render();
  const pv1::StandingTotals& t = response.totals();
  std::cout << "\n"
            << t.organizations() << " organizations: " << t.plan_announced()
            << " announced plans, " << t.annual_plan() << " annual plans, "
            << t.half_year_report() << " 6-month and " << t.full_year_report()
            << " 12-month reports, " << t.all_lpa_requirements()
            << " meet all four LPA requirements; " << t.measures()
            << " measures (" << t.late_measures() << " late); ITA mean "
            << FigureOrDash(t.has_mean_ita_score(), t.mean_ita_score()) << " ("
            << t.ita_passed() << " of " << t.ita_scored() << " pass); "
            << t.complaints_received() << " complaints ("
            << t.complaints_overdue() << " overdue)\n";
  for (const std::string& missing : response.missing()) {
    std::cout << "missing: " << missing << "\n";
  }
  PrintNextPage(response.next_page_token());
}

}  // namespace

int OversightStandings(const CliOptions& options, const Args& /*args*/) {
  OversightClient client(options, kPlanPort);
  if (!options.csv.empty()) {
    pv1::ExportOrganizationStandingsRequest request;
    *request.mutable_query() = QueryOf(options);
    pv1::ExportedDocument document;
    const grpc::Status status =
        client.Call(&pv1::OversightService::Stub::ExportOrganizationStandings,
                    request, &document);
    if (!status.ok()) return Fail(status);
    std::ofstream out(options.csv, std::ios::binary);
    out << document.content();
    if (!out.good()) {
      return Fail(
          absl::UnavailableError(absl::StrCat("cannot write ", options.csv)));
    }
    std::cout << options.csv << "\n";
    return 0;
  }
  pv1::ListOrganizationStandingsRequest request;
  *request.mutable_query() = QueryOf(options);
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  return client.CallAndPrint(
      &pv1::OversightService::Stub::ListOrganizationStandings, request,
      PrintStandings);
}

}  // namespace prongsai::cli
