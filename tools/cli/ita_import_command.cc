// prongsai ita import-results --year 2567 FILE.csv [--validate_only]: the
// NACC's published results of many organizations at once
// (ImportPublishedResults), printed as a report of imported and refused rows.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/thai/thai.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "tools/cli/cli_common.h"
#include "tools/cli/ita_commands.h"
#include "tools/cli/table.h"

namespace prongsai::cli {
namespace {

namespace iv1 = ::prongsai::ita::v1;
using ItaClient = Client<iv1::AssessmentService>;
using Stub = ItaClient::Stub;

std::string OutcomeName(iv1::ImportedResultRow::Outcome outcome) {
  switch (outcome) {
    case iv1::ImportedResultRow::CREATED:
      return "created";
    case iv1::ImportedResultRow::UPDATED:
      return "updated";
    case iv1::ImportedResultRow::UNCHANGED:
      return "unchanged";
    default:
      return "-";
  }
}

void PrintImportReport(const iv1::ImportPublishedResultsResponse& response) {
  std::cout << (response.validate_only() ? "validate only: nothing stored\n"
                                         : "")
            << "imported " << response.imported_size() << " (created "
            << response.created() << ", updated " << response.updated()
            << ", unchanged " << response.unchanged() << "), refused "
            << response.refused_size() << "\n";
  if (response.refused_size() > 0) {
    Table refused({"ROW", "ORGANIZATION", "COLUMN", "REASON"});
    for (const iv1::RefusedResultRow& row : response.refused()) {
      refused.AddRow({absl::StrCat(row.row()), row.organization_code(),
                      row.column().empty() ? "-" : row.column(),
                      row.message()});
    }
    std::cout << "\nrefused rows:\n" << refused.Render();
  }
  Table findings({"ROW", "ASSESSMENT", "OUTCOME", "FINDING"});
  bool any = false;
  for (const iv1::ImportedResultRow& row : response.imported()) {
    for (const iv1::ConsistencyFinding& finding : row.findings()) {
      any = true;
      findings.AddRow(
          {absl::StrCat(row.row()), row.assessment(),
           OutcomeName(row.outcome()),
           absl::StrCat(iv1::ConsistencyFinding::Kind_Name(finding.kind()), " ",
                        finding.message())});
    }
  }
  if (any) std::cout << "\nfindings:\n" << findings.Render();
}

}  // namespace

int ItaImportResults(const CliOptions& options, const Args& args) {
  ItaClient client(options, kItaPort);
  const std::string path =
      Argument(args, "ita import-results --year 2567 FILE.csv");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(absl::NotFoundError("cannot read " + path));
  absl::StatusOr<int> year =
      thai::ParseFiscalYear(Require(options.year, "year"), "--year");
  if (!year.ok()) return Fail(year.status());
  iv1::ImportPublishedResultsRequest request;
  request.set_be_year(*year);
  request.set_content(std::string(std::istreambuf_iterator<char>(in), {}));
  request.set_validate_only(options.validate_only);
  return client.CallAndPrint(&Stub::ImportPublishedResults, request,
                             PrintImportReport);
}

}  // namespace prongsai::cli
