// The gRPC face of the account service (accounts.proto), served by the plan
// binary beside PlanService: human accounts of staff, their passwords and
// TOTP, and sign-in sessions whose access tokens every service verifies on
// its own (common/auth/session_token.h).
//
//   definition.additional_services.push_back(
//       AccountServiceDefinition({.signer = signer}));
#ifndef PRONGSAI_SERVICES_PLAN_ACCOUNT_SERVICE_H_
#define PRONGSAI_SERVICES_PLAN_ACCOUNT_SERVICE_H_

#include <memory>

#include "common/auth/session_token.h"
#include "common/server/server_host.h"

namespace prongsai::plan {

struct AccountOptions {
  // Signs access tokens. Without one, SignIn and RefreshSession fail with
  // FAILED_PRECONDITION (the accounts themselves can still be managed).
  std::shared_ptr<const auth::SessionSigner> signer;
};

server::AdditionalService AccountServiceDefinition(AccountOptions options);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_ACCOUNT_SERVICE_H_
