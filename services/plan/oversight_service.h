// The gRPC face of the oversight service (oversight.proto), served by the
// plan binary beside PlanService: the standings of a whole group of
// organizations, from the plan store (a few set-based queries) and from
// the complaint and ITA services in batches of up to 1,000 organizations.
// See docs/oversight.md for the design (ownership, direction of calls,
// batching, caching).
//
//   definition.additional_services.push_back(OversightServiceDefinition(
//       {.complaint_address = ..., .complaint_api_key = ...,
//        .ita_address = ..., .ita_api_key = ...}));
#ifndef PRONGSAI_SERVICES_PLAN_OVERSIGHT_SERVICE_H_
#define PRONGSAI_SERVICES_PLAN_OVERSIGHT_SERVICE_H_

#include <memory>
#include <string>

#include "common/server/server_host.h"
#include "grpcpp/security/credentials.h"

namespace prongsai::plan {

struct OversightOptions {
  // The complaint and ITA services (host:port), each with a SYSTEM key it
  // accepts (the plan binary gives both its --peer_api_key); an empty
  // address = that part is reported missing.
  std::string complaint_address;
  std::string complaint_api_key;
  std::string ita_address;
  std::string ita_api_key;
  // How calls to the peers are secured (common/rpc/tls.h); null: plaintext.
  std::shared_ptr<grpc::ChannelCredentials> peer_credentials;
};

server::AdditionalService OversightServiceDefinition(OversightOptions options);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_OVERSIGHT_SERVICE_H_
