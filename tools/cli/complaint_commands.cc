#include "tools/cli/complaint_commands.h"

#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/thai/thai.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "tools/cli/table.h"

namespace prongsai::cli {
namespace {

namespace kv1 = ::prongsai::complaint::v1;
using kv1::Complaint;

using ComplaintClient = Client<kv1::ComplaintService>;
using Stub = ComplaintClient::Stub;

constexpr absl::string_view kRespondUsage =
    "complaint rate CODE --rating N | reopen CODE --reason";

// ------------------------------------------------------------- arguments

template <typename Enum>
Enum ParseEnum(const std::string& text, absl::string_view flag,
               bool (*parse)(const std::string&, Enum*)) {
  Enum value;
  if (!parse(absl::AsciiStrToUpper(text), &value) || value == Enum{}) {
    UsageError(absl::StrCat("--", flag, ": unknown value \"", text, "\""));
  }
  return value;
}

kv1::Person Complainant(const CliOptions& options) {
  kv1::Person person;
  person.set_name(options.complainant_name);
  person.set_contact(options.complainant_contact);
  return person;
}

kv1::Person Accused(const CliOptions& options) {
  kv1::Person person;
  person.set_name(options.accused_name);
  person.set_position(options.accused_position);
  return person;
}

// ---------------------------------------------------------------- output

void PrintComplaint(const Complaint& complaint) {
  Fields fields = {{"name", complaint.name()},
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
  PrintFields(fields);
}

void PrintTracked(const kv1::TrackedComplaint& tracked) {
  Fields fields = {{"organization", tracked.organization().code()},
                   {"subject", tracked.subject()},
                   {"state", Complaint::State_Name(tracked.state())},
                   {"received", Time(tracked.receive_time())},
                   {"due", Time(tracked.due_time())},
                   {"overdue", tracked.overdue() ? "yes" : "no"}};
  if (!tracked.resolution().empty()) {
    fields.emplace_back("resolution", tracked.resolution());
  }
  for (const kv1::Reply& reply : tracked.public_replies()) {
    fields.emplace_back(Time(reply.create_time()), reply.text());
  }
  PrintFields(fields);
}

void PrintComplaints(const kv1::ListComplaintsResponse& response) {
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
}

void PrintReplies(const kv1::ListRepliesResponse& response) {
  Table table({"TIME", "VISIBILITY", "ACTOR", "TEXT"});
  for (const kv1::Reply& reply : response.replies()) {
    table.AddRow({Time(reply.create_time()),
                  kv1::Reply::Visibility_Name(reply.visibility()),
                  reply.actor(), reply.text()});
  }
  std::cout << table.Render();
}

void PrintStatistics(const kv1::ComplaintStatistics& s) {
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
    for (const kv1::CountByKey& row : rows) {
      // Hidden rows are not listed at all.
      breakdown.AddRow({std::string(by), row.key(),
                        absl::StrCat(row.received()),
                        absl::StrCat(row.completed())});
    }
  };
  add("kind", s.by_kind());
  add("channel", s.by_channel());
  add("category", s.by_category());
  std::cout << "\n" << breakdown.Render();
  if (!s.notice().empty()) std::cout << s.notice() << "\n";
}

// "organizations/6340101" of a complaint's name.
std::string OrganizationOf(absl::string_view complaint) {
  std::vector<absl::string_view> parts = absl::StrSplit(complaint, '/');
  if (parts.size() < 2) UsageError("NAME must be organizations/CODE/...");
  return absl::StrCat(parts[0], "/", parts[1]);
}

std::vector<Complaint::State> States(const std::string& text) {
  std::vector<Complaint::State> states;
  for (absl::string_view state : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    states.push_back(
        ParseEnum(std::string(state), "states", &Complaint::State_Parse));
  }
  return states;
}

std::string TemplateName(const CliOptions& options, absl::string_view id) {
  return absl::StrCat("organizations/", Require(options.org, "org"),
                      "/replyTemplates/", id);
}

void PrintTemplates(const kv1::ListReplyTemplatesResponse& response) {
  Table table({"NAME", "CATEGORY", "STATES", "VISIBILITY", "TEXT"});
  for (const kv1::ReplyTemplate& reply_template : response.reply_templates()) {
    std::vector<std::string> states;
    for (int state : reply_template.states()) {
      states.push_back(Complaint::State_Name(state));
    }
    table.AddRow({reply_template.name(),
                  reply_template.category().empty() ? "(any)"
                                                    : reply_template.category(),
                  states.empty() ? "(any)" : absl::StrJoin(states, ","),
                  kv1::Reply::Visibility_Name(reply_template.visibility()),
                  reply_template.text()});
  }
  std::cout << table.Render();
  PrintNextPage(response.next_page_token());
}

}  // namespace

// ----------------------------------------------------------------- verbs

int ComplaintCreate(const CliOptions& options, const Args& /*args*/) {
  ComplaintClient client(options, kComplaintPort);
  kv1::CreateComplaintRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_request_id(options.request_id);
  request.set_replay_secret(options.replay_secret);
  Complaint* complaint = request.mutable_complaint();
  *complaint->mutable_organization() = OrganizationFromOptions(options);
  complaint->set_kind(
      ParseEnum(Require(options.kind, "kind"), "kind", &Complaint::Kind_Parse));
  complaint->set_channel(ParseEnum(Require(options.channel, "channel"),
                                   "channel", &Complaint::Channel_Parse));
  complaint->set_subject(Require(options.subject, "subject"));
  complaint->set_description(Require(options.description, "description"));
  if (!options.category.empty()) {
    complaint->set_category(
        absl::StrCat(request.parent(), "/categories/", options.category));
  }
  *complaint->mutable_complainant() = Complainant(options);
  *complaint->mutable_accused() = Accused(options);
  return client.CallAndPrint(&Stub::CreateComplaint, request, PrintComplaint);
}

int ComplaintGet(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::GetComplaintRequest request;
  request.set_name(Argument(args, "complaint get NAME"));
  return client.CallAndPrint(&Stub::GetComplaint, request, PrintComplaint);
}

int ComplaintList(const CliOptions& options, const Args& /*args*/) {
  ComplaintClient client(options, kComplaintPort);
  kv1::ListComplaintsRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  request.set_overdue_only(options.overdue);
  request.set_due_within_days(options.due_within_days);
  return client.CallAndPrint(&Stub::ListComplaints, request, PrintComplaints);
}

int ComplaintTransition(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::TransitionComplaintRequest request;
  request.set_name(Argument(args, "complaint transition NAME --to STATE"));
  request.set_target_state(
      ParseEnum(Require(options.to, "to"), "to", &Complaint::State_Parse));
  request.set_note(Require(options.note, "note"));
  request.set_assignee(options.assignee);
  request.set_referred_to(options.referred_to);
  request.set_duplicate_of(options.duplicate_of);
  request.set_resolution(options.resolution);
  if (request.target_state() == Complaint::REJECTED) {
    request.set_rejection_reason(ParseEnum(Require(options.reason, "reason"),
                                           "reason",
                                           &kv1::RejectionReason_Parse));
  }
  return client.CallAndPrint(&Stub::TransitionComplaint, request,
                             PrintComplaint);
}

int ComplaintReply(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::CreateReplyRequest request;
  request.set_parent(Argument(args, "complaint reply NAME --text TEXT"));
  kv1::Reply* reply = request.mutable_reply();
  if (options.reply_template.empty()) {
    reply->set_text(Require(options.text, "text"));
    reply->set_visibility(options.public_reply ? kv1::Reply::PUBLIC
                                               : kv1::Reply::INTERNAL);
  } else {
    // The service fills the template; its visibility unless told.
    reply->set_reply_template(absl::StrCat(OrganizationOf(request.parent()),
                                           "/replyTemplates/",
                                           options.reply_template));
    if (options.public_reply) reply->set_visibility(kv1::Reply::PUBLIC);
    for (absl::string_view pair :
         absl::StrSplit(options.values, '|', absl::SkipEmpty())) {
      std::pair<std::string, std::string> value =
          absl::StrSplit(pair, absl::MaxSplits('=', 1));
      (*reply->mutable_template_values())[value.first] = value.second;
    }
  }
  if (!options.new_due.empty()) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(thai::ThaiDigitsToAscii(options.new_due), &day)) {
      UsageError("--new_due must be YYYY-MM-DD");
    }
    *reply->mutable_new_due_time() =
        ToTimestamp(absl::FromCivil(day, thai::BangkokTimeZone()));
  }
  return client.CallAndPrint(
      &Stub::CreateReply, request, [](const kv1::Reply& created) {
        PrintFields(
            {{"name", created.name()},
             {"visibility", kv1::Reply::Visibility_Name(created.visibility())},
             {"text", created.text()}});
      });
}

