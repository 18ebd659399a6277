// The gRPC face of the plan service: translates requests into domain and
// store calls on a worker, and results back into responses. Access rules live
// in plan.proto; ServiceRuntime enforces them before any handler runs.
//
//   ServiceHost::Start(options, PlanServiceDefinition());
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_SERVICE_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_SERVICE_H_

#include <memory>
#include <string>

#include "common/auth/session_token.h"
#include "common/server/server_host.h"
#include "grpcpp/security/credentials.h"

namespace prongsai::plan {

struct PlanOptions {
  // The complaint service (host:port), asked for corruption-case counts when
  // targets are evaluated, and a SYSTEM key it accepts. Empty = those counts
  // are reported missing.
  std::string complaint_address;
  // The ITA service (host:port), asked for the actual ITA scores.
  std::string ita_address;
  std::string peer_api_key;
  // How calls to the peers are secured (common/rpc/tls.h); null: plaintext.
  std::shared_ptr<grpc::ChannelCredentials> peer_credentials;
  // Signs the access tokens of people's sessions (the AccountService the
  // plan host serves too); null turns sign-in off.
  std::shared_ptr<const auth::SessionSigner> session_signer;
};

// Everything the server host needs to run the plan service, with the
// AccountService beside it.
server::ServiceDefinition PlanServiceDefinition(PlanOptions options = {});

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_SERVICE_H_
