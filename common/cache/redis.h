// A Redis client on hiredis for use as a cache only: a Redis that is down or
// slow must never make a service wrong or slow. Every failure comes back as a
// status (UNAVAILABLE, or DEADLINE_EXCEEDED when the RPC deadline ran out),
// and once a shared CircuitBreaker has seen a few failures in a row, calls
// fail in well under a microsecond without touching the network.
//
//   PRONGSAI_ASSIGN_OR_RETURN(RedisOptions options,
//                             ParseRedisUrl("redis://127.0.0.1:6379/0"));
//   auto breaker = std::make_shared<CircuitBreaker>(CircuitBreaker::Options());
//   RedisClient redis(options, breaker);  // one per worker thread
//   redis.SetDeadline(rpc_deadline);
//   absl::StatusOr<std::optional<std::string>> cached = redis.Get(key);
//
// hiredis writes with write(2): a write to a connection Redis has closed
// raises SIGPIPE. RedisClient blocks SIGPIPE in the calling thread for the
// duration of each command, so the process survives even when it does not
// ignore SIGPIPE itself.
#ifndef PRONGSAI_COMMON_CACHE_REDIS_H_
#define PRONGSAI_COMMON_CACHE_REDIS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

struct redisContext;  // hiredis

namespace prongsai::cache {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  // When set, used instead of host/port.
  std::string unix_socket;
  int db = 0;
  // Sent with AUTH; never logged nor put in a status.
  std::string password;
  absl::Duration connect_timeout = absl::Milliseconds(100);
  absl::Duration command_timeout = absl::Milliseconds(100);
  // After a failed command or connect, the client waits this long before it
  // connects again, doubling after each further failure up to the maximum.
  absl::Duration reconnect_backoff_initial = absl::Milliseconds(100);
  absl::Duration reconnect_backoff_max = absl::Seconds(5);
};

// Parses "redis://[:password@]host[:port][/db]" (host may be a bracketed IPv6
// address; the password may be percent-encoded) or
// "unix:///path/to/redis.sock[?db=N]". INVALID_ARGUMENT on bad input; the
// message never quotes the URL, which may hold the password.
absl::StatusOr<RedisOptions> ParseRedisUrl(absl::string_view url);

// Shared by every client of one Redis (thread-safe), so that the failures one
// worker sees spare the others their timeouts. After `failure_threshold`
// consecutive failures it opens: requests are refused for `open_duration`.
// Then it is half-open: it lets one probe through, and refuses the others; the
// probe's success closes it, its failure opens it again. A probe that never
// reports back is replaced by another after `open_duration`.
class CircuitBreaker {
 public:
  struct Options {
    int failure_threshold = 3;
    absl::Duration open_duration = absl::Seconds(2);
  };
  enum class State { kClosed = 0, kOpen = 1, kHalfOpen = 2 };
  using Clock = std::function<absl::Time()>;

  // `clock` is injectable for tests.
  explicit CircuitBreaker(Options options, Clock clock = absl::Now);

  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // True when a request may go to Redis. Every request let through must be
  // followed by RecordSuccess or RecordFailure.
  bool AllowRequest();
  // Redis answered (an error reply counts: Redis is up).
  void RecordSuccess();
  // Redis could not be reached or did not answer in time.
  void RecordFailure();

  // The state as of the last call above: an open breaker whose
  // `open_duration` has passed only becomes half-open on AllowRequest.
  State state();

 private:
  void Open(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Also sets prongsai_circuit_breaker_state{breaker="redis"} (the enum's
  // order: 0 closed, 1 open, 2 half-open).
  void SetState(State state) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  const Clock clock_;
  absl::Mutex mu_;
  State state_ ABSL_GUARDED_BY(mu_) = State::kClosed;
  int consecutive_failures_ ABSL_GUARDED_BY(mu_) = 0;
  // kOpen: when the breaker may turn half-open. kHalfOpen: when the current
  // probe is given up for lost.
  absl::Time retry_at_ ABSL_GUARDED_BY(mu_);
};

// A Redis reply. Error replies are not Replies: they become a status.
struct Reply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray };
  Type type = Type::kNil;
  int64_t integer = 0;          // kInteger
  std::string string;           // kString (binary-safe) and kStatus
  std::vector<Reply> elements;  // kArray
};

// One connection, owned by one worker thread (never shared: a hiredis context
// is not thread-safe). Connects lazily. After an I/O error or a timeout the
// context is discarded, never reused, and the next connect waits out an
// exponential back-off. Every call fails fast with UNAVAILABLE while the
// breaker is open or during the back-off. Error replies from Redis come back
// as INTERNAL naming the command and Redis's error code, never the arguments.
class RedisClient {
 public:
  // `breaker` may be shared with other clients of the same Redis; nullptr
  // means no breaker.
  RedisClient(RedisOptions options, std::shared_ptr<CircuitBreaker> breaker);
  ~RedisClient();

  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // The value at `key`, or nullopt when there is none.
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key);
  // Stores `value` at `key` for `ttl` (positive and finite, rounded up to a
  // whole millisecond): a cache entry always expires.
  absl::Status Set(absl::string_view key, absl::string_view value,
                   absl::Duration ttl);
  // Removes `key`; OK when there was none.
  absl::Status Delete(absl::string_view key);

  // Any command. Arguments go to Redis binary-safe, each as one bulk string
  // (redisCommandArgv): user input can never become a second command.
  absl::StatusOr<Reply> Command(absl::Span<const std::string> argv);

  // Calls that follow time out after min(command_timeout, deadline - now)
  // (connects after min(connect_timeout, deadline - now)); once the deadline
  // has passed they fail with DEADLINE_EXCEEDED without any I/O.
  // absl::InfiniteFuture() lifts it.
  void SetDeadline(absl::Time deadline);

  // True while the client holds an open connection.
  bool connected() const;

 private:
  struct ContextDeleter {
    void operator()(redisContext* context) const;
  };
  using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

  absl::StatusOr<Reply> Execute(absl::Span<const absl::string_view> argv);
  absl::Status Connect(absl::Time now);
  // Sends one command on context_ with at most `timeout`; on failure discards
  // the context.
  absl::StatusOr<Reply> RoundTrip(absl::Span<const absl::string_view> argv,
                                  absl::Duration timeout);
  // Discards the context and schedules the next connect after the back-off.
  void Fail(absl::Time now);
  std::string Endpoint() const;

  const RedisOptions options_;
  const std::shared_ptr<CircuitBreaker> breaker_;
  ContextPtr context_;
  // The socket timeout last set on context_, to skip redundant setsockopts.
  absl::Duration applied_timeout_ = absl::ZeroDuration();
  absl::Time deadline_ = absl::InfiniteFuture();
  int consecutive_failures_ = 0;
  absl::Time next_connect_ = absl::InfinitePast();
};

}  // namespace prongsai::cache

#endif  // PRONGSAI_COMMON_CACHE_REDIS_H_
