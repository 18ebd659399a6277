// The gRPC face of the plan service: translates requests into domain and
// store calls on a worker, and results back into responses. Access rules live
// in plan.proto; ServiceRuntime enforces them before any handler runs.
//
//   ServiceHost::Start(options, PlanServiceDefinition());
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_SERVICE_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_SERVICE_H_

#include "common/server/server_host.h"

namespace prongsai::plan {

// Everything the server host needs to run the plan service.
server::ServiceDefinition PlanServiceDefinition();

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_SERVICE_H_
