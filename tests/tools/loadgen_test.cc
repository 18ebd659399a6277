#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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
