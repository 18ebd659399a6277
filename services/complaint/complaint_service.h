// The gRPC face of the complaint service: translates requests into domain
// and store calls on a worker, and results back into responses. Access rules
// live in complaint.proto; ServiceRuntime enforces them before any handler.
// Complaints hold personal data, so they are never cached in Redis.
//
//   ServiceHost::Start(options, ComplaintServiceDefinition());
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_SERVICE_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_SERVICE_H_

#include "common/server/server_host.h"

namespace prongsai::complaint {

server::ServiceDefinition ComplaintServiceDefinition();

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_SERVICE_H_
