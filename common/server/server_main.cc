#include "common/server/server_main.h"

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/base/flag_environment.h"
#include "common/base/log.h"
#include "common/metrics/metrics.h"
#include "common/rpc/grpc_log.h"

ABSL_FLAG(std::string, listen, "",
          "host:port to listen on (default 127.0.0.1:<service port>)");
ABSL_FLAG(std::string, db, "",
          "storage URL: sqlite:///path/file.db or postgresql://... "
          "(default sqlite://var/<service>.db)");
ABSL_FLAG(std::string, redis, "",
          "Redis cache URL: redis://host:port[/db] or unix:///path; empty "
          "runs without a cache");
ABSL_FLAG(std::string, api_keys, "",
          "API key file (hashed keys, roles, organizations); empty admits "
          "only methods open to the public");
ABSL_FLAG(std::string, session_verify_keys_file, "",
          "public keys (one `key-id base64url-key` per line) that verify "
          "people's access tokens; empty refuses every access token");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain; enables TLS");
ABSL_FLAG(std::string, tls_key, "", "PEM private key; enables TLS");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle; with TLS on, every client must present a "
          "certificate it signed (mutual TLS between the services)");
ABSL_FLAG(int, workers, 16,
          "worker threads for blocking I/O (one database and one Redis "
          "connection each)");
ABSL_FLAG(int, commit_writers, 4,
          "database connections that commit concurrent writes together "
          "(group commit; SQLite uses one whatever the number); 0 lets each "
          "worker commit its own");
ABSL_FLAG(int, near_cache_mb, 32,
          "megabytes of cached answers kept in the process in front of Redis "
          "(only answers keyed by their data's version, never stale); 0 "
          "keeps none");
ABSL_FLAG(int, max_message_bytes, 4 * 1024 * 1024,
          "largest request or response message");
ABSL_FLAG(absl::Duration, drain_deadline, absl::Seconds(10),
          "how long in-flight calls may finish after SIGTERM");
ABSL_FLAG(std::string, trusted_proxies, "",
          "comma-separated addresses or CIDR networks of proxies whose "
          "x-forwarded-for header names the client for rate limits");
ABSL_FLAG(absl::Duration, max_connection_idle, absl::Minutes(5),
          "close connections that carried no call for this long");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(5),
          "send GOAWAY on connections older than this (+-10%), so that "
          "clients resolve the name again and new replicas get calls; 0 "
          "keeps connections open");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::Seconds(30),
          "how long calls may finish on a connection told to go away by "
          "--max_connection_age");
ABSL_FLAG(std::string, log_format, "text",
          "log lines as `text` (time level event key=value) or `json` (one "
          "JSON object per line)");
ABSL_FLAG(int, log_ok_every, 1,
          "log one in N successful calls (errors are always logged); 1 logs "
          "every call");
ABSL_FLAG(std::string, metrics_address, "",
          "host:port serving Prometheus metrics at /metrics (e.g. "
          "127.0.0.1:9464); empty serves none");
ABSL_FLAG(absl::Duration, health_interval, absl::Seconds(2),
          "how often the database is probed for the health service");

