// The server host as a client sees it: health, reflection-free basics,
// request ids, TLS, deadlines and shutdown, using the plan service as the
// payload.
#include <cstdlib>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/key_ring.h"
#include "common/server/server_host.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "services/plan/plan_service.h"
#include "tests/support/test_env.h"

namespace prongsai::server {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

const std::string kSystemKey = auth::GenerateKey();

ServerOptions SqliteOptions() {
  ServerOptions options;
  options.api_keys_path = testing::MakeScratchDir() + "/keys";
  std::ofstream(options.api_keys_path) << auth::FormatKeyLine(
      auth::HashKey(kSystemKey), "system", "SYSTEM", "*");
  options.db_url =
      absl::StrCat("sqlite://", testing::MakeScratchDir(), "/p.db");
  options.workers = 2;
  options.health_check_interval = absl::Milliseconds(200);
  return options;
}

std::unique_ptr<ServiceHost> StartPlan(ServerOptions options) {
  absl::StatusOr<std::unique_ptr<ServiceHost>> host =
      ServiceHost::Start(std::move(options), plan::PlanServiceDefinition());
  EXPECT_TRUE(host.ok()) << host.status();
  return host.ok() ? *std::move(host) : nullptr;
}

void SetDeadline(grpc::ClientContext& context, absl::Duration timeout) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

HealthCheckResponse::ServingStatus Health(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
    grpc::StatusCode* code = nullptr) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  SetDeadline(context, absl::Seconds(5));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (code != nullptr) *code = status.error_code();
  return response.status();
}

std::shared_ptr<grpc::Channel> Insecure(const ServiceHost& host) {
  return grpc::CreateChannel(host.address(),
                             grpc::InsecureChannelCredentials());
}

