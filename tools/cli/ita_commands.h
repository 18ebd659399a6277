// The `prongsai ita` verbs: one function per verb, each one call of the ITA
// service (prongsai.ita.v1.AssessmentService). main.cc's command table binds
// them to their verbs and usage lines.
//
//   // prongsai ita analyze organizations/6340101/assessments/2568
//   int exit_code = ItaAnalyze(options, {assessment_name});
#ifndef PRONGSAI_TOOLS_CLI_ITA_COMMANDS_H_
#define PRONGSAI_TOOLS_CLI_ITA_COMMANDS_H_

#include "tools/cli/cli_common.h"

namespace prongsai::cli {

// Each returns the exit code: 0 done, 1 the call failed (bad usage exits 2).
int ItaCreate(const CliOptions& options, const Args& args);
int ItaGet(const CliOptions& options, const Args& args);
int ItaList(const CliOptions& options, const Args& args);
int ItaPublish(const CliOptions& options, const Args& args);
int ItaAnalyze(const CliOptions& options, const Args& args);
int ItaRecommend(const CliOptions& options, const Args& args);
int ItaAdopt(const CliOptions& options, const Args& args);
int ItaPeers(const CliOptions& options, const Args& args);
int ItaReport(const CliOptions& options, const Args& args);
int ItaFrameworks(const CliOptions& options, const Args& args);
int ItaLoadFramework(const CliOptions& options, const Args& args);
int ItaMigrate(const CliOptions& options, const Args& args);
// ita_import_command.cc
int ItaImportResults(const CliOptions& options, const Args& args);

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_ITA_COMMANDS_H_
