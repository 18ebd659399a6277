// prongsai: the command-line client of the Prongsai services.
//
//   prongsai plan create --org 6340101 --title "แผน..." --years ๒๕๖๖-๒๕๗๐
//   prongsai plan list --org 6340101
//   prongsai complaint create --org 6340101 --kind general --channel phone
//       --subject "..." --description "..."
//   prongsai ita create --org 6340101 --year 2565 --score 89.20
//   prongsai health --server 127.0.0.1:50051
//   prongsai keys add --file var/api_keys --name portal --roles SYSTEM
//
// Output is an aligned table (or key: value lines) by default, protobuf JSON
// with --json. Exit code 0 on success, 1 when a call fails, 2 on bad usage.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/auth/key_ring.h"
#include "common/base/status_macros.h"
#include "common/rpc/grpc_status.h"
#include "common/thai/thai.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "tools/cli/table.h"

ABSL_FLAG(std::string, server, "",
          "host:port of the service (env PRONGSAI_SERVER; default "
          "127.0.0.1:50051 plan, :50052 complaint, :50053 ita)");
ABSL_FLAG(std::string, api_key, "", "API key (env PRONGSAI_API_KEY)");
ABSL_FLAG(bool, json, false, "print protobuf JSON instead of tables");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "deadline of each call");
ABSL_FLAG(bool, tls, false, "connect with TLS (system roots)");
// Resource fields.
ABSL_FLAG(std::string, org, "", "organization code, e.g. 6340101");
ABSL_FLAG(std::string, org_name, "", "organization's Thai name");
ABSL_FLAG(std::string, province, "", "province (จังหวัด)");
ABSL_FLAG(std::string, district, "", "district (อำเภอ)");
ABSL_FLAG(std::string, title, "", "plan or measure title");
ABSL_FLAG(std::string, years, "",
          "fiscal-year span, e.g. 2566-2570 or ๒๕๖๖-๒๕๗๐");
ABSL_FLAG(std::string, year, "", "fiscal year (B.E.), e.g. 2565 or ๒๕๖๕");
ABSL_FLAG(std::string, score, "", "published ITA overall score, e.g. 89.20");
ABSL_FLAG(std::string, kind, "", "complaint kind: general | corruption");
ABSL_FLAG(std::string, channel, "",
          "complaint channel: walk_in | phone | letter | website | email | "
          "facebook | line | referral | other");
ABSL_FLAG(std::string, subject, "", "complaint subject");
ABSL_FLAG(std::string, description, "", "complaint description");
ABSL_FLAG(std::string, request_id, "", "idempotency key for create calls");
ABSL_FLAG(std::string, replay_secret, "",
          "complaint create without a key: 16-128 random characters kept with "
          "--request_id; a retry needs both to get the tracking code again");
ABSL_FLAG(std::string, category, "", "complaint category id, e.g. road");
ABSL_FLAG(std::string, complainant_name, "", "complainant's name (sealed)");
ABSL_FLAG(std::string, complainant_contact, "",
          "complainant's phone or e-mail (sealed)");
ABSL_FLAG(std::string, accused_name, "", "corruption: the accused (sealed)");
ABSL_FLAG(std::string, accused_position, "", "corruption: their position");
ABSL_FLAG(std::string, to, "",
          "transition target: acknowledged | assigned | in_progress | resolved "
          "| closed | referred | rejected | withdrawn");
ABSL_FLAG(std::string, note, "", "why (every transition carries a note)");
ABSL_FLAG(std::string, assignee, "", "assigned: the unit or officer");
ABSL_FLAG(std::string, referred_to, "", "referred: the agency");
ABSL_FLAG(std::string, reason, "",
          "rejected: outside_authority | insufficient_information | "
          "duplicate; identity: why you need it; reopen: why");
ABSL_FLAG(std::string, duplicate_of, "", "rejected as duplicate: of which");
ABSL_FLAG(std::string, resolution, "", "resolved: the result");
ABSL_FLAG(std::string, text, "", "reply or added information text");
ABSL_FLAG(bool, public_reply, false, "reply: show it to the complainant");
ABSL_FLAG(std::string, new_due, "",
          "public reply explaining a delay: new due date YYYY-MM-DD");
ABSL_FLAG(int, rating, 0, "satisfaction 1-5 for a resolved complaint");
ABSL_FLAG(bool, overdue, false, "complaint list: only overdue cases");
ABSL_FLAG(int, due_within_days, 0, "complaint list: open cases due soon");
ABSL_FLAG(std::string, quarter, "", "statistics: quarter 1-4");
ABSL_FLAG(bool, public_view, false, "statistics: the public variant");
ABSL_FLAG(std::string, display_name, "", "category: Thai display name");
ABSL_FLAG(int, sla_days, 0, "category: days to handle (0 = 15)");
ABSL_FLAG(int, page_size, 0, "list page size (0 = server default)");
ABSL_FLAG(std::string, page_token, "", "list page token");
ABSL_FLAG(std::string, service, "", "health: service name to check");
ABSL_FLAG(std::string, grade, "", "ita publish: the published grade/level");
ABSL_FLAG(std::string, indicators, "",
          "ita publish: indicator scores, e.g. 1=99.77,9=71.30");
ABSL_FLAG(std::string, tools, "", "ita publish: tool scores, e.g. IIT=95.1");
ABSL_FLAG(std::string, seeds, "../shared/seeds",
          "demo load: the directory of the seed documents");
ABSL_FLAG(std::string, plan_server, "", "demo: plan (default 127.0.0.1:50051)");
ABSL_FLAG(std::string, complaint_server, "",
          "demo: complaint (default 127.0.0.1:50052)");
ABSL_FLAG(std::string, ita_server, "", "demo: ita (default 127.0.0.1:50053)");
ABSL_FLAG(std::string, group, "national",
          "ita peers: national | province | kind");
ABSL_FLAG(std::string, org_kind, "", "org: sao | municipality | pao | special");
ABSL_FLAG(bool, validate_only, false, "plan import: check, store nothing");
ABSL_FLAG(std::string, round, "",
          "progress round: q1 | half (6 months) | q3 | full (12 months)");
ABSL_FLAG(std::string, format, "markdown", "export: markdown | csv");
ABSL_FLAG(bool, thai_digits, false, "export: write numbers in Thai digits");
ABSL_FLAG(std::string, quarters, "",
          "annual plan / measure: quarters, e.g. 1,3 (default all four)");
ABSL_FLAG(std::string, status, "",
          "progress: not_started | in_progress | done | cancelled | "
          "postponed");
ABSL_FLAG(std::string, output, "", "progress: output (ผลผลิต)");
ABSL_FLAG(std::string, outcome, "", "progress: outcome (ผลลัพธ์)");
ABSL_FLAG(std::string, spent, "", "progress: baht spent, e.g. 5,000.00");
ABSL_FLAG(bool, uncontrolled, false, "risks: only risks no project controls");
// keys add.
ABSL_FLAG(std::string, file, "", "keys: API key file to append to");
ABSL_FLAG(std::string, name, "", "keys: the key's name (no spaces)");
ABSL_FLAG(std::string, roles, "",
          "keys: SYSTEM, OPERATOR, EXECUTIVE, INTEGRITY_OFFICER, AUDITOR "
          "(comma list)");
ABSL_FLAG(std::string, orgs, "*", "keys: organization codes or *");

namespace prongsai::cli {
namespace {

namespace cv1 = ::prongsai::common::v1;

constexpr absl::string_view kUsage = R"(prongsai <command> <verb> [flags]

