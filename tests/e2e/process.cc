#include "tests/e2e/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"

extern char** environ;

namespace prongsai::e2e {
namespace {

// -signal or the exit code of a waitpid status.
int ExitCodeOf(int wait_status) {
  if (WIFSIGNALED(wait_status)) return -WTERMSIG(wait_status);
  return WEXITSTATUS(wait_status);
}

}  // namespace

ChildProcess::ChildProcess(Options options) : options_(std::move(options)) {}

ChildProcess::~ChildProcess() { Kill(); }

absl::Status ChildProcess::Start() {
  if (Running()) {
    return absl::FailedPreconditionError(
        absl::StrCat(options_.binary, " is already running"));
  }
  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls are allowed (the test process has threads).
  std::vector<std::string> args = {options_.binary};
  args.insert(args.end(), options_.args.begin(), options_.args.end());
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!absl::StartsWith(*entry, "PRONGSAI_")) env.emplace_back(*entry);
  }
  for (const auto& [name, value] : options_.env) {
    env.push_back(absl::StrCat(name, "=", value));
  }
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const int log_fd = open(options_.log_path.c_str(),
                          O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) {
    return absl::InternalError(absl::StrCat("cannot open ", options_.log_path,
                                            ": ", std::strerror(errno)));
  }
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    close(log_fd);
    if (null_fd >= 0) close(null_fd);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(error)));
  }
  if (pid == 0) {
    // The child: die with the test, whatever ends it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    // Signals blocked in the test's threads would be inherited: unblock.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (!options_.working_dir.empty() &&
        chdir(options_.working_dir.c_str()) != 0) {
      _exit(126);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(log_fd);
  if (null_fd >= 0) close(null_fd);
  pid_ = pid;
  return absl::OkStatus();
}

bool ChildProcess::Running() {
  if (pid_ <= 0) return false;
  int wait_status = 0;
  if (waitpid(pid_, &wait_status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

absl::StatusOr<int> ChildProcess::Terminate(absl::Duration grace) {
  if (pid_ <= 0) return absl::FailedPreconditionError("not running");
  kill(pid_, SIGTERM);
  kill(pid_, SIGCONT);
  const absl::Time give_up = absl::Now() + grace;
  while (absl::Now() < give_up) {
    int wait_status = 0;
    const pid_t reaped = waitpid(pid_, &wait_status, WNOHANG);
    if (reaped == pid_) {
      pid_ = -1;
      return ExitCodeOf(wait_status);
    }
    if (reaped < 0) {
      pid_ = -1;
      return absl::InternalError("waitpid failed");
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  Kill();
  return absl::DeadlineExceededError(
      absl::StrCat(options_.binary, " did not exit within ",
                   absl::FormatDuration(grace), " of SIGTERM; killed"));
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  kill(pid_, SIGCONT);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void ChildProcess::Pause() {
  if (pid_ > 0) kill(pid_, SIGSTOP);
}

void ChildProcess::Resume() {
  if (pid_ > 0) kill(pid_, SIGCONT);
}

std::string ChildProcess::LogTail(size_t bytes) const {
  std::ifstream log(options_.log_path);
  std::stringstream text;
  text << log.rdbuf();
  std::string all = text.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

absl::StatusOr<int> HealthStatus(const std::string& address,
                                 const std::string& service) {
  // A fresh channel each time: no reconnect back-off carried over.
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return static_cast<int>(response.status());
}

namespace {

// Whether a service's log (JSON or text lines) has its "listening" event,
// written once the port is bound. Not "metrics_listening".
bool SaysListening(absl::string_view log) {
  return absl::StrContains(log, "\"event\":\"listening\"") ||
         absl::StrContains(log, " listening ");
}

}  // namespace

absl::Status WaitForServing(const std::string& address,
                            const std::string& service, ChildProcess& process,
                            absl::Duration timeout) {
  constexpr int kServing = grpc::health::v1::HealthCheckResponse::SERVING;
  const absl::Time give_up = absl::Now() + timeout;
  std::string last = "no answer yet";
  while (absl::Now() < give_up) {
    if (!process.Running()) {
      return absl::InternalError(absl::StrCat(
          "the process for ", address, " exited; log:\n", process.LogTail()));
    }
    absl::StatusOr<int> server = HealthStatus(address, "");
    absl::StatusOr<int> named = HealthStatus(address, service);
    // A SERVING answer proves only that some server has the port: another
    // test's may have taken it between FreeLoopbackPort() and this process's
    // bind, and this one then exits "cannot listen". Only this process's
    // own "listening" line says the answer is its own.
    if (server.ok() && *server == kServing && named.ok() &&
        *named == kServing && SaysListening(process.LogTail(1 << 20))) {
      return absl::OkStatus();
    }
    last = absl::StrCat(
        "\"\": ",
        server.ok() ? absl::StrCat(*server) : server.status().ToString(), ", ",
        service, ": ",
        named.ok() ? absl::StrCat(*named) : named.status().ToString());
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      address, " not SERVING after ", absl::FormatDuration(timeout), " (", last,
      "); log:\n", process.LogTail()));
}

}  // namespace prongsai::e2e
