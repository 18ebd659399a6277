// What the gateway answers to one HTTP request, apart from the server
// library: `/v1/...` through the routes of the protos, `/openapi.json`,
// `/healthz`, `/open311/v2/...` through the Open311 adapter, and every other
// path from the web application's files when there are any. It holds no
// business rule: every decision, authorization included, is the services'.
#ifndef PRONGSAI_GATEWAY_GATEWAY_HANDLER_H_
#define PRONGSAI_GATEWAY_GATEWAY_HANDLER_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gateway/api_routes.h"
#include "gateway/backends.h"
#include "gateway/http_types.h"
#include "gateway/transcode.h"
#include "gateway/web_files.h"
#include "gateway/web_session.h"

namespace prongsai::gateway {

struct HandlerOptions {
  // A call's deadline when the caller sends no `grpc-timeout`, and the most
  // a caller may ask for.
  absl::Duration default_timeout = absl::Seconds(10);
  absl::Duration max_timeout = absl::Seconds(60);
};

class GatewayHandler {
 public:
  // `subpath` is what follows "/open311/v2/".
  using Open311Handler = std::function<HttpResponse(const HttpRequest&,
                                                    absl::string_view subpath)>;

  // Everything passed must outlive the handler. Without `web_files` the
  // paths outside the API are 404; without `sessions` there is no /auth/
  // and cookies are not read.
  GatewayHandler(HandlerOptions options, const ApiRoutes* routes,
                 const Transcoder* transcoder, const Backends* backends,
                 std::string openapi_document, Open311Handler open311,
                 const WebFiles* web_files = nullptr,
                 const WebSessions* sessions = nullptr);

  // Safe to call from many threads at once.
  HttpResponse Handle(const HttpRequest& request) const;

  // What the caller's metadata becomes on the calls to the services:
  // the bearer key, the request id (the caller's when it is 1-64 printable
  // characters, else a new one), the deadline from `grpc-timeout` ("10S",
  // "500m", capped), and the client's address.
  absl::StatusOr<CallMetadata> MetadataOf(const HttpRequest& request) const;

 private:
  HttpResponse Api(const HttpRequest& request) const;
  // Call with the caller's credentials: the Authorization header, or the
  // web session's cookies (see web_session.h).
  HttpResponse CallAs(const HttpRequest& request, CallMetadata metadata) const;
  HttpResponse Call(const HttpRequest& request,
                    const CallMetadata& metadata) const;
  HttpResponse Health(const HttpRequest& request) const;

  const HandlerOptions options_;
  const ApiRoutes* routes_;
  const Transcoder* transcoder_;
  const Backends* backends_;
  const std::string openapi_document_;
  const Open311Handler open311_;
  const WebFiles* web_files_;
  const WebSessions* sessions_;
};

// The headers on every answer of the gateway, API and errors included: the
// pages may load only their own scripts, styles and data (no inline script,
// no other origin), are never framed, and send no referrer; the API's JSON
// is never sniffed as something else.
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

// An error answer: the HTTP status of `code` and a google.rpc.Status body.
HttpResponse ErrorResponse(grpc::StatusCode code, absl::string_view message);

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_GATEWAY_HANDLER_H_
