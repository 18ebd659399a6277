#include "common/server/server_host.h"

#include <malloc.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/cache/redis.h"
#include "common/rpc/tls.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

namespace prongsai::server {
namespace {

// "127.0.0.1:0" with port 43567 -> "127.0.0.1:43567".
std::string WithPort(absl::string_view listen, int port) {
  size_t colon = listen.rfind(':');
  return absl::StrCat(listen.substr(0, colon), ":", port);
}

// A duration as the int milliseconds of a gRPC channel argument.
int ClampedMilliseconds(absl::Duration duration) {
  return static_cast<int>(std::clamp<int64_t>(
      absl::ToInt64Milliseconds(duration), 1, std::numeric_limits<int>::max()));
}

}  // namespace

ServiceHost::ServiceHost(ServerOptions options, ServiceDefinition definition)
    : options_(std::move(options)), definition_(std::move(definition)) {}

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Start(
    ServerOptions options, ServiceDefinition definition) {
  std::unique_ptr<ServiceHost> host(
      new ServiceHost(std::move(options), std::move(definition)));
  const ServerOptions& opts = host->options_;

  auto keys = std::make_shared<auth::KeyRing>();
  if (!opts.api_keys_path.empty()) {
    PRONGSAI_ASSIGN_OR_RETURN(*keys,
                              auth::KeyRing::LoadFile(opts.api_keys_path));
  }
  auto sessions = std::make_shared<auth::SessionVerifier>();
  if (!opts.session_verify_keys_path.empty()) {
    PRONGSAI_ASSIGN_OR_RETURN(*sessions, auth::SessionVerifier::LoadFile(
                                             opts.session_verify_keys_path));
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      auth::AccessPolicy policy,
      auth::AccessPolicy::ForService(host->definition_.service_full_name));
  PRONGSAI_ASSIGN_OR_RETURN(
      std::shared_ptr<grpc::ServerCredentials> credentials,
      rpc::ServerTlsCredentials({.cert_path = opts.tls_cert_path,
                                 .key_path = opts.tls_key_path,
                                 .ca_path = opts.tls_client_ca_path}));

  WorkerPool::Options pool_options;
  pool_options.workers = opts.workers;
  pool_options.db_url = opts.db_url;
  if (opts.commit_writers > 0) {
    pool_options.committer = std::make_shared<storage::GroupCommitter>(
        storage::GroupCommitter::Options{.db_url = opts.db_url,
                                         .writers = opts.commit_writers});
  }
  if (opts.near_cache_mb > 0) {
    pool_options.near_cache =
        std::make_shared<cache::NearCache>(cache::NearCache::Options{
            .max_bytes = static_cast<size_t>(opts.near_cache_mb) << 20});
  }
  if (!opts.redis_url.empty()) {
    PRONGSAI_ASSIGN_OR_RETURN(pool_options.redis,
                              cache::ParseRedisUrl(opts.redis_url));
  }
  host->pool_ = std::make_unique<WorkerPool>(std::move(pool_options));
  PRONGSAI_ASSIGN_OR_RETURN(TrustedProxies proxies,
                            TrustedProxies::Parse(opts.trusted_proxies));
  for (const AdditionalService& additional :
       host->definition_.additional_services) {
    PRONGSAI_ASSIGN_OR_RETURN(
        auth::AccessPolicy additional_policy,
        auth::AccessPolicy::ForService(additional.service_full_name));
    host->additional_runtimes_.push_back(std::make_unique<ServiceRuntime>(
        std::move(additional_policy), keys, sessions, host->pool_.get(),
        opts.max_call_duration, opts.clock, opts.stream_limits, proxies));
    host->additional_services_.push_back(
        additional.make_service(*host->additional_runtimes_.back()));
  }
  host->runtime_ = std::make_unique<ServiceRuntime>(
      std::move(policy), std::move(keys), std::move(sessions),
      host->pool_.get(), opts.max_call_duration, opts.clock, opts.stream_limits,
      std::move(proxies));
  host->service_ = host->definition_.make_service(*host->runtime_);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(opts.listen, credentials, &host->port_);
  // gRPC binds with SO_REUSEPORT by default: a second process on the same
  // port (a stale replica, a misconfigured one) would silently take half of
  // its connections. It must fail to start instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(std::max(
      opts.max_message_bytes, host->definition_.max_receive_message_bytes));
  builder.SetMaxSendMessageSize(opts.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             ClampedMilliseconds(opts.max_connection_idle));
  if (opts.max_connection_age > absl::ZeroDuration()) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               ClampedMilliseconds(opts.max_connection_age));
    builder.AddChannelArgument(
        GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
        ClampedMilliseconds(opts.max_connection_age_grace));
  }
  builder.RegisterService(host->service_.get());
  for (const std::unique_ptr<grpc::Service>& service :
       host->additional_services_) {
    builder.RegisterService(service.get());
  }
  host->server_ = builder.BuildAndStart();
  if (host->server_ == nullptr || host->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", opts.listen));
  }
  host->address_ = WithPort(opts.listen, host->port_);

  // gRPC's default health service starts with "" SERVING; until the first
  // probe succeeds (the database answers and is migrated, which may take the
  // whole connect timeout) both "" and the service's name are NOT_SERVING.
  host->server_->GetHealthCheckService()->SetServingStatus(false);
  host->CheckHealthNow();
  host->health_thread_ = std::thread([h = host.get()] { h->HealthLoop(); });
  log::Info("listening", {{"service", host->definition_.service_full_name},
                          {"address", host->address_},
                          {"db", storage::RedactUrl(opts.db_url)},
                          {"tls", opts.tls_cert_path.empty()        ? "off"
                                  : opts.tls_client_ca_path.empty() ? "on"
                                                                    : "mutual"},
                          {"workers", absl::StrCat(opts.workers)}});
  return host;
}

