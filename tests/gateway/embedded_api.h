// The API's embedded descriptors and their routes, loaded as the gateway
// loads them, for the gateway's unit tests.
#ifndef PRONGSAI_TESTS_GATEWAY_EMBEDDED_API_H_
#define PRONGSAI_TESTS_GATEWAY_EMBEDDED_API_H_

#include <memory>
#include <utility>

#include "gateway/api_routes.h"
#include "gtest/gtest.h"

namespace prongsai::gateway {

struct EmbeddedApi {
  std::unique_ptr<google::protobuf::DescriptorPool> pool;
  std::unique_ptr<ApiRoutes> routes;
};

// Fails the calling test when either does not load (check
// HasFatalFailure() after it).
inline void LoadEmbeddedApi(EmbeddedApi* api) {
  absl::StatusOr<std::unique_ptr<google::protobuf::DescriptorPool>> pool =
      LoadApiDescriptors();
  ASSERT_TRUE(pool.ok()) << pool.status();
  api->pool = *std::move(pool);
  absl::StatusOr<ApiRoutes> routes = ApiRoutes::FromPool(*api->pool);
  ASSERT_TRUE(routes.ok()) << routes.status();
  api->routes = std::make_unique<ApiRoutes>(*std::move(routes));
}

}  // namespace prongsai::gateway

#endif  // PRONGSAI_TESTS_GATEWAY_EMBEDDED_API_H_