namespace prongsai::server {
namespace {

// Each flag takes its value from PRONGSAI_<FLAG> when the command line does
// not set it: the environment is applied first, the command line overrides.
void ApplyEnvironmentFallbacks(const std::vector<std::string>& extra) {
  std::vector<std::string> names = {"listen",
                                    "db",
                                    "redis",
                                    "api_keys",
                                    "tls_cert",
                                    "tls_key",
                                    "tls_client_ca",
                                    "workers",
                                    "commit_writers",
                                    "near_cache_mb",
                                    "max_message_bytes",
                                    "drain_deadline",
                                    "health_interval",
                                    "trusted_proxies",
                                    "max_connection_idle",
                                    "max_connection_age",
                                    "max_connection_age_grace",
                                    "session_verify_keys_file",
                                    "metrics_address",
                                    "log_format",
                                    "log_ok_every"};
  names.insert(names.end(), extra.begin(), extra.end());
  if (absl::Status status = ApplyFlagEnvironment("PRONGSAI_", names);
      !status.ok()) {
    log::Error("bad_environment", {{"error", std::string(status.message())}});
    std::exit(2);
  }
}

}  // namespace

int RunServiceMain(
    int argc, char** argv, const ServiceMainOptions& main_options,
    const std::function<absl::StatusOr<ServiceDefinition>()>& make_definition) {
  absl::SetProgramUsageMessage(absl::StrCat(
      "The Prongsai ", main_options.name,
      " service. Every flag also reads PRONGSAI_<FLAG> from the environment."));
  ApplyEnvironmentFallbacks(main_options.extra_env_flags);
  absl::ParseCommandLine(argc, argv);
  // Debian's absl is built with its mutex deadlock detector on; every call
  // takes a few mutexes (the pool's queue, the group commit, the caches),
  // and the detector's bookkeeping costs each of them a graph update. The
  // in-process tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (absl::Status logging = log::Configure(absl::GetFlag(FLAGS_log_format),
                                            absl::GetFlag(FLAGS_log_ok_every));
      !logging.ok()) {
    log::Error("bad_flags", {{"reason", std::string(logging.message())}});
    return 2;
  }
  rpc::RouteGrpcLogsHere();

  // Block the shutdown signals in every thread (threads inherit the mask) so
  // that only sigwait below receives them; a closed peer must not kill us.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  if (options.listen.empty()) {
    options.listen = absl::StrCat("127.0.0.1:", main_options.default_port);
  }
  options.db_url = absl::GetFlag(FLAGS_db);
  if (options.db_url.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories("var", ignored);
    options.db_url = absl::StrCat("sqlite://var/", main_options.name, ".db");
  }
  options.redis_url = absl::GetFlag(FLAGS_redis);
  options.api_keys_path = absl::GetFlag(FLAGS_api_keys);
  options.session_verify_keys_path =
      absl::GetFlag(FLAGS_session_verify_keys_file);
  options.tls_cert_path = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_path = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca_path = absl::GetFlag(FLAGS_tls_client_ca);
  options.workers = absl::GetFlag(FLAGS_workers);
  options.commit_writers = absl::GetFlag(FLAGS_commit_writers);
  options.near_cache_mb = absl::GetFlag(FLAGS_near_cache_mb);
  options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.drain_deadline = absl::GetFlag(FLAGS_drain_deadline);
  options.health_check_interval = absl::GetFlag(FLAGS_health_interval);
  options.trusted_proxies = absl::GetFlag(FLAGS_trusted_proxies);
  options.max_connection_idle = absl::GetFlag(FLAGS_max_connection_idle);
  options.max_connection_age = absl::GetFlag(FLAGS_max_connection_age);
  options.max_connection_age_grace =
      absl::GetFlag(FLAGS_max_connection_age_grace);
  if (options.workers < 1 || options.commit_writers < 0 ||
      options.near_cache_mb < 0 || options.max_message_bytes < 1024) {
    log::Error("bad_flags",
               {{"reason",
                 "--workers must be >= 1, --commit_writers and "
                 "--near_cache_mb >= 0 and --max_message_bytes >= 1024"}});
    return 2;
  }

  const std::string& name = main_options.name;
  std::unique_ptr<metrics::Endpoint> metrics_endpoint;
  if (const std::string address = absl::GetFlag(FLAGS_metrics_address);
      !address.empty()) {
    absl::StatusOr<std::unique_ptr<metrics::Endpoint>> endpoint =
        metrics::Endpoint::Start(address);
    if (!endpoint.ok()) {
      log::Error("start_failed",
                 {{"service", name},
                  {"error", std::string(endpoint.status().message())}});
      return 1;
    }
    metrics_endpoint = *std::move(endpoint);
    log::Info("metrics_listening",
              {{"port", absl::StrCat(metrics_endpoint->port())}});
  }
  absl::StatusOr<ServiceDefinition> definition = make_definition();
  if (!definition.ok()) {
    log::Error("start_failed",
               {{"service", name},
                {"error", std::string(definition.status().message())}});
    return 1;
  }
  absl::StatusOr<std::unique_ptr<ServiceHost>> host =
      ServiceHost::Start(std::move(options), *std::move(definition));
  if (!host.ok()) {
    log::Error(
        "start_failed",
        {{"service", name}, {"error", std::string(host.status().message())}});
    return 1;
  }
  int received = 0;
  sigwait(&signals, &received);
  log::Info("signal", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*host)->Shutdown();
  return 0;
}

}  // namespace prongsai::server
