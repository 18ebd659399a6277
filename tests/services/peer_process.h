// A peer service's binary run as a child process, so that a service test
// links only the service it tests and meets its peers the way production
// does: through their gRPC APIs. The binary runs on the test's backend (a
// SQLite file or a scratch PostgreSQL database), with an API key file of one
// SYSTEM key, in a scratch directory of its own as its working directory
// (where a binary creates what it makes on first start, such as the
// complaint service's protection keys).
//
//   std::unique_ptr<PeerProcess> plan;
//   PeerProcess::Start(
//       {.binary = PRONGSAI_PLAN_BINARY,
//        .service = plan::v1::PlanService::service_full_name(),
//        .backend = GetParam(),
//        .args = {}},
//       &plan);
//   if (plan == nullptr) GTEST_SKIP();
//   auto stub = plan::v1::PlanService::NewStub(plan->channel());
//   stub->CreateOrganization(plan->SystemContext().get(), request, &created);
#ifndef PRONGSAI_TESTS_SERVICES_PEER_PROCESS_H_
#define PRONGSAI_TESTS_SERVICES_PEER_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "tests/e2e/process.h"
#include "tests/services/service_test_util.h"

namespace prongsai::testing {

class PeerProcess {
 public:
  struct Options {
    // Absolute path of the service's binary.
    std::string binary;
    // The gRPC service's full name, polled until SERVING.
    std::string service;
    Backend backend = Backend::kSqlite;
    // Flags beyond --listen, --db and --api_keys.
    std::vector<std::string> args;
    // Further lines of the API key file (auth::FormatKeyLine), for tests
    // that call with keys of other roles.
    std::vector<std::string> extra_key_lines;
  };

  // Starts the binary and waits until it serves. Leaves `*out` null after
  // skipping (PostgreSQL not configured) or recording a failure.
  static void Start(const Options& options, std::unique_ptr<PeerProcess>* out);

  const std::string& address() const { return address_; }
  // Never print it.
  const std::string& system_key() const { return system_key_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // Where the binary's stdout and stderr go (its log lines).
  const std::string& log_path() const { return log_path_; }
  // A context with a 10 s deadline presenting the SYSTEM key.
  std::unique_ptr<grpc::ClientContext> SystemContext() const;
  // A context with a 10 s deadline and no key.
  static std::unique_ptr<grpc::ClientContext> AnonymousContext();

 private:
  PeerProcess() = default;

  std::string address_;
  std::string system_key_;
  std::string log_path_;
  std::unique_ptr<e2e::ChildProcess> process_;  // killed with this object
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SERVICES_PEER_PROCESS_H_
