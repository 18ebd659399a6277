// A throw-away redis-server owned by one test: on a unix socket (or a free
// loopback port) in a scratch directory, without persistence, so that a test
// can kill, restart, pause (SIGSTOP) and resume (SIGCONT) it.
//
//   PrivateRedis redis;
//   ASSERT_THAT(redis.Start(), IsOk());
//   RedisClient client(redis.ClientOptions(), breaker);
//   redis.Kill();
#ifndef PRONGSAI_TESTS_COMMON_CACHE_PRIVATE_REDIS_H_
#define PRONGSAI_TESTS_COMMON_CACHE_PRIVATE_REDIS_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "common/cache/redis.h"

namespace prongsai::cache::testing {

class PrivateRedis {
 public:
  struct Options {
    // Listen on a loopback TCP port instead of a unix socket.
    bool tcp = false;
    // requirepass, when set.
    std::string password;
  };

  PrivateRedis() : PrivateRedis(Options()) {}
  explicit PrivateRedis(Options options);
  ~PrivateRedis();  // Kills the server.

  PrivateRedis(const PrivateRedis&) = delete;
  PrivateRedis& operator=(const PrivateRedis&) = delete;

  // Starts the server (again, on the same socket or port, after Kill) and
  // waits until it answers PING.
  absl::Status Start();
  // SIGKILL: no goodbye to the clients.
  void Kill();
  void Pause();   // SIGSTOP
  void Resume();  // SIGCONT

  // Options for a client of this server (with its password, if any).
  RedisOptions ClientOptions() const;

 private:
  absl::Status WaitUntilReady();
  std::string LogTail() const;

  const Options options_;
  std::string dir_;
  std::string socket_path_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace prongsai::cache::testing

#endif  // PRONGSAI_TESTS_COMMON_CACHE_PRIVATE_REDIS_H_
