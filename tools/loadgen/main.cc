// prongsai-load: flags -> LoadOptions -> RunLoad, optionally next to the
// in-process echo baseline. See kUsage.
#include <signal.h>
#include <time.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "tools/loadgen/echo_server.h"
#include "tools/loadgen/load_engine.h"

ABSL_FLAG(std::string, target, "",
          "host:port to load, or `echo` for the in-process echo server");
ABSL_FLAG(std::string, method, "",
          "full method name, /package.Service/Method (default with --target "
          "echo: /prongsai.tools.v1.Echo/Echo)");
ABSL_FLAG(std::string, request, "", "request message in protobuf text format");
ABSL_FLAG(std::string, request_file, "",
          "file holding the request in protobuf text format");
ABSL_FLAG(std::string, requests_file, "",
          "file holding several requests in text format separated by lines "
          "of `---`, sent in turn (call i sends request i mod N)");
ABSL_FLAG(std::string, serve_echo, "",
          "host:port: run only the do-nothing Echo server there (port 0 picks "
          "one), print `listening address=HOST:PORT`, and serve until "
          "SIGTERM or SIGINT");
ABSL_FLAG(int, concurrency, 1, "calls kept in flight");
ABSL_FLAG(int, channels, 1, "channels (connections) the calls are spread over");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10),
          "measured run time (at most 10m); ignored with --count");
ABSL_FLAG(int64_t, count, 0, "stop after this many measured calls");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1),
          "calls in this first stretch are sent but not measured");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(5), "deadline of each call");
ABSL_FLAG(std::string, api_key, "",
          "sent as `authorization: Bearer KEY` (env PRONGSAI_API_KEY)");
ABSL_FLAG(std::string, metadata, "",
          "request metadata key=value; repeat the flag for more");
ABSL_FLAG(bool, json, false, "print JSON instead of text");
ABSL_FLAG(bool, echo_baseline, false,
          "measure the in-process echo server first with the same options, "
          "then the target, and print both with their ratios");

namespace prongsai::loadgen {
namespace {

constexpr absl::string_view kUsage =
    R"(prongsai-load --target HOST:PORT|echo --method /package.Service/Method
              [--request 'TEXT PROTO' | --request_file FILE |
               --requests_file FILE]
              [--concurrency N] [--channels N] [--duration 30s | --count N]
              [--warmup 1s] [--deadline 5s] [--api_key KEY]
              [--metadata key=value]... [--json] [--echo_baseline]
prongsai-load --serve_echo 127.0.0.1:PORT

Sends unary calls of one method, keeping --concurrency of them in flight,
for --duration (at most 10m) or --count calls, and prints calls, QPS,
latency p50/p90/p99/max and errors by status code. Any method of the
Prongsai APIs (prongsai.plan.v1, prongsai.complaint.v1, prongsai.ita.v1,
grpc.health.v1) or prongsai.tools.v1.Echo can be called.

--echo_baseline first measures an in-process do-nothing Echo server with the
same options, so the target's figures can be quoted relative to it.
--target echo measures only that server.

--requests_file holds several requests separated by lines of `---`; the
calls take turns with them (call i sends request i mod N), e.g. filings
spread over many organizations.

--serve_echo runs that do-nothing server as a process of its own, the
ceiling scripts/bench measures in a separate process from the load: it
prints `listening address=HOST:PORT` once it accepts calls and serves until
SIGTERM or SIGINT (exit 0).

Example:
  prongsai-load --target 127.0.0.1:50051 --echo_baseline --concurrency 16 \
    --method /prongsai.plan.v1.PlanService/GetActionPlan \
    --request 'name: "organizations/6340101/actionPlans/1"'

Exit code 0 when the run completed (failed calls are counted, not fatal),
1 when it could not run, 2 on bad usage.)";

constexpr absl::string_view kEchoTarget = "echo";

[[noreturn]] void UsageError(absl::string_view message) {
  std::cerr << "usage error: " << message << "\n\n" << kUsage << "\n";
  std::exit(2);
}

int Fail(const absl::Status& status) {
  std::cerr << "error: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << "\n";
  return 1;
}

// absl keeps only the last value of a repeated flag, so the --metadata values
// are collected from argv directly. A value that came only from a --flagfile
// is still honoured through the flag itself.
std::vector<std::string> RepeatedMetadataFlags(int argc, char** argv) {
  std::vector<std::string> values;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (!absl::ConsumePrefix(&arg, "--")) absl::ConsumePrefix(&arg, "-");
    if (absl::ConsumePrefix(&arg, "metadata=")) {
      values.emplace_back(arg);
    } else if (arg == "metadata" && i + 1 < argc) {
      values.emplace_back(argv[++i]);
    }
  }
  if (values.empty() && !absl::GetFlag(FLAGS_metadata).empty()) {
    values.push_back(absl::GetFlag(FLAGS_metadata));
  }
  return values;
}

