#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/cache/redis.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/cache/private_redis.h"
#include "tests/support/test_env.h"

namespace prongsai::cache {
namespace {

using ::prongsai::cache::testing::PrivateRedis;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;

using State = CircuitBreaker::State;

MATCHER_P(IsOkAndHolds, expected, "") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return *arg == expected;
}

// Matches a Get that found `value`.
auto Holds(const std::string& value) {
  return IsOkAndHolds(std::optional<std::string>(value));
}
// Matches a Get that found nothing.
auto HoldsNothing() { return IsOkAndHolds(std::optional<std::string>()); }

// Each test owns a redis-server on a unix socket, and a breaker on a fake
// clock so that its state does not depend on how fast the machine is.
class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(redis_.Start(), IsOk());
    client_ = std::make_unique<RedisClient>(Options(), breaker_);
  }

  RedisOptions Options() const {
    RedisOptions options = redis_.ClientOptions();
    options.command_timeout = absl::Seconds(2);
    options.reconnect_backoff_initial = absl::Milliseconds(1);
    options.reconnect_backoff_max = absl::Milliseconds(5);
    return options;
  }

  // Calls Get until the breaker opens; every call must fail UNAVAILABLE.
  void FailUntilBreakerOpens() {
    for (int i = 0; i < 2000 && breaker_->state() != State::kOpen; ++i) {
      EXPECT_THAT(client_->Get("k"), StatusIs(absl::StatusCode::kUnavailable));
      absl::SleepFor(absl::Milliseconds(1));  // Let the back-off pass.
    }
    ASSERT_EQ(breaker_->state(), State::kOpen);
  }

  PrivateRedis redis_;
  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
  std::shared_ptr<CircuitBreaker> breaker_ = std::make_shared<CircuitBreaker>(
      CircuitBreaker::Options{.failure_threshold = 3,
                              .open_duration = absl::Seconds(2)},
      [this] { return now_; });
  std::unique_ptr<RedisClient> client_;
};

TEST_F(RedisClientTest, SetGetDelete) {
  EXPECT_FALSE(client_->connected());  // Lazy.
  EXPECT_THAT(client_->Get("plan:1"), HoldsNothing());
  EXPECT_TRUE(client_->connected());
  ASSERT_THAT(client_->Set("plan:1", "hello", absl::Minutes(1)), IsOk());
  EXPECT_THAT(client_->Get("plan:1"), Holds(std::string("hello")));
  ASSERT_THAT(client_->Delete("plan:1"), IsOk());
  EXPECT_THAT(client_->Get("plan:1"), HoldsNothing());
  EXPECT_THAT(client_->Delete("plan:1"), IsOk());  // Already gone: fine.
}

TEST_F(RedisClientTest, SetAppliesTheTtl) {
  ASSERT_THAT(client_->Set("short", "lived", absl::Seconds(1)), IsOk());
  absl::StatusOr<Reply> pttl = client_->Command({"PTTL", "short"});
  ASSERT_THAT(pttl, IsOk());
  ASSERT_EQ(pttl->type, Reply::Type::kInteger);
  EXPECT_GT(pttl->integer, 0);
  EXPECT_LE(pttl->integer, 1000);

  std::optional<std::string> value = "lived";
  for (int i = 0; i < 200 && value.has_value(); ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    absl::StatusOr<std::optional<std::string>> got = client_->Get("short");
    ASSERT_THAT(got, IsOk());
    value = *got;
  }
  EXPECT_EQ(value, std::nullopt) << "the entry never expired";
}