TEST(ServerHostTest, ServesHealthForTheServerAndTheService) {
  std::unique_ptr<ServiceHost> host = StartPlan(SqliteOptions());
  ASSERT_NE(host, nullptr);
  EXPECT_GT(host->port(), 0);
  auto channel = Insecure(*host);
  EXPECT_EQ(Health(channel, ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(channel, "prongsai.plan.v1.PlanService"),
            HealthCheckResponse::SERVING);
  grpc::StatusCode code;
  Health(channel, "prongsai.nothing.v1.Else", &code);
  EXPECT_EQ(code, grpc::StatusCode::NOT_FOUND);
}

TEST(ServerHostTest, UnreachableDatabaseIsNotServingAndCallsAreUnavailable) {
  ServerOptions options = SqliteOptions();
  options.db_url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1";
  std::unique_ptr<ServiceHost> host = StartPlan(options);
  ASSERT_NE(host, nullptr);
  auto channel = Insecure(*host);
  EXPECT_EQ(Health(channel, ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(channel, "prongsai.plan.v1.PlanService"),
            HealthCheckResponse::NOT_SERVING);
  auto stub = plan::v1::PlanService::NewStub(channel);
  grpc::ClientContext context;
  SetDeadline(context, absl::Seconds(5));
  context.AddMetadata("authorization", "Bearer " + kSystemKey);
  plan::v1::ListActionPlansResponse response;
  plan::v1::ListActionPlansRequest request;
  request.set_parent("organizations/6340101");
  grpc::Status status = stub->ListActionPlans(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(ServerHostTest, EchoesOrAssignsRequestIds) {
  std::unique_ptr<ServiceHost> host = StartPlan(SqliteOptions());
  ASSERT_NE(host, nullptr);
  auto stub = plan::v1::PlanService::NewStub(Insecure(*host));
  for (const std::string& given : {std::string("trace-123"), std::string()}) {
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(5));
    if (!given.empty()) context.AddMetadata("x-request-id", given);
    plan::v1::ActionPlan response;
    plan::v1::GetActionPlanRequest request;
    request.set_name("organizations/6340101/actionPlans/x");
    stub->GetActionPlan(&context, request, &response);
    const auto& metadata = context.GetServerInitialMetadata();
    auto it = metadata.find("x-request-id");
    ASSERT_NE(it, metadata.end());
    std::string echoed(it->second.data(), it->second.size());
    if (given.empty()) {
      EXPECT_EQ(echoed.size(), 16u);
    } else {
      EXPECT_EQ(echoed, given);
    }
  }
}

TEST(ServerHostTest, ShutdownStopsServingAndIsIdempotent) {
  std::unique_ptr<ServiceHost> host = StartPlan(SqliteOptions());
  ASSERT_NE(host, nullptr);
  auto channel = Insecure(*host);
  ASSERT_EQ(Health(channel, ""), HealthCheckResponse::SERVING);
  host->Shutdown();
  host->Shutdown();
  grpc::StatusCode code;
  Health(channel, "", &code);
  EXPECT_EQ(code, grpc::StatusCode::UNAVAILABLE);
}

TEST(ServerHostTest, RefusesHalfATlsConfiguration) {
  ServerOptions options = SqliteOptions();
  options.tls_cert_path = "/nonexistent.pem";
  absl::StatusOr<std::unique_ptr<ServiceHost>> host =
      ServiceHost::Start(options, plan::PlanServiceDefinition());
  EXPECT_EQ(host.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ServerHostTest, ServesTlsWhenGivenACertificate) {
  const std::string dir = testing::MakeScratchDir();
  const std::string command = absl::StrCat(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost -keyout ",
      dir, "/key.pem -out ", dir, "/cert.pem 2>/dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0) << "openssl is needed";
  ServerOptions options = SqliteOptions();
  options.tls_cert_path = dir + "/cert.pem";
  options.tls_key_path = dir + "/key.pem";
  std::unique_ptr<ServiceHost> host = StartPlan(options);
  ASSERT_NE(host, nullptr);

  std::ifstream cert_file(options.tls_cert_path);
  std::string cert((std::istreambuf_iterator<char>(cert_file)),
                   std::istreambuf_iterator<char>());
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = cert;
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  auto secure = grpc::CreateCustomChannel(host->address(),
                                          grpc::SslCredentials(ssl), args);
  EXPECT_EQ(Health(secure, ""), HealthCheckResponse::SERVING);
  // A plaintext client cannot talk to a TLS server.
  grpc::StatusCode code;
  Health(Insecure(*host), "", &code);
  EXPECT_EQ(code, grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace prongsai::server

namespace prongsai::server {
namespace {

grpc::ByteBuffer Bytes(const std::string& wire) {
  grpc::Slice slice(wire);
  return grpc::ByteBuffer(&slice, 1);
}

TEST(ParseRequestTest, NamesTheFieldThatIsNotUtf8EvenWhenNested) {
  complaint::v1::CreateComplaintRequest request;
  request.set_parent("organizations/6340101");
  request.mutable_complaint()->add_attachments()->set_file_name("ok.jpg");
  request.mutable_complaint()->add_attachments()->set_file_name("bad\xE0\xB8");
  std::string wire;
  // The serializer only warns; the bytes go out as they are.
  ASSERT_TRUE(request.SerializeToString(&wire));
  complaint::v1::CreateComplaintRequest parsed;
  absl::Status status = ParseRequest(Bytes(wire), parsed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "complaint.attachments[1].file_name: is not valid UTF-8");
}

TEST(ParseRequestTest, ValidBytesParseAndGarbageIsNamedAsTheRequest) {
  plan::v1::GetActionPlanRequest request;
  request.set_name("organizations/6340101/actionPlans/แผน");
  plan::v1::GetActionPlanRequest parsed;
  ASSERT_TRUE(ParseRequest(Bytes(request.SerializeAsString()), parsed).ok());
  EXPECT_EQ(parsed.name(), request.name());
  absl::Status garbage = ParseRequest(Bytes("\xFF\xFF\xFF"), parsed);
  EXPECT_EQ(garbage.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(garbage.message(), "request: "));
}

TEST(ParseRequestTest, ResponsesRoundTrip) {
  plan::v1::ActionPlan plan;
  plan.set_title("แผนปฏิบัติการ");
  grpc::ByteBuffer bytes;
  ASSERT_TRUE(SerializeResponse(plan, bytes).ok());
  plan::v1::ActionPlan back;
  ASSERT_TRUE(ParseRequest(bytes, back).ok());
  EXPECT_EQ(back.title(), plan.title());
}

}  // namespace
}  // namespace prongsai::server
