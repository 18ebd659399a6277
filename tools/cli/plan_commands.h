// The `prongsai plan` verbs: one function per verb, each one call of the
// plan service (prongsai.plan.v1.PlanService). main.cc's command table binds
// them to their verbs and usage lines.
//
//   // prongsai plan get organizations/6340101/actionPlans/p1
//   int exit_code = PlanGet(options, {"organizations/6340101/actionPlans/p1"});
#ifndef PRONGSAI_TOOLS_CLI_PLAN_COMMANDS_H_
#define PRONGSAI_TOOLS_CLI_PLAN_COMMANDS_H_

#include "tools/cli/cli_common.h"

namespace prongsai::cli {

// Each returns the exit code: 0 done, 1 the call failed (bad usage exits 2).
int PlanCreate(const CliOptions& options, const Args& args);
int PlanImport(const CliOptions& options, const Args& args);
int PlanGet(const CliOptions& options, const Args& args);
int PlanList(const CliOptions& options, const Args& args);
int PlanApprove(const CliOptions& options, const Args& args);
int PlanAnnounce(const CliOptions& options, const Args& args);
int PlanProjects(const CliOptions& options, const Args& args);
int PlanRisks(const CliOptions& options, const Args& args);
int PlanTargets(const CliOptions& options, const Args& args);
int PlanAnnualCreate(const CliOptions& options, const Args& args);
int PlanAnnual(const CliOptions& options, const Args& args);
int PlanReconcile(const CliOptions& options, const Args& args);
int PlanExport(const CliOptions& options, const Args& args);
int PlanMeasure(const CliOptions& options, const Args& args);
int PlanMeasures(const CliOptions& options, const Args& args);
int PlanMeasuresImport(const CliOptions& options, const Args& args);
int PlanProgress(const CliOptions& options, const Args& args);
int PlanProgressImport(const CliOptions& options, const Args& args);
int PlanSummary(const CliOptions& options, const Args& args);
int PlanReport(const CliOptions& options, const Args& args);

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_PLAN_COMMANDS_H_
