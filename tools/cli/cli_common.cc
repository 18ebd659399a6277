#include "tools/cli/cli_common.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/rpc/grpc_status.h"
#include "common/thai/thai.h"
#include "google/protobuf/util/json_util.h"
#include "tools/cli/table.h"

namespace prongsai::cli {
namespace {

std::string& UsageText() {
  static auto* text = new std::string();
  return *text;
}

std::string EnvOr(const char* name, const std::string& value) {
  if (!value.empty()) return value;
  const char* env = std::getenv(name);
  return env == nullptr ? "" : env;
}

// The API key without the whitespace around it (a key read from a file or
// pasted often ends in CR/LF). A key with anything but visible ASCII left in
// it cannot go into a header, and gRPC would abort printing it: such a key
// is a usage error that never shows the key.
std::string ApiKey(const CliOptions& options) {
  std::string key(
      absl::StripAsciiWhitespace(EnvOr("PRONGSAI_API_KEY", options.api_key)));
  for (char c : key) {
    if (c <= ' ' || c > '~') {
      UsageError(
          "the API key (--api_key or PRONGSAI_API_KEY) holds a character no "
          "key has (space, control or non-ASCII)");
    }
  }
  return key;
}

}  // namespace

void SetUsageText(std::string text) { UsageText() = std::move(text); }

void UsageError(absl::string_view message) {
  std::cerr << "usage error: " << message << "\n\n" << UsageText() << "\n";
  std::exit(2);
}

int Fail(const absl::Status& status) {
  std::cerr << "error: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  return 1;
}

int Fail(const grpc::Status& status) { return Fail(FromGrpcStatus(status)); }

std::shared_ptr<grpc::Channel> Connect(const CliOptions& options,
                                       int default_port) {
  std::string target = EnvOr("PRONGSAI_SERVER", options.server);
  if (target.empty()) target = absl::StrCat("127.0.0.1:", default_port);
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      rpc::ChannelTlsCredentials(options.tls_files, options.tls);
  if (!credentials.ok()) UsageError(credentials.status().message());
  return grpc::CreateChannel(target, *std::move(credentials));
}

void Prepare(const CliOptions& options, grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  const std::string key = ApiKey(options);
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

void PrintFields(const Fields& fields) {
  Table table({"FIELD", "VALUE"});
  for (const auto& [field, value] : fields) table.AddRow({field, value});
  std::cout << table.Render();
}

void PrintOne(const CliOptions& options,
              const google::protobuf::Message& message, const Fields& fields) {
  if (options.json) {
    std::cout << Json(message);
    return;
  }
  PrintFields(fields);
}

void PrintNextPage(const std::string& token) {
  if (!token.empty()) std::cout << "next page: --page_token=" << token << "\n";
}

std::string Time(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M",
                          absl::FromUnixSeconds(timestamp.seconds()),
                          thai::BangkokTimeZone());
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

std::string CountOrDash(bool present, int64_t value) {
  return present ? absl::StrCat(value) : "-";
}

std::string FigureOrDash(bool present, double value) {
  return present ? absl::StrFormat("%.1f", value) : "-";
}

std::string PercentOrDash(bool present, double value) {
  return present ? absl::StrFormat("%.1f%%", value) : "-";
}

std::string Require(const std::string& value, absl::string_view name) {
  if (value.empty()) UsageError(absl::StrCat("--", name, " is required"));
  return value;
}

std::string Argument(const Args& args, absl::string_view usage) {
  if (args.empty()) UsageError(usage);
  return args[0];
}

std::string OrganizationParent(const CliOptions& options) {
  return absl::StrCat("organizations/", Require(options.org, "org"));
}

common::v1::OrganizationRef OrganizationFromOptions(const CliOptions& options) {
  common::v1::OrganizationRef ref;
  ref.set_name(options.org_name);
  ref.set_province(options.province);
  ref.set_district(options.district);
  return ref;
}

}  // namespace prongsai::cli
