#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"
#include "tools/loadgen/echo_server.h"
#include "tools/loadgen/load_engine.h"

namespace prongsai::loadgen {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

class LoadgenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EchoServer::Options server_options;
    server_options.record_metadata = true;
    absl::StatusOr<std::unique_ptr<EchoServer>> echo =
        EchoServer::Start(server_options);
    ASSERT_THAT(echo, IsOk());
    echo_ = *std::move(echo);
  }

  // A small count-bounded run of Echo against the test's server.
  LoadOptions EchoOptions() const {
    LoadOptions options;
    options.target = echo_->target();
    options.method = std::string(kEchoMethod);
    options.request_text = R"(payload: "ping")";
    options.concurrency = 4;
    options.count = 200;
    options.deadline = absl::Seconds(30);
    return options;
  }

  std::unique_ptr<EchoServer> echo_;
};

TEST_F(LoadgenTest, CountBoundedRunMakesExactlyThatManyCalls) {
  LoadOptions options = EchoOptions();
  options.channels = 2;
  absl::StatusOr<LoadReport> report = RunLoad(options);
  ASSERT_THAT(report, IsOk());

  EXPECT_EQ(report->calls, 200);
  EXPECT_EQ(report->ok, 200);
  EXPECT_THAT(report->errors_by_code, IsEmpty());
  EXPECT_EQ(report->method, "/prongsai.tools.v1.Echo/Echo");
  EXPECT_GT(report->qps, 0);
  EXPECT_GT(report->p50, absl::ZeroDuration());
  EXPECT_LE(report->p50, report->p90);
  EXPECT_LE(report->p90, report->p99);
  EXPECT_LE(report->p99, report->max);
  EXPECT_GT(report->elapsed, absl::ZeroDuration());
}

TEST_F(LoadgenTest, WarmupCallsAreNotCounted) {
  LoadOptions options = EchoOptions();
  options.warmup = absl::Milliseconds(200);
  absl::StatusOr<LoadReport> report = RunLoad(options);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->calls, 200);
  EXPECT_EQ(report->ok, 200);
}

TEST_F(LoadgenTest, DurationBoundedRunStopsByItself) {
  LoadOptions options = EchoOptions();
  options.count = 0;
  options.duration = absl::Milliseconds(300);
  absl::StatusOr<LoadReport> report = RunLoad(options);
  ASSERT_THAT(report, IsOk());
  EXPECT_GT(report->calls, 0);
  EXPECT_EQ(report->ok, report->calls);
}

TEST_F(LoadgenTest, MethodNameMayUseDotsOrSlashes) {
  for (const char* method :
       {"prongsai.tools.v1.Echo.Echo", "prongsai.tools.v1.Echo/Echo"}) {
    LoadOptions options = EchoOptions();
    options.method = method;
    options.count = 5;
    absl::StatusOr<LoadReport> report = RunLoad(options);
    ASSERT_THAT(report, IsOk()) << method;
    EXPECT_EQ(report->ok, 5) << method;
    EXPECT_EQ(report->method, "/prongsai.tools.v1.Echo/Echo");
  }
}

TEST_F(LoadgenTest, UnknownMethodFailsBeforeSending) {
  LoadOptions options = EchoOptions();
  options.method = "/prongsai.tools.v1.Echo/NoSuchMethod";
  absl::StatusOr<LoadReport> report = RunLoad(options);
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(report.status().message(), HasSubstr("NoSuchMethod"));
  EXPECT_THAT(CheckLoadOptions(options), StatusIs(absl::StatusCode::kNotFound));
  // Nothing reached the server.
  EXPECT_THAT(echo_->LastMetadata(), IsEmpty());
}

TEST_F(LoadgenTest, BadRequestTextNamesTheProblem) {
  LoadOptions options = EchoOptions();
  options.request_text = R"(payload: "ping" colour: 3)";
  absl::StatusOr<LoadReport> report = RunLoad(options);
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(report.status().message(), HasSubstr("colour"));
  EXPECT_THAT(report.status().message(), HasSubstr("line 1"));
  EXPECT_THAT(echo_->LastMetadata(), IsEmpty());
}

