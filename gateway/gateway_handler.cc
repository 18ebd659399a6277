#include "gateway/gateway_handler.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/random_text.h"
#include "grpc/health/v1/health.pb.h"

namespace prongsai::gateway {
namespace {

constexpr absl::string_view kHealthMethod = "/grpc.health.v1.Health/Check";

// A gRPC timeout header value: digits and a unit (H, M, S, m, u, n).
std::optional<absl::Duration> ParseGrpcTimeout(absl::string_view text) {
  if (text.size() < 2 || text.size() > 9) return std::nullopt;
  int64_t amount = 0;
  if (!absl::SimpleAtoi(text.substr(0, text.size() - 1), &amount) ||
      amount < 0) {
    return std::nullopt;
  }
  switch (text.back()) {
    case 'H':
      return absl::Hours(amount);
    case 'M':
      return absl::Minutes(amount);
    case 'S':
      return absl::Seconds(amount);
    case 'm':
      return absl::Milliseconds(amount);
    case 'u':
      return absl::Microseconds(amount);
    case 'n':
      return absl::Nanoseconds(amount);
    default:
      return std::nullopt;
  }
}

std::string NewRequestId() { return RandomBase32(16, kLowerBase32); }

}  // namespace

HttpResponse ErrorResponse(grpc::StatusCode code, absl::string_view message) {
  HttpResponse response;
  response.status = HttpStatusOf(code);
  response.body = StatusBody(code, message);
  return response;
}

GatewayHandler::GatewayHandler(HandlerOptions options, const ApiRoutes* routes,
                               const Transcoder* transcoder,
                               const Backends* backends,
                               std::string openapi_document,
                               Open311Handler open311,
                               const WebFiles* web_files,
                               const WebSessions* sessions)
    : options_(options),
      routes_(routes),
      transcoder_(transcoder),
      backends_(backends),
      openapi_document_(std::move(openapi_document)),
      open311_(std::move(open311)),
      web_files_(web_files),
      sessions_(sessions) {}

absl::StatusOr<CallMetadata> GatewayHandler::MetadataOf(
    const HttpRequest& request) const {
  CallMetadata metadata;
  metadata.authorization = request.Header("authorization");
  metadata.client_address = request.client_address;
  const std::string given_id = request.Header("x-request-id");
  bool printable = !given_id.empty() && given_id.size() <= 64;
  for (char c : given_id) printable = printable && c > 0x20 && c < 0x7F;
  metadata.request_id = printable ? given_id : NewRequestId();
  metadata.timeout = options_.default_timeout;
  if (const std::string timeout = request.Header("grpc-timeout");
      !timeout.empty()) {
    std::optional<absl::Duration> parsed = ParseGrpcTimeout(timeout);
    if (!parsed.has_value()) {
      return absl::InvalidArgumentError(
          "grpc-timeout: must be digits and a unit (H, M, S, m, u, n), e.g. "
          "\"5S\"");
    }
    metadata.timeout = std::min(*parsed, options_.max_timeout);
  }
  return metadata;
}

HttpResponse GatewayHandler::Handle(const HttpRequest& request) const {
  absl::string_view path = request.path;
  if (absl::StartsWith(path, "/v1/")) return Api(request);
  if (absl::ConsumePrefix(&path, "/auth/") && sessions_ != nullptr) {
    absl::StatusOr<CallMetadata> metadata = MetadataOf(request);
    if (!metadata.ok()) {
      return ErrorResponse(grpc::StatusCode::INVALID_ARGUMENT,
                           std::string(metadata.status().message()));
    }
    return sessions_->Handle(request, path, *std::move(metadata));
  }
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (path == "/openapi.json" && get) {
    HttpResponse response;
    response.body = openapi_document_;
    return response;
  }
  if (path == "/healthz" && get) return Health(request);
  if (absl::ConsumePrefix(&path, "/open311/v2/") && open311_) {
    return open311_(request, path);
  }
  // The API's own names stay the API's, whatever files the pages have.
  const bool reserved =
      request.path == "/v1" || request.path == "/openapi.json" ||
      request.path == "/healthz" || request.path == "/open311" ||
      absl::StartsWith(request.path, "/open311/") || request.path == "/auth" ||
      absl::StartsWith(request.path, "/auth/");
  if (web_files_ != nullptr && !reserved) return web_files_->Serve(request);
  return ErrorResponse(grpc::StatusCode::NOT_FOUND,
                       "no such page; the API is under /v1/ (see "
                       "/openapi.json) and Open311 under /open311/v2/");
}

HttpResponse GatewayHandler::Api(const HttpRequest& request) const {
  // Every answer names the request, the gateway's own refusals too, so a
  // caller can quote the id whatever went wrong.
  absl::StatusOr<CallMetadata> metadata = MetadataOf(request);
  HttpResponse response =
      metadata.ok() ? CallAs(request, *metadata)
                    : ErrorResponse(grpc::StatusCode::INVALID_ARGUMENT,
                                    std::string(metadata.status().message()));
  response.headers.emplace_back(
      "x-request-id", metadata.ok() ? metadata->request_id : NewRequestId());
  return response;
}

HttpResponse GatewayHandler::CallAs(const HttpRequest& request,
                                    CallMetadata metadata) const {
  // An Authorization header (a system's key or token) wins over cookies.
  const SessionCookies cookies =
      sessions_ != nullptr && metadata.authorization.empty()
          ? SessionCookiesOf(request)
          : SessionCookies();
  if (cookies.empty()) return Call(request, metadata);
  if (!HasCsrfHeader(request)) {
    return ErrorResponse(grpc::StatusCode::PERMISSION_DENIED,
                         "x-prongsai-csrf: a request signed in by cookie must "
                         "send the header \"X-Prongsai-Csrf: 1\"");
  }
  if (!cookies.access_token.empty()) {
    metadata.authorization = absl::StrCat("Bearer ", cookies.access_token);
    HttpResponse response = Call(request, metadata);
    if (response.status != 401) return response;
  }
  // The access token expired (the service refused before doing anything):
  // refresh it once and repeat the call.
  std::optional<WebSessions::Refreshed> refreshed =
      sessions_->Refresh(cookies.session_token, metadata);
  if (!refreshed.has_value()) {
    HttpResponse response =
        ErrorResponse(grpc::StatusCode::UNAUTHENTICATED,
                      "the session has ended; sign in again");
    for (auto& header : sessions_->ClearCookies()) {
      response.headers.push_back(header);
    }
    return response;
  }
  metadata.authorization = absl::StrCat("Bearer ", refreshed->access_token);
  HttpResponse response = Call(request, metadata);
  response.headers.push_back(refreshed->set_cookie);
  return response;
}

HttpResponse GatewayHandler::Call(const HttpRequest& request,
                                  const CallMetadata& metadata) const {
  absl::StatusOr<RouteMatch> match =
      routes_->Match(request.method, request.path);
  if (!match.ok()) {
    if (match.status().code() == absl::StatusCode::kUnimplemented) {
      HttpResponse response =
          ErrorResponse(grpc::StatusCode::UNIMPLEMENTED,
                        std::string(match.status().message()));
      response.status = 405;
      return response;
    }
    return ErrorResponse(grpc::StatusCode::NOT_FOUND,
                         std::string(match.status().message()));
  }
  const Route& route = *match->route;
  const std::string content_type = request.Header("content-type");
  BackendAnswer answer;
  if (route.method->client_streaming()) {
    if (!content_type.empty() &&
        !absl::StartsWithIgnoreCase(content_type, "application/x-ndjson") &&
        !IsJson(content_type)) {
      HttpResponse response = ErrorResponse(
          grpc::StatusCode::INVALID_ARGUMENT,
          "content-type: send newline-delimited JSON (application/x-ndjson)");
      response.status = 415;
      return response;
    }
    absl::StatusOr<std::vector<std::string>> messages =
        transcoder_->StreamRequests(*match, request.body);
    if (!messages.ok()) {
      return ErrorResponse(grpc::StatusCode::INVALID_ARGUMENT,
                           std::string(messages.status().message()));
    }
    answer = backends_->ClientStream(route.grpc_path, *messages, metadata);
  } else {
    if (!request.body.empty() && !IsJson(content_type)) {
      HttpResponse response =
          ErrorResponse(grpc::StatusCode::INVALID_ARGUMENT,
                        "content-type: the body must be application/json");
      response.status = 415;
      return response;
    }
    absl::StatusOr<std::string> message =
        transcoder_->Request(*match, request.query, request.body);
    if (!message.ok()) {
      return ErrorResponse(grpc::StatusCode::INVALID_ARGUMENT,
                           std::string(message.status().message()));
    }
    answer = backends_->Unary(route.grpc_path, *message, metadata);
  }
  HttpResponse response;
  if (!answer.status.ok()) {
    response = ErrorResponse(answer.status.error_code(),
                             answer.status.error_message());
  } else if (absl::StatusOr<std::string> json =
                 transcoder_->Response(route, answer.response);
             json.ok()) {
    response.body = *std::move(json);
  } else {
    response = ErrorResponse(grpc::StatusCode::INTERNAL,
                             std::string(json.status().message()));
  }
  return response;
}

HttpResponse GatewayHandler::Health(const HttpRequest& request) const {
  absl::StatusOr<CallMetadata> metadata = MetadataOf(request);
  if (!metadata.ok()) {
    return ErrorResponse(grpc::StatusCode::INVALID_ARGUMENT,
                         std::string(metadata.status().message()));
  }
  metadata->authorization.clear();
  metadata->timeout = std::min(metadata->timeout, absl::Seconds(2));
  std::string body = "{";
  bool all_serving = true;
  for (const std::string& service : backends_->services()) {
    // The whole server's health: HealthCheckRequest with no service name.
    BackendAnswer answer = backends_->UnaryOn(
        service, kHealthMethod,
        grpc::health::v1::HealthCheckRequest().SerializeAsString(), *metadata);
    grpc::health::v1::HealthCheckResponse health;
    const bool serving =
        answer.status.ok() && health.ParseFromString(answer.response) &&
        health.status() == grpc::health::v1::HealthCheckResponse::SERVING;
    all_serving = all_serving && serving;
    absl::StrAppend(&body, body.size() > 1 ? "," : "", "\"", service, "\":\"",
                    serving ? "SERVING" : "NOT_SERVING", "\"");
  }
  body += "}";
  HttpResponse response;
  response.status = all_serving ? 200 : 503;
  response.body = std::move(body);
  return response;
}

const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const auto* const kHeaders =
      new std::vector<std::pair<std::string, std::string>>{
          {"Content-Security-Policy",
           "default-src 'none'; script-src 'self'; style-src 'self'; "
           "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
           "manifest-src 'self'; form-action 'self'; base-uri 'none'; "
           "frame-ancestors 'none'"},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"},
          {"X-Frame-Options", "DENY"},
          {"Cross-Origin-Opener-Policy", "same-origin"},
          {"Permissions-Policy",
           "camera=(), microphone=(), geolocation=(self)"},
      };
  return *kHeaders;
}

}  // namespace prongsai::gateway
