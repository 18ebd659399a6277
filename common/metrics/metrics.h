// Prometheus metrics of a Prongsai process: one registry per process, the
// families every instrumented part adds to, and the HTTP endpoint that
// serves them (`--metrics_address`, on its own port, never the API's).
//
// Labels hold only bounded, non-personal values: service and method names,
// status codes, backend and cache names, peer names. Never a resource id, a
// tracking code, a client address or any text a caller sent.
//
//   metrics::Rpc().Handled("prongsai.plan.v1.PlanService", "GetActionPlan",
//                          absl::StatusCode::kOk, absl::Milliseconds(3));
//   PRONGSAI_ASSIGN_OR_RETURN(std::unique_ptr<metrics::Endpoint> endpoint,
//                             metrics::Endpoint::Start("127.0.0.1:9464"));
#ifndef PRONGSAI_COMMON_METRICS_METRICS_H_
#define PRONGSAI_COMMON_METRICS_METRICS_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace prometheus {
class Exposer;
}

namespace prongsai::metrics {

// The process's registry. A process-wide one because the instrumented parts
// (the worker pool, storage, the Redis cache, peers) sit deep below the
// services: threading a registry through every constructor would change
// every service for no gain, as one process serves one set of metrics.
prometheus::Registry& Registry();
std::shared_ptr<prometheus::Registry> SharedRegistry();

// The metric of `family` with `labels`, created on first use and remembered
// by a key of the label values, so that a hot path pays one lookup under a
// reader lock instead of prometheus-cpp's label-map search.
template <typename M>
class LabeledMetrics {
 public:
  explicit LabeledMetrics(prometheus::Family<M>& family) : family_(family) {}

  template <typename... Args>
  M& Get(const prometheus::Labels& labels, Args&&... args);

 private:
  prometheus::Family<M>& family_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, M*> by_key_ ABSL_GUARDED_BY(mu_);
};

// Server-side gRPC metrics under the names the gRPC ecosystem uses
// (go-grpc-prometheus, grpc-ecosystem/java-grpc-prometheus), so existing
// dashboards and alerts work as they are.
class RpcMetrics {
 public:
  RpcMetrics();

  // grpc_server_started_total{grpc_service,grpc_method,grpc_type}.
  void Started(absl::string_view service, absl::string_view method,
               absl::string_view type);
  // grpc_server_handled_total{...,grpc_code} and the
  // grpc_server_handling_seconds histogram.
  void Handled(absl::string_view service, absl::string_view method,
               absl::string_view type, absl::StatusCode code,
               absl::Duration latency);

 private:
  LabeledMetrics<prometheus::Counter> started_;
  LabeledMetrics<prometheus::Counter> handled_;
  LabeledMetrics<prometheus::Histogram> handling_;
};
RpcMetrics& Rpc();

// The worker pool: tasks waiting and running, the time a task waited for a
// worker, and tasks refused because the queue was full.
struct PoolMetrics {
  prometheus::Gauge& queued;
  prometheus::Gauge& busy;
  prometheus::Histogram& wait_seconds;
  prometheus::Counter& refused;
};
PoolMetrics& Pool();

// Database calls by backend ("sqlite", "postgres") and operation
// ("execute", "script", "begin", "commit", "rollback").
class DbMetrics {
 public:
  DbMetrics();
  void Observe(absl::string_view backend, absl::string_view operation,
               absl::Duration latency, bool failed);

 private:
  LabeledMetrics<prometheus::Histogram> latency_;
  LabeledMetrics<prometheus::Counter> errors_;
};
DbMetrics& Db();

// Group commit (storage::GroupCommitter): how many callers' transactions
// each group's COMMIT kept, and the transactions that had to be committed
// on their own (not run in time, ABORTED, or kept by a group that could not
// commit).
struct GroupCommitMetrics {
  prometheus::Histogram& group_size;
  prometheus::Counter& alone;
};
GroupCommitMetrics& GroupCommit();

// Cache-aside reads by cache ("plan:organizations/actionPlans/annualPlans")
// and result ("hit", "miss", "error": Redis failed and the database
// answered, "near_hit": the process's near-cache answered, without Redis).
class CacheMetrics {
 public:
  CacheMetrics();
  void Count(absl::string_view cache, absl::string_view result);

 private:
  LabeledMetrics<prometheus::Counter> requests_;
};
CacheMetrics& Cache();

// The bounded, non-personal name of the cache a VersionedKey belongs to:
// the service and the collection words of its resource name, without ids,
// versions or numbers ("prongsai:plan:v2:organizations/6340101/actionPlans/
// ap1/annualPlans/2568#round4@t" gives "plan:organizations/actionPlans/
// annualPlans#round").
std::string CacheNameOf(absl::string_view key);

// Everything else that is counted by a name.
class EventMetrics {
 public:
  EventMetrics();
  // prongsai_circuit_breaker_state{breaker}: 0 closed, 1 open, 2 half-open.
  void BreakerState(absl::string_view breaker, int state);
  // prongsai_peer_calls_total{peer,grpc_code}.
  void PeerCall(absl::string_view peer, absl::StatusCode code);
  // prongsai_rate_limit_refusals_total{limit}.
  void RateLimitRefusal(absl::string_view limit);

 private:
  LabeledMetrics<prometheus::Gauge> breaker_state_;
  LabeledMetrics<prometheus::Counter> peer_calls_;
  LabeledMetrics<prometheus::Counter> rate_limit_refusals_;
};
EventMetrics& Events();

// The gateway's HTTP answers by handler ("api", "open311", "auth", "web",
// "openapi", "health", "unrouted") and status code.
class HttpMetrics {
 public:
  HttpMetrics();
  void Observe(absl::string_view handler, int status, absl::Duration latency);

 private:
  LabeledMetrics<prometheus::Counter> requests_;
  LabeledMetrics<prometheus::Histogram> latency_;
};
HttpMetrics& Http();

// Serves SharedRegistry() in the Prometheus text format at
// http://{address}/metrics while it lives.
class Endpoint {
 public:
  // INVALID_ARGUMENT for an address that is not host:port; UNAVAILABLE when
  // the port cannot be bound.
  static absl::StatusOr<std::unique_ptr<Endpoint>> Start(
      absl::string_view address);
  ~Endpoint();
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // The bound port (the actual one when the address asked for port 0).
  int port() const { return port_; }

 private:
  Endpoint(std::unique_ptr<prometheus::Exposer> exposer, int port);

  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_;
};

template <typename M>
template <typename... Args>
M& LabeledMetrics<M>::Get(const prometheus::Labels& labels, Args&&... args) {
  std::string key;
  for (const auto& [name, value] : labels) {
    key.append(value);
    key.push_back('\0');
  }
  {
    absl::ReaderMutexLock lock(&mu_);
    if (auto it = by_key_.find(key); it != by_key_.end()) return *it->second;
  }
  absl::MutexLock lock(&mu_);
  M*& metric = by_key_[key];
  if (metric == nullptr) {
    metric = &family_.Add(labels, std::forward<Args>(args)...);
  }
  return *metric;
}

}  // namespace prongsai::metrics

#endif  // PRONGSAI_COMMON_METRICS_METRICS_H_
