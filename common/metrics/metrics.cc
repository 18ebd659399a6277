#include "common/metrics/metrics.h"

#include <exception>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "prometheus/exposer.h"

namespace prongsai::metrics {
namespace {

// Seconds, from half a millisecond (a cached read) to ten seconds (past
// every deadline the services use).
prometheus::Histogram::BucketBoundaries LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
}

template <typename Builder>
auto& Register(Builder builder, absl::string_view name,
               absl::string_view help) {
  return builder.Name(std::string(name))
      .Help(std::string(help))
      .Register(Registry());
}

// A collection word of a resource name: letters and '-' only, so that no
// id, number or version token ever becomes a label value.
bool IsCollectionWord(absl::string_view word) {
  if (word.empty() || !absl::ascii_isalpha(word.front())) return false;
  for (char c : word) {
    if (!absl::ascii_isalpha(c) && c != '-') return false;
  }
  return true;
}

}  // namespace

prometheus::Registry& Registry() { return *SharedRegistry(); }

std::shared_ptr<prometheus::Registry> SharedRegistry() {
  static auto* const kRegistry = new std::shared_ptr<prometheus::Registry>(
      std::make_shared<prometheus::Registry>());
  return *kRegistry;
}

RpcMetrics::RpcMetrics()
    : started_(Register(prometheus::BuildCounter(), "grpc_server_started_total",
                        "RPCs started on the server.")),
      handled_(Register(prometheus::BuildCounter(), "grpc_server_handled_total",
                        "RPCs completed on the server, by status code.")),
      handling_(Register(prometheus::BuildHistogram(),
                         "grpc_server_handling_seconds",
                         "Time from the start of an RPC to its status.")) {}

void RpcMetrics::Started(absl::string_view service, absl::string_view method,
                         absl::string_view type) {
  started_
      .Get({{"grpc_service", std::string(service)},
            {"grpc_method", std::string(method)},
            {"grpc_type", std::string(type)}})
      .Increment();
}

void RpcMetrics::Handled(absl::string_view service, absl::string_view method,
                         absl::string_view type, absl::StatusCode code,
                         absl::Duration latency) {
  handled_
      .Get({{"grpc_service", std::string(service)},
            {"grpc_method", std::string(method)},
            {"grpc_type", std::string(type)},
            {"grpc_code", absl::StatusCodeToString(code)}})
      .Increment();
  handling_
      .Get({{"grpc_service", std::string(service)},
            {"grpc_method", std::string(method)},
            {"grpc_type", std::string(type)}},
           LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(latency));
}

RpcMetrics& Rpc() {
  static auto* const kMetrics = new RpcMetrics();
  return *kMetrics;
}

PoolMetrics& Pool() {
  static auto* const kMetrics = new PoolMetrics{
      .queued =
          Register(prometheus::BuildGauge(), "prongsai_worker_pool_queued",
                   "Tasks waiting for a worker.")
              .Add({}),
      .busy = Register(prometheus::BuildGauge(), "prongsai_worker_pool_busy",
                       "Workers running a task.")
                  .Add({}),
      .wait_seconds = Register(prometheus::BuildHistogram(),
                               "prongsai_worker_pool_wait_seconds",
                               "Time a task waited in the queue for a worker.")
                          .Add({}, LatencyBuckets()),
      .refused = Register(prometheus::BuildCounter(),
                          "prongsai_worker_pool_refused_total",
                          "Tasks refused because the queue was full.")
                     .Add({}),
  };
  return *kMetrics;
}

GroupCommitMetrics& GroupCommit() {
  static auto* const kMetrics = new GroupCommitMetrics{
      .group_size =
          Register(prometheus::BuildHistogram(),
                   "prongsai_db_commit_group_size",
                   "Callers' transactions kept by one group commit.")
              .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16,
                                                               32, 64}),
      .alone =
          Register(prometheus::BuildCounter(), "prongsai_db_commit_alone_total",
                   "Transactions committed on their own instead of "
                   "in their group.")
              .Add({}),
  };
  return *kMetrics;
}

DbMetrics::DbMetrics()
    : latency_(Register(prometheus::BuildHistogram(),
                        "prongsai_db_call_seconds",
                        "Database calls by backend and operation.")),
      errors_(Register(prometheus::BuildCounter(), "prongsai_db_errors_total",
                       "Database calls that failed.")) {}

void DbMetrics::Observe(absl::string_view backend, absl::string_view operation,
                        absl::Duration latency, bool failed) {
  prometheus::Labels labels = {{"backend", std::string(backend)},
                               {"operation", std::string(operation)}};
  latency_.Get(labels, LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(latency));
  if (failed) errors_.Get(labels).Increment();
}

DbMetrics& Db() {
  static auto* const kMetrics = new DbMetrics();
  return *kMetrics;
}

CacheMetrics::CacheMetrics()
    : requests_(Register(prometheus::BuildCounter(),
                         "prongsai_cache_requests_total",
                         "Cache-aside reads by cache and result (hit, miss, "
                         "error).")) {}

void CacheMetrics::Count(absl::string_view cache, absl::string_view result) {
  requests_
      .Get({{"cache", std::string(cache)}, {"result", std::string(result)}})
      .Increment();
}

