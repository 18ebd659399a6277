#include <string>

#include "absl/strings/match.h"
#include "common/cache/redis.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::cache {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;

TEST(ParseRedisUrlTest, HostPortAndDatabase) {
  absl::StatusOr<RedisOptions> options =
      ParseRedisUrl("redis://cache.internal:6380/3");
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->host, "cache.internal");
  EXPECT_EQ(options->port, 6380);
  EXPECT_EQ(options->db, 3);
  EXPECT_EQ(options->password, "");
  EXPECT_EQ(options->unix_socket, "");
}

TEST(ParseRedisUrlTest, DefaultsToPort6379AndDatabase0) {
  for (const char* url : {"redis://10.0.0.7", "redis://10.0.0.7/"}) {
    absl::StatusOr<RedisOptions> options = ParseRedisUrl(url);
    ASSERT_THAT(options, IsOk()) << url;
    EXPECT_EQ(options->host, "10.0.0.7");
    EXPECT_EQ(options->port, 6379);
    EXPECT_EQ(options->db, 0);
  }
}

TEST(ParseRedisUrlTest, PasswordIsPercentDecoded) {
  absl::StatusOr<RedisOptions> options =
      ParseRedisUrl("redis://:p%40ss%2Fw0rd@127.0.0.1:7000/1");
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->password, "p@ss/w0rd");
  EXPECT_EQ(options->host, "127.0.0.1");
  EXPECT_EQ(options->port, 7000);
  EXPECT_EQ(options->db, 1);
}

TEST(ParseRedisUrlTest, BracketedIpv6Host) {
  absl::StatusOr<RedisOptions> options = ParseRedisUrl("redis://[::1]:6390");
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->host, "::1");
  EXPECT_EQ(options->port, 6390);
}

TEST(ParseRedisUrlTest, UnixSocketWithDatabase) {
  absl::StatusOr<RedisOptions> options =
      ParseRedisUrl("unix:///run/redis/redis.sock?db=5");
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->unix_socket, "/run/redis/redis.sock");
  EXPECT_EQ(options->db, 5);

  options = ParseRedisUrl("unix:///tmp/r.sock");
  ASSERT_THAT(options, IsOk());
  EXPECT_EQ(options->unix_socket, "/tmp/r.sock");
  EXPECT_EQ(options->db, 0);
}

TEST(ParseRedisUrlTest, RejectsBadUrls) {
  for (const char* url : {
           "",
           "127.0.0.1:6379",
           "http://127.0.0.1:6379",
           "redis://",
           "redis://:6379",
           "redis://host:",
           "redis://host:0",
           "redis://host:65536",
           "redis://host:12ab",
           "redis://host:+80",
           "redis://host/db",
           "redis://host/-1",
           "redis://host/1/2",
           "redis://user:pw@host",
           "redis://:bad%zzescape@host",
           "redis://[::1",
           "redis://[::1]x",
           "unix://",
           "unix://relative/path.sock",
           "unix:///tmp/r.sock?db=",
           "unix:///tmp/r.sock?db=x",
           "unix:///tmp/r.sock?timeout=1",
       }) {
    EXPECT_THAT(ParseRedisUrl(url),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << url;
  }
}

TEST(ParseRedisUrlTest, ErrorsNeverQuoteThePassword) {
  for (const char* url :
       {"redis://:hunter2-secret@host:99999",
        "redis://:hunter2-secret@host/notadb",
        "redis://admin:hunter2-secret@host", "redis://:hunter2-secret@"}) {
    absl::StatusOr<RedisOptions> options = ParseRedisUrl(url);
    ASSERT_THAT(options, StatusIs(absl::StatusCode::kInvalidArgument)) << url;
    EXPECT_FALSE(absl::StrContains(options.status().ToString(), "hunter2"))
        << options.status();
    EXPECT_TRUE(absl::StartsWith(options.status().message(), "redis_url: "))
        << options.status();
  }
}

}  // namespace
}  // namespace prongsai::cache
