// The `main` of every Prongsai service binary: reads the server flags (each
// with a PRONGSAI_<FLAG> environment fallback), starts the ServiceHost and
// waits for SIGTERM or SIGINT on the main thread (sigwait, never inside a
// signal handler) to shut down gracefully. Only binaries link this library,
// so the flags it defines never leak into other code.
//
//   int main(int argc, char** argv) {
//     return prongsai::server::RunServiceMain(
//         argc, argv,
//         {.name = "plan", .default_port = 50051, .extra_env_flags = {}},
//         [] { return PlanServiceDefinition(); });
//   }
#ifndef PRONGSAI_COMMON_SERVER_SERVER_MAIN_H_
#define PRONGSAI_COMMON_SERVER_SERVER_MAIN_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/server/server_host.h"

namespace prongsai::server {

struct ServiceMainOptions {
  // Short service name: the default database is var/<name>.db.
  std::string name;
  int default_port = 0;
  // Flags the binary's main.cc defines itself; they get the same
  // PRONGSAI_<FLAG> environment fallback as the server flags.
  std::vector<std::string> extra_env_flags;
};

// `make_definition` runs after the flags are parsed, so it may read the
// binary's own flags; an error ends the program with exit code 1.
int RunServiceMain(
    int argc, char** argv, const ServiceMainOptions& options,
    const std::function<absl::StatusOr<ServiceDefinition>()>& make_definition);

}  // namespace prongsai::server

#endif  // PRONGSAI_COMMON_SERVER_SERVER_MAIN_H_
