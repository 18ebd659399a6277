// The server host as a client sees it: health, reflection-free basics,
// request ids, TLS, deadlines and shutdown, with the tests' own survey
// service (survey.proto) as the payload.
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/auth/key_ring.h"
#include "common/server/server_host.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "prongsai/ita/v1/ita.pb.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "survey.grpc.pb.h"
#include "tests/common/server/survey_service.h"
#include "tests/support/test_env.h"

namespace prongsai::server {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using testing::SurveyServiceDefinition;
namespace sv1 = ::prongsai::testing::v1;

constexpr char kSurveyService[] = "prongsai.testing.v1.SurveyService";

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

std::unique_ptr<ServiceHost> StartSurvey(ServerOptions options) {
  absl::StatusOr<std::unique_ptr<ServiceHost>> host =
      ServiceHost::Start(std::move(options), SurveyServiceDefinition());
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
  std::unique_ptr<ServiceHost> host = StartSurvey(SqliteOptions());
  ASSERT_NE(host, nullptr);
  EXPECT_GT(host->port(), 0);
  auto channel = Insecure(*host);
  EXPECT_EQ(Health(channel, ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(channel, kSurveyService), HealthCheckResponse::SERVING);
  grpc::StatusCode code;
  Health(channel, "prongsai.nothing.v1.Else", &code);
  EXPECT_EQ(code, grpc::StatusCode::NOT_FOUND);
}

// Issue 17 item 17: idle connections were held without limit. A connection
// that carries no call for max_connection_idle is closed by the server.
TEST(ServerHostTest, Issue17Item17_IdleConnectionsAreClosed) {
  ServerOptions options = SqliteOptions();
  options.max_connection_idle = absl::Milliseconds(300);
  std::unique_ptr<ServiceHost> host = StartSurvey(std::move(options));
  ASSERT_NE(host, nullptr);
  auto channel = Insecure(*host);
  ASSERT_EQ(Health(channel, ""), HealthCheckResponse::SERVING);
  ASSERT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);
  // The server's GOAWAY moves the client's channel out of READY; the wait
  // is only a bound (the default is 5 minutes).
  EXPECT_TRUE(channel->WaitForStateChange(
      GRPC_CHANNEL_READY, absl::ToChronoTime(absl::Now() + absl::Seconds(20))));
  EXPECT_NE(channel->GetState(false), GRPC_CHANNEL_READY);
}

// Issue 17 item 17: memory taken by a spike was never returned (plan 1.38
// GB until restart). Small blocks freed below a live one stay with glibc
// until ReleaseFreeMemory hands their pages back.
TEST(ServerHostTest, Issue17Item17_FreedMemoryIsReturned) {
#ifdef PRONGSAI_SANITIZER
  GTEST_SKIP() << "under " << PRONGSAI_SANITIZER
               << " the sanitizer's allocator, not glibc's, holds the memory";
#endif
  constexpr int kBlocks = 200'000;  // 200 MB of 1 KB blocks
  std::vector<char*> blocks(kBlocks);
  volatile int touched = 0;  // so no optimizer drops the blocks
  for (char*& block : blocks) {
    block = static_cast<char*>(std::malloc(1024));
    std::memset(block, 1, 1024);
    touched = touched + block[1023];
  }
  char* pin = static_cast<char*>(std::malloc(1024));  // keeps the heap's top
  for (char* block : blocks) std::free(block);
  const int64_t before = prongsai::testing::ProcessStatusKiB("VmRSS");
  ServiceHost::ReleaseFreeMemory();
  const int64_t after = prongsai::testing::ProcessStatusKiB("VmRSS");
  std::free(pin);
  EXPECT_LT(after, before - int64_t{100} * 1024)
      << "resident " << before << " KiB before, " << after << " KiB after";
}

TEST(ServerHostTest, UnreachableDatabaseIsNotServingAndCallsAreUnavailable) {
  ServerOptions options = SqliteOptions();
  options.db_url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1";
  std::unique_ptr<ServiceHost> host = StartSurvey(options);
  ASSERT_NE(host, nullptr);
  auto channel = Insecure(*host);
  EXPECT_EQ(Health(channel, ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(channel, kSurveyService), HealthCheckResponse::NOT_SERVING);
  auto stub = sv1::SurveyService::NewStub(channel);
  grpc::ClientContext context;
  SetDeadline(context, absl::Seconds(5));
  context.AddMetadata("authorization", "Bearer " + kSystemKey);
  sv1::Assessment response;
  sv1::GetAssessmentRequest request;
  request.set_name("organizations/6340101/assessments/2566");
  grpc::Status status = stub->GetAssessment(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(ServerHostTest, EchoesOrAssignsRequestIds) {
  std::unique_ptr<ServiceHost> host = StartSurvey(SqliteOptions());
  ASSERT_NE(host, nullptr);
  auto stub = sv1::SurveyService::NewStub(Insecure(*host));
  for (const std::string& given : {std::string("trace-123"), std::string()}) {
    grpc::ClientContext context;
    SetDeadline(context, absl::Seconds(5));
    if (!given.empty()) context.AddMetadata("x-request-id", given);
    sv1::Assessment response;
    sv1::GetAssessmentRequest request;
    request.set_name("organizations/6340101/assessments/x");
    stub->GetAssessment(&context, request, &response);
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
  std::unique_ptr<ServiceHost> host = StartSurvey(SqliteOptions());
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
      ServiceHost::Start(options, SurveyServiceDefinition());
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
  std::unique_ptr<ServiceHost> host = StartSurvey(options);
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

// Issue 17 items 1 and 13: NUL characters are named like invalid UTF-8, in
// any repeated or map field, and the depth limit agrees with protobuf's own
// (no request that protobuf parses is refused as too deep).
TEST(ParseRequestTest, Issue17Item13_NulIsNamedAndDepthMatchesProtobuf) {
  complaint::v1::CreateComplaintRequest request;
  request.set_parent("organizations/6340101");
  request.mutable_complaint()->add_attachments()->set_file_name("ok.jpg");
  request.mutable_complaint()->add_attachments()->set_file_name("ok2.jpg");
  request.mutable_complaint()->add_attachments()->set_file_name(
      std::string("a\0b.jpg", 7));
  complaint::v1::CreateComplaintRequest parsed;
  absl::Status status =
      ParseRequest(Bytes(request.SerializeAsString()), parsed);
  EXPECT_EQ(status.message(),
            "complaint.attachments[2].file_name: must not contain NUL "
            "characters");

  ita::v1::IngestRawAnswersRequest answers;
  (*answers.add_respondents()->mutable_answers())["i1"] = 5;
  (*answers.add_respondents()->mutable_answers())[std::string("i\0", 2)] = 5;
  ita::v1::IngestRawAnswersRequest parsed_answers;
  status = ParseRequest(Bytes(answers.SerializeAsString()), parsed_answers);
  EXPECT_EQ(status.message(),
            "respondents[1].answers[0].key: must not contain NUL characters");

  for (int levels = 90; levels <= 110; ++levels) {
    SCOPED_TRACE(levels);
    plan::v1::Mission mission;
    plan::v1::Mission* inner = &mission;
    for (int i = 0; i < levels; ++i) inner = inner->add_sub_missions();
    inner->set_title("ใน");
    const std::string wire = mission.SerializeAsString();
    plan::v1::Mission by_protobuf;
    plan::v1::Mission by_runtime;
    const bool protobuf_parses = by_protobuf.ParseFromString(wire);
    EXPECT_EQ(ParseRequest(Bytes(wire), by_runtime).ok(), protobuf_parses);
  }
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

// Client streams (ServiceRuntime::ClientStream) as a client of the survey
// service's IngestRawAnswers (shaped like the ITA upload) sees them: timers
// that end a stream without waiting for another message, and a per-caller
// byte budget.
namespace prongsai::server {
namespace {

const std::string kOperatorKey = auth::GenerateKey();
const std::string kOtherOperatorKey = auth::GenerateKey();
constexpr char kOwnAssessment[] = "organizations/6340101/assessments/2566";
constexpr char kOtherAssessment[] = "organizations/9999999/assessments/2566";
// Operators of four more organizations, 9999990-9999993.
constexpr int kMoreOrganizations = 4;
const std::vector<std::string> kMoreKeys = [] {
  std::vector<std::string> keys;
  for (int i = 0; i < kMoreOrganizations; ++i) {
    keys.push_back(auth::GenerateKey());
  }
  return keys;
}();
std::string MoreAssessment(int i) {
  return absl::StrCat("organizations/999999", i, "/assessments/2566");
}

std::unique_ptr<ServiceHost> StartSurveyStreams(
    StreamLimits limits, absl::Duration max_call_duration) {
  ServerOptions options = SqliteOptions();
  std::ofstream(options.api_keys_path)
      << auth::FormatKeyLine(auth::HashKey(kOperatorKey), "operator",
                             "OPERATOR", "6340101")
      << "\n"
      << auth::FormatKeyLine(auth::HashKey(kOtherOperatorKey), "other",
                             "OPERATOR", "9999999")
      << "\n";
  for (int i = 0; i < kMoreOrganizations; ++i) {
    std::ofstream(options.api_keys_path, std::ios::app)
        << auth::FormatKeyLine(auth::HashKey(kMoreKeys[i]),
                               absl::StrCat("more", i), "OPERATOR",
                               absl::StrCat("999999", i))
        << "\n";
  }
  options.stream_limits = limits;
  options.max_call_duration = max_call_duration;
  absl::StatusOr<std::unique_ptr<ServiceHost>> host =
      ServiceHost::Start(std::move(options), SurveyServiceDefinition());
  EXPECT_TRUE(host.ok()) << host.status();
  return host.ok() ? *std::move(host) : nullptr;
}

struct Stream {
  grpc::ClientContext context;
  sv1::Assessment response;
  std::unique_ptr<grpc::ClientWriter<sv1::IngestRawAnswersRequest>> writer;
};

std::unique_ptr<Stream> Open(sv1::SurveyService::Stub& stub,
                             const std::string& key) {
  auto stream = std::make_unique<Stream>();
  SetDeadline(stream->context, absl::Seconds(20));
  stream->context.AddMetadata("authorization", "Bearer " + key);
  stream->writer = stub.IngestRawAnswers(&stream->context, &stream->response);
  return stream;
}

sv1::IngestRawAnswersRequest Message(const std::string& name, int respondents) {
  sv1::IngestRawAnswersRequest message;
  message.set_name(name);
  for (int i = 0; i < respondents; ++i) {
    sv1::Respondent* respondent = message.add_respondents();
    respondent->set_tool("IIT");
    (*respondent->mutable_answers())["i1"] = 3;
    (*respondent->mutable_answers())["i2"] = 2;
  }
  return message;
}

TEST(ClientStreamTest, Issue17Item2_IdleStreamIsEndedByTheServer) {
  StreamLimits limits;
  limits.idle_timeout = absl::Milliseconds(200);
  std::unique_ptr<ServiceHost> host =
      StartSurveyStreams(limits, absl::Hours(1));
  ASSERT_NE(host, nullptr);
  auto stub = sv1::SurveyService::NewStub(Insecure(*host));
  std::unique_ptr<Stream> stream = Open(*stub, kOtherOperatorKey);
  ASSERT_TRUE(stream->writer->Write(Message(kOtherAssessment, 1)));
  // Then nothing: the server's timer ends the stream, not the client's
  // deadline (which says "Deadline Exceeded").
  const grpc::Status status = stream->writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(
      absl::StrContains(status.error_message(), "sent no complete message"))
      << status.error_message();
}

TEST(ClientStreamTest, Issue17Item2_OverLongStreamIsEndedWithoutAMessage) {
  std::unique_ptr<ServiceHost> host =
      StartSurveyStreams(StreamLimits(), absl::Milliseconds(300));
  ASSERT_NE(host, nullptr);
  auto stub = sv1::SurveyService::NewStub(Insecure(*host));
  std::unique_ptr<Stream> stream = Open(*stub, kOtherOperatorKey);
  ASSERT_TRUE(stream->writer->Write(Message(kOtherAssessment, 1)));
  const grpc::Status status = stream->writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "longest call"))
      << status.error_message();
}

// Another organization's operator fills its own budget, not the process's:
// the organization's own upload still goes through.
TEST(ClientStreamTest, Issue17Item2_AnotherCallerCannotTakeTheBudget) {
  StreamLimits limits;
  limits.process_bytes = 4 << 20;
  limits.caller_bytes = 1 << 20;
  std::unique_ptr<ServiceHost> host =
      StartSurveyStreams(limits, absl::Hours(1));
  ASSERT_NE(host, nullptr);
  auto stub = sv1::SurveyService::NewStub(Insecure(*host));
  // The other operator's streams for its own organization: one kept open,
  // one written to until the server refuses more.
  std::unique_ptr<Stream> held = Open(*stub, kOtherOperatorKey);
  ASSERT_TRUE(held->writer->Write(Message(kOtherAssessment, 200)));
  std::unique_ptr<Stream> greedy = Open(*stub, kOtherOperatorKey);
  for (int i = 0; i < 1000 && greedy->writer->Write(
                                  Message(i == 0 ? kOtherAssessment : "", 200));
       ++i) {
  }
  const grpc::Status refused = greedy->writer->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "your open streams"))
      << refused.error_message();

  // Now the organization's own operator, with the other stream still open.
  std::unique_ptr<Stream> own = Open(*stub, kOperatorKey);
  sv1::IngestRawAnswersRequest message =
      Message("organizations/6340101/assessments/2566", 200);
  ASSERT_TRUE(own->writer->Write(message));
  own->writer->WritesDone();
  const grpc::Status status = own->writer->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(own->response.respondents(), 200);

  held->writer->WritesDone();
  EXPECT_TRUE(held->writer->Finish().ok());
}

// Issue 17 item 2 (review): a refusal and the idle timer that meet end the
// call once. Each stream sends good messages, each within the (very short)
// idle timeout, then one that is refused, so the refusal lands around a
// timer that found the stream busy and re-arms. Before the fix both ended
// the call (two log lines, two Finish calls, which gRPC aborts on).
TEST(ClientStreamTest, Issue17Item2_RefusalMeetingTheTimerEndsTheCallOnce) {
  StreamLimits limits;
  limits.idle_timeout = absl::Milliseconds(2);
  std::unique_ptr<ServiceHost> host =
      StartSurveyStreams(limits, absl::Hours(1));
  ASSERT_NE(host, nullptr);
  auto channel = Insecure(*host);
  auto stub = sv1::SurveyService::NewStub(channel);
  sv1::IngestRawAnswersRequest bad = Message("", 1);
  bad.set_name(kOwnAssessment);  // not the first message's assessment
  int refused = 0;
  int timed_out = 0;
  for (int i = 0; i < 300; ++i) {
    std::unique_ptr<Stream> stream = Open(*stub, kOtherOperatorKey);
    bool open = stream->writer->Write(Message(kOtherAssessment, 1));
    for (int j = 0; open && j < i % 4; ++j) {
      open = stream->writer->Write(Message("", 1));
    }
    // Vary where the bad message falls against the timer.
    absl::SleepFor(absl::Microseconds(1000 + 250 * (i % 9)));
    if (open) open = stream->writer->Write(bad);
    if (open) stream->writer->WritesDone();
    const grpc::Status status = stream->writer->Finish();
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
      ++refused;
      EXPECT_TRUE(
          absl::StrContains(status.error_message(), "names another assessment"))
          << status.error_message();
    } else {
      ++timed_out;
      EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
          << i << ": " << status.error_message();
      EXPECT_TRUE(
          absl::StrContains(status.error_message(), "sent no complete message"))
          << status.error_message();
    }
  }
  EXPECT_EQ(refused + timed_out, 300);
  // Still serving, and nothing of those streams was stored.
  EXPECT_EQ(Health(channel, ""), HealthCheckResponse::SERVING);
  grpc::ClientContext context;
  SetDeadline(context, absl::Seconds(10));
  context.AddMetadata("authorization", "Bearer " + kOtherOperatorKey);
  sv1::GetAssessmentRequest get;
  get.set_name(kOtherAssessment);
  sv1::Assessment out;
  EXPECT_EQ(stub->GetAssessment(&context, get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// A message of `respondents` IIT respondents answering every item of the
// 2566 framework (i1-i15), as a real survey's.
sv1::IngestRawAnswersRequest SurveyMessage(const std::string& name,
                                           int respondents) {
  sv1::IngestRawAnswersRequest message;
  message.set_name(name);
  for (int i = 0; i < respondents; ++i) {
    sv1::Respondent* respondent = message.add_respondents();
    respondent->set_tool("IIT");
    for (int item = 1; item <= 15; ++item) {
      (*respondent->mutable_answers())[absl::StrCat("i", item)] =
          (i + item) % 4;
    }
  }
  return message;
}

// What the server charges for `message`: its size as the server parses it
// (the parse's checks leave each map in two forms, so this is more than a
// bare ParseFromString holds).
int64_t Held(const sv1::IngestRawAnswersRequest& message) {
  grpc::ByteBuffer bytes;
  EXPECT_TRUE(SerializeResponse(message, bytes).ok());
  sv1::IngestRawAnswersRequest parsed;
  EXPECT_TRUE(ParseRequest(bytes, parsed).ok());
  return static_cast<int64_t>(parsed.SpaceUsedLong());
}

// Issue 17 item 2 (review): with the default budgets, the operators of four
// other organizations each holding all their budget allows leave room for
// the organization's own 2 MB upload. (Before: four callers at 64 MiB took
// the whole 256 MiB.)
TEST(ClientStreamTest, Issue17Item2_OwnUploadFitsWhileFourOthersHoldTheirMax) {
  StreamLimits limits;  // the defaults, but no idle timeout to race
  limits.idle_timeout = absl::Hours(1);
  std::unique_ptr<ServiceHost> host =
      StartSurveyStreams(limits, absl::Hours(1));
  ASSERT_NE(host, nullptr);
  auto stub = sv1::SurveyService::NewStub(Insecure(*host));

  std::vector<std::unique_ptr<Stream>> held;
  for (int i = 0; i < kMoreOrganizations; ++i) {
    std::unique_ptr<Stream> stream = Open(*stub, kMoreKeys[i]);
    int64_t booked = 0;
    int64_t largest = 0;
    // A map's parsed size can vary a little with its hash seed (the server's
    // count may differ from this one by several margins on a whole stream);
    // a stream that passed the budget would be ended and hold nothing.
    const int64_t margin = limits.caller_bytes / 100;
    for (bool first = true;; first = false) {
      sv1::IngestRawAnswersRequest message =
          SurveyMessage(first ? MoreAssessment(i) : "", 500);
      const int64_t size = Held(message);
      if (booked + size > limits.caller_bytes - margin) break;
      ASSERT_TRUE(stream->writer->Write(message));
      booked += size;
      largest = std::max(largest, size);
    }
    held.push_back(std::move(stream));
    // The server reads the stream in its own time: wait until it has
    // booked (nearly) all of it, which the refusal of a message larger than
    // the room left shows. The probe names an organization the caller may not
    // write, so a probe read before then is refused for that instead and
    // stores nothing.
    sv1::IngestRawAnswersRequest probe;
    probe.set_name(kOwnAssessment);
    probe.mutable_organization()->set_name(
        std::string(largest + 5 * margin, 'x'));
    grpc::Status status;
    for (int attempt = 0; attempt < 1200; ++attempt) {
      std::unique_ptr<Stream> probing = Open(*stub, kMoreKeys[i]);
      probing->writer->Write(probe);
      probing->writer->WritesDone();
      status = probing->writer->Finish();
      if (status.error_code() != grpc::StatusCode::PERMISSION_DENIED) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << status.error_message();
    EXPECT_TRUE(absl::StrContains(status.error_message(), "your open streams"))
        << status.error_message();
  }

  // The organization's own 2 MB upload (some 15,000 respondents, which the
  // server holds as 28 MiB), in messages of 500 respondents.
  std::unique_ptr<Stream> own = Open(*stub, kOperatorKey);
  size_t sent = 0;
  int respondents = 0;
  for (bool first = true; sent < 2'000'000; first = false) {
    const sv1::IngestRawAnswersRequest message =
        SurveyMessage(first ? kOwnAssessment : "", 500);
    ASSERT_TRUE(own->writer->Write(message));
    sent += message.ByteSizeLong();
    respondents += 500;
  }
  own->writer->WritesDone();
  const grpc::Status status = own->writer->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(own->response.respondents(), respondents);

  for (std::unique_ptr<Stream>& stream : held) stream->context.TryCancel();
}

}  // namespace
}  // namespace prongsai::server