std::string EnvOr(const char* name, const std::string& value) {
  if (!value.empty()) return value;
  const char* env = std::getenv(name);
  return env == nullptr ? "" : env;
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path);
  if (!in) UsageError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// --serve_echo: SIGTERM and SIGINT are blocked before any gRPC thread starts
// (threads inherit the mask), then taken by sigtimedwait here.
int ServeEcho(const std::string& address) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  absl::Notification stop;
  std::atomic<bool> failed{false};
  // Polls, so that it also ends when the server could not start.
  std::thread waiter([&] {
    const timespec tick = {0, 100'000'000};
    while (!failed.load()) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) {
        stop.Notify();
        return;
      }
    }
  });
  absl::Status served =
      ServeEchoUntil(address, stop, [](const std::string& target) {
        std::cout << "prongsai-load: echo server listening address=" << target
                  << std::endl;
      });
  failed.store(!served.ok());
  waiter.join();
  return served.ok() ? 0 : Fail(served);
}

LoadOptions OptionsFromFlags(int argc, char** argv) {
  LoadOptions options;
  options.target = absl::GetFlag(FLAGS_target);
  if (options.target.empty()) UsageError("--target is required");
  options.method = absl::GetFlag(FLAGS_method);
  if (options.method.empty()) {
    if (options.target != kEchoTarget) UsageError("--method is required");
    options.method = std::string(kEchoMethod);
  }
  options.request_text = absl::GetFlag(FLAGS_request);
  const std::string request_file = absl::GetFlag(FLAGS_request_file);
  if (!request_file.empty()) {
    if (!options.request_text.empty()) {
      UsageError("give --request or --request_file, not both");
    }
    options.request_text = ReadFileOrDie(request_file);
  }
  const std::string requests_file = absl::GetFlag(FLAGS_requests_file);
  if (!requests_file.empty()) {
    if (!options.request_text.empty()) {
      UsageError("give --request, --request_file or --requests_file, one");
    }
    options.request_texts = SplitRequests(ReadFileOrDie(requests_file));
    if (options.request_texts.empty()) {
      UsageError(absl::StrCat(requests_file, " holds no request"));
    }
  }
  options.concurrency = absl::GetFlag(FLAGS_concurrency);
  options.channels = absl::GetFlag(FLAGS_channels);
  options.duration = absl::GetFlag(FLAGS_duration);
  options.count = absl::GetFlag(FLAGS_count);
  options.warmup = absl::GetFlag(FLAGS_warmup);
  options.deadline = absl::GetFlag(FLAGS_deadline);
  options.api_key = EnvOr("PRONGSAI_API_KEY", absl::GetFlag(FLAGS_api_key));
  for (const std::string& pair : RepeatedMetadataFlags(argc, argv)) {
    size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      UsageError(
          absl::StrCat("--metadata wants key=value, got \"", pair, "\""));
    }
    options.metadata.emplace_back(pair.substr(0, equals),
                                  pair.substr(equals + 1));
  }
  return options;
}

// Runs `options` against a fresh in-process echo server, which is stopped
// before returning so it costs nothing during the next run.
absl::StatusOr<LoadReport> RunEcho(LoadOptions options) {
  absl::StatusOr<std::unique_ptr<EchoServer>> echo = EchoServer::Start();
  if (!echo.ok()) return echo.status();
  options.target = (*echo)->target();
  return RunLoad(options);
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    UsageError(absl::StrCat("unexpected argument \"", positional[1], "\""));
  }
  if (const std::string serve = absl::GetFlag(FLAGS_serve_echo);
      !serve.empty()) {
    return ServeEcho(serve);
  }
  const LoadOptions options = OptionsFromFlags(argc, argv);
  const bool json = absl::GetFlag(FLAGS_json);

  if (options.target == kEchoTarget) {
    absl::StatusOr<LoadReport> report = RunEcho(options);
    if (!report.ok()) return Fail(report.status());
    std::cout << FormatReport(*report, json);
    return 0;
  }
  if (!absl::GetFlag(FLAGS_echo_baseline)) {
    absl::StatusOr<LoadReport> report = RunLoad(options);
    if (!report.ok()) return Fail(report.status());
    std::cout << FormatReport(*report, json);
    return 0;
  }
  // A mistake in the target's options should not wait for the echo run.
  if (absl::Status status = CheckLoadOptions(options); !status.ok()) {
    return Fail(status);
  }
  LoadOptions echo_options = options;
  echo_options.method = std::string(kEchoMethod);
  echo_options.request_text.clear();
  echo_options.request_texts.clear();
  absl::StatusOr<LoadReport> echo = RunEcho(echo_options);
  if (!echo.ok()) return Fail(echo.status());
  absl::StatusOr<LoadReport> target = RunLoad(options);
  if (!target.ok()) return Fail(target.status());
  std::cout << FormatComparison(*echo, *target, json);
  return 0;
}

}  // namespace
}  // namespace prongsai::loadgen

int main(int argc, char** argv) { return prongsai::loadgen::Main(argc, argv); }