int ComplaintReplies(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::ListRepliesRequest request;
  request.set_parent(Argument(args, "complaint replies NAME"));
  return client.CallAndPrint(&Stub::ListReplies, request, PrintReplies);
}

int ComplaintIdentity(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::GetProtectedIdentityRequest request;
  request.set_name(Argument(args, "complaint identity NAME --reason WHY"));
  request.set_reason(Require(options.reason, "reason"));
  return client.CallAndPrint(
      &Stub::GetProtectedIdentity, request,
      [](const kv1::ProtectedIdentity& identity) {
        PrintFields({{"complainant", identity.complainant().name()},
                     {"contact", identity.complainant().contact()},
                     {"accused", identity.accused().name()},
                     {"position", identity.accused().position()}});
      });
}

int ComplaintVerifyAccesses(const CliOptions& options, const Args& /*args*/) {
  ComplaintClient client(options, kComplaintPort);
  kv1::VerifyIdentityAccessLogRequest request;
  request.set_parent(OrganizationParent(options));
  if (!options.known_head.empty()) {
    std::pair<std::string, std::string> parts =
        absl::StrSplit(options.known_head, absl::MaxSplits(':', 1));
    int64_t sequence;
    if (!absl::SimpleAtoi(parts.first, &sequence)) {
      UsageError("--known_head is SEQUENCE:HASH, as verify-accesses prints it");
    }
    request.mutable_known_head()->set_sequence(sequence);
    request.mutable_known_head()->set_entry_hash(parts.second);
  }
  kv1::IdentityAccessLogVerification verdict;
  grpc::Status status =
      client.Call(&Stub::VerifyIdentityAccessLog, request, &verdict);
  if (!status.ok()) return Fail(status);
  Fields fields = {{"intact", verdict.intact() ? "yes" : "no"},
                   {"entries", absl::StrCat(verdict.entry_count())},
                   {"head", absl::StrCat(verdict.head().sequence(), ":",
                                         verdict.head().entry_hash())}};
  if (!verdict.intact()) {
    fields.push_back({"broken at", absl::StrCat(verdict.broken_at_sequence())});
    fields.push_back({"problem", verdict.problem()});
  }
  PrintFields(fields);
  return verdict.intact() ? 0 : 1;
}