  org create --org CODE --org_name NAME --org_kind sao|municipality|pao|special
             --province P --district D
  org get CODE | org list [--province P]
  plan create --org CODE --title TITLE --years 2566-2570
  plan import FILE --org CODE [--validate_only] [--request_id ID]
  plan get PLAN | plan list --org CODE | plan approve PLAN | plan announce PLAN
  plan projects PLAN [--year 2569] | plan risks PLAN [--uncontrolled]
  plan targets PLAN
  plan annual-create PLAN --year 2569 [--quarters 1,2,3,4]
  plan annual PLAN/annualPlans/2569 | plan reconcile PLAN/annualPlans/2569
  plan export PLAN/annualPlans/2569 [--format csv] [--thai_digits]
  plan measure --org CODE --year 2569 --title T [--quarters 1,3]
  plan measures --org CODE [--year 2569]
  plan progress SUBJECT --org CODE --year 2569 --round half --status done
                [--output T] [--outcome T] [--spent 5,000.00]
  plan summary PLAN/annualPlans/2569 --round half|full|q1|q3
  plan report PLAN/annualPlans/2569 --round half [--format csv] [--thai_digits]
  complaint create --org CODE --kind general|corruption --channel CHANNEL
                   --subject TEXT --description TEXT
                   [--category ID] [--complainant_name N --complainant_contact C]
                   [--accused_name N --accused_position P]
  complaint get NAME
  complaint list --org CODE [--overdue] [--due_within_days N]
  complaint transition NAME --to STATE --note WHY [--assignee U]
                   [--referred_to A] [--reason R --duplicate_of NAME]
                   [--resolution TEXT]
  complaint reply NAME --text TEXT [--public_reply [--new_due YYYY-MM-DD]]
  complaint replies NAME | complaint identity NAME --reason WHY
  complaint track CODE | add-info CODE --text T | rate CODE --rating 1-5
  complaint reopen CODE --reason WHY
  complaint stats --org CODE --year 2569 [--quarter 1] [--public_view]
  complaint categories --org CODE
  complaint category ID --org CODE --display_name NAME [--sla_days N]
  ita create --org CODE --year 2565 [--score 89.20]
  ita get organizations/CODE/assessments/2565 | ita list --org CODE
  ita publish --org CODE --year 2565 --score 89.20 [--grade A]
              [--tools IIT=..,EIT=..,OIT=..] [--indicators 1=99.77,...]
  ita analyze NAME | ita recommend NAME | ita adopt NAME
  ita peers NAME [--group province]
  ita report NAME [--format html] | ita frameworks
  ita load-framework FILE.textproto       (SYSTEM; a new version of its year)
  demo load [--seeds ../shared/seeds]   a sample organization, all 3 services
  health [--server HOST:PORT] [--service NAME]
  keys add --file FILE --name NAME --roles ROLE[,ROLE] [--orgs *|CODE,...]

Years and scores may be written in Thai digits. The API key comes from
--api_key or PRONGSAI_API_KEY; the server from --server or PRONGSAI_SERVER.)";

// Bad usage ends the program with exit code 2 and the usage text.
[[noreturn]] void UsageError(absl::string_view message) {
  std::cerr << "usage error: " << message << "\n\n" << kUsage << "\n";
  std::exit(2);
}

std::string EnvOr(const char* name, const std::string& value) {
  if (!value.empty()) return value;
  const char* env = std::getenv(name);
  return env == nullptr ? "" : env;
}

std::shared_ptr<grpc::Channel> Connect(int default_port) {
  std::string target = EnvOr("PRONGSAI_SERVER", absl::GetFlag(FLAGS_server));
  if (target.empty()) target = absl::StrCat("127.0.0.1:", default_port);
  auto credentials = absl::GetFlag(FLAGS_tls)
                         ? grpc::SslCredentials(grpc::SslCredentialsOptions())
                         : grpc::InsecureChannelCredentials();
  return grpc::CreateChannel(target, credentials);
}

// The API key without the whitespace around it (a key read from a file or
// pasted often ends in CR/LF). A key with anything but visible ASCII left in
// it cannot go into a header, and gRPC would abort printing it: such a key
// is a usage error that never shows the key.
std::string ApiKey() {
  std::string key(absl::StripAsciiWhitespace(
      EnvOr("PRONGSAI_API_KEY", absl::GetFlag(FLAGS_api_key))));
  for (char c : key) {
    if (c <= ' ' || c > '~') {
      UsageError(
          "the API key (--api_key or PRONGSAI_API_KEY) holds a character no "
          "key has (space, control or non-ASCII)");
    }
  }
  return key;
}

void Prepare(grpc::ClientContext& context) {
  context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  const std::string key = ApiKey();
  if (!key.empty()) context.AddMetadata("authorization", "Bearer " + key);
}

std::string Json(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

std::string Time(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M",
                          absl::FromUnixSeconds(timestamp.seconds()),
                          thai::BangkokTimeZone());
}

std::string Require(const absl::Flag<std::string>& flag,
                    absl::string_view name) {
  std::string value = absl::GetFlag(flag);
  if (value.empty()) UsageError(absl::StrCat("--", name, " is required"));
  return value;
}

int Fail(const absl::Status& status) {
  std::cerr << "error: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  return 1;
}

int Fail(const grpc::Status& status) { return Fail(FromGrpcStatus(status)); }

absl::StatusOr<int> FiscalYear(absl::string_view text,
                               absl::string_view field) {
  return thai::ParseFiscalYear(text, field);
}

cv1::OrganizationRef OrganizationFromFlags() {
  cv1::OrganizationRef ref;
  ref.set_name(absl::GetFlag(FLAGS_org_name));
  ref.set_province(absl::GetFlag(FLAGS_province));
  ref.set_district(absl::GetFlag(FLAGS_district));
  return ref;
}

// Prints `message` as JSON, or as aligned "field  value" lines.
void PrintOne(const google::protobuf::Message& message,
              const std::vector<std::pair<std::string, std::string>>& fields) {
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << Json(message);
    return;
  }
  Table table({"FIELD", "VALUE"});
  for (const auto& [field, value] : fields) table.AddRow({field, value});
  std::cout << table.Render();
}

void PrintNextPage(const std::string& token) {
  if (!token.empty()) std::cout << "next page: --page_token=" << token << "\n";
}

// ---------------------------------------------------------------- plan

std::vector<std::pair<std::string, std::string>> PlanFields(
    const plan::v1::ActionPlan& plan) {
  return {
      {"name", plan.name()},
      {"organization", plan.organization().code()},
      {"title", plan.title()},
      {"fiscal years", absl::StrCat(plan.fiscal_years().first_be_year(), "-",
                                    plan.fiscal_years().last_be_year())},
      {"state", plan::v1::ActionPlan::State_Name(plan.state())},
      {"created", Time(plan.audit().create_time())},
      {"creator", plan.audit().creator()},
      {"approved by", plan.approver().empty() ? "-" : plan.approver()},
      {"approved", Time(plan.approve_time())},
      {"announced", Time(plan.announce_time())},
      {"dimensions", absl::StrCat(plan.dimensions_size())},
      {"import findings", absl::StrCat(plan.import_findings_size())}};
}

namespace pv1 = ::prongsai::plan::v1;

std::string Span(const cv1::FiscalYearSpan& span) {
  return absl::StrCat(span.first_be_year(), "-", span.last_be_year());
}

std::string Baht(const cv1::Money& money) {
  return thai::FormatBaht(money.satang());
}

std::vector<int32_t> QuartersFromFlag() {
  std::vector<int32_t> quarters;
  for (absl::string_view part :
       absl::StrSplit(absl::GetFlag(FLAGS_quarters), ',', absl::SkipEmpty())) {
    int quarter;
    if (!absl::SimpleAtoi(thai::ThaiDigitsToAscii(part), &quarter)) {
      UsageError("--quarters must look like 1,3");
    }
    quarters.push_back(quarter);
  }
  return quarters;
}

pv1::Round RoundFromFlag() {
  static const auto* rounds =
      new std::map<std::string, pv1::Round>{{"q1", pv1::QUARTER_1},
                                            {"half", pv1::HALF_YEAR},
                                            {"q3", pv1::QUARTER_3},
                                            {"full", pv1::FULL_YEAR}};
  auto found = rounds->find(Require(FLAGS_round, "round"));
  if (found == rounds->end()) UsageError("--round: q1 | half | q3 | full");
  return found->second;
}

int RequireYear() {
  absl::StatusOr<int> year = FiscalYear(Require(FLAGS_year, "year"), "--year");
  if (!year.ok()) UsageError(year.status().message());
  return *year;
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

// Runs one unary call of the plan service and prints the result as JSON or
// with `print`.
template <typename Response>
int Finish(const grpc::Status& status, const Response& response,
           const std::function<void(const Response&)>& print) {
  if (!status.ok()) return Fail(status);
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << Json(response);
  } else {
    print(response);
  }
  return 0;
}

