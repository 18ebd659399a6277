// What every verb of the `prongsai` CLI shares: the options its flags were
// parsed into, the connection and the per-call context (deadline, API key),
// failing with exit code 1 or 2, and printing a response as a table, as
// "field  value" lines or as protobuf JSON (--json).
//
//   int PlanGet(const CliOptions& options, const Args& args) {
//     Client<pv1::PlanService> client(options, kPlanPort);
//     pv1::GetActionPlanRequest request;
//     request.set_name(Argument(args, "plan get PLAN"));
//     return client.CallAndPrint(&pv1::PlanService::Stub::GetActionPlan,
//                                request, PrintPlan);
//   }
#ifndef PRONGSAI_TOOLS_CLI_CLI_COMMON_H_
#define PRONGSAI_TOOLS_CLI_CLI_COMMON_H_

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/rpc/tls.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "grpcpp/grpcpp.h"
#include "prongsai/common/v1/common.pb.h"

namespace prongsai::cli {

// Default ports of the services, used when no --server is given.
inline constexpr int kPlanPort = 50051;
inline constexpr int kComplaintPort = 50052;
inline constexpr int kItaPort = 50053;

// The flags of the command line (defined in main.cc only), one field each
// under the flag's name; main.cc documents what each means.
struct CliOptions {
  // Connection and output.
  std::string server;
  std::string api_key;
  bool json = false;
  absl::Duration timeout = absl::Seconds(10);
  bool tls = false;
  rpc::TlsFiles tls_files;
  // Resource fields.
  std::string org;
  std::string org_name;
  std::string province;
  std::string district;
  std::string title;
  std::string years;
  std::string year;
  std::string score;
  std::string kind;
  std::string channel;
  std::string subject;
  std::string description;
  std::string request_id;
  std::string replay_secret;
  std::string category;
  std::string complainant_name;
  std::string complainant_contact;
  std::string accused_name;
  std::string accused_position;
  std::string to;
  std::string note;
  std::string assignee;
  std::string referred_to;
  std::string reason;
  std::string duplicate_of;
  std::string resolution;
  std::string text;
  bool public_reply = false;
  std::string new_due;
  int rating = 0;
  bool overdue = false;
  int due_within_days = 0;
  std::string quarter;
  std::string month;
  std::string reply_template;
  std::string values;
  std::string parameters;
  std::string states;
  bool public_view = false;
  std::string display_name;
  int sla_days = 0;
  int general_days = 0;
  int corruption_days = 0;
  int warning_days = 0;
  std::string reference;
  int page_size = 0;
  std::string page_token;
  std::string service;
  std::string grade;
  std::string indicators;
  std::string tools;
  std::string seeds;
  std::string plan_server;
  std::string complaint_server;
  std::string ita_server;
  std::string group;
  std::string org_kind;
  bool validate_only = false;
  int framework_version = 0;
  std::string known_head;
  std::string round;
  std::string format;
  bool thai_digits = false;
  std::string quarters;
  std::string status;
  std::string output;
  std::string outcome;
  std::string spent;
  bool uncontrolled = false;
  // oversight standings.
  std::string order_by;
  std::string csv;
  // keys add.
  std::string file;
  std::string name;
  std::string roles;
  std::string orgs;
  // accounts add, sessions keygen.
  std::string organizations;
  std::string signing_key_file;
  std::string verify_keys_file;
};

// The words after `prongsai <group> <verb>`.
using Args = std::vector<std::string>;
// "field  value" rows of one message.
using Fields = std::vector<std::pair<std::string, std::string>>;

// ------------------------------------------------------------ usage, exit

// The usage text that UsageError prints; main.cc sets it from its command
// table before anything can fail.
void SetUsageText(std::string text);

// Bad usage ends the program with exit code 2, `message` and the usage text.
[[noreturn]] void UsageError(absl::string_view message);

// A failed call: one "error: CODE: message" line on stderr; returns 1.
int Fail(const absl::Status& status);
int Fail(const grpc::Status& status);

// Protobuf JSON with the proto field names, indented.
std::string Json(const google::protobuf::Message& message);

// ----------------------------------------------------------- connection

// The channel to --server, else PRONGSAI_SERVER, else 127.0.0.1:default_port.
std::shared_ptr<grpc::Channel> Connect(const CliOptions& options,
                                       int default_port);

// Sets the deadline (--timeout) and the API key (--api_key, else
// PRONGSAI_API_KEY) of one call. A key that cannot go into a header is a
// usage error that never shows the key.
void Prepare(const CliOptions& options, grpc::ClientContext& context);

// The stub of `Service` and the prepared context of the one call a verb
// makes, in the order the CLI has always set them up (stub, then context).
template <typename Service>
class Client {
 public:
  using Stub = typename Service::Stub;
  template <typename Request, typename Response>
  using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&,
                                        Response*);

  Client(const CliOptions& options, int default_port)
      : options_(options),
        stub_(Service::NewStub(Connect(options, default_port))) {
    Prepare(options, context_);
  }

  template <typename Request, typename Response>
  grpc::Status Call(Method<Request, Response> method, const Request& request,
                    Response* response) {
    return (stub_.get()->*method)(&context_, request, response);
  }

  // Calls `method` and prints the response as JSON with --json, else with
  // `print(response)`. Returns the exit code.
  template <typename Request, typename Response, typename Print>
  int CallAndPrint(Method<Request, Response> method, const Request& request,
                   Print print) {
    Response response;
    const grpc::Status status = Call(method, request, &response);
    if (!status.ok()) return Fail(status);
    if (options_.json) {
      std::cout << Json(response);
    } else {
      print(response);
    }
    return 0;
  }

 private:
  const CliOptions& options_;
  std::unique_ptr<Stub> stub_;
  grpc::ClientContext context_;
};

// --------------------------------------------------------------- output

// Prints aligned "FIELD  VALUE" rows.
void PrintFields(const Fields& fields);

// Prints `message` as JSON with --json, else as PrintFields(fields).
void PrintOne(const CliOptions& options,
              const google::protobuf::Message& message, const Fields& fields);

// The hint to the next page of a list, when there is one.
void PrintNextPage(const std::string& token);

// "2026-01-31 14:05" in Bangkok time; "-" for an unset timestamp.
std::string Time(const google::protobuf::Timestamp& timestamp);
google::protobuf::Timestamp ToTimestamp(absl::Time time);

// An absent figure (none to compute it from, or hidden in a public variant)
// reads "-", never "0".
std::string CountOrDash(bool present, int64_t value);
std::string FigureOrDash(bool present, double value);   // "%.1f"
std::string PercentOrDash(bool present, double value);  // "%.1f%%"

// ------------------------------------------------------------ arguments

// `value` of the flag --`name`, which must be given (else a usage error).
std::string Require(const std::string& value, absl::string_view name);

// The first word after the verb; without one, a usage error showing `usage`.
std::string Argument(const Args& args, absl::string_view usage);

// "organizations/CODE" of the required --org.
std::string OrganizationParent(const CliOptions& options);

// The name, province and district of --org_name, --province, --district.
common::v1::OrganizationRef OrganizationFromOptions(const CliOptions& options);

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_CLI_COMMON_H_
