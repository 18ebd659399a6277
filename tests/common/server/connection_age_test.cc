// --max_connection_age: the server ends connections that grow old even when
// they are busy, so that clients resolve the name again and a new replica
// gets calls (Kubernetes scale-up behind a headless Service).
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/key_ring.h"
#include "common/server/server_host.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/common/server/survey_service.h"
#include "tests/support/test_env.h"

namespace prongsai::server {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

ServerOptions SqliteOptions() {
  ServerOptions options;
  options.api_keys_path = testing::MakeScratchDir() + "/keys";
  std::ofstream(options.api_keys_path) << auth::FormatKeyLine(
      auth::HashKey(auth::GenerateKey()), "system", "SYSTEM", "*");
  options.db_url =
      absl::StrCat("sqlite://", testing::MakeScratchDir(), "/p.db");
  options.workers = 2;
  options.health_check_interval = absl::Milliseconds(200);
  return options;
}

bool Serving(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  HealthCheckResponse response;
  return stub->Check(&context, HealthCheckRequest(), &response).ok() &&
         response.status() == HealthCheckResponse::SERVING;
}

TEST(ConnectionAgeTest, OldConnectionsAreClosedThoughNeverIdle) {
  ServerOptions options = SqliteOptions();
  // Idle closing would take 10 minutes: only the age can end it here.
  options.max_connection_idle = absl::Minutes(10);
  options.max_connection_age = absl::Milliseconds(300);
  options.max_connection_age_grace = absl::Milliseconds(200);
  absl::StatusOr<std::unique_ptr<ServiceHost>> host = ServiceHost::Start(
      std::move(options), testing::SurveyServiceDefinition());
  ASSERT_TRUE(host.ok()) << host.status();
  auto channel = grpc::CreateChannel((*host)->address(),
                                     grpc::InsecureChannelCredentials());
  ASSERT_TRUE(Serving(channel));
  ASSERT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);
  // The server's GOAWAY moves the channel out of READY; the wait is only a
  // bound.
  EXPECT_TRUE(channel->WaitForStateChange(
      GRPC_CHANNEL_READY, absl::ToChronoTime(absl::Now() + absl::Seconds(20))));
  EXPECT_NE(channel->GetState(false), GRPC_CHANNEL_READY);
  // The client reconnects and is served again.
  EXPECT_TRUE(Serving(channel));
}

TEST(ConnectionAgeTest, ZeroAgeKeepsConnectionsOpen) {
  ServerOptions options = SqliteOptions();
  options.max_connection_idle = absl::Minutes(10);
  options.max_connection_age = absl::ZeroDuration();
  absl::StatusOr<std::unique_ptr<ServiceHost>> host = ServiceHost::Start(
      std::move(options), testing::SurveyServiceDefinition());
  ASSERT_TRUE(host.ok()) << host.status();
  auto channel = grpc::CreateChannel((*host)->address(),
                                     grpc::InsecureChannelCredentials());
  ASSERT_TRUE(Serving(channel));
  // Well past the age the test above used, the connection is still the same
  // one (READY throughout).
  EXPECT_FALSE(channel->WaitForStateChange(
      GRPC_CHANNEL_READY, absl::ToChronoTime(absl::Now() + absl::Seconds(2))));
  EXPECT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);
}

}  // namespace
}  // namespace prongsai::server