int PlanCommand(const std::string& verb, const std::vector<std::string>& args) {
  auto stub = pv1::PlanService::NewStub(Connect(50051));
  grpc::ClientContext context;
  Prepare(context);
  auto print_plan = [](const pv1::ActionPlan& plan) {
    PrintOne(plan, PlanFields(plan));
  };
  auto arg = [&](absl::string_view usage) -> const std::string& {
    if (args.empty()) UsageError(usage);
    return args[0];
  };
  auto parent = [] {
    return absl::StrCat("organizations/", Require(FLAGS_org, "org"));
  };
  pv1::DocumentFormat format = pv1::MARKDOWN;
  if (absl::GetFlag(FLAGS_format) == "csv") format = pv1::CSV;
  const pv1::Digits digits =
      absl::GetFlag(FLAGS_thai_digits) ? pv1::THAI : pv1::ARABIC;
  auto print_document = [](const pv1::ExportedDocument& document) {
    std::cout << document.content();
  };

  if (verb == "create") {
    pv1::CreateActionPlanRequest request;
    request.set_parent(parent());
    request.set_request_id(absl::GetFlag(FLAGS_request_id));
    pv1::ActionPlan* plan = request.mutable_action_plan();
    plan->set_title(Require(FLAGS_title, "title"));
    std::vector<std::string> span =
        absl::StrSplit(Require(FLAGS_years, "years"), '-');
    if (span.size() != 2) UsageError("--years must look like 2566-2570");
    absl::StatusOr<int> first = FiscalYear(span[0], "--years");
    absl::StatusOr<int> last = FiscalYear(span[1], "--years");
    if (!first.ok()) return Fail(first.status());
    if (!last.ok()) return Fail(last.status());
    plan->mutable_fiscal_years()->set_first_be_year(*first);
    plan->mutable_fiscal_years()->set_last_be_year(*last);
    pv1::ActionPlan response;
    return Finish<pv1::ActionPlan>(
        stub->CreateActionPlan(&context, request, &response), response,
        print_plan);
  }
  if (verb == "import") {
    std::ifstream in(arg("plan import FILE --org CODE"), std::ios::binary);
    if (!in) return Fail(absl::NotFoundError("cannot read " + args[0]));
    pv1::ImportActionPlanRequest request;
    request.set_parent(parent());
    request.set_text(std::string(std::istreambuf_iterator<char>(in), {}));
    request.set_request_id(absl::GetFlag(FLAGS_request_id));
    request.set_validate_only(absl::GetFlag(FLAGS_validate_only));
    pv1::ImportActionPlanResponse response;
    return Finish<pv1::ImportActionPlanResponse>(
        stub->ImportActionPlan(&context, request, &response), response,
        [](const pv1::ImportActionPlanResponse& imported) {
          const pv1::ActionPlan& plan = imported.action_plan();
          std::cout << "plan: "
                    << (plan.name().empty() ? "(validate only: not stored)"
                                            : plan.name())
                    << "\nprojects: " << imported.projects_size()
                    << "\nrisks: " << imported.risks_size() << "\n";
          if (imported.has_annual_plan()) {
            PrintAnnualPlan(imported.annual_plan());
          }
          std::cout << "findings: " << imported.findings_size() << "\n";
          PrintFindings(imported.findings());
        });
  }
  if (verb == "get" || verb == "approve" || verb == "announce") {
    pv1::ActionPlan response;
    grpc::Status status;
    if (verb == "get") {
      pv1::GetActionPlanRequest request;
      request.set_name(arg("plan get PLAN"));
      status = stub->GetActionPlan(&context, request, &response);
    } else if (verb == "approve") {
      pv1::ApproveActionPlanRequest request;
      request.set_name(arg("plan approve PLAN"));
      status = stub->ApproveActionPlan(&context, request, &response);
    } else {
      pv1::AnnounceActionPlanRequest request;
      request.set_name(arg("plan announce PLAN"));
      status = stub->AnnounceActionPlan(&context, request, &response);
    }
    return Finish<pv1::ActionPlan>(status, response, print_plan);
  }
  if (verb == "list") {
    pv1::ListActionPlansRequest request;
    request.set_parent(parent());
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token));
    pv1::ListActionPlansResponse response;
    return Finish<pv1::ListActionPlansResponse>(
        stub->ListActionPlans(&context, request, &response), response,
        [](const pv1::ListActionPlansResponse& plans) {
          Table table({"NAME", "YEARS", "STATE", "TITLE"});
          for (const pv1::ActionPlan& plan : plans.action_plans()) {
            table.AddRow({plan.name(), Span(plan.fiscal_years()),
                          pv1::ActionPlan::State_Name(plan.state()),
                          plan.title()});
          }
          std::cout << table.Render();
          PrintNextPage(plans.next_page_token());
        });
  }
  if (verb == "projects") {
    pv1::ListProjectsRequest request;
    request.set_parent(arg("plan projects PLAN"));
    if (!absl::GetFlag(FLAGS_year).empty()) request.set_be_year(RequireYear());
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token));
    pv1::ListProjectsResponse response;
    return Finish<pv1::ListProjectsResponse>(
        stub->ListProjects(&context, request, &response), response,
        [](const pv1::ListProjectsResponse& projects) {
          Table table({"#", "MISSION", "KIND", "YEARS", "TITLE"});
          for (const pv1::Project& project : projects.projects()) {
            table.AddRow(
                {absl::StrCat(project.sequence()), project.mission_code(),
                 pv1::Project::Kind_Name(project.kind()),
                 absl::StrJoin(project.fiscal_years(), ","), project.title()});
          }
          std::cout << table.Render();
          PrintNextPage(projects.next_page_token());
        });
  }
  if (verb == "risks") {
    pv1::ListRisksRequest request;
    request.set_parent(arg("plan risks PLAN"));
    request.set_uncontrolled_only(absl::GetFlag(FLAGS_uncontrolled));
    pv1::ListRisksResponse response;
    return Finish<pv1::ListRisksResponse>(
        stub->ListRisks(&context, request, &response), response,
        [](const pv1::ListRisksResponse& risks) {
          Table table({"#", "LEVEL", "CONTROLS", "PROCESS STEP"});
          for (const pv1::Risk& risk : risks.risks()) {
            table.AddRow({absl::StrCat(risk.sequence()),
                          pv1::Risk::Level_Name(risk.level()),
                          absl::StrCat(risk.control_projects_size()),
                          risk.process_step()});
          }
          std::cout << table.Render();
        });
  }
  if (verb == "targets") {
    pv1::EvaluateTargetsRequest request;
    request.set_name(arg("plan targets PLAN"));
    pv1::EvaluateTargetsResponse response;
    return Finish<pv1::EvaluateTargetsResponse>(
        stub->EvaluateTargets(&context, request, &response), response,
        [](const pv1::EvaluateTargetsResponse& targets) {
          Table table({"YEAR", "ITA TARGET", "ITA", "CASES -%", "CASES"});
          for (const pv1::TargetEvaluation& year : targets.years()) {
            const pv1::YearTarget& target = year.target();
            table.AddRow(
                {absl::StrCat(year.be_year()),
                 target.has_ita_score_target()
                     ? absl::StrCat(target.ita_score_target())
                     : "-",
                 pv1::TargetEvaluation::Result_Name(year.ita_score()),
                 target.has_corruption_case_reduction_percent()
                     ? absl::StrCat(target.corruption_case_reduction_percent())
                     : "-",
                 pv1::TargetEvaluation::Result_Name(year.corruption_cases())});
          }
          std::cout << table.Render();
          for (const std::string& missing : targets.missing()) {
            std::cout << "missing: " << missing << "\n";
          }
        });
  }
  if (verb == "annual-create") {
    pv1::CreateAnnualPlanRequest request;
    request.set_parent(arg("plan annual-create PLAN --year 2569"));
    request.set_be_year(RequireYear());
    for (int quarter : QuartersFromFlag())
      request.add_default_quarters(quarter);
    request.set_request_id(absl::GetFlag(FLAGS_request_id));
    pv1::AnnualPlan response;
    return Finish<pv1::AnnualPlan>(
        stub->CreateAnnualPlan(&context, request, &response), response,
        PrintAnnualPlan);
  }
  if (verb == "annual") {
    pv1::GetAnnualPlanRequest request;
    request.set_name(arg("plan annual ANNUAL_PLAN"));
    pv1::AnnualPlan response;
    return Finish<pv1::AnnualPlan>(
        stub->GetAnnualPlan(&context, request, &response), response,
        PrintAnnualPlan);
  }
  if (verb == "reconcile") {
    pv1::ReconcileAnnualPlanRequest request;
    request.set_name(arg("plan reconcile ANNUAL_PLAN"));
    pv1::ReconcileAnnualPlanResponse response;
    return Finish<pv1::ReconcileAnnualPlanResponse>(
        stub->ReconcileAnnualPlan(&context, request, &response), response,
        [](const pv1::ReconcileAnnualPlanResponse& result) {
          PrintFindings(result.findings());
        });
  }
  if (verb == "export") {
    pv1::ExportAnnualPlanRequest request;
    request.set_name(arg("plan export ANNUAL_PLAN"));
    request.set_format(format);
    request.set_digits(digits);
    pv1::ExportedDocument response;
    return Finish<pv1::ExportedDocument>(
        stub->ExportAnnualPlan(&context, request, &response), response,
        print_document);
  }
  if (verb == "measure") {
    pv1::CreateIntegrityMeasureRequest request;
    request.set_parent(parent());
    request.set_request_id(absl::GetFlag(FLAGS_request_id));
    pv1::IntegrityMeasure* measure = request.mutable_integrity_measure();
    measure->set_be_year(RequireYear());
    measure->set_title(Require(FLAGS_title, "title"));
    for (int quarter : QuartersFromFlag()) measure->add_quarters(quarter);
    pv1::IntegrityMeasure response;
    return Finish<pv1::IntegrityMeasure>(
        stub->CreateIntegrityMeasure(&context, request, &response), response,
        [](const pv1::IntegrityMeasure& created) {
          std::cout << created.name() << "\n";
        });
  }
  if (verb == "measures") {
    pv1::ListIntegrityMeasuresRequest request;
    request.set_parent(parent());
    if (!absl::GetFlag(FLAGS_year).empty()) request.set_be_year(RequireYear());
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token));
    pv1::ListIntegrityMeasuresResponse response;
    return Finish<pv1::ListIntegrityMeasuresResponse>(
        stub->ListIntegrityMeasures(&context, request, &response), response,
        [](const pv1::ListIntegrityMeasuresResponse& measures) {
          Table table({"NAME", "YEAR", "QUARTERS", "ITA", "TITLE"});
          for (const pv1::IntegrityMeasure& measure :
               measures.integrity_measures()) {
            table.AddRow({measure.name(), absl::StrCat(measure.be_year()),
                          absl::StrJoin(measure.quarters(), ","),
                          absl::StrJoin(measure.ita_indicators(), ","),
                          measure.title()});
          }
          std::cout << table.Render();
          PrintNextPage(measures.next_page_token());
        });
  }
  if (verb == "progress") {
    static const auto* statuses =
        new std::map<std::string, pv1::ProgressReport::Status>{
            {"not_started", pv1::ProgressReport::NOT_STARTED},
            {"in_progress", pv1::ProgressReport::IN_PROGRESS},
            {"done", pv1::ProgressReport::DONE},
            {"cancelled", pv1::ProgressReport::CANCELLED},
            {"postponed", pv1::ProgressReport::POSTPONED}};
    pv1::CreateProgressReportRequest request;
    request.set_parent(parent());
    request.set_request_id(absl::GetFlag(FLAGS_request_id));
    pv1::ProgressReport* report = request.mutable_progress_report();
    report->set_subject(arg("plan progress SUBJECT --org CODE ..."));
    report->set_be_year(RequireYear());
    report->set_round(RoundFromFlag());
    auto status = statuses->find(Require(FLAGS_status, "status"));
    if (status == statuses->end()) UsageError("unknown --status");
    report->set_status(status->second);
    report->set_output(absl::GetFlag(FLAGS_output));
    report->set_outcome(absl::GetFlag(FLAGS_outcome));
    if (!absl::GetFlag(FLAGS_spent).empty()) {
      absl::StatusOr<std::optional<int64_t>> spent =
          thai::ParseBaht(absl::GetFlag(FLAGS_spent), "--spent");
      if (!spent.ok()) return Fail(spent.status());
      report->mutable_spent()->set_satang(spent->value_or(0));
    }
    pv1::ProgressReport response;
    return Finish<pv1::ProgressReport>(
        stub->CreateProgressReport(&context, request, &response), response,
        [](const pv1::ProgressReport& created) {
          std::cout << created.name() << "\n";
        });
  }
  if (verb == "summary") {
    pv1::GetRoundSummaryRequest request;
    request.set_annual_plan(arg("plan summary ANNUAL_PLAN --round half"));
    request.set_round(RoundFromFlag());
    pv1::RoundSummary response;
    return Finish<pv1::RoundSummary>(
        stub->GetRoundSummary(&context, request, &response), response,
        [](const pv1::RoundSummary& summary) {
          Table table(
              {"DIMENSION", "ITEMS", "DONE", "% DONE", "APPROVED", "SPENT"});
          for (const pv1::DimensionProgress& dimension : summary.dimensions()) {
            table.AddRow({dimension.dimension() == 0
                              ? "measures"
                              : absl::StrCat(dimension.dimension()),
                          absl::StrCat(dimension.items()),
                          absl::StrCat(dimension.done()),
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
        });
  }
  if (verb == "report") {
    pv1::ExportRoundReportRequest request;
    request.set_annual_plan(arg("plan report ANNUAL_PLAN --round half"));
    request.set_round(RoundFromFlag());
    request.set_format(format);
    request.set_digits(digits);
    pv1::ExportedDocument response;
    return Finish<pv1::ExportedDocument>(
        stub->ExportRoundReport(&context, request, &response), response,
        print_document);
  }
  UsageError(
      "plan verbs: create, import, get, list, approve, announce, projects, "
      "risks, targets, annual-create, annual, reconcile, export, measure, "
      "measures, progress, summary, report");
}

// ---------------------------------------------------------------- org

int OrgCommand(const std::string& verb, const std::vector<std::string>& args) {
  auto stub = pv1::PlanService::NewStub(Connect(50051));
  grpc::ClientContext context;
  Prepare(context);
  auto print = [](const pv1::Organization& organization) {
    const cv1::OrganizationRef& ref = organization.organization();
    PrintOne(organization, {{"name", organization.name()},
                            {"thai name", ref.name()},
                            {"kind", cv1::OrganizationKind_Name(ref.kind())},
                            {"province", ref.province()},
                            {"district", ref.district()}});
  };
  if (verb == "create") {
    static const auto* kinds = new std::map<std::string, cv1::OrganizationKind>{
        {"sao", cv1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION},
        {"municipality", cv1::MUNICIPALITY},
        {"pao", cv1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION},
        {"special", cv1::SPECIAL_LOCAL_GOVERNMENT}};
    auto kind = kinds->find(Require(FLAGS_org_kind, "org_kind"));
    if (kind == kinds->end())
      UsageError("--org_kind: sao | municipality | pao | special");
    pv1::CreateOrganizationRequest request;
    cv1::OrganizationRef* ref =
        request.mutable_organization()->mutable_organization();
    *ref = OrganizationFromFlags();
    ref->set_code(Require(FLAGS_org, "org"));
    ref->set_kind(kind->second);
    pv1::Organization response;
    return Finish<pv1::Organization>(
        stub->CreateOrganization(&context, request, &response), response,
        print);
  }
  if (verb == "get") {
    if (args.empty()) UsageError("org get CODE");
    pv1::GetOrganizationRequest request;
    request.set_name(absl::StrCat("organizations/", args[0]));
    pv1::Organization response;
    return Finish<pv1::Organization>(
        stub->GetOrganization(&context, request, &response), response, print);
  }
  if (verb == "list") {
    pv1::ListOrganizationsRequest request;
    request.set_province(absl::GetFlag(FLAGS_province));
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token));
    pv1::ListOrganizationsResponse response;
    return Finish<pv1::ListOrganizationsResponse>(
        stub->ListOrganizations(&context, request, &response), response,
        [](const pv1::ListOrganizationsResponse& list) {
          Table table({"CODE", "KIND", "PROVINCE", "NAME"});
          for (const pv1::Organization& organization : list.organizations()) {
            const cv1::OrganizationRef& ref = organization.organization();
            table.AddRow({ref.code(), cv1::OrganizationKind_Name(ref.kind()),
                          ref.province(), ref.name()});
          }
          std::cout << table.Render();
          PrintNextPage(list.next_page_token());
        });
  }
  UsageError("org verbs: create, get, list");
}

