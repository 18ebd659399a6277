#include "tests/common/cache/private_redis.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/support/net.h"
#include "tests/support/test_env.h"

extern char** environ;

namespace prongsai::cache::testing {
PrivateRedis::PrivateRedis(Options options)
    : options_(std::move(options)), dir_(prongsai::testing::MakeScratchDir()) {
  if (options_.tcp) {
    port_ = prongsai::testing::FreeLoopbackPort();
  } else {
    socket_path_ = absl::StrCat(dir_, "/redis.sock");
  }
}

PrivateRedis::~PrivateRedis() { Kill(); }

absl::Status PrivateRedis::Start() {
  if (pid_ > 0) return absl::FailedPreconditionError("already running");
  const std::string binary = prongsai::testing::RedisServerBinary();
  std::vector<std::string> args = {binary,
                                   "--port",
                                   absl::StrCat(port_),
                                   "--bind",
                                   "127.0.0.1",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   "no",
                                   "--daemonize",
                                   "no",
                                   "--dir",
                                   dir_,
                                   "--logfile",
                                   absl::StrCat(dir_, "/redis.log")};
  if (!options_.tcp) {
    args.insert(args.end(),
                {"--unixsocket", socket_path_, "--unixsocketperm", "700"});
  }
  if (!options_.password.empty()) {
    args.insert(args.end(), {"--requirepass", options_.password});
  }
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  if (const int error = posix_spawnp(&pid_, binary.c_str(), nullptr, nullptr,
                                     argv.data(), environ);
      error != 0) {
    pid_ = -1;
    return absl::InternalError(absl::StrCat("cannot start ", binary));
  }
  return WaitUntilReady();
}

absl::Status PrivateRedis::WaitUntilReady() {
  for (int attempt = 0; attempt < 400; ++attempt) {
    int wait_status = 0;
    if (waitpid(pid_, &wait_status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::InternalError(
          absl::StrCat("redis-server exited; log:\n", LogTail()));
    }
    const timeval timeout = {0, 200'000};
    redisContext* context =
        options_.tcp
            ? redisConnectWithTimeout("127.0.0.1", port_, timeout)
            : redisConnectUnixWithTimeout(socket_path_.c_str(), timeout);
    bool ready = false;
    if (context != nullptr && context->err == 0) {
      redisSetTimeout(context, timeout);
      if (!options_.password.empty()) {
        const char* auth[] = {"AUTH", options_.password.c_str()};
        freeReplyObject(redisCommandArgv(context, 2, auth, nullptr));
      }
      const char* ping[] = {"PING"};
      auto* reply =
          static_cast<redisReply*>(redisCommandArgv(context, 1, ping, nullptr));
      ready = reply != nullptr && reply->type == REDIS_REPLY_STATUS &&
              std::string(reply->str, reply->len) == "PONG";
      if (reply != nullptr) freeReplyObject(reply);
    }
    if (context != nullptr) redisFree(context);
    if (ready) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(25));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("redis-server not ready after 10s; log:\n", LogTail()));
}

void PrivateRedis::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void PrivateRedis::Pause() {
  if (pid_ > 0) kill(pid_, SIGSTOP);
}

void PrivateRedis::Resume() {
  if (pid_ > 0) kill(pid_, SIGCONT);
}

RedisOptions PrivateRedis::ClientOptions() const {
  RedisOptions options;
  if (options_.tcp) {
    options.host = "127.0.0.1";
    options.port = port_;
  } else {
    options.unix_socket = socket_path_;
  }
  options.password = options_.password;
  return options;
}

std::string PrivateRedis::LogTail() const {
  std::ifstream log(absl::StrCat(dir_, "/redis.log"));
  std::stringstream text;
  text << log.rdbuf();
  std::string all = text.str();
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

}  // namespace prongsai::cache::testing