int ComplaintRetention(const CliOptions& options, const Args& /*args*/) {
  ComplaintClient client(options, kComplaintPort);
  kv1::GetRetentionPolicyRequest get;
  get.set_name(absl::StrCat(OrganizationParent(options), "/retentionPolicy"));
  kv1::RetentionPolicy policy;
  grpc::Status status = client.Call(&Stub::GetRetentionPolicy, get, &policy);
  if (!status.ok()) return Fail(status);
  // Only the periods given change; the RPC replaces every field.
  if (options.general_days != 0 || options.corruption_days != 0 ||
      options.warning_days != 0) {
    kv1::UpdateRetentionPolicyRequest update;
    kv1::RetentionPolicy& wanted = *update.mutable_retention_policy();
    wanted = policy;
    wanted.clear_audit();
    if (options.general_days != 0) {
      wanted.set_general_retention_days(options.general_days);
    }
    if (options.corruption_days != 0) {
      wanted.set_corruption_retention_days(options.corruption_days);
    }
    if (options.warning_days != 0)
      wanted.set_warning_days(options.warning_days);
    ComplaintClient updater(options, kComplaintPort);  // a call per client
    status = updater.Call(&Stub::UpdateRetentionPolicy, update, &policy);
    if (!status.ok()) return Fail(status);
  }
  PrintOne(
      options, policy,
      {{"name", policy.name()},
       {"general days", absl::StrCat(policy.general_retention_days())},
       {"corruption days", absl::StrCat(policy.corruption_retention_days())},
       {"warning days", absl::StrCat(policy.warning_days())},
       {"updater", policy.audit().updater()}});
  return 0;
}

int ComplaintPendingErasures(const CliOptions& options, const Args& /*args*/) {
  ComplaintClient client(options, kComplaintPort);
  kv1::ListPendingErasuresRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  return client.CallAndPrint(
      &Stub::ListPendingErasures, request,
      [](const kv1::ListPendingErasuresResponse& response) {
        Table table({"ERASED AT", "ENDED", "KIND", "COMPLAINT"});
        for (const kv1::PendingErasure& pending : response.erasures()) {
          table.AddRow({Time(pending.erase_time()), Time(pending.end_time()),
                        kv1::Complaint::Kind_Name(pending.kind()),
                        pending.complaint()});
        }
        std::cout << table.Render();
        PrintNextPage(response.next_page_token());
      });
}