// ------------------------------------------------------------ complaint

std::vector<std::pair<std::string, std::string>> ComplaintFields(
    const complaint::v1::Complaint& complaint) {
  using complaint::v1::Complaint;
  std::vector<std::pair<std::string, std::string>> fields = {
      {"name", complaint.name()},
      {"organization", complaint.organization().code()},
      {"kind", Complaint::Kind_Name(complaint.kind())},
      {"channel", Complaint::Channel_Name(complaint.channel())},
      {"subject", complaint.subject()},
      {"state", Complaint::State_Name(complaint.state())},
      {"received", Time(complaint.receive_time())},
      {"due", Time(complaint.due_time())},
      {"overdue", complaint.overdue() ? "yes" : "no"}};
  if (!complaint.resolution().empty()) {
    fields.emplace_back("resolution", complaint.resolution());
  }
  if (!complaint.tracking_code().empty()) {
    fields.emplace_back("tracking code (shown once)",
                        complaint.tracking_code());
  }
  return fields;
}

std::vector<std::pair<std::string, std::string>> TrackedFields(
    const complaint::v1::TrackedComplaint& tracked) {
  using complaint::v1::Complaint;
  std::vector<std::pair<std::string, std::string>> fields = {
      {"organization", tracked.organization().code()},
      {"subject", tracked.subject()},
      {"state", Complaint::State_Name(tracked.state())},
      {"received", Time(tracked.receive_time())},
      {"due", Time(tracked.due_time())},
      {"overdue", tracked.overdue() ? "yes" : "no"}};
  if (!tracked.resolution().empty()) {
    fields.emplace_back("resolution", tracked.resolution());
  }
  for (const complaint::v1::Reply& reply : tracked.public_replies()) {
    fields.emplace_back(Time(reply.create_time()), reply.text());
  }
  return fields;
}

template <typename Enum>
Enum ParseEnum(const std::string& text, absl::string_view flag,
               bool (*parse)(const std::string&, Enum*)) {
  Enum value;
  if (!parse(absl::AsciiStrToUpper(text), &value) || value == Enum{}) {
    UsageError(absl::StrCat("--", flag, ": unknown value \"", text, "\""));
  }
  return value;
}

complaint::v1::Person PersonFromFlags(const absl::Flag<std::string>& name,
                                      const absl::Flag<std::string>& second,
                                      bool second_is_contact) {
  complaint::v1::Person person;
  person.set_name(absl::GetFlag(name));
  if (second_is_contact) {
    person.set_contact(absl::GetFlag(second));
  } else {
    person.set_position(absl::GetFlag(second));
  }
  return person;
}