ServiceHost::~ServiceHost() { Shutdown(); }

bool ServiceHost::CheckHealthNow() {
  absl::MutexLock lock(&health_mu_);
  absl::Status status;
  if (health_db_ == nullptr) {
    absl::StatusOr<std::unique_ptr<storage::Connection>> connection =
        storage::Connect(options_.db_url);
    if (connection.ok()) {
      health_db_ = *std::move(connection);
    } else {
      status = connection.status();
    }
  }
  if (health_db_ != nullptr) {
    health_db_->SetDeadline(absl::Now() + options_.health_check_interval);
    status = health_db_->Ping();
    if (status.ok() && !runtime_->schema_ready()) {
      health_db_->SetDeadline(absl::InfiniteFuture());
      status = storage::Migrate(*health_db_, definition_.name,
                                definition_.migrations);
      if (status.ok()) {
        runtime_->SetSchemaReady(true);
        for (const std::unique_ptr<ServiceRuntime>& runtime :
             additional_runtimes_) {
          runtime->SetSchemaReady(true);
        }
      }
    }
    if (status.ok() && runtime_->schema_ready() && definition_.housekeeping) {
      health_db_->SetDeadline(absl::Now() + options_.health_check_interval);
      if (absl::Status done =
              definition_.housekeeping(*health_db_, options_.clock());
          !done.ok()) {
        // The next probe tries again; serving is not affected.
        log::Warning("housekeeping_failed",
                     {{"service", definition_.name},
                      {"code", absl::StatusCodeToString(done.code())}});
      }
    }
  }
  const bool serving = status.ok() && runtime_->schema_ready();
  if (!status.ok()) {
    log::Warning("database_unreachable",
                 {{"service", definition_.name},
                  {"code", absl::StatusCodeToString(status.code())}});
  }
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus(serving);
  health->SetServingStatus(definition_.service_full_name, serving);
  for (const AdditionalService& additional : definition_.additional_services) {
    health->SetServingStatus(additional.service_full_name, serving);
  }
  return serving;
}

void ServiceHost::HealthLoop() {
  absl::Time released = absl::Now();
  while (!stop_health_.WaitForNotificationWithTimeout(
      options_.health_check_interval)) {
    CheckHealthNow();
    if (absl::Now() - released >= kReleaseMemoryInterval) {
      ReleaseFreeMemory();
      released = absl::Now();
    }
  }
}

void ServiceHost::ReleaseFreeMemory() { malloc_trim(0); }

void ServiceHost::Shutdown() {
  // A host whose Start failed part-way has no server to stop.
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  log::Info("shutting_down", {{"service", definition_.name}});
  stop_health_.Notify();
  if (health_thread_.joinable()) health_thread_.join();
  // Health first, so load balancers stop sending before the port closes.
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.drain_deadline));
  pool_->Shutdown();
  server_->Wait();
  log::Info("stopped", {{"service", definition_.name}});
}

}  // namespace prongsai::server