int ComplaintErasures(const CliOptions& options, const Args& /*args*/) {
  ComplaintClient client(options, kComplaintPort);
  kv1::ListIdentityErasuresRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  return client.CallAndPrint(
      &Stub::ListIdentityErasures, request,
      [](const kv1::ListIdentityErasuresResponse& response) {
        Table table({"ERASED", "REASON", "FIELDS", "BY", "COMPLAINT"});
        for (const kv1::IdentityErasure& erasure : response.erasures()) {
          table.AddRow({Time(erasure.erase_time()),
                        kv1::IdentityErasure::Reason_Name(erasure.reason()),
                        absl::StrJoin(erasure.erased_fields(), ","),
                        erasure.actor(), erasure.complaint()});
        }
        std::cout << table.Render();
        PrintNextPage(response.next_page_token());
      });
}

int ComplaintEraseContact(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::EraseComplainantContactRequest request;
  request.set_name(
      Argument(args, "complaint erase-contact NAME --reference R"));
  request.set_request_reference(Require(options.reference, "reference"));
  return client.CallAndPrint(
      &Stub::EraseComplainantContact, request,
      [](const kv1::IdentityErasure& erasure) {
        PrintFields({{"name", erasure.name()},
                     {"complaint", erasure.complaint()},
                     {"erased", absl::StrJoin(erasure.erased_fields(), ",")},
                     {"at", Time(erasure.erase_time())}});
      });
}

int ComplaintTrack(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::TrackComplaintRequest request;
  request.set_tracking_code(Argument(args, "complaint track CODE"));
  return client.CallAndPrint(&Stub::TrackComplaint, request, PrintTracked);
}

int ComplaintAddInfo(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::AddComplainantInformationRequest request;
  request.set_tracking_code(
      Argument(args, "complaint add-info CODE --text TEXT"));
  request.set_text(Require(options.text, "text"));
  return client.CallAndPrint(&Stub::AddComplainantInformation, request,
                             PrintTracked);
}

int ComplaintRate(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::RespondToResolutionRequest request;
  request.set_tracking_code(Argument(args, kRespondUsage));
  request.set_satisfaction(options.rating);
  return client.CallAndPrint(&Stub::RespondToResolution, request, PrintTracked);
}

int ComplaintReopen(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::RespondToResolutionRequest request;
  request.set_tracking_code(Argument(args, kRespondUsage));
  request.set_reopen_reason(Require(options.reason, "reason"));
  return client.CallAndPrint(&Stub::RespondToResolution, request, PrintTracked);
}

int ComplaintStats(const CliOptions& options, const Args& /*args*/) {
  ComplaintClient client(options, kComplaintPort);
  kv1::GetComplaintStatisticsRequest request;
  request.set_parent(OrganizationParent(options));
  absl::StatusOr<int> year =
      thai::ParseFiscalYear(Require(options.year, "year"), "--year");
  if (!year.ok()) return Fail(year.status());
  request.mutable_fiscal_year()->set_be_year(*year);
  if (!options.quarter.empty()) {
    absl::StatusOr<int64_t> value =
        thai::ParseInteger(options.quarter, "--quarter");
    if (!value.ok()) return Fail(value.status());
    request.set_quarter(static_cast<int32_t>(*value));
  }
  return client.CallAndPrint(options.public_view
                                 ? &Stub::GetPublicComplaintStatistics
                                 : &Stub::GetComplaintStatistics,
                             request, PrintStatistics);
}

// The list of categories is a table even with --json.
int ComplaintCategories(const CliOptions& options, const Args& /*args*/) {
  ComplaintClient client(options, kComplaintPort);
  kv1::ListCategoriesRequest request;
  request.set_parent(OrganizationParent(options));
  kv1::ListCategoriesResponse response;
  grpc::Status status = client.Call(&Stub::ListCategories, request, &response);
  if (!status.ok()) return Fail(status);
  Table table({"NAME", "SLA DAYS", "DISPLAY NAME"});
  for (const kv1::Category& category : response.categories()) {
    table.AddRow({category.name(), absl::StrCat(category.sla_days()),
                  category.display_name()});
  }
  std::cout << table.Render();
  return 0;
}