std::string Argument(const std::vector<std::string>& args,
                     absl::string_view usage) {
  if (args.empty()) UsageError(usage);
  return args[0];
}

int PrintTracked(const grpc::Status& status,
                 const complaint::v1::TrackedComplaint& tracked) {
  if (!status.ok()) return Fail(status);
  PrintOne(tracked, TrackedFields(tracked));
  return 0;
}

// An absent figure (none to compute it from, or hidden in the public
// variant) reads "-", never "0".
std::string CountOrDash(bool present, int64_t value) {
  return present ? absl::StrCat(value) : "-";
}

std::string FigureOrDash(bool present, double value) {
  return present ? absl::StrFormat("%.1f", value) : "-";
}

std::string PercentOrDash(bool present, double value) {
  return present ? absl::StrFormat("%.1f%%", value) : "-";
}

// Figures about the others are absent for a group too small to show them
// (`suppressed`): they read "-", and a line says why.
void PrintPeerAnalytics(const ita::v1::PeerAnalytics& peers) {
  const bool ranked = !peers.suppressed() && peers.rank() > 0;
  std::cout << "rank " << (ranked ? absl::StrCat(peers.rank()) : "-") << " of "
            << peers.peers() << " (" << ita::v1::PeerGroup_Name(peers.group())
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

int PrintStatistics(const complaint::v1::ComplaintStatistics& statistics) {
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << Json(statistics);
    return 0;
  }
  const complaint::v1::ComplaintStatistics& s = statistics;
  Table totals({"FIGURE", "VALUE"});
  totals.AddRow({"received", CountOrDash(s.has_received(), s.received())});
  totals.AddRow({"completed", CountOrDash(s.has_completed(), s.completed())});
  totals.AddRow(
      {"in progress", CountOrDash(s.has_in_progress(), s.in_progress())});
  totals.AddRow({"overdue", CountOrDash(s.has_overdue(), s.overdue())});
  totals.AddRow({"ended otherwise",
                 CountOrDash(s.has_ended_otherwise(), s.ended_otherwise())});
  totals.AddRow({"mean days to acknowledge",
                 FigureOrDash(s.has_mean_days_to_acknowledge(),
                              s.mean_days_to_acknowledge())});
  totals.AddRow(
      {"mean days to resolve",
       FigureOrDash(s.has_mean_days_to_resolve(), s.mean_days_to_resolve())});
  totals.AddRow({"% resolved within SLA",
                 FigureOrDash(s.has_percent_resolved_within_sla(),
                              s.percent_resolved_within_sla())});
  totals.AddRow({"ratings", CountOrDash(s.has_ratings(), s.ratings())});
  totals.AddRow({"% satisfied (4-5)", FigureOrDash(s.has_percent_satisfied(),
                                                   s.percent_satisfied())});
  totals.AddRow(
      {"reopened", CountOrDash(s.has_reopen_count(), s.reopen_count())});
  std::cout << totals.Render();
  Table breakdown({"BY", "KEY", "RECEIVED", "COMPLETED"});
  auto add = [&breakdown](absl::string_view by, const auto& rows) {
    for (const complaint::v1::CountByKey& row : rows) {
      // Hidden rows are not listed at all.
      breakdown.AddRow({std::string(by), row.key(),
                        absl::StrCat(row.received()),
                        absl::StrCat(row.completed())});
    }
  };
  add("kind", statistics.by_kind());
  add("channel", statistics.by_channel());
  add("category", statistics.by_category());
  std::cout << "\n" << breakdown.Render();
  if (!statistics.notice().empty()) std::cout << statistics.notice() << "\n";
  return 0;
}

int ComplaintCommand(const std::string& verb,
                     const std::vector<std::string>& args) {
  using complaint::v1::Complaint;
  auto stub = complaint::v1::ComplaintService::NewStub(Connect(50052));
  grpc::ClientContext context;
  Prepare(context);
  if (verb == "create") {
    complaint::v1::CreateComplaintRequest request;
    request.set_parent(
        absl::StrCat("organizations/", Require(FLAGS_org, "org")));
    request.set_request_id(absl::GetFlag(FLAGS_request_id));
    request.set_replay_secret(absl::GetFlag(FLAGS_replay_secret));
    Complaint* complaint = request.mutable_complaint();
    *complaint->mutable_organization() = OrganizationFromFlags();
    complaint->set_kind(
        ParseEnum(Require(FLAGS_kind, "kind"), "kind", &Complaint::Kind_Parse));
    complaint->set_channel(ParseEnum(Require(FLAGS_channel, "channel"),
                                     "channel", &Complaint::Channel_Parse));
    complaint->set_subject(Require(FLAGS_subject, "subject"));
    complaint->set_description(Require(FLAGS_description, "description"));
    if (!absl::GetFlag(FLAGS_category).empty()) {
      complaint->set_category(absl::StrCat(request.parent(), "/categories/",
                                           absl::GetFlag(FLAGS_category)));
    }
    *complaint->mutable_complainant() = PersonFromFlags(
        FLAGS_complainant_name, FLAGS_complainant_contact, true);
    *complaint->mutable_accused() =
        PersonFromFlags(FLAGS_accused_name, FLAGS_accused_position, false);
    Complaint response;
    grpc::Status status = stub->CreateComplaint(&context, request, &response);
    if (!status.ok()) return Fail(status);
    PrintOne(response, ComplaintFields(response));
    return 0;
  }
  if (verb == "get") {
    complaint::v1::GetComplaintRequest request;
    request.set_name(Argument(args, "complaint get NAME"));
    Complaint response;
    grpc::Status status = stub->GetComplaint(&context, request, &response);
    if (!status.ok()) return Fail(status);
    PrintOne(response, ComplaintFields(response));
    return 0;
  }
  if (verb == "list") {
    complaint::v1::ListComplaintsRequest request;
    request.set_parent(
        absl::StrCat("organizations/", Require(FLAGS_org, "org")));
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token));
    request.set_overdue_only(absl::GetFlag(FLAGS_overdue));
    request.set_due_within_days(absl::GetFlag(FLAGS_due_within_days));
    complaint::v1::ListComplaintsResponse response;
    grpc::Status status = stub->ListComplaints(&context, request, &response);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
      return 0;
    }
    Table table({"NAME", "KIND", "STATE", "RECEIVED", "DUE", "SUBJECT"});
    for (const Complaint& complaint : response.complaints()) {
      table.AddRow({complaint.name(), Complaint::Kind_Name(complaint.kind()),
                    Complaint::State_Name(complaint.state()),
                    Time(complaint.receive_time()),
                    absl::StrCat(Time(complaint.due_time()),
                                 complaint.overdue() ? " OVERDUE" : ""),
                    complaint.subject()});
    }
    std::cout << table.Render();
    PrintNextPage(response.next_page_token());
    return 0;
  }
  if (verb == "transition") {
    complaint::v1::TransitionComplaintRequest request;
    request.set_name(Argument(args, "complaint transition NAME --to STATE"));
    request.set_target_state(
        ParseEnum(Require(FLAGS_to, "to"), "to", &Complaint::State_Parse));
    request.set_note(Require(FLAGS_note, "note"));
    request.set_assignee(absl::GetFlag(FLAGS_assignee));
    request.set_referred_to(absl::GetFlag(FLAGS_referred_to));
    request.set_duplicate_of(absl::GetFlag(FLAGS_duplicate_of));
    request.set_resolution(absl::GetFlag(FLAGS_resolution));
    if (request.target_state() == Complaint::REJECTED) {
      request.set_rejection_reason(
          ParseEnum(Require(FLAGS_reason, "reason"), "reason",
                    &complaint::v1::RejectionReason_Parse));
    }
    Complaint response;
    grpc::Status status =
        stub->TransitionComplaint(&context, request, &response);
    if (!status.ok()) return Fail(status);
    PrintOne(response, ComplaintFields(response));
    return 0;
  }
  if (verb == "reply") {
    complaint::v1::CreateReplyRequest request;
    request.set_parent(Argument(args, "complaint reply NAME --text TEXT"));
    complaint::v1::Reply* reply = request.mutable_reply();
    reply->set_text(Require(FLAGS_text, "text"));
    reply->set_visibility(absl::GetFlag(FLAGS_public_reply)
                              ? complaint::v1::Reply::PUBLIC
                              : complaint::v1::Reply::INTERNAL);
    if (std::string due = absl::GetFlag(FLAGS_new_due); !due.empty()) {
      absl::CivilDay day;
      if (!absl::ParseCivilTime(thai::ThaiDigitsToAscii(due), &day)) {
        UsageError("--new_due must be YYYY-MM-DD");
      }
      *reply->mutable_new_due_time() =
          ToTimestamp(absl::FromCivil(day, thai::BangkokTimeZone()));
    }
    complaint::v1::Reply response;
    grpc::Status status = stub->CreateReply(&context, request, &response);
    if (!status.ok()) return Fail(status);
    PrintOne(response, {{"name", response.name()},
                        {"visibility", complaint::v1::Reply::Visibility_Name(
                                           response.visibility())},
                        {"text", response.text()}});
    return 0;
  }
  if (verb == "replies") {
    complaint::v1::ListRepliesRequest request;
    request.set_parent(Argument(args, "complaint replies NAME"));
    complaint::v1::ListRepliesResponse response;
    grpc::Status status = stub->ListReplies(&context, request, &response);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
      return 0;
    }
    Table table({"TIME", "VISIBILITY", "ACTOR", "TEXT"});
    for (const complaint::v1::Reply& reply : response.replies()) {
      table.AddRow({Time(reply.create_time()),
                    complaint::v1::Reply::Visibility_Name(reply.visibility()),
                    reply.actor(), reply.text()});
    }
    std::cout << table.Render();
    return 0;
  }
  if (verb == "identity") {
    complaint::v1::GetProtectedIdentityRequest request;
    request.set_name(Argument(args, "complaint identity NAME --reason WHY"));
    request.set_reason(Require(FLAGS_reason, "reason"));
    complaint::v1::ProtectedIdentity response;
    grpc::Status status =
        stub->GetProtectedIdentity(&context, request, &response);
    if (!status.ok()) return Fail(status);
    PrintOne(response, {{"complainant", response.complainant().name()},
                        {"contact", response.complainant().contact()},
                        {"accused", response.accused().name()},
                        {"position", response.accused().position()}});
    return 0;
  }
  if (verb == "track") {
    complaint::v1::TrackComplaintRequest request;
    request.set_tracking_code(Argument(args, "complaint track CODE"));
    complaint::v1::TrackedComplaint response;
    return PrintTracked(stub->TrackComplaint(&context, request, &response),
                        response);
  }
  if (verb == "add-info") {
    complaint::v1::AddComplainantInformationRequest request;
    request.set_tracking_code(
        Argument(args, "complaint add-info CODE --text TEXT"));
    request.set_text(Require(FLAGS_text, "text"));
    complaint::v1::TrackedComplaint response;
    return PrintTracked(
        stub->AddComplainantInformation(&context, request, &response),
        response);
  }
  if (verb == "rate" || verb == "reopen") {
    complaint::v1::RespondToResolutionRequest request;
    request.set_tracking_code(Argument(
        args, "complaint rate CODE --rating N | reopen CODE --reason"));
    if (verb == "rate") {
      request.set_satisfaction(absl::GetFlag(FLAGS_rating));
    } else {
      request.set_reopen_reason(Require(FLAGS_reason, "reason"));
    }
    complaint::v1::TrackedComplaint response;
    return PrintTracked(stub->RespondToResolution(&context, request, &response),
                        response);
  }
  if (verb == "stats") {
    complaint::v1::GetComplaintStatisticsRequest request;
    request.set_parent(
        absl::StrCat("organizations/", Require(FLAGS_org, "org")));
    absl::StatusOr<int> year =
        FiscalYear(Require(FLAGS_year, "year"), "--year");
    if (!year.ok()) return Fail(year.status());
    request.mutable_fiscal_year()->set_be_year(*year);
    if (std::string quarter = absl::GetFlag(FLAGS_quarter); !quarter.empty()) {
      absl::StatusOr<int64_t> value = thai::ParseInteger(quarter, "--quarter");
      if (!value.ok()) return Fail(value.status());
      request.set_quarter(static_cast<int32_t>(*value));
    }
    complaint::v1::ComplaintStatistics response;
    grpc::Status status =
        absl::GetFlag(FLAGS_public_view)
            ? stub->GetPublicComplaintStatistics(&context, request, &response)
            : stub->GetComplaintStatistics(&context, request, &response);
    if (!status.ok()) return Fail(status);
    return PrintStatistics(response);
  }
  if (verb == "categories") {
    complaint::v1::ListCategoriesRequest request;
    request.set_parent(
        absl::StrCat("organizations/", Require(FLAGS_org, "org")));
    complaint::v1::ListCategoriesResponse response;
    grpc::Status status = stub->ListCategories(&context, request, &response);
    if (!status.ok()) return Fail(status);
    Table table({"NAME", "SLA DAYS", "DISPLAY NAME"});
    for (const complaint::v1::Category& category : response.categories()) {
      table.AddRow({category.name(), absl::StrCat(category.sla_days()),
                    category.display_name()});
    }
    std::cout << table.Render();
    return 0;
  }
  if (verb == "category") {
    complaint::v1::UpsertCategoryRequest request;
    complaint::v1::Category* category = request.mutable_category();
    category->set_name(absl::StrCat(
        "organizations/", Require(FLAGS_org, "org"), "/categories/",
        Argument(args, "complaint category ID --org CODE --display_name N")));
    category->set_display_name(Require(FLAGS_display_name, "display_name"));
    category->set_sla_days(absl::GetFlag(FLAGS_sla_days));
    complaint::v1::Category response;
    grpc::Status status = stub->UpsertCategory(&context, request, &response);
    if (!status.ok()) return Fail(status);
    PrintOne(response, {{"name", response.name()},
                        {"display name", response.display_name()},
                        {"sla days", absl::StrCat(response.sla_days())}});
    return 0;
  }
  UsageError(
      "complaint verbs: create, get, list, transition, reply, replies, "
      "identity, track, add-info, rate, reopen, stats, categories, category");
}

