// prongsai: the command-line client of the Prongsai services.
//
//   prongsai plan create --org 6340101 --title "แผน..." --years ๒๕๖๖-๒๕๗๐
//   prongsai plan list --org 6340101
//   prongsai complaint create --org 6340101 --kind general --channel phone
//       --subject "..." --description "..."
//   prongsai ita create --org 6340101 --year 2565 --score 89.20
//   prongsai health --server 127.0.0.1:50051
//   prongsai keys add --file var/api_keys --name portal --roles SYSTEM
//   prongsai accounts add somchai.j --display_name "สมชาย ใจดี" --roles
//       OPERATOR --organizations 6340101
//
// Output is an aligned table (or key: value lines) by default, protobuf JSON
// with --json. Exit code 0 on success, 1 when a call fails, 2 on bad usage.
//
// This file holds every flag of the CLI, parsed once into CliOptions, and the
// table of commands (in the shape of grpc_cli's): a verb is one row, which
// gives its dispatch, its line of the usage text and its place in the list
// of the group's verbs that an unknown verb prints.
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tools/cli/account_commands.h"
#include "tools/cli/cli_common.h"
#include "tools/cli/complaint_commands.h"
#include "tools/cli/demo.h"
#include "tools/cli/health.h"
#include "tools/cli/ita_commands.h"
#include "tools/cli/keys.h"
#include "tools/cli/org_commands.h"
#include "tools/cli/oversight_commands.h"
#include "tools/cli/plan_commands.h"

ABSL_FLAG(std::string, server, "",
          "host:port of the service (env PRONGSAI_SERVER; default "
          "127.0.0.1:50051 plan, :50052 complaint, :50053 ita)");
ABSL_FLAG(std::string, api_key, "", "API key (env PRONGSAI_API_KEY)");
ABSL_FLAG(bool, json, false, "print protobuf JSON instead of tables");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "deadline of each call");
ABSL_FLAG(bool, tls, false, "connect with TLS (system roots)");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM roots to trust instead of the system's (turns TLS on)");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM client certificate, for services that require one (mutual "
          "TLS; with --tls_key)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
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
ABSL_FLAG(std::string, month, "", "complaint export: month 1-12");
ABSL_FLAG(std::string, template_id, "",
          "complaint reply: the reply template's id, e.g. acknowledge");
ABSL_FLAG(std::string, values, "",
          "complaint reply: template values, name=value joined by '|'");
ABSL_FLAG(std::string, parameters, "",
          "complaint template-add: placeholders the sender fills, a,b");
ABSL_FLAG(std::string, states, "",
          "complaint template-add/templates: states, e.g. received,assigned");
ABSL_FLAG(bool, public_view, false, "statistics: the public variant");
ABSL_FLAG(std::string, display_name, "", "category: Thai display name");
ABSL_FLAG(int, sla_days, 0, "category: days to handle (0 = 15)");
ABSL_FLAG(int, general_days, 0,
          "retention: days a general complaint's identities are kept");
ABSL_FLAG(int, corruption_days, 0,
          "retention: days a corruption report's identities are kept");
ABSL_FLAG(int, warning_days, 0, "retention: days an erasure is shown first");
ABSL_FLAG(std::string, reference, "",
          "erase-contact: the data subject's request, e.g. its letter number");
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
ABSL_FLAG(std::string, order_by, "",
          "oversight: e.g. \"ita_score desc, code\" (default code)");
ABSL_FLAG(std::string, csv, "",
          "oversight: write the whole group as CSV to this file");
ABSL_FLAG(std::string, org_kind, "", "org: sao | municipality | pao | special");
ABSL_FLAG(bool, validate_only, false,
          "imports, ita migrate: check, store nothing");
ABSL_FLAG(int, framework_version, 0,
          "ita migrate: the version to move to (0 = the year's current)");
ABSL_FLAG(std::string, known_head, "",
          "complaint verify-accesses: SEQUENCE:HASH an earlier run printed");
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
// accounts, sessions.
ABSL_FLAG(std::string, organizations, "",
          "accounts add: organization codes (comma list) or *");
ABSL_FLAG(std::string, signing_key_file, "",
          "sessions keygen: the signing key file to create (mode 0600)");
ABSL_FLAG(std::string, verify_keys_file, "",
          "sessions keygen: the verify keys file to append the public key to");

