// The gRPC face of the ITA service: translates requests into domain and
// store calls on a worker, and results back into responses. Access rules live
// in ita.proto; ServiceRuntime enforces them before any handler runs.
//
//   ServiceHost::Start(options, ItaServiceDefinition(ItaOptions{...}));
#ifndef PRONGSAI_SERVICES_ITA_ITA_SERVICE_H_
#define PRONGSAI_SERVICES_ITA_ITA_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/server/server_host.h"
#include "grpcpp/security/credentials.h"

namespace prongsai::ita {

struct ItaOptions {
  // The plan service (host:port): ITA targets, measures, adoption. Empty =
  // analyses say what they could not include.
  std::string plan_address;
  // The complaint service (host:port): complaint handling per year.
  std::string complaint_address;
  // A SYSTEM key the peers accept.
  std::string peer_api_key;
  // How calls to the peers are secured (common/rpc/tls.h); null: plaintext.
  std::shared_ptr<grpc::ChannelCredentials> peer_credentials;
};

// Everything the server host needs to run the ITA service. Fails when a
// shipped framework does not validate.
absl::StatusOr<server::ServiceDefinition> ItaServiceDefinition(
    ItaOptions options = {});

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_SERVICE_H_
