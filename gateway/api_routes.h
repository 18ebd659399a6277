// The HTTP routes of every RPC, read from the `google.api.http` options in
// the API's descriptors: the gateway has no per-RPC code, so an RPC with an
// annotation is served as soon as it is in the protos.
#ifndef PRONGSAI_GATEWAY_API_ROUTES_H_
#define PRONGSAI_GATEWAY_API_ROUTES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/path_template.h"
#include "google/protobuf/descriptor.h"

namespace prongsai::gateway {

// The embedded descriptor set (every API file with its imports and
// comments), as a pool. Built once; lives for the process.
absl::StatusOr<std::unique_ptr<google::protobuf::DescriptorPool>>
LoadApiDescriptors();

// The field a dotted path ("action_plan.name") names in `message`, walking
// message fields; nullptr when a part is missing or not a message on the way.
const google::protobuf::FieldDescriptor* FieldAt(
    const google::protobuf::Descriptor* message, absl::string_view path);

struct Route {
  std::string http_method;  // "GET", "POST", "PATCH", "PUT", "DELETE"
  PathTemplate path;
  // "" (no body: every field not in the path comes from the query), "*"
  // (the whole request), or the request field the body fills.
  std::string body;
  const google::protobuf::MethodDescriptor* method = nullptr;
  // "/prongsai.plan.v1.PlanService/GetOrganization".
  std::string grpc_path;
};

struct RouteMatch {
  const Route* route = nullptr;
  PathBindings bindings;
};

class ApiRoutes {
 public:
  // Every method of every service in `pool` whose file's package starts
  // with "prongsai." and that carries a google.api.http option (its
  // additional_bindings too). INVALID_ARGUMENT for a template that does not
  // parse or a body field the request does not have.
  static absl::StatusOr<ApiRoutes> FromPool(
      const google::protobuf::DescriptorPool& pool);

  // NOT_FOUND when no route's path matches; UNIMPLEMENTED (HTTP 405) when
  // one matches under another HTTP method. The earliest declared route wins.
  absl::StatusOr<RouteMatch> Match(absl::string_view http_method,
                                   absl::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_API_ROUTES_H_