TEST_F(LoadgenTest, OutOfRangeOptionsAreRejected) {
  LoadOptions options = EchoOptions();
  options.concurrency = 0;
  EXPECT_THAT(RunLoad(options), StatusIs(absl::StatusCode::kInvalidArgument));

  options = EchoOptions();
  options.count = 0;
  options.duration = absl::Minutes(11);
  EXPECT_THAT(RunLoad(options), StatusIs(absl::StatusCode::kInvalidArgument));

  options = EchoOptions();
  options.metadata = {{"X-Upper", "v"}};
  EXPECT_THAT(RunLoad(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(LoadgenTest, ProngsaiMethodTheServerLacksIsCountedUnimplemented) {
  LoadOptions options = EchoOptions();
  options.method = "/prongsai.plan.v1.PlanService/GetActionPlan";
  options.request_text = R"(name: "organizations/6340101/actionPlans/1")";
  options.count = 50;
  absl::StatusOr<LoadReport> report = RunLoad(options);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->calls, 50);
  EXPECT_EQ(report->ok, 0);
  EXPECT_THAT(report->errors_by_code, ElementsAre(Pair("UNIMPLEMENTED", 50)));
}

TEST_F(LoadgenTest, ApiKeyAndMetadataReachTheServer) {
  LoadOptions options = EchoOptions();
  options.count = 3;
  options.api_key = "test-key-not-secret";
  options.metadata = {{"x-prongsai-run", "loadgen-test"}};
  absl::StatusOr<LoadReport> report = RunLoad(options);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->ok, 3);
  std::map<std::string, std::string> seen = echo_->LastMetadata();
  EXPECT_THAT(seen,
              Contains(Pair("authorization", "Bearer test-key-not-secret")));
  EXPECT_THAT(seen, Contains(Pair("x-prongsai-run", "loadgen-test")));
}

TEST_F(LoadgenTest, CallsPastTheirDeadlineAreCountedDeadlineExceeded) {
  LoadOptions options = EchoOptions();
  options.request_text = R"(delay { seconds: 5 })";
  options.deadline = absl::Milliseconds(100);
  options.count = 8;
  absl::StatusOr<LoadReport> report = RunLoad(options);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->calls, 8);
  EXPECT_EQ(report->ok, 0);
  EXPECT_THAT(report->errors_by_code,
              ElementsAre(Pair("DEADLINE_EXCEEDED", 8)));
}

TEST(LoadgenRequestsTest, CallsTakeTurnsWithTheRequests) {
  EchoServer::Options server_options;
  server_options.record_payloads = true;
  absl::StatusOr<std::unique_ptr<EchoServer>> echo =
      EchoServer::Start(server_options);
  ASSERT_THAT(echo, IsOk());
  LoadOptions options;
  options.target = (*echo)->target();
  options.method = std::string(kEchoMethod);
  options.request_texts = {R"(payload: "org-1")", R"(payload: "org-2")",
                           R"(payload: "org-3")"};
  options.concurrency = 4;
  options.channels = 2;
  options.count = 300;
  options.deadline = absl::Seconds(30);
  absl::StatusOr<LoadReport> report = RunLoad(options);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->ok, 300);
  EXPECT_EQ(report->requests, 3);
  // Exactly 300 calls were started, so each request was sent 100 times.
  EXPECT_THAT((*echo)->PayloadCounts(),
              UnorderedElementsAre(Pair("org-1", 100), Pair("org-2", 100),
                                   Pair("org-3", 100)));
  EXPECT_THAT(FormatReport(*report, /*json=*/true),
              HasSubstr(R"("requests":3)"));
  EXPECT_THAT(FormatReport(*report, /*json=*/false), HasSubstr("3 requests"));
}

