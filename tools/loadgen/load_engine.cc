#include "tools/loadgen/load_engine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "common/base/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

namespace prongsai::loadgen {
namespace {

using Clock = std::chrono::steady_clock;

// All gRPC status codes, OK (0) to UNAUTHENTICATED (16).
constexpr int kStatusCodes = 17;

// Generous room for a handshake on a busy machine; a target that cannot be
// reached in this time fails the run before it starts.
constexpr absl::Duration kConnectTimeout = absl::Seconds(10);

constexpr int kMaxConcurrency = 10000;

// The method to call and the request bytes the calls send in turn.
struct ResolvedCall {
  std::string wire_method;                 // "/package.Service/Method"
  std::vector<std::string> request_bytes;  // never empty
};

absl::StatusOr<const google::protobuf::MethodDescriptor*> FindMethod(
    absl::string_view name) {
  std::string full_name(absl::StripPrefix(name, "/"));
  // "package.Service/Method" -> "package.Service.Method".
  if (size_t slash = full_name.rfind('/'); slash != std::string::npos) {
    full_name[slash] = '.';
  }
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          full_name);
  if (method == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "method \"", name,
        "\" is not in the Prongsai or Echo APIs linked into prongsai-load; "
        "give it as /package.Service/Method"));
  }
  if (method->client_streaming() || method->server_streaming()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "method \"", name, "\" streams; prongsai-load sends unary calls only"));
  }
  return method;
}

// Keeps the first parse error with its position (1-based).
class FirstErrorCollector final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (error_.empty()) {
      error_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ",
                            message);
    }
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

absl::StatusOr<ResolvedCall> Resolve(const LoadOptions& options) {
  PRONGSAI_ASSIGN_OR_RETURN(const google::protobuf::MethodDescriptor* method,
                            FindMethod(options.method));
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(
          method->input_type());
  if (prototype == nullptr) {
    return absl::InternalError(absl::StrCat("no generated class for ",
                                            method->input_type()->full_name()));
  }
  if (!options.request_texts.empty() && !options.request_text.empty()) {
    return absl::InvalidArgumentError(
        "give one request or a list of requests, not both");
  }
  const std::vector<std::string> single = {options.request_text};
  const std::vector<std::string>& texts =
      options.request_texts.empty() ? single : options.request_texts;
  ResolvedCall call;
  call.wire_method =
      absl::StrCat("/", method->service()->full_name(), "/", method->name());
  for (size_t i = 0; i < texts.size(); ++i) {
    // Only a list names which of its requests is wrong.
    const std::string which =
        texts.size() == 1
            ? std::string("request")
            : absl::StrCat("request ", i + 1, " of ", texts.size());
    std::unique_ptr<google::protobuf::Message> request(prototype->New());
    FirstErrorCollector errors;
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&errors);
    if (!parser.ParseFromString(texts[i], request.get())) {
      return absl::InvalidArgumentError(
          absl::StrCat(which, " (", method->input_type()->full_name(),
                       "): ", errors.error()));
    }
    std::string& bytes = call.request_bytes.emplace_back();
    if (!request->SerializeToString(&bytes)) {
      return absl::InvalidArgumentError(
          absl::StrCat(which, " (", method->input_type()->full_name(),
                       ") cannot be serialized"));
    }
  }
  return call;
}

absl::Status ValidateMetadataKey(absl::string_view key) {
  bool valid = !key.empty() && !absl::StartsWith(key, "grpc-");
  for (char c : key) {
    valid = valid && (absl::ascii_islower(c) || absl::ascii_isdigit(c) ||
                      c == '-' || c == '_' || c == '.');
  }
  if (!valid) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metadata key \"", key,
        "\": use lowercase letters, digits, '-', '_' or '.', not grpc-*"));
  }
  return absl::OkStatus();
}

