#include "common/client/peer.h"

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "echo.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/support/net.h"
#include "tests/support/test_env.h"
#include "tools/loadgen/echo_server.h"

namespace prongsai::client {
namespace {

using ::prongsai::loadgen::EchoServer;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::prongsai::tools::v1::Echo;
using ::prongsai::tools::v1::EchoRequest;
using ::prongsai::tools::v1::EchoResponse;

constexpr absl::string_view kPeerName = "plan service";

PeerOptions Options(std::string address) {
  PeerOptions options =
      PeerOptions::Of(std::string(kPeerName), std::move(address), "peer-key");
  options.backoff = absl::Milliseconds(20);
  return options;
}

// An address where nothing listens: every attempt fails UNAVAILABLE at once.
std::string ClosedAddress() {
  return absl::StrCat("127.0.0.1:", prongsai::testing::FreeLoopbackPort());
}

std::unique_ptr<EchoServer> StartEcho(const EchoServer::Options& options = {}) {
  absl::StatusOr<std::unique_ptr<EchoServer>> echo = EchoServer::Start(options);
  EXPECT_THAT(echo, IsOk());
  return echo.ok() ? *std::move(echo) : nullptr;
}

// A request the echo server answers only after `delay`.
EchoRequest Delayed(absl::Duration delay) {
  EchoRequest request;
  request.set_payload("late");
  request.mutable_delay()->set_seconds(absl::ToInt64Seconds(delay));
  return request;
}

// One Echo attempt through Call, counting attempts and keeping the time left
// in the context each one was given.
struct Attempts {
  grpc::Status Echo(grpc::ClientContext& context, const Peer& peer,
                    const EchoRequest& request) {
    ++count;
    share = absl::FromChrono(context.deadline()) - absl::Now();
    EchoResponse response;
    return Echo::NewStub(peer.channel())->Echo(&context, request, &response);
  }
  int count = 0;
  absl::Duration share;
};

TEST(PeerTest, NotConfiguredFailsWithoutAnAttempt) {
  const Peer peer(Options(""));
  EXPECT_FALSE(peer.configured());
  EXPECT_EQ(peer.channel(), nullptr);
  PeerCall call(absl::Now() + absl::Seconds(5));
  int attempts = 0;
  const grpc::Status status =
      peer.Call(call, Peer::kSafeToRetry, [&](grpc::ClientContext&) {
        ++attempts;
        return grpc::Status::OK;
      });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(attempts, 0);
  EXPECT_EQ(peer.Describe("plan target", status),
            "plan target unknown: the plan service is not configured");
}

TEST(PeerTest, UnaryNotConfiguredIsFailedPreconditionWithTheSentence) {
  const Peer peer(Options(""));
  PeerCall call(absl::Now() + absl::Seconds(5));
  EchoRequest request;
  EchoResponse response;
  const absl::Status status =
      peer.Unary<Echo>(call, Peer::kSafeToRetry, "plan target",
                       &Echo::Stub::Echo, request, response);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(status.message(),
            "plan target unknown: the plan service is not configured");
}

TEST(PeerTest, UnaryOkFillsTheResponseAndSendsTheKey) {
  std::unique_ptr<EchoServer> echo = StartEcho({.record_metadata = true});
  ASSERT_NE(echo, nullptr);
  const Peer peer(Options(echo->target()));
  ASSERT_TRUE(peer.configured());
  PeerCall call(absl::Now() + absl::Seconds(10));
  EchoRequest request;
  request.set_payload("แผนปฏิบัติการ");
  EchoResponse response;
  response.set_payload("stale");
  EXPECT_THAT(peer.Unary<Echo>(call, Peer::kNoRetry, "echo", &Echo::Stub::Echo,
                               request, response),
              IsOk());
  EXPECT_EQ(response.payload(), "แผนปฏิบัติการ");
  EXPECT_EQ(echo->LastMetadata()["authorization"], "Bearer peer-key");
}

TEST(PeerTest, UnaryFailureIsUnavailableWithTheSentenceAndNoStaleResponse) {
  const Peer peer(Options(ClosedAddress()));
  PeerCall call(absl::Now() + absl::Seconds(10));
  EchoRequest request;
  EchoResponse response;
  response.set_payload("stale");
  const absl::Status status =
      peer.Unary<Echo>(call, Peer::kSafeToRetry, "corruption cases",
                       &Echo::Stub::Echo, request, response);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(status.message(),
            "corruption cases unknown: the plan service is unreachable "
            "(UNAVAILABLE)");
  EXPECT_EQ(response.payload(), "");
}

TEST(PeerTest, UnaryPeerThatAnswersTooLateIsUnavailableToo) {
  std::unique_ptr<EchoServer> echo = StartEcho();
  ASSERT_NE(echo, nullptr);
  PeerOptions options = Options(echo->target());
  options.timeout = absl::Milliseconds(200);
  const Peer peer(options);
  PeerCall call(absl::InfiniteFuture());
  EchoResponse response;
  const absl::Status status =
      peer.Unary<Echo>(call, Peer::kSafeToRetry, "score actuals",
                       &Echo::Stub::Echo, Delayed(absl::Seconds(30)), response);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(status.message(),
            "score actuals unknown: the plan service did not answer in time "
            "(DEADLINE_EXCEEDED)");
}

TEST(PeerTest, AnAttemptGetsHalfOfWhatIsLeftAtMost) {
  std::unique_ptr<EchoServer> echo = StartEcho();
  ASSERT_NE(echo, nullptr);
  PeerOptions options = Options(echo->target());
  options.timeout = absl::Seconds(30);
  const Peer peer(options);
  Attempts attempts;
  PeerCall call(absl::Now() + absl::Seconds(4));
  ASSERT_TRUE(peer.Call(call, Peer::kNoRetry,
                        [&](grpc::ClientContext& context) {
                          return attempts.Echo(context, peer, EchoRequest());
                        })
                  .ok());
  EXPECT_LE(attempts.share, absl::Seconds(2));
  EXPECT_GT(attempts.share, absl::Milliseconds(1500));
}

TEST(PeerTest, AnAttemptNeverTakesMoreThanThePeersTimeout) {
  std::unique_ptr<EchoServer> echo = StartEcho();
  ASSERT_NE(echo, nullptr);
  PeerOptions options = Options(echo->target());
  options.timeout = absl::Seconds(2);
  const Peer peer(options);
  Attempts attempts;
  // An infinite deadline stays bounded by the timeout.
  PeerCall call(absl::InfiniteFuture());
  ASSERT_TRUE(peer.Call(call, Peer::kNoRetry,
                        [&](grpc::ClientContext& context) {
                          return attempts.Echo(context, peer, EchoRequest());
                        })
                  .ok());
  EXPECT_LE(attempts.share, absl::Seconds(2));
  EXPECT_GT(attempts.share, absl::Seconds(1));
}

TEST(PeerTest, TheAnswerMarginIsNeverGivenAway) {
  std::unique_ptr<EchoServer> echo = StartEcho();
  ASSERT_NE(echo, nullptr);
  PeerOptions options = Options(echo->target());
  options.answer_margin = absl::Seconds(4);
  options.timeout = absl::Seconds(30);
  const Peer peer(options);
  Attempts attempts;
  // Half of 6 s would be 3 s, but only 2 s are left before the margin.
  PeerCall call(absl::Now() + absl::Seconds(6));
  ASSERT_TRUE(peer.Call(call, Peer::kNoRetry,
                        [&](grpc::ClientContext& context) {
                          return attempts.Echo(context, peer, EchoRequest());
                        })
                  .ok());
  EXPECT_LE(attempts.share, absl::Seconds(2));
  EXPECT_GT(attempts.share, absl::Seconds(1));

  // Nothing left beyond the margin: no attempt at all.
  PeerCall late(absl::Now() + absl::Seconds(3));
  const grpc::Status status =
      peer.Call(late, Peer::kSafeToRetry, [&](grpc::ClientContext& context) {
        return attempts.Echo(context, peer, EchoRequest());
      });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(attempts.count, 1);
}

TEST(PeerTest, UnavailableIsRetriedOnceOnlyWhenSafe) {
  const Peer peer(Options(ClosedAddress()));
  for (const Peer::Retry retry : {Peer::kSafeToRetry, Peer::kNoRetry}) {
    SCOPED_TRACE(retry == Peer::kSafeToRetry ? "safe" : "not safe");
    Attempts attempts;
    PeerCall call(absl::Now() + absl::Seconds(10));
    const grpc::Status status =
        peer.Call(call, retry, [&](grpc::ClientContext& context) {
          return attempts.Echo(context, peer, EchoRequest());
        });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(attempts.count, retry == Peer::kSafeToRetry ? 2 : 1);
  }
}

TEST(PeerTest, OnlyUnavailableIsRetried) {
  std::unique_ptr<EchoServer> echo = StartEcho();
  ASSERT_NE(echo, nullptr);
  PeerOptions options = Options(echo->target());
  options.timeout = absl::Milliseconds(300);
  const Peer peer(options);

  // Too late: DEADLINE_EXCEEDED, not retried even when safe.
  Attempts late;
  PeerCall call(absl::Now() + absl::Seconds(10));
  grpc::Status status =
      peer.Call(call, Peer::kSafeToRetry, [&](grpc::ClientContext& context) {
        return late.Echo(context, peer, Delayed(absl::Seconds(30)));
      });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(late.count, 1);

  // An answer that is an error (the echo server has no health service).
  int attempts = 0;
  PeerCall other(absl::Now() + absl::Seconds(10));
  status = peer.Call(other, Peer::kSafeToRetry, [&](grpc::ClientContext& ctx) {
    ++attempts;
    grpc::health::v1::HealthCheckResponse response;
    return grpc::health::v1::Health::NewStub(peer.channel())
        ->Check(&ctx, grpc::health::v1::HealthCheckRequest(), &response);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(attempts, 1);
}

TEST(PeerTest, APeerThatDidNotAnswerIsNotAskedAgainInTheSameCall) {
  std::unique_ptr<EchoServer> echo = StartEcho();
  ASSERT_NE(echo, nullptr);
  PeerOptions options = Options(echo->target());
  options.timeout = absl::Milliseconds(200);
  const Peer frozen(options);
  const Peer down(Options(ClosedAddress()));
  const Peer answering(Options(echo->target()));

  Attempts frozen_attempts;
  Attempts down_attempts;
  Attempts answering_attempts;
  PeerCall call(absl::Now() + absl::Seconds(20));
  for (int item = 0; item < 3; ++item) {
    SCOPED_TRACE(item);
    EXPECT_EQ(frozen
                  .Call(call, Peer::kSafeToRetry,
                        [&](grpc::ClientContext& context) {
                          return frozen_attempts.Echo(
                              context, frozen, Delayed(absl::Seconds(30)));
                        })
                  .error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
    EXPECT_EQ(down.Call(call, Peer::kSafeToRetry,
                        [&](grpc::ClientContext& context) {
                          return down_attempts.Echo(context, down,
                                                    EchoRequest());
                        })
                  .error_code(),
              grpc::StatusCode::UNAVAILABLE);
    // The other peers' failures do not stop this one.
    EXPECT_TRUE(answering
                    .Call(call, Peer::kSafeToRetry,
                          [&](grpc::ClientContext& context) {
                            return answering_attempts.Echo(context, answering,
                                                           EchoRequest());
                          })
                    .ok());
  }
  EXPECT_EQ(frozen_attempts.count, 1);
  EXPECT_EQ(down_attempts.count, 2);  // the first call's retry
  EXPECT_EQ(answering_attempts.count, 3);

  // The next incoming call asks again.
  PeerCall next(absl::Now() + absl::Seconds(20));
  EXPECT_EQ(down.Call(next, Peer::kNoRetry,
                      [&](grpc::ClientContext& context) {
                        return down_attempts.Echo(context, down, EchoRequest());
                      })
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(down_attempts.count, 3);
}

TEST(PeerTest, APeerThatAnsweredWithAnErrorIsAskedAgain) {
  std::unique_ptr<EchoServer> echo = StartEcho();
  ASSERT_NE(echo, nullptr);
  const Peer peer(Options(echo->target()));
  PeerCall call(absl::Now() + absl::Seconds(10));
  int attempts = 0;
  for (int item = 0; item < 2; ++item) {
    const grpc::Status status =
        peer.Call(call, Peer::kSafeToRetry, [&](grpc::ClientContext&) {
          ++attempts;
          return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such plan");
        });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(attempts, 2);
}

TEST(PeerTest, DescribeNamesWhatIsMissingAndWhy) {
  const Peer peer(Options("127.0.0.1:1"));
  auto describe = [&](grpc::StatusCode code) {
    return peer.Describe("plan target", grpc::Status(code, "detail"));
  };
  EXPECT_EQ(describe(grpc::StatusCode::UNAVAILABLE),
            "plan target unknown: the plan service is unreachable "
            "(UNAVAILABLE)");
  EXPECT_EQ(describe(grpc::StatusCode::DEADLINE_EXCEEDED),
            "plan target unknown: the plan service did not answer in time "
            "(DEADLINE_EXCEEDED)");
  EXPECT_EQ(describe(grpc::StatusCode::UNAUTHENTICATED),
            "plan target unknown: the plan service refused this service's "
            "key");
  EXPECT_EQ(describe(grpc::StatusCode::PERMISSION_DENIED),
            "plan target unknown: the plan service refused this service's "
            "key");
  // A configured peer's FAILED_PRECONDITION is its own answer, by code; the
  // peer's message is never quoted.
  EXPECT_EQ(describe(grpc::StatusCode::FAILED_PRECONDITION),
            "plan target unknown: the plan service answered 9");
  EXPECT_EQ(describe(grpc::StatusCode::NOT_FOUND),
            "plan target unknown: the plan service answered 5");
}

}  // namespace
}  // namespace prongsai::client
