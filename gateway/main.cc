// prongsai-gateway: HTTP/JSON (and Open311) in front of the three services.
// Wiring only: flags, the descriptors, the channels, the server.
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/flag_environment.h"
#include "common/base/log.h"
#include "common/metrics/metrics.h"
#include "common/rpc/grpc_log.h"
#include "common/rpc/tls.h"
#include "common/server/client_address.h"
#include "gateway/api_routes.h"
#include "gateway/backends.h"
#include "gateway/gateway_handler.h"
#include "gateway/gateway_server.h"
#include "gateway/open311.h"
#include "gateway/openapi.h"
#include "gateway/transcode.h"
#include "gateway/web_files.h"
#include "gateway/web_session.h"
#include "grpcpp/grpcpp.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:8080", "host:port to serve HTTP on");
ABSL_FLAG(std::string, log_format, "text",
          "log lines as `text` (time level event key=value) or `json` (one "
          "JSON object per line)");
ABSL_FLAG(int, log_ok_every, 1,
          "log one in N successful calls (errors are always logged); 1 logs "
          "every call");
ABSL_FLAG(std::string, metrics_address, "",
          "host:port serving Prometheus metrics at /metrics (e.g. "
          "127.0.0.1:9468); empty serves none");
ABSL_FLAG(std::string, plan_address, "127.0.0.1:50051",
          "the plan service, host:port");
ABSL_FLAG(std::string, complaint_address, "127.0.0.1:50052",
          "the complaint service, host:port");
ABSL_FLAG(std::string, ita_address, "127.0.0.1:50053",
          "the ITA service, host:port");
ABSL_FLAG(std::string, backend_ca, "",
          "PEM roots to verify the services' TLS certificates; empty talks "
          "to them without TLS");
ABSL_FLAG(std::string, backend_tls_cert, "",
          "PEM client certificate the gateway presents to the services "
          "(mutual TLS; with --backend_tls_key)");
ABSL_FLAG(std::string, backend_tls_key, "",
          "PEM private key of --backend_tls_cert");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain; serves HTTPS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key; serves HTTPS");
ABSL_FLAG(std::string, trusted_proxies, "",
          "comma-separated addresses or CIDR networks of proxies whose "
          "X-Forwarded-For names the client");
ABSL_FLAG(int, max_body_bytes, 8 << 20, "the largest request body");
ABSL_FLAG(int, max_header_bytes, 16 << 10, "the most header bytes");
ABSL_FLAG(absl::Duration, default_timeout, absl::Seconds(10),
          "a call's deadline when the caller sends no grpc-timeout");
ABSL_FLAG(absl::Duration, max_timeout, absl::Seconds(60),
          "the longest grpc-timeout a caller may ask for");
ABSL_FLAG(absl::Duration, read_timeout, absl::Seconds(10),
          "how long reading one request may take");
ABSL_FLAG(absl::Duration, keep_alive_timeout, absl::Seconds(5),
          "close an idle keep-alive connection after this long");
ABSL_FLAG(int, threads, 16, "HTTP worker threads");
ABSL_FLAG(bool, secure_cookies, false,
          "mark the staff session cookies Secure: set when a proxy in front "
          "serves the pages over HTTPS (with --tls_cert they always are)");
ABSL_FLAG(std::string, open311_lookup_api_key_file, "",
          "file whose first line is the gateway's own key for Open311's "
          "public lookups (an AUDITOR key for all organizations); empty "
          "turns Open311 lookups off");
ABSL_FLAG(std::string, open311_endpoint_url, "/open311/v2",
          "the Open311 endpoint's public URL, for discovery");
ABSL_FLAG(std::string, open311_contact, "",
          "how to reach the operators, for Open311 discovery");
ABSL_FLAG(std::string, web_root, "",
          "directory of the built web application (with index.html) to serve "
          "at every path outside the API; empty serves no pages");
ABSL_FLAG(int, backend_connections, 4,
          "connections to each service; the HTTP threads share them");

