// The gateway's OpenAPI 3.0.3 document, written from the same descriptors the
// routes come from: one operation per route, the proto comments as its
// description, and the proto3 JSON mapping as schemas. Served at
// /openapi.json; nothing in it is written by hand per RPC.
//
//   PRONGSAI_ASSIGN_OR_RETURN(ApiRoutes routes, ApiRoutes::FromPool(*pool));
//   std::string document = OpenApiDocument(routes);
//
// Paths. A google.api.http variable binds a resource name with slashes
// (`{name=organizations/*/complaints/*}`), which an OpenAPI path parameter
// cannot hold, and several templates would collapse to the same `/v1/{name}`.
// So, as gnostic's protoc-gen-openapi does, the pattern is written out: each
// `*` becomes a one-segment parameter named after the collection before it
// (`/v1/organizations/{organization}/complaints/{complaint}`), and each
// operation's `x-prongsai-path-fields` maps the request field to the
// template of its value ({"name": "organizations/{organization}/complaints/
// {complaint}"}) so a client can split a resource name it holds into the
// parameters. A `**` becomes one parameter whose value may hold '/', sent
// unescaped (its `x-prongsai-pattern` says so).
//
// Extensions: `x-prongsai-roles` (the roles of the method's
// prongsai.common.v1.access option), `x-prongsai-grpc-method`
// ("/prongsai.plan.v1.PlanService/GetOrganization"), `x-prongsai-body` (the
// body rule: "*" or the request field the body is; absent when there is no
// body), `x-prongsai-client-streaming`.
#ifndef PRONGSAI_GATEWAY_OPENAPI_H_
#define PRONGSAI_GATEWAY_OPENAPI_H_

#include <string>
#include <vector>

#include "gateway/api_routes.h"

namespace prongsai::gateway {

struct OpenApiOptions {
  std::string title = "Prongsai API";
  std::string version = "v1";
  // `servers`; empty leaves them out, so the document's own address is the
  // base (what a client that fetched /openapi.json from the gateway wants).
  std::vector<std::string> server_urls;
};

// The document as JSON text, the same bytes for the same routes.
std::string OpenApiDocument(const ApiRoutes& routes,
                            const OpenApiOptions& options = {});

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_OPENAPI_H_