// ------------------------------------------------------------------ ita

std::string Score(const ita::v1::Assessment& assessment) {
  return assessment.has_published_overall_score()
             ? absl::StrFormat("%.2f", assessment.published_overall_score())
             : "-";
}

std::vector<std::pair<std::string, std::string>> AssessmentFields(
    const ita::v1::Assessment& assessment) {
  return {{"name", assessment.name()},
          {"organization", assessment.organization().code()},
          {"fiscal year", absl::StrCat(assessment.fiscal_year().be_year())},
          {"published overall", Score(assessment)},
          {"created", Time(assessment.audit().create_time())}};
}

int ItaCommand(const std::string& verb, const std::vector<std::string>& args) {
  auto stub = ita::v1::AssessmentService::NewStub(Connect(50053));
  grpc::ClientContext context;
  Prepare(context);
  if (verb == "create") {
    ita::v1::CreateAssessmentRequest request;
    request.set_parent(
        absl::StrCat("organizations/", Require(FLAGS_org, "org")));
    request.set_request_id(absl::GetFlag(FLAGS_request_id));
    ita::v1::Assessment* assessment = request.mutable_assessment();
    *assessment->mutable_organization() = OrganizationFromFlags();
    absl::StatusOr<int> year =
        FiscalYear(Require(FLAGS_year, "year"), "--year");
    if (!year.ok()) return Fail(year.status());
    assessment->mutable_fiscal_year()->set_be_year(*year);
    if (std::string score = absl::GetFlag(FLAGS_score); !score.empty()) {
      double value;
      if (!absl::SimpleAtod(thai::ThaiDigitsToAscii(score), &value)) {
        UsageError("--score must be a number such as 89.20");
      }
      assessment->set_published_overall_score(value);
    }
    ita::v1::Assessment response;
    grpc::Status status = stub->CreateAssessment(&context, request, &response);
    if (!status.ok()) return Fail(status);
    PrintOne(response, AssessmentFields(response));
    return 0;
  }
  if (verb == "get") {
    if (args.empty()) UsageError("ita get NAME");
    ita::v1::GetAssessmentRequest request;
    request.set_name(args[0]);
    ita::v1::Assessment response;
    grpc::Status status = stub->GetAssessment(&context, request, &response);
    if (!status.ok()) return Fail(status);
    PrintOne(response, AssessmentFields(response));
    return 0;
  }
  if (verb == "list") {
    ita::v1::ListAssessmentsRequest request;
    request.set_parent(
        absl::StrCat("organizations/", Require(FLAGS_org, "org")));
    request.set_page_size(absl::GetFlag(FLAGS_page_size));
    request.set_page_token(absl::GetFlag(FLAGS_page_token));
    ita::v1::ListAssessmentsResponse response;
    grpc::Status status = stub->ListAssessments(&context, request, &response);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
      return 0;
    }
    Table table({"NAME", "FISCAL YEAR", "OVERALL"});
    for (const ita::v1::Assessment& assessment : response.assessments()) {
      table.AddRow({assessment.name(),
                    absl::StrCat(assessment.fiscal_year().be_year()),
                    Score(assessment)});
    }
    std::cout << table.Render();
    PrintNextPage(response.next_page_token());
    return 0;
  }
  namespace iv1 = ::prongsai::ita::v1;
  if (verb == "publish") {
    // prongsai ita publish --org CODE --year 2565 --score 89.20 --grade A
    //   --indicators 1=99.77,9=71.3 [--tools IIT=95,EIT=90,OIT=80]
    iv1::IngestPublishedScoresRequest request;
    const std::string code = Require(FLAGS_org, "org");
    absl::StatusOr<int> year =
        FiscalYear(Require(FLAGS_year, "year"), "--year");
    if (!year.ok()) return Fail(year.status());
    request.set_name(
        absl::StrCat("organizations/", code, "/assessments/", *year));
    *request.mutable_organization() = OrganizationFromFlags();
    iv1::ScoreSet* published = request.mutable_published();
    double overall;
    if (!absl::SimpleAtod(
            thai::ThaiDigitsToAscii(Require(FLAGS_score, "score")), &overall)) {
      UsageError("--score must be a number such as 89.20");
    }
    published->mutable_overall()->set_code("overall");
    published->mutable_overall()->set_score(overall);
    published->set_grade(absl::GetFlag(FLAGS_grade));
    auto add_scores = [](const std::string& text,
                         google::protobuf::RepeatedPtrField<iv1::Score>* out) {
      for (absl::string_view pair :
           absl::StrSplit(text, ',', absl::SkipEmpty())) {
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
    };
    add_scores(absl::GetFlag(FLAGS_tools), published->mutable_tools());
    add_scores(absl::GetFlag(FLAGS_indicators),
               published->mutable_indicators());
    iv1::Assessment response;
    grpc::Status status =
        stub->IngestPublishedScores(&context, request, &response);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
      return 0;
    }
    PrintOne(response, AssessmentFields(response));
    for (const iv1::ConsistencyFinding& finding : response.findings()) {
      std::cout << "finding: "
                << iv1::ConsistencyFinding::Kind_Name(finding.kind()) << " "
                << finding.message() << "\n";
    }
    return 0;
  }
  if (verb == "analyze") {
    if (args.empty()) UsageError("ita analyze NAME");
    iv1::AnalyzeAssessmentRequest request;
    request.set_name(args[0]);
    iv1::AgencyAnalysis response;
    grpc::Status status = stub->AnalyzeAssessment(&context, request, &response);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
      return 0;
    }
    std::cout << response.assessment() << " (" << response.basis()
              << ")\noverall " << absl::StrFormat("%.2f", response.overall())
              << "  grade " << response.grade() << "  "
              << (response.passed() ? "passed" : "not passed") << "\n";
    if (response.has_plan_target()) {
      std::cout << "plan target " << response.plan_target() << ", gap "
                << absl::StrFormat("%.2f", response.gap_to_target()) << "\n";
    }
    Table table({"", "INDICATOR", "TOOL", "SCORE", "NAME"});
    for (const iv1::IndicatorResult& result : response.strengths()) {
      table.AddRow({"strength", absl::StrCat(result.number()), result.tool(),
                    absl::StrFormat("%.2f", result.score()), result.name()});
    }
    for (const iv1::IndicatorResult& result : response.weaknesses()) {
      table.AddRow({"weakness", absl::StrCat(result.number()), result.tool(),
                    absl::StrFormat("%.2f", result.score()), result.name()});
    }
    std::cout << table.Render();
    if (response.has_complaint_handling()) {
      const iv1::ComplaintHandling& handling = response.complaint_handling();
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
    for (const iv1::WeaknessCoverage& coverage : response.coverage()) {
      std::cout << "weakness " << coverage.indicator() << ": "
                << coverage.measures_size() << " measure(s), "
                << coverage.late_measures_size() << " late\n";
    }
    for (const std::string& missing : response.missing()) {
      std::cout << "missing: " << missing << "\n";
    }
    return 0;
  }
  if (verb == "recommend") {
    if (args.empty()) UsageError("ita recommend NAME");
    iv1::RecommendMeasuresRequest request;
    request.set_name(args[0]);
    iv1::RecommendMeasuresResponse response;
    grpc::Status status = stub->RecommendMeasures(&context, request, &response);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
      return 0;
    }
    Table table({"ANSWERS", "YEAR", "MEASURE"});
    for (const iv1::RecommendedMeasure& measure : response.measures()) {
      table.AddRow({measure.answers(),
                    absl::StrCat(measure.measure().be_year()),
                    measure.measure().title()});
    }
    std::cout << table.Render();
    return 0;
  }
  if (verb == "adopt") {
    if (args.empty()) UsageError("ita adopt NAME");
    iv1::AdoptRecommendedMeasuresRequest request;
    request.set_name(args[0]);
    iv1::AdoptRecommendedMeasuresResponse response;
    grpc::Status status =
        stub->AdoptRecommendedMeasures(&context, request, &response);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
      return 0;
    }
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
    return 0;
  }
  if (verb == "peers") {
    if (args.empty()) UsageError("ita peers NAME [--group province|kind]");
    iv1::GetPeerAnalyticsRequest request;
    request.set_name(args[0]);
    const std::string group = absl::GetFlag(FLAGS_group);
    request.set_group(group == "province" ? iv1::SAME_PROVINCE
                      : group == "kind"   ? iv1::SAME_KIND
                                          : iv1::NATIONAL);
    iv1::PeerAnalytics response;
    grpc::Status status = stub->GetPeerAnalytics(&context, request, &response);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
      return 0;
    }
    PrintPeerAnalytics(response);
    return 0;
  }
  if (verb == "report") {
    if (args.empty()) UsageError("ita report NAME [--format html]");
    iv1::RenderReportRequest request;
    request.set_name(args[0]);
    request.set_format(absl::GetFlag(FLAGS_format) == "html" ? iv1::HTML
                                                             : iv1::MARKDOWN);
    iv1::RenderedReport response;
    grpc::Status status = stub->RenderReport(&context, request, &response);
    if (!status.ok()) return Fail(status);
    std::cout << response.content();
    return 0;
  }
  if (verb == "load-framework") {
    // A framework in protobuf text format, like services/ita/frameworks/.
    if (args.empty()) UsageError("ita load-framework FILE.textproto");
    std::ifstream in(args[0], std::ios::binary);
    if (!in) return Fail(absl::NotFoundError("cannot read " + args[0]));
    iv1::LoadFrameworkRequest request;
    if (!google::protobuf::TextFormat::ParseFromString(
            std::string(std::istreambuf_iterator<char>(in), {}),
            request.mutable_framework())) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat(args[0], " is not a Framework in text format")));
    }
    iv1::Framework response;
    grpc::Status status = stub->LoadFramework(&context, request, &response);
    if (!status.ok()) return Fail(status);
    std::cout << response.name() << "\n";
    return 0;
  }
  if (verb == "frameworks") {
    iv1::ListFrameworksResponse response;
    grpc::Status status =
        stub->ListFrameworks(&context, iv1::ListFrameworksRequest(), &response);
    if (!status.ok()) return Fail(status);
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << Json(response);
      return 0;
    }
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
    return 0;
  }
  UsageError(
      "ita verbs: create, get, list, publish, analyze, recommend, adopt, "
      "peers, report, frameworks, load-framework");
}

