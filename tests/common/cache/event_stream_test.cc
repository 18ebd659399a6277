// Events go to a Redis Stream when Redis is there, trimmed to a maximum
// length, and their loss never reaches the caller.
#include "common/cache/event_stream.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/common/cache/private_redis.h"

namespace prongsai::cache {
namespace {

using ::prongsai::cache::testing::PrivateRedis;

std::vector<std::pair<std::string, std::string>> Event(std::string type) {
  return {{"type", std::move(type)}, {"complaint", "organizations/x/c/1"}};
}

TEST(EventPublisherTest, PublishesTrimsAndSurvivesAnOutage) {
  PrivateRedis redis;
  ASSERT_TRUE(redis.Start().ok());
  auto breaker = std::make_shared<CircuitBreaker>(CircuitBreaker::Options());
  RedisClient client(redis.ClientOptions(), breaker);
  EventPublisher events({.stream = "test:events", .max_len = 5});

  events.Publish(&client, Event("complaint.filed"));
  absl::StatusOr<Reply> range = client.Command(
      std::vector<std::string>{"XRANGE", "test:events", "-", "+"});
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->elements.size(), 1u);
  // An entry is [id, [field, value, field, value]].
  const Reply& fields = range->elements[0].elements[1];
  ASSERT_EQ(fields.elements.size(), 4u);
  EXPECT_EQ(fields.elements[0].string, "type");
  EXPECT_EQ(fields.elements[1].string, "complaint.filed");
  EXPECT_EQ(events.failures(), 0);

  // MAXLEN ~ trims approximately; a thousand events leave far fewer.
  for (int i = 0; i < 1000; ++i) events.Publish(&client, Event("x"));
  absl::StatusOr<Reply> length =
      client.Command(std::vector<std::string>{"XLEN", "test:events"});
  ASSERT_TRUE(length.ok());
  EXPECT_LT(length->integer, 1000);

  // Redis gone: Publish returns, failures are counted.
  redis.Kill();
  for (int i = 0; i < 5; ++i) events.Publish(&client, Event("lost"));
  EXPECT_GE(events.failures(), 1);

  // Back: publishing resumes (once the breaker lets a probe through).
  ASSERT_TRUE(redis.Start().ok());
  RedisClient fresh(redis.ClientOptions(), nullptr);
  events.Publish(&fresh, Event("after"));
  absl::StatusOr<Reply> after = fresh.Command(
      std::vector<std::string>{"XRANGE", "test:events", "-", "+"});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->elements.size(), 1u);  // the restarted Redis kept nothing
  EXPECT_EQ(after->elements[0].elements[1].elements[1].string, "after");
}

TEST(EventPublisherTest, WithoutRedisNothingIsSentOrCounted) {
  EventPublisher events({});
  events.Publish(nullptr, Event("complaint.filed"));
  EXPECT_EQ(events.failures(), 0);
}

}  // namespace
}  // namespace prongsai::cache
