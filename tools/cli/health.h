// `prongsai health`: one grpc.health.v1.Health/Check of --server (default
// the plan service), printing the serving status. It needs no API key but
// sends one when given.
//
//   // prongsai health --server 127.0.0.1:50052 --service NAME
//   int exit_code = HealthCheck(options, {});
#ifndef PRONGSAI_TOOLS_CLI_HEALTH_H_
#define PRONGSAI_TOOLS_CLI_HEALTH_H_

#include "tools/cli/cli_common.h"

namespace prongsai::cli {

// 0 when the answer is SERVING, else 1.
int HealthCheck(const CliOptions& options, const Args& args);

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_HEALTH_H_