absl::Status Validate(const LoadOptions& options) {
  if (options.target.empty()) {
    return absl::InvalidArgumentError("target: required, e.g. 127.0.0.1:50051");
  }
  if (options.concurrency < 1 || options.concurrency > kMaxConcurrency) {
    return absl::InvalidArgumentError(
        absl::StrCat("concurrency: must be 1 to ", kMaxConcurrency));
  }
  if (options.channels < 1 || options.channels > options.concurrency) {
    return absl::InvalidArgumentError("channels: must be 1 to the concurrency");
  }
  if (options.count < 0) {
    return absl::InvalidArgumentError("count: must not be negative");
  }
  if (options.count == 0 && (options.duration <= absl::ZeroDuration() ||
                             options.duration > kMaxRunTime)) {
    return absl::InvalidArgumentError(
        absl::StrCat("duration: must be above 0 and at most ",
                     absl::FormatDuration(kMaxRunTime)));
  }
  if (options.warmup < absl::ZeroDuration() || options.warmup >= kMaxRunTime) {
    return absl::InvalidArgumentError(
        absl::StrCat("warmup: must be 0 or more and below ",
                     absl::FormatDuration(kMaxRunTime)));
  }
  if (options.deadline <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("deadline: must be above 0");
  }
  for (const auto& [key, value] : options.metadata) {
    PRONGSAI_RETURN_IF_ERROR(ValidateMetadataKey(key));
  }
  return absl::OkStatus();
}

// Waits until `channel` is connected. A refused or failed connection ends the
// wait at once instead of retrying until the deadline.
absl::Status AwaitReady(grpc::Channel& channel, const std::string& target,
                        std::chrono::system_clock::time_point deadline) {
  grpc_connectivity_state state = channel.GetState(/*try_to_connect=*/true);
  while (state != GRPC_CHANNEL_READY) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE) {
      return absl::UnavailableError(absl::StrCat("cannot connect to ", target));
    }
    if (!channel.WaitForStateChange(state, deadline)) {
      return absl::UnavailableError(
          absl::StrCat("cannot connect to ", target, " within ",
                       absl::FormatDuration(kConnectTimeout)));
    }
    state = channel.GetState(/*try_to_connect=*/true);
  }
  return absl::OkStatus();
}

// What one chain of calls measured. Only the chain's own callbacks touch it,
// one at a time, so it needs no lock.
struct ChainResults {
  std::vector<int64_t> latencies_ns;
  std::array<int64_t, kStatusCodes> by_code{};
  Clock::time_point last_done{};
};

// Keeps `concurrency` chains of calls going: each chain starts its next call
// from the completion callback of the previous one, until the run's bound.
class LoadRun {
 public:
  LoadRun(const LoadOptions& options, ResolvedCall call)
      : options_(options), call_(std::move(call)) {}

