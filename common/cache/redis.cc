// RedisClient: one hiredis connection with deadlines, back-off and a breaker.

#include "common/cache/redis.h"

#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace prongsai::cache {
namespace {

// Keeps a SIGPIPE raised by hiredis's write(2) on a connection Redis has
// closed from killing the process: the signal is blocked in this thread for
// the guard's lifetime and a pending one is consumed before unblocking. The
// write itself then fails with EPIPE and hiredis reports an I/O error.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &sigpipe_, &previous);
    was_blocked_ = sigismember(&previous, SIGPIPE) == 1;
  }
  ~SigpipeGuard() {
    if (was_blocked_) return;  // The caller's own business.
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) == 1) {
      const timespec no_wait = {0, 0};
      sigtimedwait(&sigpipe_, nullptr, &no_wait);
    }
    pthread_sigmask(SIG_UNBLOCK, &sigpipe_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t sigpipe_;
  bool was_blocked_ = false;
};

Reply ConvertReply(const redisReply& raw) {
  Reply reply;
  switch (raw.type) {
    case REDIS_REPLY_STRING:
      reply.type = Reply::Type::kString;
      reply.string.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_STATUS:
      reply.type = Reply::Type::kStatus;
      reply.string.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_INTEGER:
      reply.type = Reply::Type::kInteger;
      reply.integer = raw.integer;
      break;
    case REDIS_REPLY_ARRAY:
      reply.type = Reply::Type::kArray;
      reply.elements.reserve(raw.elements);
      for (size_t i = 0; i < raw.elements; ++i) {
        reply.elements.push_back(ConvertReply(*raw.element[i]));
      }
      break;
    default:  // REDIS_REPLY_NIL
      reply.type = Reply::Type::kNil;
      break;
  }
  return reply;
}

// Redis's error code ("WRONGTYPE", "ERR", ...): the rest of an error message
// may quote the command's arguments, which may be personal data.
absl::string_view ErrorCode(const redisReply& raw) {
  absl::string_view message(raw.str, raw.len);
  return message.substr(0, std::min(message.find(' '), size_t{32}));
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};

}  // namespace

void RedisClient::ContextDeleter::operator()(redisContext* context) const {
  redisFree(context);
}

RedisClient::RedisClient(RedisOptions options,
                         std::shared_ptr<CircuitBreaker> breaker)
    : options_(std::move(options)), breaker_(std::move(breaker)) {}

RedisClient::~RedisClient() = default;

bool RedisClient::connected() const { return context_ != nullptr; }

void RedisClient::SetDeadline(absl::Time deadline) { deadline_ = deadline; }

absl::StatusOr<std::optional<std::string>> RedisClient::Get(
    absl::string_view key) {
  const absl::string_view argv[] = {"GET", key};
  absl::StatusOr<Reply> reply = Execute(argv);
  if (!reply.ok()) return reply.status();
  switch (reply->type) {
    case Reply::Type::kNil:
      return std::nullopt;
    case Reply::Type::kString:
      return std::move(reply->string);
    default:
      return absl::InternalError("redis GET: unexpected reply type");
  }
}

absl::Status RedisClient::Set(absl::string_view key, absl::string_view value,
                              absl::Duration ttl) {
  if (ttl <= absl::ZeroDuration() || ttl == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("ttl: must be positive and finite");
  }
  const std::string ttl_millis = absl::StrCat(
      absl::ToInt64Milliseconds(absl::Ceil(ttl, absl::Milliseconds(1))));
  const absl::string_view argv[] = {"SET", key, value, "PX", ttl_millis};
  return Execute(argv).status();
}

absl::Status RedisClient::Delete(absl::string_view key) {
  const absl::string_view argv[] = {"DEL", key};
  return Execute(argv).status();
}

absl::StatusOr<Reply> RedisClient::Command(absl::Span<const std::string> argv) {
  if (argv.empty()) return absl::InvalidArgumentError("argv: empty command");
  std::vector<absl::string_view> views(argv.begin(), argv.end());
  return Execute(views);
}

absl::StatusOr<Reply> RedisClient::Execute(
    absl::Span<const absl::string_view> argv) {
  // Cheapest refusals first: none of them touches the network, nor the
  // breaker, whose probe they would otherwise waste.
  absl::Time now = absl::Now();
  if (now >= deadline_) {
    return absl::DeadlineExceededError("redis: the deadline has passed");
  }
  if (context_ == nullptr && now < next_connect_) {
    return absl::UnavailableError("redis: waiting to reconnect");
  }
  if (breaker_ != nullptr && !breaker_->AllowRequest()) {
    return absl::UnavailableError("redis: circuit breaker open");
  }

  if (context_ == nullptr) {
    if (absl::Status status = Connect(now); !status.ok()) {
      Fail(absl::Now());
      if (breaker_ != nullptr) breaker_->RecordFailure();
      return status;
    }
    now = absl::Now();
  }
  const absl::Duration timeout =
      std::min(options_.command_timeout, deadline_ - now);
  if (timeout < absl::Microseconds(1)) {
    // Connected, so Redis is up; the deadline ran out on the way.
    if (breaker_ != nullptr) breaker_->RecordSuccess();
    return absl::DeadlineExceededError("redis: the deadline has passed");
  }
  absl::StatusOr<Reply> reply = RoundTrip(argv, timeout);
  // RoundTrip drops the context on I/O errors only: an error reply is still
  // an answer from a healthy Redis.
  if (context_ == nullptr) {
    Fail(absl::Now());
    if (breaker_ != nullptr) breaker_->RecordFailure();
  } else {
    consecutive_failures_ = 0;
    if (breaker_ != nullptr) breaker_->RecordSuccess();
  }
  return reply;
}

