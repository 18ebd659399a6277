// The gateway's calls into the three services, by method path and bytes, so
// that a new RPC needs no code here. Each call carries what the caller sent
// that the services decide on: the bearer key, the request id, the deadline,
// and the client's address (as `x-forwarded-for`; the services trust it only
// because the gateway's own address is in their --trusted_proxies).
//
//   Backends backends(
//       {{"prongsai.plan.v1.PlanService", plan_channel}, ...});
//   BackendAnswer answer = backends.Unary(
//       "/prongsai.plan.v1.PlanService/GetOrganization", bytes, metadata);
#ifndef PRONGSAI_GATEWAY_BACKENDS_H_
#define PRONGSAI_GATEWAY_BACKENDS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"

namespace prongsai::gateway {

struct CallMetadata {
  // The HTTP Authorization header as sent ("Bearer <key>"), or "".
  std::string authorization;
  // The caller's x-request-id, or one the gateway made.
  std::string request_id;
  // The client the services should count for rate limits.
  std::string client_address;
  // How long the call may take.
  absl::Duration timeout = absl::Seconds(10);
};

struct BackendAnswer {
  grpc::Status status;
  std::string response;  // serialized response message when status is OK
};

class Backends {
 public:
  // Fully qualified service name ("prongsai.plan.v1.PlanService") to the
  // channel that reaches it.
  explicit Backends(
      const absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>>&
          channels);
  // Several channels (connections) per service: each calling thread keeps
  // to one of them, so the HTTP threads do not all queue on one HTTP/2
  // connection's lock.
  explicit Backends(absl::flat_hash_map<
                    std::string, std::vector<std::shared_ptr<grpc::Channel>>>
                        pools);

  // `method_path` is "/<package>.<Service>/<Method>". UNIMPLEMENTED when no
  // channel serves the service.
  BackendAnswer Unary(absl::string_view method_path, const std::string& request,
                      const CallMetadata& metadata) const;

  // A client-streaming call: every message in order, then the one answer.
  BackendAnswer ClientStream(absl::string_view method_path,
                             const std::vector<std::string>& requests,
                             const CallMetadata& metadata) const;

  // Unary with generated message types, for the gateway's own adapters
  // (Open311). A response that does not parse is INTERNAL.
  grpc::Status Call(absl::string_view method_path,
                    const google::protobuf::Message& request,
                    google::protobuf::Message* response,
                    const CallMetadata& metadata) const;

  // Unary on the channel of `service` rather than of the service the path
  // names (every backend serves grpc.health.v1.Health).
  BackendAnswer UnaryOn(absl::string_view service,
                        absl::string_view method_path,
                        const std::string& request,
                        const CallMetadata& metadata) const;

  // The configured services' names, sorted.
  std::vector<std::string> services() const;

  // The calling thread's channel to `service`, or nullptr.
  std::shared_ptr<grpc::Channel> ChannelFor(absl::string_view service) const;

 private:
  absl::flat_hash_map<std::string, std::vector<std::shared_ptr<grpc::Channel>>>
      pools_;
};

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_BACKENDS_H_
