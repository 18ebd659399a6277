// Events go to a Redis Stream when Redis is there, trimmed to a maximum
// length; their loss is counted and never reaches the caller, and
// publishing resumes when Redis comes back.
#include "common/cache/event_stream.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/cache/private_redis.h"
#include "tests/support/test_env.h"

namespace prongsai::cache {
namespace {

using ::prongsai::cache::testing::PrivateRedis;
using ::prongsai::testing::IsOk;

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields Event(std::string type) {
  return {{"type", std::move(type)},
          {"complaint", "organizations/x/complaints/1"}};
}

class EventPublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(redis_.Start(), IsOk());
    // Reconnects at once, with a breaker on the fake clock, so that the test
    // can bring Redis back without sleeping.
    RedisOptions options = redis_.ClientOptions();
    options.reconnect_backoff_initial = absl::ZeroDuration();
    options.reconnect_backoff_max = absl::ZeroDuration();
    client_ = std::make_unique<RedisClient>(options, breaker_);
  }

  // The stream's entries, each as its list of fields and values.
  std::vector<Fields> Entries(absl::string_view stream) {
    absl::StatusOr<Reply> range = client_->Command(
        std::vector<std::string>{"XRANGE", std::string(stream), "-", "+"});
    EXPECT_THAT(range, IsOk());
    std::vector<Fields> entries;
    if (!range.ok()) return entries;
    for (const Reply& entry : range->elements) {  // [id, [f, v, f, v...]]
      Fields fields;
      const std::vector<Reply>& flat = entry.elements.at(1).elements;
      for (size_t i = 0; i + 1 < flat.size(); i += 2) {
        fields.emplace_back(flat[i].string, flat[i + 1].string);
      }
      entries.push_back(std::move(fields));
    }
    return entries;
  }

  PrivateRedis redis_;
  absl::Time clock_ = absl::FromUnixSeconds(1759311000);
  std::shared_ptr<CircuitBreaker> breaker_ = std::make_shared<CircuitBreaker>(
      CircuitBreaker::Options(), [this] { return clock_; });
  std::unique_ptr<RedisClient> client_;
};

TEST_F(EventPublisherTest, PublishesTheFieldsInOrder) {
  EventPublisher events({.stream = "test:events", .max_len = 100});
  const Fields filed = {{"type", "complaint.filed"},
                        {"complaint", "organizations/x/complaints/1"},
                        {"state", "RECEIVED"},
                        {"odd", std::string("a b\n\0c", 6)}};  // binary-safe
  events.Publish(client_.get(), filed);
  events.Publish(client_.get(), Event("complaint.rated"));
  const std::vector<Fields> entries = Entries("test:events");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0], filed);
  EXPECT_EQ(entries[1], Event("complaint.rated"));
  EXPECT_EQ(events.failures(), 0);
}

TEST_F(EventPublisherTest, MaxLenTrimsTheStream) {
  EventPublisher events({.stream = "test:events", .max_len = 5});
  for (int i = 0; i < 1000; ++i) events.Publish(client_.get(), Event("x"));
  absl::StatusOr<Reply> length =
      client_->Command(std::vector<std::string>{"XLEN", "test:events"});
  ASSERT_THAT(length, IsOk());
  // "~" trims whole nodes (100 entries by default), never below max_len.
  EXPECT_GE(length->integer, 5);
  EXPECT_LE(length->integer, 200);
  EXPECT_EQ(events.failures(), 0);
}

TEST_F(EventPublisherTest, AnOutageIsCountedAndPublishingResumes) {
  EventPublisher events({.stream = "test:events", .max_len = 100});
  events.Publish(client_.get(), Event("before"));

  redis_.Kill();
  for (int i = 0; i < 10; ++i) events.Publish(client_.get(), Event("lost"));
  EXPECT_EQ(events.failures(), 10);
  // After a few failures the breaker refuses: later events cost no I/O.
  EXPECT_EQ(breaker_->state(), CircuitBreaker::State::kOpen);

  ASSERT_THAT(redis_.Start(), IsOk());              // empty: no persistence
  events.Publish(client_.get(), Event("refused"));  // breaker still open
  EXPECT_EQ(events.failures(), 11);
  clock_ += absl::Minutes(1);  // the breaker lets a probe through
  events.Publish(client_.get(), Event("after"));
  EXPECT_EQ(events.failures(), 11);
  EXPECT_EQ(breaker_->state(), CircuitBreaker::State::kClosed);
  const std::vector<Fields> entries = Entries("test:events");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0], Event("after"));
}

TEST_F(EventPublisherTest, AnErrorReplyIsCountedToo) {
  // Something else holds the stream's key: Redis answers WRONGTYPE.
  ASSERT_THAT(client_->Set("test:events", "not a stream", absl::Minutes(1)),
              IsOk());
  EventPublisher events({.stream = "test:events", .max_len = 100});
  events.Publish(client_.get(), Event("complaint.filed"));
  EXPECT_EQ(events.failures(), 1);
  // Redis is up: the breaker stays closed.
  EXPECT_EQ(breaker_->state(), CircuitBreaker::State::kClosed);
}

TEST(EventPublisherNoRedisTest, NothingIsSentOrCounted) {
  EventPublisher events({});
  events.Publish(nullptr, Event("complaint.filed"));
  EXPECT_EQ(events.failures(), 0);
}

}  // namespace
}  // namespace prongsai::cache