TEST_F(RedisClientTest, SetRejectsATtlThatWouldNeverExpire) {
  for (absl::Duration ttl :
       {absl::ZeroDuration(), absl::Seconds(-1), absl::InfiniteDuration()}) {
    EXPECT_THAT(client_->Set("k", "v", ttl),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
  EXPECT_THAT(client_->Get("k"), HoldsNothing());
}

TEST_F(RedisClientTest, ValuesAndKeysAreBinarySafe) {
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  const std::string with_nul("a\0b\0\0c", 6);
  const std::string thai = "แผนปฏิบัติการป้องกันการทุจริต ๒๕๖๗";
  for (const std::string& value : {all_bytes, with_nul, thai}) {
    ASSERT_THAT(client_->Set("binary", value, absl::Minutes(1)), IsOk());
    EXPECT_THAT(client_->Get("binary"), Holds(value));
  }
  ASSERT_THAT(client_->Set(thai, with_nul, absl::Minutes(1)), IsOk());
  EXPECT_THAT(client_->Get(thai), Holds(with_nul));
}

TEST_F(RedisClientTest, AKeyCannotInjectASecondCommand) {
  const std::string key =
      "plan 1\r\nSET injected yes\r\n*1\r\n$8\r\nFLUSHALL\r\n";
  ASSERT_THAT(client_->Set(key, "v", absl::Minutes(1)), IsOk());
  EXPECT_THAT(client_->Get(key), Holds(std::string("v")));

  absl::StatusOr<Reply> exists = client_->Command({"EXISTS", "injected"});
  ASSERT_THAT(exists, IsOk());
  EXPECT_EQ(exists->integer, 0);
  absl::StatusOr<Reply> size = client_->Command({"DBSIZE"});
  ASSERT_THAT(size, IsOk());
  EXPECT_EQ(size->integer, 1);
}

TEST_F(RedisClientTest, CommandConvertsEveryReplyType) {
  absl::StatusOr<Reply> pong = client_->Command({"PING"});
  ASSERT_THAT(pong, IsOk());
  EXPECT_EQ(pong->type, Reply::Type::kStatus);
  EXPECT_EQ(pong->string, "PONG");

  absl::StatusOr<Reply> count = client_->Command({"INCRBY", "n", "41"});
  ASSERT_THAT(count, IsOk());
  EXPECT_EQ(count->type, Reply::Type::kInteger);
  EXPECT_EQ(count->integer, 41);

  ASSERT_THAT(client_->Command({"RPUSH", "list", "a", std::string("\0b", 2)}),
              IsOk());
  absl::StatusOr<Reply> list = client_->Command({"LRANGE", "list", "0", "-1"});
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->type, Reply::Type::kArray);
  ASSERT_EQ(list->elements.size(), 2u);
  EXPECT_EQ(list->elements[0].string, "a");
  EXPECT_EQ(list->elements[1].type, Reply::Type::kString);
  EXPECT_EQ(list->elements[1].string, std::string("\0b", 2));

  absl::StatusOr<Reply> missing = client_->Command({"GET", "missing"});
  ASSERT_THAT(missing, IsOk());
  EXPECT_EQ(missing->type, Reply::Type::kNil);

  EXPECT_THAT(client_->Command({}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RedisClientTest, ErrorRepliesNameTheErrorCodeNotTheArguments) {
  // Redis quotes the arguments of an unknown command in its error message.
  absl::StatusOr<Reply> reply =
      client_->Command({"NOSUCHCOMMAND", "somchai@example.com"});
  ASSERT_THAT(reply, StatusIs(absl::StatusCode::kInternal));
  EXPECT_FALSE(absl::StrContains(reply.status().message(), "somchai"))
      << reply.status();
  EXPECT_TRUE(absl::StrContains(reply.status().message(), "ERR"))
      << reply.status();

  ASSERT_THAT(client_->Command({"RPUSH", "a-list", "x"}), IsOk());
  EXPECT_THAT(client_->Get("a-list"), StatusIs(absl::StatusCode::kInternal));
  // Redis answered: the connection is kept and the breaker sees successes.
  EXPECT_TRUE(client_->connected());
  EXPECT_EQ(breaker_->state(), State::kClosed);
}

TEST_F(RedisClientTest, APassedDeadlineFailsWithoutAnyIo) {
  client_->SetDeadline(absl::Now() - absl::Milliseconds(1));
  EXPECT_THAT(client_->Get("k"), StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_THAT(client_->Set("k", "v", absl::Minutes(1)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  // Redis is up, yet the client never even connected.
  EXPECT_FALSE(client_->connected());
  EXPECT_EQ(breaker_->state(), State::kClosed);

  client_->SetDeadline(absl::InfiniteFuture());
  ASSERT_THAT(client_->Set("k", "v", absl::Minutes(1)), IsOk());
  EXPECT_TRUE(client_->connected());
}

TEST_F(RedisClientTest, TheDeadlineShortensTheCommandTimeout) {
  RedisOptions options = Options();
  options.command_timeout = absl::Minutes(1);
  RedisClient client(options, nullptr);
  ASSERT_THAT(client.Set("k", "v", absl::Minutes(1)), IsOk());

  redis_.Pause();
  const absl::Time start = absl::Now();
  client.SetDeadline(start + absl::Milliseconds(200));
  EXPECT_THAT(client.Get("k"), StatusIs(absl::StatusCode::kDeadlineExceeded));
  // Not a speed check: it proves the 1-minute command timeout did not apply.
  EXPECT_LT(absl::Now() - start, absl::Seconds(30));
  EXPECT_FALSE(client.connected());  // A timed-out context is discarded.
  redis_.Resume();

  client.SetDeadline(absl::InfiniteFuture());
  absl::StatusOr<std::optional<std::string>> value;
  for (int i = 0; i < 200; ++i) {
    value = client.Get("k");
    if (value.ok()) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_THAT(value, Holds(std::string("v")));
}

TEST_F(RedisClientTest, FailsFastOnceTheBreakerIsOpen) {
  ASSERT_THAT(client_->Set("k", "v", absl::Minutes(1)), IsOk());
  redis_.Kill();
  FailUntilBreakerOpens();
  EXPECT_FALSE(client_->connected());
  // Past this client's own reconnect back-off, only the breaker refuses.
  absl::SleepFor(absl::Milliseconds(10));
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<std::optional<std::string>> value = client_->Get("k");
    ASSERT_THAT(value, StatusIs(absl::StatusCode::kUnavailable));
    EXPECT_TRUE(absl::StrContains(value.status().message(), "breaker open"))
        << value.status();
  }
}

TEST_F(RedisClientTest, ReconnectsAfterARestart) {
  ASSERT_THAT(client_->Set("k", "before", absl::Minutes(1)), IsOk());
  redis_.Kill();
  // The connection to the dead server fails (SIGPIPE must not kill us) and is
  // discarded.
  EXPECT_THAT(client_->Set("k", "during", absl::Minutes(1)),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_FALSE(client_->connected());
  FailUntilBreakerOpens();

  ASSERT_THAT(redis_.Start(), IsOk());  // Same socket, empty data.
  now_ += absl::Seconds(2);             // The breaker lets a probe through.
  absl::StatusOr<std::optional<std::string>> value;
  for (int i = 0; i < 200; ++i) {
    value = client_->Get("k");
    if (value.ok()) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_THAT(value, HoldsNothing());
  EXPECT_TRUE(client_->connected());
  EXPECT_EQ(breaker_->state(), State::kClosed);
  ASSERT_THAT(client_->Set("k", "after", absl::Minutes(1)), IsOk());
  EXPECT_THAT(client_->Get("k"), Holds(std::string("after")));
}

TEST(RedisClientTcpTest, AuthenticatesAndSelectsTheDatabase) {
  PrivateRedis redis({.tcp = true, .password = "t0p-s3cret"});
  ASSERT_THAT(redis.Start(), IsOk());
  RedisOptions options = redis.ClientOptions();
  ASSERT_GT(options.port, 0);
  options.db = 2;
  RedisClient client(options, nullptr);
  ASSERT_THAT(client.Set("k", "in db 2", absl::Minutes(1)), IsOk());
  EXPECT_THAT(client.Get("k"), Holds(std::string("in db 2")));

  options.db = 0;
  RedisClient db0(options, nullptr);
  EXPECT_THAT(db0.Get("k"), HoldsNothing());

  // The same server reached through a URL.
  absl::StatusOr<RedisOptions> parsed = ParseRedisUrl(
      absl::StrCat("redis://:t0p-s3cret@127.0.0.1:", options.port, "/2"));
  ASSERT_THAT(parsed, IsOk());
  RedisClient from_url(*parsed, nullptr);
  EXPECT_THAT(from_url.Get("k"), Holds(std::string("in db 2")));
}

TEST(RedisClientTcpTest, AWrongPasswordIsUnavailableAndNeverQuoted) {
  PrivateRedis redis({.tcp = true, .password = "right-password"});
  ASSERT_THAT(redis.Start(), IsOk());
  for (const char* password : {"wrong-password", ""}) {
    RedisOptions options = redis.ClientOptions();
    options.password = password;
    RedisClient client(options, nullptr);
    absl::StatusOr<std::optional<std::string>> value = client.Get("k");
    // Without a password, the command itself is refused (NOAUTH).
    ASSERT_FALSE(value.ok());
    EXPECT_FALSE(absl::StrContains(value.status().message(), "-password"))
        << value.status();
  }
  RedisOptions options = redis.ClientOptions();
  options.password = "wrong-password";
  RedisClient client(options, nullptr);
  EXPECT_THAT(client.Get("k"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_FALSE(client.connected());
}

TEST(RedisClientTcpTest, NothingListeningIsUnavailable) {
  RedisOptions options;
  options.port = 1;  // Privileged and unused: the connect is refused.
  auto breaker = std::make_shared<CircuitBreaker>(CircuitBreaker::Options());
  RedisClient client(options, breaker);
  EXPECT_THAT(client.Get("k"), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_FALSE(client.connected());
}

TEST(SharedRedisTest, RoundTrip) {
  std::optional<std::string> url = prongsai::testing::RedisUrl();
  PRONGSAI_REQUIRE_BACKEND(url, "Redis");
  absl::StatusOr<RedisOptions> options = ParseRedisUrl(*url);
  ASSERT_THAT(options, IsOk());
  RedisClient client(*options, nullptr);
  const std::string key = absl::StrCat("prongsai:test:redis_client_test:",
                                       absl::ToUnixNanos(absl::Now()));
  ASSERT_THAT(client.Set(key, "ค่า", absl::Seconds(30)), IsOk());
  EXPECT_THAT(client.Get(key), Holds(std::string("ค่า")));
  ASSERT_THAT(client.Delete(key), IsOk());
  EXPECT_THAT(client.Get(key), HoldsNothing());
}

}  // namespace
}  // namespace prongsai::cache
