// The metrics module: bounded cache names, the families' label sets, and the
// /metrics endpoint answering over loopback HTTP.
#include "common/metrics/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/metric_family.h"

namespace prongsai::metrics {
namespace {

using ::testing::HasSubstr;

// The value of the sample of `family` whose labels include all of `labels`
// (counter or gauge), or the count of a histogram; -1 when there is none.
double Sample(absl::string_view family,
              const std::map<std::string, std::string>& labels) {
  for (const prometheus::MetricFamily& f : Registry().Collect()) {
    if (f.name != family) continue;
    for (const prometheus::ClientMetric& metric : f.metric) {
      int matched = 0;
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        auto it = labels.find(label.name);
        if (it != labels.end() && it->second == label.value) ++matched;
      }
      if (matched != static_cast<int>(labels.size())) continue;
      switch (f.type) {
        case prometheus::MetricType::Counter:
          return metric.counter.value;
        case prometheus::MetricType::Gauge:
          return metric.gauge.value;
        case prometheus::MetricType::Histogram:
          return static_cast<double>(metric.histogram.sample_count);
        default:
          return -1;
      }
    }
  }
  return -1;
}

// GET http://127.0.0.1:port/metrics with a plain socket; the whole answer.
std::string Scrape(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) ==
      0) {
    const std::string request =
        "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (write(fd, request.data(), request.size()) ==
        static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      ssize_t n;
      while ((n = read(fd, buffer, sizeof(buffer))) > 0) {
        answer.append(buffer, static_cast<size_t>(n));
      }
    }
  }
  close(fd);
  return answer;
}

TEST(CacheNameOfTest, KeepsCollectionsDropsIdsVersionsAndNumbers) {
  EXPECT_EQ(CacheNameOf("prongsai:plan:v2:organizations/6340101/actionPlans/"
                        "ap1/annualPlans/2568@tok"),
            "plan:organizations/actionPlans/annualPlans");
  EXPECT_EQ(CacheNameOf("prongsai:plan:v2:organizations/abc/actionPlans/"
                        "xyz/annualPlans/2568#round4@tok"),
            "plan:organizations/actionPlans/annualPlans#round");
  // An all-letter organization code sits at an odd position: dropped.
  EXPECT_EQ(CacheNameOf("prongsai:ita:v3:organizations/testorg/assessments/"
                        "2568"),
            "ita:organizations/assessments");
}

TEST(CacheNameOfTest, AViewIsNamedByItsWordAlone) {
  EXPECT_EQ(CacheNameOf("prongsai:complaint:v4:public-statistics/testorg/"
                        "2568/0/0/abcdef/1700000000/5"),
            "complaint:public-statistics");
  EXPECT_EQ(CacheNameOf("prongsai:ita:v3:peers/organizations/testorg/"
                        "assessments/2568/SAME_PROVINCE@v"),
            "ita:peers");
  EXPECT_EQ(CacheNameOf("prongsai:ita:v3:trend/group/2/ยโสธร/0/2566-2568"),
            "ita:trend");
}

TEST(CacheNameOfTest, AnythingElseIsOther) {
  EXPECT_EQ(CacheNameOf("someone:else:key"), "other");
  EXPECT_EQ(CacheNameOf("prongsai:plan:v2:6340101/x"), "plan:other");
  EXPECT_EQ(CacheNameOf("prongsai:ข้อมูล:v1:x"), "other");
}

TEST(RpcMetricsTest, CountsStartedHandledAndLatencyPerMethodAndCode) {
  const std::map<std::string, std::string> method = {
      {"grpc_service", "test.v1.Metrics"}, {"grpc_method", "Count"}};
  auto with_code = [&](absl::string_view code) {
    auto labels = method;
    labels["grpc_code"] = std::string(code);
    return labels;
  };
  const double ok_before =
      std::max(0.0, Sample("grpc_server_handled_total", with_code("OK")));
  Rpc().Started("test.v1.Metrics", "Count", "unary");
  Rpc().Handled("test.v1.Metrics", "Count", "unary", absl::StatusCode::kOk,
                absl::Milliseconds(2));
  Rpc().Started("test.v1.Metrics", "Count", "unary");
  Rpc().Handled("test.v1.Metrics", "Count", "unary",
                absl::StatusCode::kNotFound, absl::Milliseconds(1));
  EXPECT_EQ(Sample("grpc_server_handled_total", with_code("OK")),
            ok_before + 1);
  EXPECT_EQ(Sample("grpc_server_handled_total", with_code("NOT_FOUND")), 1);
  EXPECT_EQ(Sample("grpc_server_started_total", method), 2);
  EXPECT_EQ(Sample("grpc_server_handling_seconds", method), 2);
}

TEST(EventMetricsTest, BreakerStatePeerCallsAndRefusals) {
  Events().BreakerState("test-breaker", 1);
  EXPECT_EQ(
      Sample("prongsai_circuit_breaker_state", {{"breaker", "test-breaker"}}),
      1);
  Events().BreakerState("test-breaker", 0);
  EXPECT_EQ(
      Sample("prongsai_circuit_breaker_state", {{"breaker", "test-breaker"}}),
      0);
  Events().PeerCall("test peer", absl::StatusCode::kUnavailable);
  Events().PeerCall("test peer", absl::StatusCode::kUnavailable);
  EXPECT_EQ(Sample("prongsai_peer_calls_total",
                   {{"peer", "test peer"}, {"grpc_code", "UNAVAILABLE"}}),
            2);
  Events().RateLimitRefusal("test-limit");
  EXPECT_EQ(
      Sample("prongsai_rate_limit_refusals_total", {{"limit", "test-limit"}}),
      1);
}

TEST(EndpointTest, ServesTheRegistryOverLoopbackHttp) {
  absl::StatusOr<std::unique_ptr<Endpoint>> endpoint =
      Endpoint::Start("127.0.0.1:0");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  ASSERT_GT((*endpoint)->port(), 0);
  Cache().Count("test:scraped", "hit");
  const std::string answer = Scrape((*endpoint)->port());
  EXPECT_THAT(answer, HasSubstr("200 OK"));
  EXPECT_THAT(answer, HasSubstr("prongsai_cache_requests_total{"));
  EXPECT_THAT(answer, HasSubstr("cache=\"test:scraped\""));
}

TEST(EndpointTest, RefusesABadAddressAndATakenPort) {
  EXPECT_EQ(Endpoint::Start("no-port").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::unique_ptr<Endpoint>> first =
      Endpoint::Start("127.0.0.1:0");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<Endpoint>> second =
      Endpoint::Start(absl::StrCat("127.0.0.1:", (*first)->port()));
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()),
              HasSubstr("metrics_address"));
}

}  // namespace
}  // namespace prongsai::metrics
