// The gRPC face of the ITA service: translates requests into domain and
// store calls on a worker, and results back into responses. Access rules live
// in ita.proto; ServiceRuntime enforces them before any handler runs.
//
//   ServiceHost::Start(options, ItaServiceDefinition());
#ifndef PRONGSAI_SERVICES_ITA_ITA_SERVICE_H_
#define PRONGSAI_SERVICES_ITA_ITA_SERVICE_H_

#include "common/server/server_host.h"

namespace prongsai::ita {

// Everything the server host needs to run the ITA service.
server::ServiceDefinition ItaServiceDefinition();

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_SERVICE_H_