// ---------------------------------------------------------------- demo

// A sample organization built from the seeds, so that a newcomer can walk
// through the cycle: the seed-002 plan (อบต.อีสานเขต), ITA results in the
// style of seed 000 for 2565-2568 with a few generated peers of the same
// province, the recommended measures adopted into the plan with progress
// reported, and complaints. Every create carries a request id, so running it
// again changes nothing.
constexpr absl::string_view kDemoOrganization = "6340101";

struct DemoStep {
  std::string what;
  grpc::Status status;
};

// Calls with a fresh context (deadline, key) each time.
template <typename Call>
grpc::Status DemoCall(Call call) {
  grpc::ClientContext context;
  Prepare(context);
  return call(context);
}

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

std::shared_ptr<grpc::Channel> DemoChannel(const absl::Flag<std::string>& flag,
                                           int port) {
  std::string target = absl::GetFlag(flag);
  if (target.empty()) target = absl::StrCat("127.0.0.1:", port);
  return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

int DemoCommand(const std::string& verb) {
  if (verb != "load") UsageError("demo verbs: load");
  auto plan = pv1::PlanService::NewStub(DemoChannel(FLAGS_plan_server, 50051));
  auto ita =
      ita::v1::AssessmentService::NewStub(DemoChannel(FLAGS_ita_server, 50053));
  auto complaints = complaint::v1::ComplaintService::NewStub(
      DemoChannel(FLAGS_complaint_server, 50052));
  std::vector<DemoStep> steps;
  const std::string parent = absl::StrCat("organizations/", kDemoOrganization);

  // 1. The organization and its plan (seed 002).
  {
    pv1::CreateOrganizationRequest request;
    *request.mutable_organization()->mutable_organization() =
        DemoOrganizationRef(kDemoOrganization, "องค์การบริหารส่วนตำบลอีสานเขต",
                            "เมืองยโสธร");
    pv1::Organization response;
    steps.push_back({"organization 6340101 องค์การบริหารส่วนตำบลอีสานเขต",
                     DemoCall([&](grpc::ClientContext& context) {
                       return plan->CreateOrganization(&context, request,
                                                       &response);
                     })});
  }
  const std::string seed =
      absl::StrCat(absl::GetFlag(FLAGS_seeds), "/002_da2eef7f943bd544.txt");
  std::ifstream in(seed, std::ios::binary);
  if (!in) return Fail(absl::NotFoundError("cannot read " + seed));
  pv1::ImportActionPlanRequest import;
  import.set_parent(parent);
  import.set_text(std::string(std::istreambuf_iterator<char>(in), {}));
  import.set_request_id("demo-seed-002");
  pv1::ImportActionPlanResponse imported;
  steps.push_back({"plan 2566-2570 imported from seed 002",
                   DemoCall([&](grpc::ClientContext& context) {
                     return plan->ImportActionPlan(&context, import, &imported);
                   })});

  // 2. ITA results, seed-000 style: 2568 is the latest framework shipped.
  struct Year {
    int be_year;
    double overall;
    const char* grade;
    std::vector<double> indicators;  // 1..10
  };
  const std::vector<Year> years = {
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
  auto publish = [&](absl::string_view code, absl::string_view name,
                     absl::string_view district, const Year& year) {
    ita::v1::IngestPublishedScoresRequest request;
    request.set_name(
        absl::StrCat("organizations/", code, "/assessments/", year.be_year));
    *request.mutable_organization() = DemoOrganizationRef(code, name, district);
    ita::v1::ScoreSet* published = request.mutable_published();
    published->mutable_overall()->set_code("overall");
    published->mutable_overall()->set_score(year.overall);
    published->set_grade(year.grade);
    for (size_t i = 0; i < year.indicators.size(); ++i) {
      ita::v1::Score* score = published->add_indicators();
      score->set_code(absl::StrCat(i + 1));
      score->set_score(year.indicators[i]);
    }
    ita::v1::Assessment response;
    return DemoCall([&](grpc::ClientContext& context) {
      return ita->IngestPublishedScores(&context, request, &response);
    });
  };
  for (const Year& year : years) {
    steps.push_back({absl::StrCat("ITA ", year.be_year, ": ", year.overall),
                     publish(kDemoOrganization, "องค์การบริหารส่วนตำบลอีสานเขต",
                             "เมืองยโสธร", year)});
  }
  // Peers of the same province for 2568, spread around the national mean.
  int peers_ok = 0;
  grpc::Status peer_status;
  for (int i = 1; i <= 24; ++i) {
    Year year = years.back();
    const double shift = ((i * 37) % 21 - 10) * 0.9;
    year.overall = std::clamp(year.overall + shift, 0.0, 100.0);
    year.grade = year.overall >= 95   ? "ผ่านดีเยี่ยม"
                 : year.overall >= 85 ? "ผ่าน"
                                      : "ต้องปรับปรุง";
    for (double& score : year.indicators) {
      score = std::clamp(score + shift, 0.0, 100.0);
    }
    peer_status = publish(absl::StrCat("63401", 10 + i),
                          absl::StrCat("องค์การบริหารส่วนตำบลตัวอย่าง ", i),
                          "เมืองยโสธร", year);
    if (peer_status.ok()) ++peers_ok;
  }
  steps.push_back(
      {absl::StrCat("ITA 2568 of 24 peers in ยโสธร (", peers_ok, " stored)"),
       peers_ok == 24 ? grpc::Status::OK : peer_status});

  // 3. The 2568 analysis' measures adopted into the plan for 2569, with
  // progress reported for the half year.
  ita::v1::AdoptRecommendedMeasuresRequest adopt;
  adopt.set_name(absl::StrCat(parent, "/assessments/2568"));
  ita::v1::AdoptRecommendedMeasuresResponse adopted;
  grpc::Status adopt_status = DemoCall([&](grpc::ClientContext& context) {
    return ita->AdoptRecommendedMeasures(&context, adopt, &adopted);
  });
  if (adopt_status.ok() && !adopted.missing().empty()) {
    adopt_status =
        grpc::Status(grpc::StatusCode::UNAVAILABLE, adopted.missing(0));
  }
  steps.push_back(
      {absl::StrCat(adopted.measures_size(),
                    " recommended measures adopted into the 2569 plan"),
       adopt_status});
  for (int i = 0; i < adopted.measures_size(); ++i) {
    pv1::CreateProgressReportRequest request;
    request.set_parent(parent);
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
    steps.push_back(
        {absl::StrCat("progress (6 months) of ", adopted.measures(i).title()),
         DemoCall([&](grpc::ClientContext& context) {
           return plan->CreateProgressReport(&context, request, &response);
         })});
  }

  // 4. Complaints of this fiscal year: general ones and a corruption report.
  struct Filing {
    complaint::v1::Complaint::Kind kind;
    complaint::v1::Complaint::Channel channel;
    const char* subject;
    const char* description;
  };
  const std::vector<Filing> filings = {
      {complaint::v1::Complaint::GENERAL, complaint::v1::Complaint::PHONE,
       "ไฟฟ้าส่องสว่างดับ", "ไฟถนนหน้าโรงเรียนดับมาสองสัปดาห์"},
      {complaint::v1::Complaint::GENERAL, complaint::v1::Complaint::WALK_IN,
       "ถนนชำรุด", "ถนนเข้าหมู่ ๓ เป็นหลุมลึก"},
      {complaint::v1::Complaint::GENERAL, complaint::v1::Complaint::LINE,
       "ขยะไม่ได้จัดเก็บ", "รถเก็บขยะไม่มาสามสัปดาห์"},
      {complaint::v1::Complaint::CORRUPTION, complaint::v1::Complaint::WEBSITE,
       "เรียกรับเงินค่าอนุญาตก่อสร้าง", "เจ้าหน้าที่เรียกเงินพิเศษ ๓,๐๐๐ บาท"},
  };
  for (size_t i = 0; i < filings.size(); ++i) {
    complaint::v1::CreateComplaintRequest request;
    request.set_parent(parent);
    request.set_request_id(absl::StrCat("demo-complaint-", i));
    complaint::v1::Complaint* complaint = request.mutable_complaint();
    complaint->set_kind(filings[i].kind);
    complaint->set_channel(filings[i].channel);
    complaint->set_subject(filings[i].subject);
    complaint->set_description(filings[i].description);
    complaint::v1::Complaint response;
    steps.push_back({absl::StrCat("complaint: ", filings[i].subject),
                     DemoCall([&](grpc::ClientContext& context) {
                       return complaints->CreateComplaint(&context, request,
                                                          &response);
                     })});
  }
  const int status = Report(steps);
  if (!imported.action_plan().name().empty()) {
    std::cout << "\nplan: " << imported.action_plan().name()
              << "\nassessment: " << parent << "/assessments/2568\n";
  }
  return status;
}

// --------------------------------------------------------- health, keys

int HealthCommand() {
  auto stub = grpc::health::v1::Health::NewStub(Connect(50051));
  grpc::ClientContext context;
  Prepare(context);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(absl::GetFlag(FLAGS_service));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) return Fail(status);
  std::cout << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                   response.status())
            << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? 0
             : 1;
}

