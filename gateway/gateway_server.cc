#include "gateway/gateway_server.h"

#include <chrono>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/log.h"
#include "common/base/trace.h"
#include "common/metrics/metrics.h"
#include "httplib.h"

namespace prongsai::gateway {
namespace {

// The peer as gRPC spells it, which is what ClientOf reads.
std::string PeerText(const httplib::Request& request) {
  const bool v6 = request.remote_addr.find(':') != std::string::npos;
  return v6 ? absl::StrCat("ipv6:[", request.remote_addr,
                           "]:", request.remote_port)
            : absl::StrCat("ipv4:", request.remote_addr, ":",
                           request.remote_port);
}

std::optional<std::string> ForwardedFor(const httplib::Request& request) {
  std::vector<std::string> values;
  for (const auto& [name, value] : request.headers) {
    if (absl::EqualsIgnoreCase(name, "x-forwarded-for")) {
      values.push_back(value);
    }
  }
  if (values.empty()) return std::nullopt;
  return absl::StrJoin(values, ",");
}

std::string ErrorText(int status, const ServerOptions& options) {
  switch (status) {
    case 413:
      return absl::StrCat("the request body is over the limit of ",
                          options.max_body_bytes, " bytes");
    case 414:
      return "the request line is too long";
    case 431:
      return "the request's headers are too large";
    default:
      return "the request could not be read as HTTP/1.1";
  }
}

grpc::StatusCode CodeOfHttpError(int status) {
  switch (status) {
    case 413:
    case 431:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case 404:
      return grpc::StatusCode::NOT_FOUND;
    default:
      return grpc::StatusCode::INVALID_ARGUMENT;
  }
}

// The handler label of prongsai_http_requests_total: which door the path
// went through, never the path itself (it holds resource ids).
absl::string_view HandlerOf(absl::string_view path) {
  if (absl::StartsWith(path, "/v1/")) return "api";
  if (absl::StartsWith(path, "/open311/")) return "open311";
  if (absl::StartsWith(path, "/auth/")) return "auth";
  if (path == "/openapi.json") return "openapi";
  if (path == "/healthz") return "health";
  return "web";
}

}  // namespace

GatewayServer::GatewayServer(ServerOptions options,
                             const GatewayHandler* handler)
    : options_(std::move(options)), handler_(handler) {}

GatewayServer::~GatewayServer() = default;

absl::Status GatewayServer::Bind() {
  if (!options_.tls_cert.empty() || !options_.tls_key.empty()) {
    auto tls = std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(),
                                                    options_.tls_key.c_str());
    if (!tls->is_valid()) {
      return absl::InvalidArgumentError(
          "tls_cert/tls_key: the certificate or key cannot be loaded");
    }
    server_ = std::move(tls);
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  httplib::Server& server = *server_;
  const int threads = options_.threads;
  server.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  server.set_payload_max_length(options_.max_body_bytes);
  server.set_read_timeout(absl::ToChronoSeconds(options_.read_timeout));
  server.set_write_timeout(absl::ToChronoSeconds(options_.write_timeout));
  server.set_keep_alive_timeout(
      absl::ToInt64Seconds(options_.keep_alive_timeout));
  server.set_keep_alive_max_count(options_.keep_alive_max_requests);
  server.set_tcp_nodelay(true);
  // On every answer, cpp-httplib's own refusals too: it starts each response
  // from these.
  httplib::Headers security_headers;
  for (const auto& [name, value] : SecurityHeaders()) {
    security_headers.emplace(name, value);
  }
  server.set_default_headers(std::move(security_headers));

  auto handle = [this](const httplib::Request& in, httplib::Response& out) {
    Answer(in, out);
  };
  const std::string any = ".*";
  server.Get(any, handle);
  server.Post(any, handle);
  server.Put(any, handle);
  server.Patch(any, handle);
  server.Delete(any, handle);
  server.Options(any, handle);
  // cpp-httplib's own refusals (413, 414, a request it cannot read) get the
  // same JSON body as the handler's.
  server.set_error_handler(
      [this](const httplib::Request&, httplib::Response& out) {
        if (!out.body.empty()) return;
        out.set_content(StatusBody(CodeOfHttpError(out.status),
                                   ErrorText(out.status, options_)),
                        "application/json");
      });
  server.set_exception_handler([](const httplib::Request&,
                                  httplib::Response& out,
                                  const std::exception_ptr&) {
    out.status = 500;
    out.set_content(StatusBody(grpc::StatusCode::INTERNAL,
                               "the gateway failed on this request"),
                    "application/json");
  });
  if (options_.port == 0) {
    port_ = server.bind_to_any_port(options_.host);
    if (port_ <= 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot listen on ", options_.host));
    }
  } else {
    if (!server.bind_to_port(options_.host, options_.port)) {
      return absl::UnavailableError(
          absl::StrCat("cannot listen on ", options_.host, ":", options_.port));
    }
    port_ = options_.port;
  }
  return absl::OkStatus();
}

void GatewayServer::Answer(const httplib::Request& in,
                           httplib::Response& out) const {
  const absl::Time start = absl::Now();
  HttpRequest request;
  request.method = in.method;
  request.path = in.path;
  // The query from the target itself: cpp-httplib also puts a form body's
  // fields into `params`, and the two must not mix.
  const size_t question = in.target.find('?');
  if (question != std::string::npos) {
    request.query =
        ParseFormEncoded(absl::string_view(in.target).substr(question + 1));
  }
  size_t header_bytes = 0;
  for (const auto& [name, value] : in.headers) {
    header_bytes += name.size() + value.size() + 4;
    request.headers.emplace(absl::AsciiStrToLower(name), value);
  }
  request.body = in.body;
  request.client_address = server::ClientOf(PeerText(in), ForwardedFor(in),
                                            options_.trusted_proxies);
  // This request's span of the caller's trace, or of a new one; the calls
  // into the services carry it (backends.cc).
  const auto incoming = request.headers.find("traceparent");
  const TraceContext trace = (incoming == request.headers.end()
                                  ? std::nullopt
                                  : TraceContext::FromHeader(incoming->second))
                                 .value_or(TraceContext::New())
                                 .Child();
  ScopedTrace current_trace(trace);
  HttpResponse response;
  if (header_bytes > options_.max_header_bytes) {
    response = ErrorResponse(grpc::StatusCode::RESOURCE_EXHAUSTED,
                             ErrorText(431, options_));
    response.status = 431;
  } else {
    response = handler_->Handle(request);
  }
  out.status = response.status;
  for (const auto& [name, value] : response.headers) {
    out.set_header(name, value);
  }
  // A 304 has no body, and no Content-Type of the body it does not send.
  if (response.status != 304) {
    out.set_content(response.body, response.content_type);
  }
  std::string request_id;
  for (const auto& [name, value] : response.headers) {
    if (name == "x-request-id") request_id = value;
  }
  const absl::Duration latency = absl::Now() - start;
  metrics::Http().Observe(HandlerOf(in.path), response.status, latency);
  if (response.status >= 400 || log::SampleOk()) {
    // The path only: a query may carry an Open311 api_key.
    log::Info("http",
              {{"method", in.method},
               {"path", in.path},
               {"status", absl::StrCat(response.status)},
               {"latency_ms",
                absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(latency))},
               {"request_id", request_id},
               {"trace_id", trace.trace_id()}});
  }
}

void GatewayServer::Serve() { server_->listen_after_bind(); }

void GatewayServer::Stop() {
  if (server_ != nullptr) server_->stop();
}

}  // namespace prongsai::gateway