  absl::Status Connect() {
    for (const std::string& bytes : call_.request_bytes) {
      grpc::Slice slice(bytes.data(), bytes.size());
      requests_.emplace_back(&slice, 1);
    }
    const std::chrono::system_clock::time_point connect_deadline =
        absl::ToChronoTime(absl::Now() + kConnectTimeout);
    for (int i = 0; i < options_.channels; ++i) {
      // A distinct argument per channel gives each its own subchannel, and so
      // its own connection, instead of one shared through the global pool.
      grpc::ChannelArguments args;
      args.SetInt("prongsai.loadgen.channel", i);
      std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
          options_.target, grpc::InsecureChannelCredentials(), args);
      PRONGSAI_RETURN_IF_ERROR(
          AwaitReady(*channel, options_.target, connect_deadline));
      stubs_.push_back(std::make_unique<grpc::GenericStub>(channel));
    }
    chains_.resize(options_.concurrency);
    for (int i = 0; i < options_.concurrency; ++i) {
      chains_[i].stub = stubs_[i % stubs_.size()].get();
    }
    return absl::OkStatus();
  }

  LoadReport Run() {
    start_ = Clock::now();
    measure_from_ = start_ + absl::ToChronoNanoseconds(options_.warmup);
    const absl::Duration bound =
        options_.count > 0 ? kMaxRunTime : options_.duration;
    stop_at_ =
        measure_from_ + absl::ToChronoNanoseconds(std::min(bound, kMaxRunTime));
    active_chains_.store(options_.concurrency);
    for (Chain& chain : chains_) StartNext(chain);
    all_done_.WaitForNotification();
    return Collect();
  }

 private:
  struct Chain {
    grpc::GenericStub* stub = nullptr;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    std::unique_ptr<grpc::ClientContext> context;
    Clock::time_point started;
    bool measured = false;
    ChainResults results;
  };

  // Starts the chain's next call, or ends the chain when the run is over.
  void StartNext(Chain& chain) {
    const Clock::time_point now = Clock::now();
    bool more = now < stop_at_;
    chain.measured = now >= measure_from_;
    if (more && chain.measured && options_.count > 0) {
      more = measured_started_.fetch_add(1) < options_.count;
    }
    if (!more) {
      if (active_chains_.fetch_sub(1) == 1) all_done_.Notify();
      return;
    }
    chain.context = std::make_unique<grpc::ClientContext>();
    chain.context->set_deadline(
        absl::ToChronoTime(absl::Now() + options_.deadline));
    if (!options_.api_key.empty()) {
      chain.context->AddMetadata("authorization",
                                 absl::StrCat("Bearer ", options_.api_key));
    }
    for (const auto& [key, value] : options_.metadata) {
      chain.context->AddMetadata(key, value);
    }
    // A ByteBuffer copy shares the slices: no bytes are copied per call.
    chain.request = requests_[next_request_.fetch_add(1) % requests_.size()];
    chain.response.Clear();
    chain.started = Clock::now();
    chain.stub->UnaryCall(chain.context.get(), call_.wire_method,
                          grpc::StubOptions(), &chain.request, &chain.response,
                          [this, &chain](const grpc::Status& status) {
                            Finished(chain, status);
                          });
  }

  void Finished(Chain& chain, const grpc::Status& status) {
    const Clock::time_point done = Clock::now();
    if (chain.measured) {
      chain.results.latencies_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(done -
                                                               chain.started)
              .count());
      const int code = static_cast<int>(status.error_code());
      ++chain.results
            .by_code[code >= 0 && code < kStatusCodes
                         ? code
                         : static_cast<int>(grpc::StatusCode::UNKNOWN)];
      chain.results.last_done = done;
    }
    StartNext(chain);
  }

  LoadReport Collect() {
    LoadReport report;
    report.target = options_.target;
    report.method = call_.wire_method;
    report.concurrency = options_.concurrency;
    report.channels = options_.channels;
    report.requests = static_cast<int>(requests_.size());
    std::vector<int64_t> latencies_ns;
    std::array<int64_t, kStatusCodes> by_code{};
    Clock::time_point last_done = measure_from_;
    for (const Chain& chain : chains_) {
      latencies_ns.insert(latencies_ns.end(),
                          chain.results.latencies_ns.begin(),
                          chain.results.latencies_ns.end());
      for (int code = 0; code < kStatusCodes; ++code) {
        by_code[code] += chain.results.by_code[code];
      }
      last_done = std::max(last_done, chain.results.last_done);
    }
    report.calls = static_cast<int64_t>(latencies_ns.size());
    report.ok = by_code[0];
    for (int code = 1; code < kStatusCodes; ++code) {
      if (by_code[code] == 0) continue;
      report.errors_by_code[absl::StatusCodeToString(
          static_cast<absl::StatusCode>(code))] = by_code[code];
    }
    report.elapsed = absl::FromChrono(last_done - measure_from_);
    if (report.calls == 0) return report;
    if (report.elapsed > absl::ZeroDuration()) {
      report.qps = report.calls / absl::ToDoubleSeconds(report.elapsed);
    }
    std::sort(latencies_ns.begin(), latencies_ns.end());
    // Nearest rank: the smallest sample with at least q of all at or below.
    auto percentile = [&](double q) {
      size_t rank = static_cast<size_t>(std::ceil(q * latencies_ns.size()));
      return absl::Nanoseconds(latencies_ns[std::max<size_t>(rank, 1) - 1]);
    };
    report.p50 = percentile(0.50);
    report.p90 = percentile(0.90);
    report.p99 = percentile(0.99);
    report.max = absl::Nanoseconds(latencies_ns.back());
    return report;
  }

  const LoadOptions& options_;
  const ResolvedCall call_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  // The requests the calls take turns with, and the next one's number.
  std::vector<grpc::ByteBuffer> requests_;
  std::atomic<uint64_t> next_request_{0};
  // Sized once before the run: chains are referred to by address.
  std::vector<Chain> chains_;
  Clock::time_point start_;
  Clock::time_point measure_from_;
  Clock::time_point stop_at_;
  std::atomic<int64_t> measured_started_{0};
  std::atomic<int> active_chains_{0};
  absl::Notification all_done_;
};

double Micros(absl::Duration d) { return absl::ToDoubleMicroseconds(d); }

std::string FormatLatency(absl::Duration d) {
  if (d < absl::Milliseconds(10)) return absl::StrFormat("%.0fus", Micros(d));
  return absl::StrFormat("%.2fms", absl::ToDoubleMilliseconds(d));
}