namespace prongsai::cli {
namespace {

void ConnectionOptionsFromFlags(CliOptions& options) {
  options.server = absl::GetFlag(FLAGS_server);
  options.api_key = absl::GetFlag(FLAGS_api_key);
  options.json = absl::GetFlag(FLAGS_json);
  options.timeout = absl::GetFlag(FLAGS_timeout);
  options.tls = absl::GetFlag(FLAGS_tls);
  options.tls_files = {.cert_path = absl::GetFlag(FLAGS_tls_cert),
                       .key_path = absl::GetFlag(FLAGS_tls_key),
                       .ca_path = absl::GetFlag(FLAGS_tls_ca)};
}

void ResourceOptionsFromFlags(CliOptions& options) {
  options.org = absl::GetFlag(FLAGS_org);
  options.org_name = absl::GetFlag(FLAGS_org_name);
  options.province = absl::GetFlag(FLAGS_province);
  options.district = absl::GetFlag(FLAGS_district);
  options.title = absl::GetFlag(FLAGS_title);
  options.years = absl::GetFlag(FLAGS_years);
  options.year = absl::GetFlag(FLAGS_year);
  options.score = absl::GetFlag(FLAGS_score);
  options.kind = absl::GetFlag(FLAGS_kind);
  options.channel = absl::GetFlag(FLAGS_channel);
  options.subject = absl::GetFlag(FLAGS_subject);
  options.description = absl::GetFlag(FLAGS_description);
  options.request_id = absl::GetFlag(FLAGS_request_id);
  options.replay_secret = absl::GetFlag(FLAGS_replay_secret);
  options.category = absl::GetFlag(FLAGS_category);
  options.complainant_name = absl::GetFlag(FLAGS_complainant_name);
  options.complainant_contact = absl::GetFlag(FLAGS_complainant_contact);
  options.accused_name = absl::GetFlag(FLAGS_accused_name);
  options.accused_position = absl::GetFlag(FLAGS_accused_position);
  options.to = absl::GetFlag(FLAGS_to);
  options.note = absl::GetFlag(FLAGS_note);
  options.assignee = absl::GetFlag(FLAGS_assignee);
  options.referred_to = absl::GetFlag(FLAGS_referred_to);
  options.reason = absl::GetFlag(FLAGS_reason);
  options.duplicate_of = absl::GetFlag(FLAGS_duplicate_of);
  options.resolution = absl::GetFlag(FLAGS_resolution);
  options.text = absl::GetFlag(FLAGS_text);
}

void VerbOptionsFromFlags(CliOptions& options) {
  options.public_reply = absl::GetFlag(FLAGS_public_reply);
  options.new_due = absl::GetFlag(FLAGS_new_due);
  options.rating = absl::GetFlag(FLAGS_rating);
  options.overdue = absl::GetFlag(FLAGS_overdue);
  options.due_within_days = absl::GetFlag(FLAGS_due_within_days);
  options.quarter = absl::GetFlag(FLAGS_quarter);
  options.month = absl::GetFlag(FLAGS_month);
  options.reply_template = absl::GetFlag(FLAGS_template_id);
  options.values = absl::GetFlag(FLAGS_values);
  options.parameters = absl::GetFlag(FLAGS_parameters);
  options.states = absl::GetFlag(FLAGS_states);
  options.public_view = absl::GetFlag(FLAGS_public_view);
  options.display_name = absl::GetFlag(FLAGS_display_name);
  options.sla_days = absl::GetFlag(FLAGS_sla_days);
  options.general_days = absl::GetFlag(FLAGS_general_days);
  options.corruption_days = absl::GetFlag(FLAGS_corruption_days);
  options.warning_days = absl::GetFlag(FLAGS_warning_days);
  options.reference = absl::GetFlag(FLAGS_reference);
  options.page_size = absl::GetFlag(FLAGS_page_size);
  options.page_token = absl::GetFlag(FLAGS_page_token);
  options.service = absl::GetFlag(FLAGS_service);
  options.grade = absl::GetFlag(FLAGS_grade);
  options.indicators = absl::GetFlag(FLAGS_indicators);
  options.tools = absl::GetFlag(FLAGS_tools);
  options.seeds = absl::GetFlag(FLAGS_seeds);
  options.plan_server = absl::GetFlag(FLAGS_plan_server);
  options.complaint_server = absl::GetFlag(FLAGS_complaint_server);
  options.ita_server = absl::GetFlag(FLAGS_ita_server);
  options.group = absl::GetFlag(FLAGS_group);
  options.org_kind = absl::GetFlag(FLAGS_org_kind);
  options.order_by = absl::GetFlag(FLAGS_order_by);
  options.csv = absl::GetFlag(FLAGS_csv);
  options.validate_only = absl::GetFlag(FLAGS_validate_only);
  options.framework_version = absl::GetFlag(FLAGS_framework_version);
  options.known_head = absl::GetFlag(FLAGS_known_head);
  options.round = absl::GetFlag(FLAGS_round);
  options.format = absl::GetFlag(FLAGS_format);
  options.thai_digits = absl::GetFlag(FLAGS_thai_digits);
  options.quarters = absl::GetFlag(FLAGS_quarters);
  options.status = absl::GetFlag(FLAGS_status);
  options.output = absl::GetFlag(FLAGS_output);
  options.outcome = absl::GetFlag(FLAGS_outcome);
  options.spent = absl::GetFlag(FLAGS_spent);
  options.uncontrolled = absl::GetFlag(FLAGS_uncontrolled);
  options.file = absl::GetFlag(FLAGS_file);
  options.name = absl::GetFlag(FLAGS_name);
  options.roles = absl::GetFlag(FLAGS_roles);
  options.orgs = absl::GetFlag(FLAGS_orgs);
  options.organizations = absl::GetFlag(FLAGS_organizations);
  options.signing_key_file = absl::GetFlag(FLAGS_signing_key_file);
  options.verify_keys_file = absl::GetFlag(FLAGS_verify_keys_file);
}

CliOptions OptionsFromFlags() {
  CliOptions options;
  ConnectionOptionsFromFlags(options);
  ResourceOptionsFromFlags(options);
  VerbOptionsFromFlags(options);
  return options;
}

using Handler = int (*)(const CliOptions& options, const Args& args);

// One verb of the CLI. `usage` is its part of the usage text: it starts a
// line of its own, or, when it starts with "| ", goes on the previous verb's
// line; a "\n" in it continues it on the next line (with its indentation).
struct Command {
  absl::string_view group;  // "plan"
  absl::string_view verb;   // "get"; empty: the group takes no verb (health)
  absl::string_view usage;
  Handler handler;
};

// In the order of the usage text, which is also the order in which an
// unknown verb lists the verbs of its group.
constexpr Command kCommands[] = {
    {"org", "create",
     "org create --org CODE --org_name NAME --org_kind "
     "sao|municipality|pao|special\n"
     "             --province P --district D",
     OrgCreate},
    {"org", "get", "org get CODE", OrgGet},
    {"org", "list", "| org list [--province P]", OrgList},
    {"org", "search", "org search QUERY [--province P]", OrgSearch},
    {"plan", "create", "plan create --org CODE --title TITLE --years 2566-2570",
     PlanCreate},
    {"plan", "import",
     "plan import FILE --org CODE [--validate_only] [--request_id ID]",
     PlanImport},
    {"plan", "get", "plan get PLAN", PlanGet},
    {"plan", "list", "| plan list --org CODE", PlanList},
    {"plan", "approve", "| plan approve PLAN", PlanApprove},
    {"plan", "announce", "| plan announce PLAN", PlanAnnounce},
    {"plan", "projects", "plan projects PLAN [--year 2569]", PlanProjects},
    {"plan", "risks", "| plan risks PLAN [--uncontrolled]", PlanRisks},
    {"plan", "targets", "plan targets PLAN", PlanTargets},
    {"plan", "annual-create",
     "plan annual-create PLAN --year 2569 [--quarters 1,2,3,4]",
     PlanAnnualCreate},
    {"plan", "annual", "plan annual PLAN/annualPlans/2569", PlanAnnual},
    {"plan", "reconcile", "| plan reconcile PLAN/annualPlans/2569",
     PlanReconcile},
    {"plan", "export",
     "plan export PLAN/annualPlans/2569 [--format csv] [--thai_digits]",
     PlanExport},
    {"plan", "measure",
     "plan measure --org CODE --year 2569 --title T [--quarters 1,3]",
     PlanMeasure},
    {"plan", "measures", "plan measures --org CODE [--year 2569]",
     PlanMeasures},
    {"plan", "measures-import",
     "plan measures-import FILE --org CODE --year 2569 [--validate_only]\n"
     "                [--request_id ID]",
     PlanMeasuresImport},
    {"plan", "progress",
     "plan progress SUBJECT --org CODE --year 2569 --round half --status "
     "done\n"
     "                [--output T] [--outcome T] [--spent 5,000.00]",
     PlanProgress},
    {"plan", "progress-import",
     "plan progress-import FILE --org CODE --year 2569 [--round half|full]\n"
     "                [--validate_only] [--request_id ID]",
     PlanProgressImport},
    {"plan", "summary",
     "plan summary PLAN/annualPlans/2569 --round half|full|q1|q3", PlanSummary},
    {"plan", "report",
     "plan report PLAN/annualPlans/2569 --round half [--format csv] "
     "[--thai_digits]",
     PlanReport},
    {"complaint", "create",
     "complaint create --org CODE --kind general|corruption --channel "
     "CHANNEL\n"
     "                   --subject TEXT --description TEXT\n"
     "                   [--category ID] [--complainant_name N "
     "--complainant_contact C]\n"
     "                   [--accused_name N --accused_position P]",
     ComplaintCreate},
    {"complaint", "get", "complaint get NAME", ComplaintGet},
    {"complaint", "list",
     "complaint list --org CODE [--overdue] [--due_within_days N]",
     ComplaintList},
    {"complaint", "transition",
     "complaint transition NAME --to STATE --note WHY [--assignee U]\n"
     "                   [--referred_to A] [--reason R --duplicate_of NAME]\n"
     "                   [--resolution TEXT]",
     ComplaintTransition},
    {"complaint", "reply",
     "complaint reply NAME --text TEXT [--public_reply [--new_due "
     "YYYY-MM-DD]]\n"
     "                   [--template_id ID [--values k=v]] (no --text)",
     ComplaintReply},
    {"complaint", "replies", "complaint replies NAME", ComplaintReplies},
    {"complaint", "identity", "| complaint identity NAME --reason WHY",
     ComplaintIdentity},
    {"complaint", "verify-accesses",
     "complaint verify-accesses --org CODE [--known_head SEQUENCE:HASH]  "
     "(AUDITOR)",
     ComplaintVerifyAccesses},
    {"complaint", "retention",
     "complaint retention --org CODE [--general_days N] [--corruption_days N]"
     "\n                   [--warning_days N]",
     ComplaintRetention},
    {"complaint", "pending-erasures", "complaint pending-erasures --org CODE",
     ComplaintPendingErasures},
    {"complaint", "erasures", "complaint erasures --org CODE",
     ComplaintErasures},
    {"complaint", "erase-contact",
     "complaint erase-contact NAME --reference REF", ComplaintEraseContact},
    {"complaint", "track", "complaint track CODE", ComplaintTrack},
    {"complaint", "add-info", "| add-info CODE --text T", ComplaintAddInfo},
    {"complaint", "rate", "| rate CODE --rating 1-5", ComplaintRate},
    {"complaint", "reopen", "complaint reopen CODE --reason WHY",
     ComplaintReopen},
    {"complaint", "stats",
     "complaint stats --org CODE --year 2569 [--quarter 1] [--public_view]",
     ComplaintStats},
    {"complaint", "categories", "complaint categories --org CODE",
     ComplaintCategories},
    {"complaint", "category",
     "complaint category ID --org CODE --display_name NAME [--sla_days N]",
     ComplaintCategory},
    {"complaint", "export",
     "complaint export --org CODE --year 2569 [--quarter N] [--month N]\n"
     "                   --file register.csv [--reason WHY (officers)]",
     ComplaintExport},
    {"complaint", "template-add",
     "complaint template-add ID --org CODE --display_name N --text T\n"
     "                   [--parameters a,b] [--category ID] [--states S,S]\n"
     "                   [--public_reply]",
     ComplaintTemplateAdd},
    {"complaint", "templates",
     "complaint templates --org CODE [--category ID] [--states STATE]",
     ComplaintTemplates},
    {"complaint", "template-delete", "complaint template-delete ID --org CODE",
     ComplaintTemplateDelete},
    {"ita", "create", "ita create --org CODE --year 2565 [--score 89.20]",
     ItaCreate},
    {"ita", "get", "ita get organizations/CODE/assessments/2565", ItaGet},
    {"ita", "list", "| ita list --org CODE", ItaList},
    {"ita", "publish",
     "ita publish --org CODE --year 2565 --score 89.20 [--grade A]\n"
     "              [--tools IIT=..,EIT=..,OIT=..] [--indicators 1=99.77,...]",
     ItaPublish},
    {"ita", "analyze", "ita analyze NAME", ItaAnalyze},
    {"ita", "recommend", "| ita recommend NAME", ItaRecommend},
    {"ita", "adopt", "| ita adopt NAME", ItaAdopt},
    {"ita", "peers", "ita peers NAME [--group province]", ItaPeers},
    {"ita", "report", "ita report NAME [--format html]", ItaReport},
    {"ita", "frameworks", "| ita frameworks", ItaFrameworks},
    {"ita", "load-framework",
     "ita load-framework FILE.textproto       (SYSTEM; a new version of its "
     "year)",
     ItaLoadFramework},
    {"ita", "migrate",
     "ita migrate NAME [--framework_version 2] [--validate_only]  (SYSTEM; "
     "to a newer\n"
     "              version of its year's framework)",
     ItaMigrate},
    {"ita", "import-results",
     "ita import-results --year 2567 FILE.csv [--validate_only]  (NACC "
     "results)",
     ItaImportResults},
    {"oversight", "standings",
     "oversight standings --year 2568 [--province P [--district D]]\n"
     "              [--org_kind sao] [--order_by \"ita_score desc\"] "
     "[--csv FILE]",
     OversightStandings},
    {"demo", "load",
     "demo load [--seeds ../shared/seeds]   a sample organization, all 3 "
     "services",
     DemoLoad},
    {"health", "", "health [--server HOST:PORT] [--service NAME]", HealthCheck},
    {"keys", "add",
     "keys add --file FILE --name NAME --roles ROLE[,ROLE] [--orgs *|CODE,...]",
     KeysAdd},
    {"accounts", "add",
     "accounts add LOGIN --display_name NAME --roles ROLE[,ROLE]\n"
     "                --organizations *|CODE,...   (prints the one-time "
     "password once)",
     AccountsAdd},
    {"accounts", "list", "accounts list", AccountsList},
    {"accounts", "reset-password", "| accounts reset-password LOGIN",
     AccountsResetPassword},
    {"sessions", "keygen",
     "sessions keygen --signing_key_file FILE --verify_keys_file FILE",
     SessionsKeygen},
};

// The usage text (also the program's --help message), from kCommands.
std::string Usage() {
  std::string usage = "prongsai <command> <verb> [flags]\n";
  for (const Command& command : kCommands) {
    if (absl::StartsWith(command.usage, "| ")) {
      absl::StrAppend(&usage, " ", command.usage);
    } else {
      absl::StrAppend(&usage, "\n  ", command.usage);
    }
  }
  absl::StrAppend(
      &usage,
      "\n\nYears and scores may be written in Thai digits. The API key comes "
      "from\n--api_key or PRONGSAI_API_KEY; the server from --server or "
      "PRONGSAI_SERVER.");
  return usage;
}

// The command of `group` and `verb`; anything else is a usage error, which
// for a known group lists its verbs.
const Command& FindCommand(const std::string& group, const std::string& verb) {
  std::vector<absl::string_view> verbs;
  for (const Command& command : kCommands) {
    if (command.group != group) continue;
    if (command.verb.empty() || command.verb == verb) return command;
    verbs.push_back(command.verb);
  }
  if (verbs.empty())
    UsageError(absl::StrCat("unknown command \"", group, "\""));
  UsageError(absl::StrCat(group, " verbs: ", absl::StrJoin(verbs, ", ")));
}

int Run(const std::vector<std::string>& positional, const CliOptions& options) {
  // positional[0] is the program name.
  if (positional.size() < 2) UsageError("missing command");
  const std::string verb = positional.size() > 2 ? positional[2] : "";
  const Args args(positional.begin() + std::min<size_t>(3, positional.size()),
                  positional.end());
  return FindCommand(positional[1], verb).handler(options, args);
}

// --help lists the flags of this file, as it did when the CLI was one file
// named after the binary (absl's default is <program>.cc).
bool IsCliMain(absl::string_view file) {
  return absl::EndsWith(file, "tools/cli/main.cc");
}

}  // namespace
}  // namespace prongsai::cli

int main(int argc, char** argv) {
  const std::string usage = prongsai::cli::Usage();
  prongsai::cli::SetUsageText(usage);
  absl::SetProgramUsageMessage(usage);
  absl::FlagsUsageConfig config;
  config.contains_help_flags = prongsai::cli::IsCliMain;
  config.contains_helpshort_flags = prongsai::cli::IsCliMain;
  config.contains_helppackage_flags = prongsai::cli::IsCliMain;
  absl::SetFlagsUsageConfig(config);
  std::vector<char*> parsed = absl::ParseCommandLine(argc, argv);
  return prongsai::cli::Run(
      std::vector<std::string>(parsed.begin(), parsed.end()),
      prongsai::cli::OptionsFromFlags());
}
