// The `main` of every Prongsai service binary: reads the server flags (each
// with a PRONGSAI_<FLAG> environment fallback), starts the ServiceHost and
// waits for SIGTERM or SIGINT on the main thread (sigwait, never inside a
// signal handler) to shut down gracefully. Only binaries link this library,
// so the flags it defines never leak into other code.
//
//   int main(int argc, char** argv) {
//     return prongsai::server::RunServiceMain(argc, argv, PlanDefinition(),
//                                             /*default_port=*/50051);
//   }
#ifndef PRONGSAI_COMMON_SERVER_SERVER_MAIN_H_
#define PRONGSAI_COMMON_SERVER_SERVER_MAIN_H_

#include "common/server/server_host.h"

namespace prongsai::server {

int RunServiceMain(int argc, char** argv, ServiceDefinition definition,
                   int default_port);

}  // namespace prongsai::server

#endif  // PRONGSAI_COMMON_SERVER_SERVER_MAIN_H_
