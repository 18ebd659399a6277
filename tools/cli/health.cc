#include "tools/cli/health.h"

#include <iostream>

#include "grpc/health/v1/health.grpc.pb.h"

namespace prongsai::cli {

int HealthCheck(const CliOptions& options, const Args& /*args*/) {
  using grpc::health::v1::HealthCheckResponse;
  Client<grpc::health::v1::Health> client(options, kPlanPort);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(options.service);
  HealthCheckResponse response;
  grpc::Status status =
      client.Call(&grpc::health::v1::Health::Stub::Check, request, &response);
  if (!status.ok()) return Fail(status);
  std::cout << HealthCheckResponse::ServingStatus_Name(response.status())
            << "\n";
  return response.status() == HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace prongsai::cli