int ComplaintCategory(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  const std::string id =
      Argument(args, "complaint category ID --org CODE --display_name N");
  kv1::UpsertCategoryRequest request;
  kv1::Category* category = request.mutable_category();
  category->set_name(absl::StrCat("organizations/", Require(options.org, "org"),
                                  "/categories/", id));
  category->set_display_name(Require(options.display_name, "display_name"));
  category->set_sla_days(options.sla_days);
  return client.CallAndPrint(
      &Stub::UpsertCategory, request, [](const kv1::Category& upserted) {
        PrintFields({{"name", upserted.name()},
                     {"display name", upserted.display_name()},
                     {"sla days", absl::StrCat(upserted.sla_days())}});
      });
}

// Writes the register to --file: it holds personal data for officers, so it
// is never printed to the terminal.
int ComplaintExport(const CliOptions& options, const Args& /*args*/) {
  ComplaintClient client(options, kComplaintPort);
  kv1::ExportComplaintsRequest request;
  request.set_parent(OrganizationParent(options));
  absl::StatusOr<int> year =
      thai::ParseFiscalYear(Require(options.year, "year"), "--year");
  if (!year.ok()) return Fail(year.status());
  request.mutable_fiscal_year()->set_be_year(*year);
  for (const auto& [text, flag, setter] :
       {std::tuple{options.quarter, "--quarter",
                   &kv1::ExportComplaintsRequest::set_quarter},
        std::tuple{options.month, "--month",
                   &kv1::ExportComplaintsRequest::set_month}}) {
    if (text.empty()) continue;
    absl::StatusOr<int64_t> value = thai::ParseInteger(text, flag);
    if (!value.ok()) return Fail(value.status());
    (request.*setter)(static_cast<int32_t>(*value));
  }
  request.set_reason(options.reason);
  const std::string file = Require(options.file, "file");
  kv1::ExportedDocument document;
  grpc::Status status =
      client.Call(&Stub::ExportComplaints, request, &document);
  if (!status.ok()) return Fail(status);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << document.content();
  out.close();
  if (!out) {
    std::cerr << "cannot write " << file << "\n";
    return 1;
  }
  std::cout << "wrote " << file << " (" << document.content().size()
            << " bytes, " << document.content_type() << ")\n";
  return 0;
}

int ComplaintTemplateAdd(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  const std::string id = Argument(
      args, "complaint template-add ID --org CODE --display_name N --text T");
  kv1::UpsertReplyTemplateRequest request;
  kv1::ReplyTemplate* reply_template = request.mutable_reply_template();
  reply_template->set_name(TemplateName(options, id));
  reply_template->set_display_name(
      Require(options.display_name, "display_name"));
  reply_template->set_text(Require(options.text, "text"));
  for (absl::string_view parameter :
       absl::StrSplit(options.parameters, ',', absl::SkipEmpty())) {
    reply_template->add_parameters(std::string(parameter));
  }
  if (!options.category.empty()) {
    reply_template->set_category(absl::StrCat(
        OrganizationParent(options), "/categories/", options.category));
  }
  for (Complaint::State state : States(options.states)) {
    reply_template->add_states(state);
  }
  reply_template->set_visibility(options.public_reply ? kv1::Reply::PUBLIC
                                                      : kv1::Reply::INTERNAL);
  return client.CallAndPrint(
      &Stub::UpsertReplyTemplate, request,
      [](const kv1::ReplyTemplate& upserted) {
        PrintFields({{"name", upserted.name()},
                     {"display name", upserted.display_name()},
                     {"text", upserted.text()}});
      });
}

int ComplaintTemplates(const CliOptions& options, const Args& /*args*/) {
  ComplaintClient client(options, kComplaintPort);
  kv1::ListReplyTemplatesRequest request;
  request.set_parent(OrganizationParent(options));
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  if (!options.category.empty()) {
    request.set_category(
        absl::StrCat(request.parent(), "/categories/", options.category));
  }
  std::vector<Complaint::State> states = States(options.states);
  if (states.size() > 1) UsageError("--states: one state to list by");
  if (!states.empty()) request.set_state(states.front());
  return client.CallAndPrint(&Stub::ListReplyTemplates, request,
                             PrintTemplates);
}

int ComplaintTemplateDelete(const CliOptions& options, const Args& args) {
  ComplaintClient client(options, kComplaintPort);
  kv1::DeleteReplyTemplateRequest request;
  request.set_name(TemplateName(
      options, Argument(args, "complaint template-delete ID --org CODE")));
  return client.CallAndPrint(
      &Stub::DeleteReplyTemplate, request, [&request](const auto& /*deleted*/) {
        std::cout << "deleted " << request.name() << "\n";
      });
}

}  // namespace prongsai::cli
