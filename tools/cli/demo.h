// `prongsai demo load`: a sample organization put into all three services
// (--plan_server, --ita_server, --complaint_server), so that a newcomer can
// walk through the cycle. Every create carries a request id, so running it
// again changes nothing. Prints one "ok"/"FAILED" line per step. The plan
// comes from seed 002 in --seeds when that file exists, else from the
// project's sample document (demo_sample_plan.h): no seeds are needed.
//
//   // prongsai demo load --seeds ../shared/seeds
//   int exit_code = DemoLoad(options, {});
#ifndef PRONGSAI_TOOLS_CLI_DEMO_H_
#define PRONGSAI_TOOLS_CLI_DEMO_H_

#include "tools/cli/cli_common.h"

namespace prongsai::cli {

// 0 when every step succeeded (or had been done before), else 1.
int DemoLoad(const CliOptions& options, const Args& args);

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_DEMO_H_