// JSON string literal; targets and method names need no more than this.
std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", static_cast<int>(c));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string JsonReport(const LoadReport& report) {
  std::vector<std::string> errors;
  for (const auto& [code, calls] : report.errors_by_code) {
    errors.push_back(absl::StrCat(JsonString(code), ":", calls));
  }
  return absl::StrFormat(
      "{\"target\":%s,\"method\":%s,\"concurrency\":%d,\"channels\":%d,"
      "\"requests\":%d,\"calls\":%d,\"ok\":%d,\"errors_by_code\":{%s},"
      "\"qps\":%.1f,\"elapsed_s\":%.3f,\"p50_us\":%.1f,\"p90_us\":%.1f,"
      "\"p99_us\":%.1f,\"max_us\":%.1f}",
      JsonString(report.target), JsonString(report.method), report.concurrency,
      report.channels, report.requests, report.calls, report.ok,
      absl::StrJoin(errors, ","), report.qps,
      absl::ToDoubleSeconds(report.elapsed), Micros(report.p50),
      Micros(report.p90), Micros(report.p99), Micros(report.max));
}

double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0;
}

}  // namespace

absl::StatusOr<LoadReport> RunLoad(const LoadOptions& options) {
  PRONGSAI_RETURN_IF_ERROR(Validate(options));
  PRONGSAI_ASSIGN_OR_RETURN(ResolvedCall call, Resolve(options));
  LoadRun run(options, std::move(call));
  PRONGSAI_RETURN_IF_ERROR(run.Connect());
  return run.Run();
}

absl::Status CheckLoadOptions(const LoadOptions& options) {
  PRONGSAI_RETURN_IF_ERROR(Validate(options));
  return Resolve(options).status();
}

std::vector<std::string> SplitRequests(absl::string_view text) {
  std::vector<std::string> requests;
  std::string current;
  auto flush = [&] {
    if (!absl::StripAsciiWhitespace(current).empty()) {
      requests.push_back(std::move(current));
    }
    current.clear();
  };
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StripAsciiWhitespace(line) == "---") {
      flush();
    } else {
      absl::StrAppend(&current, line, "\n");
    }
  }
  flush();
  return requests;
}

std::string FormatReport(const LoadReport& report, bool json) {
  if (json) return absl::StrCat(JsonReport(report), "\n");
  std::string errors = "none";
  if (!report.errors_by_code.empty()) {
    std::vector<std::string> parts;
    for (const auto& [code, calls] : report.errors_by_code) {
      parts.push_back(absl::StrCat(code, " ", calls));
    }
    errors = absl::StrJoin(parts, ", ");
  }
  return absl::StrFormat(
      "target       %s\n"
      "method       %s\n"
      "concurrency  %d on %d channel(s)%s\n"
      "calls        %d (ok %d) in %.2fs\n"
      "qps          %.1f\n"
      "latency      p50 %s  p90 %s  p99 %s  max %s\n"
      "errors       %s\n",
      report.target, report.method, report.concurrency, report.channels,
      report.requests > 1 ? absl::StrCat(", ", report.requests, " requests")
                          : std::string(),
      report.calls, report.ok, absl::ToDoubleSeconds(report.elapsed),
      report.qps, FormatLatency(report.p50), FormatLatency(report.p90),
      FormatLatency(report.p99), FormatLatency(report.max), errors);
}

std::string FormatComparison(const LoadReport& echo, const LoadReport& target,
                             bool json) {
  const double qps_ratio = Ratio(target.qps, echo.qps);
  const double p50_ratio = Ratio(Micros(target.p50), Micros(echo.p50));
  const double p99_ratio = Ratio(Micros(target.p99), Micros(echo.p99));
  if (json) {
    return absl::StrFormat(
        "{\"echo\":%s,\"target\":%s,\"qps_ratio\":%.4f,\"p50_ratio\":%.3f,"
        "\"p99_ratio\":%.3f}\n",
        JsonReport(echo), JsonReport(target), qps_ratio, p50_ratio, p99_ratio);
  }
  return absl::StrCat("== echo baseline (do-nothing gRPC server, in process)\n",
                      FormatReport(echo, false), "\n== target\n",
                      FormatReport(target, false),
                      "\n== target relative to echo\n",
                      absl::StrFormat("qps          %.3fx\n"
                                      "latency      p50 %.2fx  p99 %.2fx\n",
                                      qps_ratio, p50_ratio, p99_ratio));
}

}  // namespace prongsai::loadgen