namespace prongsai::gateway {
namespace {

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> BackendCredentials() {
  return rpc::ChannelTlsCredentials(
      {.cert_path = absl::GetFlag(FLAGS_backend_tls_cert),
       .key_path = absl::GetFlag(FLAGS_backend_tls_key),
       .ca_path = absl::GetFlag(FLAGS_backend_ca)});
}

int Fail(absl::string_view what, const absl::Status& status) {
  log::Error("gateway_not_started", {{"what", std::string(what)},
                                     {"error", std::string(status.message())}});
  return 2;
}

int Run() {
  absl::StatusOr<std::unique_ptr<google::protobuf::DescriptorPool>> pool =
      LoadApiDescriptors();
  if (!pool.ok()) return Fail("descriptors", pool.status());
  absl::StatusOr<ApiRoutes> routes = ApiRoutes::FromPool(**pool);
  if (!routes.ok()) return Fail("routes", routes.status());
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      BackendCredentials();
  if (!credentials.ok()) return Fail("backend_ca", credentials.status());
  // Each channel its own connection (a local subchannel pool), so that the
  // HTTP threads spread over several.
  const int connections = absl::GetFlag(FLAGS_backend_connections);
  auto connect = [&](const std::string& address) {
    std::vector<std::shared_ptr<grpc::Channel>> channels;
    for (int i = 0; i < connections; ++i) {
      grpc::ChannelArguments arguments;
      arguments.SetMaxReceiveMessageSize(64 << 20);
      arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      channels.push_back(
          grpc::CreateCustomChannel(address, *credentials, arguments));
    }
    return channels;
  };
  // The plan binary serves the AccountService and the OversightService too,
  // on the same channels.
  std::vector<std::shared_ptr<grpc::Channel>> plan_channels =
      connect(absl::GetFlag(FLAGS_plan_address));
  Backends backends({{"prongsai.plan.v1.PlanService", plan_channels},
                     {"prongsai.plan.v1.AccountService", plan_channels},
                     {"prongsai.plan.v1.OversightService", plan_channels},
                     {"prongsai.complaint.v1.ComplaintService",
                      connect(absl::GetFlag(FLAGS_complaint_address))},
                     {"prongsai.ita.v1.AssessmentService",
                      connect(absl::GetFlag(FLAGS_ita_address))}});
  Transcoder transcoder(pool->get());

  HandlerOptions handler_options;
  handler_options.default_timeout = absl::GetFlag(FLAGS_default_timeout);
  handler_options.max_timeout = absl::GetFlag(FLAGS_max_timeout);
  Open311Options open311_options;
  if (const std::string key_file =
          absl::GetFlag(FLAGS_open311_lookup_api_key_file);
      !key_file.empty()) {
    std::ifstream in(key_file);
    std::getline(in, open311_options.lookup_api_key);
    if (!in && open311_options.lookup_api_key.empty()) {
      return Fail("open311_lookup_api_key_file",
                  absl::FailedPreconditionError(
                      "open311_lookup_api_key_file: cannot be read"));
    }
  }
  open311_options.endpoint_url = absl::GetFlag(FLAGS_open311_endpoint_url);
  open311_options.contact = absl::GetFlag(FLAGS_open311_contact);
  open311_options.call_timeout = absl::GetFlag(FLAGS_default_timeout);
  Open311 open311(backends, std::move(open311_options));
  std::optional<WebFiles> web_files;
  if (const std::string web_root = absl::GetFlag(FLAGS_web_root);
      !web_root.empty()) {
    absl::StatusOr<WebFiles> opened = WebFiles::Open(web_root);
    if (!opened.ok()) return Fail("web_root", opened.status());
    web_files = *std::move(opened);
  }
  // Staff sign in on the pages; over HTTPS (here or at a proxy in front)
  // their cookies are Secure.
  const WebSessions sessions(
      backends, {.secure_cookies = absl::GetFlag(FLAGS_secure_cookies) ||
                                   !absl::GetFlag(FLAGS_tls_cert).empty()});
  GatewayHandler handler(
      handler_options, &*routes, &transcoder, &backends,
      OpenApiDocument(*routes),
      [&open311](const HttpRequest& request, absl::string_view subpath) {
        return open311.Handle(request, subpath);
      },
      web_files.has_value() ? &*web_files : nullptr, &sessions);

  ServerOptions options;
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &options.port)) {
    return Fail("listen", absl::InvalidArgumentError(
                              "listen: must be host:port, e.g. 0.0.0.0:8080"));
  }
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  options.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key = absl::GetFlag(FLAGS_tls_key);
  options.max_body_bytes = absl::GetFlag(FLAGS_max_body_bytes);
  options.max_header_bytes = absl::GetFlag(FLAGS_max_header_bytes);
  options.read_timeout = absl::GetFlag(FLAGS_read_timeout);
  options.keep_alive_timeout = absl::GetFlag(FLAGS_keep_alive_timeout);
  options.threads = absl::GetFlag(FLAGS_threads);
  absl::StatusOr<server::TrustedProxies> proxies =
      server::TrustedProxies::Parse(absl::GetFlag(FLAGS_trusted_proxies));
  if (!proxies.ok()) return Fail("trusted_proxies", proxies.status());
  options.trusted_proxies = *std::move(proxies);

