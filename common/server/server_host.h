// Runs one Prongsai service: the gRPC server (callback API, TLS when a
// certificate is given, message size limits), the standard health service
// (NOT_SERVING while the database is unreachable), server reflection, the
// worker pool, schema migrations at start-up, and a graceful shutdown.
//
//   PRONGSAI_ASSIGN_OR_RETURN(
//       std::unique_ptr<ServiceHost> host,
//       ServiceHost::Start(options, plan::PlanServiceDefinition()));
//   ... host->Shutdown();
#ifndef PRONGSAI_COMMON_SERVER_SERVER_HOST_H_
#define PRONGSAI_COMMON_SERVER_SERVER_HOST_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/server/service_runtime.h"
#include "common/server/worker_pool.h"
#include "common/storage/storage.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace prongsai::server {

struct ServerOptions {
  // host:port; port 0 picks a free port (see ServiceHost::port()).
  std::string listen = "127.0.0.1:0";
  // sqlite:///path or postgresql://... (see common/storage/storage.h).
  std::string db_url;
  // redis://host:port or unix:///path; empty runs without a cache.
  std::string redis_url;
  // API key file (see common/auth/key_ring.h); empty admits only PUBLIC.
  std::string api_keys_path;
  // Public keys that verify people's access tokens (session_token.h);
  // empty refuses every access token.
  std::string session_verify_keys_path;
  // PEM files; TLS is on when both are given.
  std::string tls_cert_path;
  std::string tls_key_path;
  // PEM CA bundle: with it (and TLS on), every client must present a
  // certificate this CA signed (mutual TLS, as between the services).
  std::string tls_client_ca_path;
  // Proxies whose x-forwarded-for names the client for rate limits
  // (comma-separated addresses or CIDR networks; see client_address.h).
  std::string trusted_proxies;
  // Connections that carry no call for this long are closed, so idle
  // clients cannot hold sockets and their memory without limit.
  absl::Duration max_connection_idle = absl::Minutes(5);
  // Connections older than this get a GOAWAY (after a random +-10% so that
  // clients do not all reconnect at once) and are closed once the calls on
  // them finish or `max_connection_age_grace` passes, so that clients
  // resolve again and new replicas get traffic. Zero or less: never.
  absl::Duration max_connection_age = absl::Minutes(5);
  absl::Duration max_connection_age_grace = absl::Seconds(30);
  int workers = 16;
  // Connections that commit the workers' concurrent transactions together
  // (storage/group_commit.h); SQLite uses one whatever the number. 0: each
  // worker commits its own.
  int commit_writers = 4;
  // Megabytes of version-keyed cached answers kept in the process
  // (cache/near_cache.h). 0: none.
  int near_cache_mb = 32;
  int max_message_bytes = 4 * 1024 * 1024;
  // How long in-flight calls may run on after a shutdown signal.
  absl::Duration drain_deadline = absl::Seconds(10);
  // How often the database is probed for the health service.
  absl::Duration health_check_interval = absl::Seconds(2);
  // Upper bound on any call's deadline, so no call holds a worker forever.
  absl::Duration max_call_duration = absl::Seconds(30);
  // Memory and idle bounds on client streams (service_runtime.h).
  StreamLimits stream_limits;
  // The clock handlers see; tests move it.
  Clock clock = absl::Now;
};

// A further gRPC service served by the same host (the plan host serves the
// AccountService too): the same worker pool, keys, clock and database, a
// runtime of its own for its access policy and log lines.
struct AdditionalService {
  std::string service_full_name;
  std::function<std::unique_ptr<grpc::Service>(ServiceRuntime&)> make_service;
};

// What distinguishes one service from another.
struct ServiceDefinition {
  // Short name: "plan", "complaint" or "ita" (schema and log name).
  std::string name;
  // e.g. "prongsai.plan.v1.PlanService": its access policy is read from the
  // generated descriptor pool.
  std::string service_full_name;
  std::vector<storage::Migration> migrations;
  std::function<std::unique_ptr<grpc::Service>(ServiceRuntime&)> make_service;
  std::vector<AdditionalService> additional_services;
  // Optional: work that must happen on time whether or not calls arrive
  // (erasing data whose retention ended, say). Runs on the health thread
  // after each successful database probe, with the server's clock, never
  // two at once.
  std::function<absl::Status(storage::Connection&, absl::Time now)>
      housekeeping;
  // Optional: the largest request message this service must admit, when it
  // is more than ServerOptions::max_message_bytes (e.g. photos uploaded
  // with a complaint). Requests are then admitted up to this size; other
  // services, and responses, keep max_message_bytes.
  int max_receive_message_bytes = 0;
};

class ServiceHost {
 public:
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Start(
      ServerOptions options, ServiceDefinition definition);
  ~ServiceHost();

  // The port the server listens on.
  int port() const { return port_; }
  // host:port with the chosen port.
  const std::string& address() const { return address_; }
  ServiceRuntime& runtime() { return *runtime_; }

  // Health to NOT_SERVING, stop accepting calls, let in-flight calls finish
  // until the drain deadline, then drain the worker pool. Idempotent.
  void Shutdown();

  // Probes the database (and migrates when needed) now, then runs the
  // definition's housekeeping; returns whether the service is SERVING
  // afterwards.
  bool CheckHealthNow();

  // Hands the pages of memory that the process freed back to the system
  // (glibc keeps them otherwise: a spike of large requests would hold its
  // peak until restart). The health thread does it every
  // `kReleaseMemoryInterval`.
  static void ReleaseFreeMemory();
  static constexpr absl::Duration kReleaseMemoryInterval = absl::Seconds(30);

 private:
  ServiceHost(ServerOptions options, ServiceDefinition definition);
  void HealthLoop();

  const ServerOptions options_;
  const ServiceDefinition definition_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<ServiceRuntime> runtime_;
  std::unique_ptr<grpc::Service> service_;
  // Those of definition_.additional_services, in order.
  std::vector<std::unique_ptr<ServiceRuntime>> additional_runtimes_;
  std::vector<std::unique_ptr<grpc::Service>> additional_services_;
  std::unique_ptr<grpc::Server> server_;
  // CheckHealthNow runs on the health thread and wherever it is called
  // (tests); one at a time, so the connection and the housekeeping's own
  // state see one caller.
  absl::Mutex health_mu_;
  std::unique_ptr<storage::Connection> health_db_ ABSL_GUARDED_BY(health_mu_);
  int port_ = 0;
  std::string address_;
  absl::Notification stop_health_;
  std::thread health_thread_;
  bool shut_down_ = false;
};

}  // namespace prongsai::server

#endif  // PRONGSAI_COMMON_SERVER_SERVER_HOST_H_