absl::Status RedisClient::Connect(absl::Time now) {
  // At least 1us: a zero timeval means "no timeout" to hiredis.
  const timeval connect_timeout = absl::ToTimeval(
      std::max(absl::Microseconds(1),
               std::min(options_.connect_timeout, deadline_ - now)));
  ContextPtr context(options_.unix_socket.empty()
                         ? redisConnectWithTimeout(options_.host.c_str(),
                                                   options_.port,
                                                   connect_timeout)
                         : redisConnectUnixWithTimeout(
                               options_.unix_socket.c_str(), connect_timeout));
  if (context == nullptr) {
    return absl::ResourceExhaustedError("redis: cannot allocate a context");
  }
  if (context->err != 0) {
    if (absl::Now() >= deadline_) {
      return absl::DeadlineExceededError(
          "redis: the deadline passed while connecting");
    }
    return absl::UnavailableError(absl::StrCat(
        "redis: cannot connect to ", Endpoint(), ": ", context->errstr));
  }
  if (options_.unix_socket.empty()) redisEnableKeepAlive(context.get());
  context_ = std::move(context);
  applied_timeout_ = absl::ZeroDuration();

  const absl::Duration timeout =
      std::max(absl::Microseconds(1),
               std::min(options_.command_timeout, deadline_ - absl::Now()));
  // A refused AUTH or SELECT leaves the cache as unusable as a dead server:
  // UNAVAILABLE, and a failure for the breaker, rather than INTERNAL.
  auto set_up = [&](absl::Span<const absl::string_view> argv) {
    absl::StatusOr<Reply> reply = RoundTrip(argv, timeout);
    if (reply.ok()) return absl::OkStatus();
    context_.reset();
    return reply.status().code() == absl::StatusCode::kInternal
               ? absl::UnavailableError(reply.status().message())
               : reply.status();
  };
  if (!options_.password.empty()) {
    const absl::string_view auth[] = {"AUTH", options_.password};
    if (absl::Status status = set_up(auth); !status.ok()) return status;
  }
  if (options_.db != 0) {
    const std::string db = absl::StrCat(options_.db);
    const absl::string_view select[] = {"SELECT", db};
    if (absl::Status status = set_up(select); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<Reply> RedisClient::RoundTrip(
    absl::Span<const absl::string_view> argv, absl::Duration timeout) {
  if (timeout != applied_timeout_) {
    // A zero timeval would mean "no timeout": callers pass at least 1us.
    if (redisSetTimeout(context_.get(), absl::ToTimeval(timeout)) != REDIS_OK) {
      std::string error = context_->errstr;
      context_.reset();
      return absl::UnavailableError(
          absl::StrCat("redis: cannot set a timeout: ", error));
    }
    applied_timeout_ = timeout;
  }

  std::vector<const char*> pointers;
  std::vector<size_t> lengths;
  pointers.reserve(argv.size());
  lengths.reserve(argv.size());
  for (absl::string_view arg : argv) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  std::unique_ptr<redisReply, ReplyDeleter> raw;
  {
    SigpipeGuard sigpipe_guard;
    raw.reset(static_cast<redisReply*>(
        redisCommandArgv(context_.get(), static_cast<int>(argv.size()),
                         pointers.data(), lengths.data())));
  }
  if (raw == nullptr) {
    // The context is unusable after any error: a later reply could be matched
    // to the wrong command.
    std::string error = context_->errstr;
    context_.reset();
    if (absl::Now() >= deadline_) {
      return absl::DeadlineExceededError(
          absl::StrCat("redis ", argv[0], ": the deadline has passed"));
    }
    return absl::UnavailableError(
        absl::StrCat("redis ", argv[0], " to ", Endpoint(), ": ", error));
  }
  if (raw->type == REDIS_REPLY_ERROR) {
    return absl::InternalError(
        absl::StrCat("redis ", argv[0], " failed: ", ErrorCode(*raw)));
  }
  return ConvertReply(*raw);
}

void RedisClient::Fail(absl::Time now) {
  context_.reset();
  ++consecutive_failures_;
  absl::Duration backoff = options_.reconnect_backoff_initial;
  for (int i = 1;
       i < consecutive_failures_ && backoff < options_.reconnect_backoff_max;
       ++i) {
    backoff *= 2;
  }
  next_connect_ = now + std::min(backoff, options_.reconnect_backoff_max);
}

std::string RedisClient::Endpoint() const {
  if (!options_.unix_socket.empty()) return options_.unix_socket;
  return absl::StrCat(options_.host, ":", options_.port);
}

}  // namespace prongsai::cache
