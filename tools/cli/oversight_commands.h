// The `prongsai oversight` verbs: the standings of a group of organizations
// (prongsai.plan.v1.OversightService, served by the plan service). main.cc's
// command table binds them to their verbs and usage lines.
//
//   // prongsai oversight standings --year 2568 --province ยโสธร
//   int exit_code = OversightStandings(options, {});
#ifndef PRONGSAI_TOOLS_CLI_OVERSIGHT_COMMANDS_H_
#define PRONGSAI_TOOLS_CLI_OVERSIGHT_COMMANDS_H_

#include "tools/cli/cli_common.h"

namespace prongsai::cli {

// One page as a table (--page_size, --page_token), or with --csv FILE the
// whole group as the CSV export written to FILE. Returns the exit code.
int OversightStandings(const CliOptions& options, const Args& args);

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_OVERSIGHT_COMMANDS_H_