int KeysCommand(const std::string& verb) {
  if (verb != "add") UsageError("keys verbs: add");
  const std::string file = Require(FLAGS_file, "file");
  const std::string name = Require(FLAGS_name, "name");
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') {
      UsageError("--name may hold only letters, digits, '-', '_', '.'");
    }
  }
  const std::string roles = Require(FLAGS_roles, "roles");
  if (absl::StatusOr<std::vector<auth::Role>> parsed = auth::ParseRoles(roles);
      !parsed.ok()) {
    UsageError(std::string(parsed.status().message()));
  }
  const std::string key = auth::GenerateKey();
  // The file holds only hashes, but it still decides who may do what.
  const mode_t previous = umask(077);
  std::ofstream out(file, std::ios::app);
  umask(previous);
  out << auth::FormatKeyLine(auth::HashKey(key), name, roles,
                             absl::GetFlag(FLAGS_orgs));
  if (!out) return Fail(absl::UnavailableError("cannot write " + file));
  // The only time the key is ever shown.
  std::cout << key << "\n";
  return 0;
}

int Run(const std::vector<std::string>& positional) {
  // positional[0] is the program name.
  if (positional.size() < 2) UsageError("missing command");
  const std::string& command = positional[1];
  const std::string verb = positional.size() > 2 ? positional[2] : "";
  const std::vector<std::string> args(
      positional.begin() + std::min<size_t>(3, positional.size()),
      positional.end());
  if (command == "org") return OrgCommand(verb, args);
  if (command == "plan") return PlanCommand(verb, args);
  if (command == "complaint") return ComplaintCommand(verb, args);
  if (command == "ita") return ItaCommand(verb, args);
  if (command == "health") return HealthCommand();
  if (command == "demo") return DemoCommand(verb);
  if (command == "keys") return KeysCommand(verb);
  UsageError(absl::StrCat("unknown command \"", command, "\""));
}

}  // namespace
}  // namespace prongsai::cli

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(std::string(prongsai::cli::kUsage));
  std::vector<char*> parsed = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> positional(parsed.begin(), parsed.end());
  return prongsai::cli::Run(positional);
}