TEST(LoadgenRequestsTest, ABadRequestOfAListIsNamedByItsNumber) {
  LoadOptions options;
  options.target = "127.0.0.1:1";  // never reached: the text is checked first
  options.method = std::string(kEchoMethod);
  options.request_texts = {R"(payload: "a")", R"(payload: "b" colour: 3)",
                           R"(payload: "c")"};
  options.count = 1;
  absl::Status status = CheckLoadOptions(options);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(status.message(), HasSubstr("request 2 of 3"));
  EXPECT_THAT(status.message(), HasSubstr("colour"));

  options.request_texts = {R"(payload: "a")"};
  options.request_text = R"(payload: "b")";
  EXPECT_THAT(CheckLoadOptions(options),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(LoadgenRequestsTest, SplitRequestsCutsAtLinesOfThreeDashes) {
  EXPECT_THAT(SplitRequests("payload: \"a\"\n---\npayload: \"b---\"\n"
                            "delay { seconds: 1 }\n  ---  \n\n---\n"),
              ElementsAre("payload: \"a\"\n",
                          "payload: \"b---\"\ndelay { seconds: 1 }\n"));
  EXPECT_THAT(SplitRequests("---\n\n---\n"), IsEmpty());
  EXPECT_THAT(SplitRequests(R"(parent: "organizations/1")"),
              ElementsAre("parent: \"organizations/1\"\n"));
}

// What `prongsai-load --serve_echo` runs: a server of its own until stopped.
TEST(ServeEchoTest, ServesUntilStoppedThenRefusesCalls) {
  absl::Notification stop;
  absl::Notification listening;
  std::string target;
  absl::Status served;
  std::thread server([&] {
    served = ServeEchoUntil("127.0.0.1:0", stop, [&](const std::string& t) {
      target = t;
      listening.Notify();
    });
  });
  ASSERT_TRUE(listening.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_THAT(target, ::testing::StartsWith("127.0.0.1:"));
  LoadOptions options;
  options.target = target;
  options.method = std::string(kEchoMethod);
  options.concurrency = 4;
  options.count = 100;
  options.deadline = absl::Seconds(30);
  absl::StatusOr<LoadReport> report = RunLoad(options);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->ok, 100);

  stop.Notify();
  server.join();
  EXPECT_THAT(served, IsOk());
  EXPECT_THAT(RunLoad(options), StatusIs(absl::StatusCode::kUnavailable));
}

TEST(ServeEchoTest, AnAddressInUseIsUnavailable) {
  absl::StatusOr<std::unique_ptr<EchoServer>> taken = EchoServer::Start();
  ASSERT_THAT(taken, IsOk());
  absl::Notification stop;
  bool called = false;
  absl::Status served = ServeEchoUntil(
      (*taken)->target(), stop, [&](const std::string&) { called = true; });
  EXPECT_THAT(served, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_FALSE(called);
}

TEST(LoadgenNoServerTest, UnreachableTargetIsUnavailable) {
  // Start and stop a server to get a loopback port nobody listens on.
  std::string target;
  {
    absl::StatusOr<std::unique_ptr<EchoServer>> echo = EchoServer::Start();
    ASSERT_THAT(echo, IsOk());
    target = (*echo)->target();
  }
  LoadOptions options;
  options.target = target;
  options.method = std::string(kEchoMethod);
  options.count = 1;
  EXPECT_THAT(RunLoad(options), StatusIs(absl::StatusCode::kUnavailable));
}

TEST(FormatReportTest, TextAndJsonCarryTheFigures) {
  LoadReport report;
  report.target = "127.0.0.1:50051";
  report.method = "/prongsai.tools.v1.Echo/Echo";
  report.concurrency = 16;
  report.channels = 1;
  report.calls = 1000;
  report.ok = 998;
  report.errors_by_code = {{"UNAVAILABLE", 2}};
  report.qps = 5000;
  report.p50 = absl::Microseconds(150);
  report.p90 = absl::Microseconds(300);
  report.p99 = absl::Microseconds(900);
  report.max = absl::Milliseconds(12);
  report.elapsed = absl::Milliseconds(200);

  std::string text = FormatReport(report, /*json=*/false);
  EXPECT_THAT(text, HasSubstr("1000 (ok 998)"));
  EXPECT_THAT(text, HasSubstr("p50 150us"));
  EXPECT_THAT(text, HasSubstr("UNAVAILABLE 2"));

  std::string json = FormatReport(report, /*json=*/true);
  EXPECT_THAT(json, HasSubstr(R"("calls":1000)"));
  EXPECT_THAT(json, HasSubstr(R"("errors_by_code":{"UNAVAILABLE":2})"));
  EXPECT_THAT(json, HasSubstr(R"("p99_us":900.0)"));

  LoadReport echo = report;
  echo.qps = 20000;
  echo.p50 = absl::Microseconds(50);
  EXPECT_THAT(FormatComparison(echo, report, /*json=*/true),
              HasSubstr(R"("qps_ratio":0.2500,"p50_ratio":3.000)"));
}

}  // namespace
}  // namespace prongsai::loadgen
