// prongsai-probe: the health check of a Prongsai service container. Calls
// grpc.health.v1.Health/Check once and exits 0 only when the answer is
// SERVING; anything else (not serving, unknown service, refused connection,
// deadline, bad flags) exits 1 with one line on stderr. It never exits 2,
// which Docker reserves in health checks.
//
//   prongsai-probe                    # 127.0.0.1:50051, the whole server
//   prongsai-probe --address 127.0.0.1:50052
//       --service prongsai.complaint.v1.ComplaintService
//   prongsai-probe --address 127.0.0.1:50053 --timeout 2s --tls
//       --tls_ca /run/secrets/ca.pem --tls_server_name ita.example.go.th
//   prongsai-probe --address 127.0.0.1:50053 --tls_ca ca.pem
//       --tls_cert ita.pem --tls_key ita.key --tls_server_name ita
//
// Every flag also reads PRONGSAI_PROBE_<FLAG> from the environment (the
// command line wins), e.g. PRONGSAI_PROBE_ADDRESS=127.0.0.1:50052.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/base/flag_environment.h"
#include "common/rpc/tls.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/support/log.h"
#include "grpcpp/grpcpp.h"
#include "httplib.h"

ABSL_FLAG(std::string, address, "127.0.0.1:50051",
          "host:port of the service to probe");
ABSL_FLAG(std::string, service, "",
          "service name to ask about, e.g. prongsai.plan.v1.PlanService; "
          "empty asks about the server as a whole");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(2),
          "deadline of the call, connection included");
ABSL_FLAG(bool, tls, false, "connect with TLS");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the roots to trust (turns TLS on; default with --tls: "
          "the system's)");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM client certificate, for a service that requires one (mutual "
          "TLS; with --tls_key)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_server_name, "",
          "with --tls: the name the certificate must carry, when it is not "
          "the host of --address (e.g. probing 127.0.0.1)");
ABSL_FLAG(std::string, http_path, "",
          "probe an HTTP server instead (the gateway): GET this path at "
          "--address, healthy on status 200, e.g. /healthz");

namespace {

constexpr char kUsage[] =
    "prongsai-probe [--address 127.0.0.1:50051] [--service NAME] "
    "[--timeout 2s] [--tls [--tls_ca PEM] [--tls_server_name NAME]\n"
    "    [--tls_cert PEM --tls_key PEM]] "
    "[--http_path /healthz]\n\n"
    "Calls grpc.health.v1.Health/Check (or, with --http_path, GETs that "
    "path); exits 0 when SERVING (HTTP 200), else 1 with one line on "
    "stderr. Every flag also reads PRONGSAI_PROBE_<FLAG>.";

constexpr const char* kFlagNames[] = {
    "address",  "service", "timeout",         "tls",      "tls_ca",
    "tls_cert", "tls_key", "tls_server_name", "http_path"};

[[noreturn]] void Unhealthy(const std::string& reason) {
  std::cerr << "prongsai-probe: " << reason << "\n";
  std::exit(1);
}

// PRONGSAI_PROBE_<FLAG> first, so that the command line overrides it.
// gRPC's own log lines (e.g. a failed TLS handshake) would break the one-line
// contract; the reason is in the call's status anyway.
void DropGrpcLog(gpr_log_func_args* /*args*/) {}

void ApplyEnvironmentFallbacks() {
  const std::vector<std::string> names(std::begin(kFlagNames),
                                       std::end(kFlagNames));
  if (absl::Status status =
          prongsai::ApplyFlagEnvironment("PRONGSAI_PROBE_", names);
      !status.ok()) {
    Unhealthy(absl::StrCat("bad ", status.message()));
  }
}

std::shared_ptr<grpc::ChannelCredentials> Credentials() {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      prongsai::rpc::ChannelTlsCredentials(
          {.cert_path = absl::GetFlag(FLAGS_tls_cert),
           .key_path = absl::GetFlag(FLAGS_tls_key),
           .ca_path = absl::GetFlag(FLAGS_tls_ca)},
          absl::GetFlag(FLAGS_tls));
  if (!credentials.ok()) Unhealthy(std::string(credentials.status().message()));
  return *std::move(credentials);
}

// GET `path` at `address` over plain HTTP (or HTTPS with --tls); returns
// only on status 200.
void ProbeHttp(const std::string& address, const std::string& path,
               absl::Duration timeout) {
  const std::string scheme = absl::GetFlag(FLAGS_tls) ? "https://" : "http://";
  httplib::Client client(absl::StrCat(scheme, address));
  if (const std::string ca = absl::GetFlag(FLAGS_tls_ca); !ca.empty()) {
    client.set_ca_cert_path(ca.c_str());
  }
  const auto seconds = absl::ToChronoMilliseconds(timeout);
  client.set_connection_timeout(seconds);
  client.set_read_timeout(seconds);
  client.set_write_timeout(seconds);
  httplib::Result result = client.Get(path);
  if (!result) {
    Unhealthy(
        absl::StrCat(address, path, ": ", httplib::to_string(result.error())));
  }
  if (result->status != 200) {
    Unhealthy(absl::StrCat(address, path, ": HTTP ", result->status));
  }
}

}  // namespace

int main(int argc, char** argv) {
  gpr_set_log_function(DropGrpcLog);
  absl::SetProgramUsageMessage(kUsage);
  ApplyEnvironmentFallbacks();
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    Unhealthy(absl::StrCat("unexpected argument \"", positional[1], "\""));
  }
  const std::string address = absl::GetFlag(FLAGS_address);
  const absl::Duration timeout = absl::GetFlag(FLAGS_timeout);
  if (address.empty()) Unhealthy("--address is empty");
  if (timeout <= absl::ZeroDuration()) Unhealthy("--timeout must be positive");

  if (const std::string path = absl::GetFlag(FLAGS_http_path); !path.empty()) {
    ProbeHttp(address, path, timeout);
    return 0;
  }

  grpc::ChannelArguments arguments;
  if (const std::string name = absl::GetFlag(FLAGS_tls_server_name);
      !name.empty()) {
    arguments.SetSslTargetNameOverride(name);
  }
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateCustomChannel(address, Credentials(), arguments));
  grpc::ClientContext context;
  // No wait_for_ready: a refused connection fails at once, with its reason.
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(absl::GetFlag(FLAGS_service));
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);

  const std::string what = request.service().empty()
                               ? address
                               : absl::StrCat(address, " ", request.service());
  if (!status.ok()) {
    // gRPC's codes are absl's codes.
    std::string name = absl::StatusCodeToString(
        static_cast<absl::StatusCode>(status.error_code()));
    if (name.empty()) name = absl::StrCat("code ", status.error_code());
    std::string message = status.error_message();
    // One line, whatever the transport said.
    for (char& c : message) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    Unhealthy(
        absl::StrCat(what, ": ", name, message.empty() ? "" : ": ", message));
  }
  if (response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    Unhealthy(
        absl::StrCat(what, ": ",
                     grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                         response.status())));
  }
  return 0;
}