CacheMetrics& Cache() {
  static auto* const kMetrics = new CacheMetrics();
  return *kMetrics;
}

std::string CacheNameOf(absl::string_view key) {
  // prongsai:{service}:v{n}:{resource}
  std::vector<absl::string_view> parts =
      absl::StrSplit(key, absl::MaxSplits(':', 3));
  if (parts.size() != 4 || parts[0] != "prongsai" ||
      !IsCollectionWord(parts[1])) {
    return "other";
  }
  absl::string_view resource = parts[3];
  resource = resource.substr(0, resource.find('@'));
  absl::string_view suffix;
  if (size_t hash = resource.find('#'); hash != absl::string_view::npos) {
    suffix = resource.substr(hash + 1);
    resource = resource.substr(0, hash);
  }
  std::vector<absl::string_view> segments = absl::StrSplit(resource, '/');
  std::string name = absl::StrCat(parts[1], ":");
  if (segments.front() != "organizations") {
    // A view's own word ("statistics", "analysis", "trend"), which the
    // service writes; what follows it mixes ids and numbers.
    absl::StrAppend(&name, IsCollectionWord(segments.front())
                               ? segments.front()
                               : absl::string_view("other"));
  } else {
    // A resource name: collections at the even positions, ids between.
    for (size_t i = 0; i < segments.size(); i += 2) {
      if (!IsCollectionWord(segments[i])) break;
      absl::StrAppend(&name, i == 0 ? "" : "/", segments[i]);
    }
  }
  size_t letters = 0;
  while (letters < suffix.size() && absl::ascii_isalpha(suffix[letters])) {
    ++letters;
  }
  if (letters > 0) absl::StrAppend(&name, "#", suffix.substr(0, letters));
  return name;
}

EventMetrics::EventMetrics()
    : breaker_state_(Register(prometheus::BuildGauge(),
                              "prongsai_circuit_breaker_state",
                              "0 closed, 1 open, 2 half-open.")),
      peer_calls_(Register(prometheus::BuildCounter(),
                           "prongsai_peer_calls_total",
                           "Calls to other Prongsai services, by outcome.")),
      rate_limit_refusals_(Register(prometheus::BuildCounter(),
                                    "prongsai_rate_limit_refusals_total",
                                    "Calls refused by a rate limit.")) {}

void EventMetrics::BreakerState(absl::string_view breaker, int state) {
  breaker_state_.Get({{"breaker", std::string(breaker)}}).Set(state);
}

void EventMetrics::PeerCall(absl::string_view peer, absl::StatusCode code) {
  peer_calls_
      .Get({{"peer", std::string(peer)},
            {"grpc_code", absl::StatusCodeToString(code)}})
      .Increment();
}

void EventMetrics::RateLimitRefusal(absl::string_view limit) {
  rate_limit_refusals_.Get({{"limit", std::string(limit)}}).Increment();
}

EventMetrics& Events() {
  static auto* const kMetrics = new EventMetrics();
  return *kMetrics;
}

HttpMetrics::HttpMetrics()
    : requests_(Register(prometheus::BuildCounter(),
                         "prongsai_http_requests_total",
                         "HTTP answers by handler and status code.")),
      latency_(Register(prometheus::BuildHistogram(),
                        "prongsai_http_request_seconds",
                        "Time to answer an HTTP request, by handler.")) {}

void HttpMetrics::Observe(absl::string_view handler, int status,
                          absl::Duration latency) {
  requests_
      .Get({{"handler", std::string(handler)}, {"code", absl::StrCat(status)}})
      .Increment();
  latency_.Get({{"handler", std::string(handler)}}, LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(latency));
}

HttpMetrics& Http() {
  static auto* const kMetrics = new HttpMetrics();
  return *kMetrics;
}

absl::StatusOr<std::unique_ptr<Endpoint>> Endpoint::Start(
    absl::string_view address) {
  std::pair<absl::string_view, absl::string_view> host_port =
      absl::StrSplit(address, absl::MaxSplits(':', 1));
  int port = 0;
  if (host_port.first.empty() || !absl::SimpleAtoi(host_port.second, &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics_address: \"", address, "\" is not host:port"));
  }
  // civetweb reports a port it cannot bind by throwing; nothing of it may
  // cross this module's boundary.
  try {
    auto exposer = std::make_unique<prometheus::Exposer>(
        absl::StrCat(host_port.first, ":", port), /*num_threads=*/1);
    exposer->RegisterCollectable(SharedRegistry());
    std::vector<int> ports = exposer->GetListeningPorts();
    const int bound = ports.empty() ? port : ports.front();
    return std::unique_ptr<Endpoint>(new Endpoint(std::move(exposer), bound));
  } catch (const std::exception& error) {
    return absl::UnavailableError(absl::StrCat(
        "metrics_address: cannot listen on ", address, ": ", error.what()));
  }
}

Endpoint::Endpoint(std::unique_ptr<prometheus::Exposer> exposer, int port)
    : exposer_(std::move(exposer)), port_(port) {}

Endpoint::~Endpoint() = default;

}  // namespace prongsai::metrics
