// The engine of prongsai-load: keeps `concurrency` unary calls of one method in
// flight against a gRPC target for a bounded time or number of calls, and
// reports throughput, latency percentiles and errors by status code.
//
// The method and its request type are looked up by name in the generated
// descriptor pool (every message linked into the binary), the request is
// parsed from text format and serialized once, and the same bytes are sent on
// every call through grpc::GenericStub.
//
//   LoadOptions options;
//   options.target = "127.0.0.1:50051";
//   options.method = "/prongsai.plan.v1.PlanService/GetActionPlan";
//   options.request_text = R"(name: "organizations/6340101/actionPlans/1")";
//   options.concurrency = 16;
//   options.count = 10000;
//   absl::StatusOr<LoadReport> report = RunLoad(options);
//   if (report.ok()) std::cout << FormatReport(*report, /*json=*/false);
#ifndef PRONGSAI_TOOLS_LOADGEN_LOAD_ENGINE_H_
#define PRONGSAI_TOOLS_LOADGEN_LOAD_ENGINE_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace prongsai::loadgen {

// No run lasts longer than this, whatever the options say.
inline constexpr absl::Duration kMaxRunTime = absl::Minutes(10);

struct LoadOptions {
  // host:port, e.g. "127.0.0.1:50051".
  std::string target;
  // "/package.Service/Method", "package.Service/Method" or
  // "package.Service.Method".
  std::string method;
  // The request message in protobuf text format; empty sends the default
  // message.
  std::string request_text;
  // When not empty, several requests in text format, sent in turn: call i of
  // the run (counting every call started, warmup included) sends request
  // i % size, e.g. filings spread over many organizations. Replaces
  // request_text, which must then be empty.
  std::vector<std::string> request_texts;

  // Calls kept in flight; each finished call starts the next one.
  int concurrency = 1;
  // The calls are spread over this many channels (each its own connection).
  int channels = 1;
  // When > 0 the run stops after this many measured calls; otherwise it stops
  // `duration` after the warmup. Either way it ends by kMaxRunTime.
  int64_t count = 0;
  absl::Duration duration = absl::Seconds(10);
  // Calls started during the warmup are sent but not counted.
  absl::Duration warmup = absl::ZeroDuration();
  // Deadline of each call.
  absl::Duration deadline = absl::Seconds(5);

  // Sent as `authorization: Bearer <api_key>` when not empty.
  std::string api_key;
  // Extra request metadata; keys are lowercase header names.
  std::vector<std::pair<std::string, std::string>> metadata;
};

struct LoadReport {
  std::string target;
  // The method's wire name, "/package.Service/Method".
  std::string method;
  int concurrency = 0;
  int channels = 0;
  // How many different requests the calls took turns with (1 unless
  // LoadOptions::request_texts held more).
  int requests = 1;

  // Measured calls: ok + the sum of errors_by_code.
  int64_t calls = 0;
  int64_t ok = 0;
  // Failed calls by status code name, e.g. {"UNIMPLEMENTED", 12}.
  std::map<std::string, int64_t> errors_by_code;
  // calls / elapsed.
  double qps = 0;
  // Latency of all measured calls, failed ones included.
  absl::Duration p50;
  absl::Duration p90;
  absl::Duration p99;
  absl::Duration max;
  // From the end of the warmup until the last measured call finished.
  absl::Duration elapsed;
};

// Runs one bounded load run. Fails before sending anything when the options
// are out of range (INVALID_ARGUMENT), the method is not in the descriptor
// pool (NOT_FOUND), the request text does not parse (INVALID_ARGUMENT, naming
// the line, column and problem), or the target cannot be reached
// (UNAVAILABLE). Failed calls do not fail the run; they are counted.
absl::StatusOr<LoadReport> RunLoad(const LoadOptions& options);

// The checks RunLoad makes before connecting, without touching the network:
// lets a caller reject bad options before running anything else first.
absl::Status CheckLoadOptions(const LoadOptions& options);

// The requests of a --requests_file: text-format requests separated by lines
// holding only `---` (a line that can never be part of a text-format
// message: strings do not span lines). Parts that are blank are dropped, so
// a leading, trailing or doubled separator is harmless.
std::vector<std::string> SplitRequests(absl::string_view text);

// A human-readable block of lines, or one JSON object (latencies in
// microseconds) when `json`.
std::string FormatReport(const LoadReport& report, bool json);

// Both reports plus target/echo ratios of QPS and latency, so the target's
// figures can be quoted relative to a do-nothing server in the same run.
std::string FormatComparison(const LoadReport& echo, const LoadReport& target,
                             bool json);

}  // namespace prongsai::loadgen

#endif  // PRONGSAI_TOOLS_LOADGEN_LOAD_ENGINE_H_