  std::unique_ptr<metrics::Endpoint> metrics_endpoint;
  if (const std::string address = absl::GetFlag(FLAGS_metrics_address);
      !address.empty()) {
    absl::StatusOr<std::unique_ptr<metrics::Endpoint>> endpoint =
        metrics::Endpoint::Start(address);
    if (!endpoint.ok()) return Fail("metrics_address", endpoint.status());
    metrics_endpoint = *std::move(endpoint);
    log::Info("metrics_listening",
              {{"port", absl::StrCat(metrics_endpoint->port())}});
  }
  GatewayServer server(options, &handler);
  if (absl::Status bound = server.Bind(); !bound.ok()) {
    return Fail("listen", bound);
  }
  log::Info("listening",
            {{"service", "gateway"},
             {"address", absl::StrCat(options.host, ":", server.port())},
             {"routes", absl::StrCat(routes->routes().size())},
             {"web_root", web_files.has_value() ? web_files->root() : ""}});
  // SIGTERM/SIGINT stop the server; a thread waits for them so the handler
  // does no work in signal context.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread stopper([&server, signals] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    server.Stop();
  });
  stopper.detach();
  server.Serve();
  log::Info("stopped", {{"service", "gateway"}});
  return 0;
}

}  // namespace
}  // namespace prongsai::gateway

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "The Prongsai HTTP/JSON and Open311 gateway in front of the plan, "
      "complaint and ITA services. Every flag also reads PRONGSAI_<FLAG>.");
  const std::vector<std::string> flags = {"listen",
                                          "plan_address",
                                          "complaint_address",
                                          "ita_address",
                                          "backend_ca",
                                          "backend_tls_cert",
                                          "backend_tls_key",
                                          "tls_cert",
                                          "tls_key",
                                          "trusted_proxies",
                                          "max_body_bytes",
                                          "max_header_bytes",
                                          "default_timeout",
                                          "max_timeout",
                                          "read_timeout",
                                          "keep_alive_timeout",
                                          "threads",
                                          "backend_connections",
                                          "open311_lookup_api_key_file",
                                          "open311_endpoint_url",
                                          "open311_contact",
                                          "web_root",
                                          "metrics_address",
                                          "log_format",
                                          "log_ok_every"};
  if (absl::Status status = prongsai::ApplyFlagEnvironment("PRONGSAI_", flags);
      !status.ok()) {
    prongsai::log::Error("bad_environment",
                         {{"error", std::string(status.message())}});
    return 2;
  }
  absl::ParseCommandLine(argc, argv);
  // Debian's absl is built with its mutex deadlock detector on; the gateway
  // takes a mutex or two per request, and the detector's bookkeeping
  // showed in its profile.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (absl::Status logging = prongsai::log::Configure(
          absl::GetFlag(FLAGS_log_format), absl::GetFlag(FLAGS_log_ok_every));
      !logging.ok()) {
    prongsai::log::Error("bad_flags",
                         {{"reason", std::string(logging.message())}});
    return 2;
  }
  prongsai::rpc::RouteGrpcLogsHere();
  return prongsai::gateway::Run();
}
