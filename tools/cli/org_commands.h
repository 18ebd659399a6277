// The `prongsai org` verbs: organizations, kept by the plan service
// (prongsai.plan.v1.PlanService). main.cc's command table binds them.
//
//   // prongsai org get 6340101
//   int exit_code = OrgGet(options, {"6340101"});
#ifndef PRONGSAI_TOOLS_CLI_ORG_COMMANDS_H_
#define PRONGSAI_TOOLS_CLI_ORG_COMMANDS_H_

#include "tools/cli/cli_common.h"

namespace prongsai::cli {

// Each returns the exit code: 0 done, 1 the call failed (bad usage exits 2).
int OrgCreate(const CliOptions& options, const Args& args);
int OrgGet(const CliOptions& options, const Args& args);
int OrgList(const CliOptions& options, const Args& args);
// The public directory (SearchOrganizations), no key needed.
int OrgSearch(const CliOptions& options, const Args& args);

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_ORG_COMMANDS_H_
