// The `prongsai complaint` verbs: one function per verb, each one call of the
// complaint service (prongsai.complaint.v1.ComplaintService). main.cc's
// command table binds them to their verbs and usage lines.
//
//   // prongsai complaint track TRACKING_CODE
//   int exit_code = ComplaintTrack(options, {tracking_code});
#ifndef PRONGSAI_TOOLS_CLI_COMPLAINT_COMMANDS_H_
#define PRONGSAI_TOOLS_CLI_COMPLAINT_COMMANDS_H_

#include "tools/cli/cli_common.h"

namespace prongsai::cli {

// Each returns the exit code: 0 done, 1 the call failed (bad usage exits 2).
int ComplaintCreate(const CliOptions& options, const Args& args);
int ComplaintGet(const CliOptions& options, const Args& args);
int ComplaintList(const CliOptions& options, const Args& args);
int ComplaintTransition(const CliOptions& options, const Args& args);
int ComplaintReply(const CliOptions& options, const Args& args);
int ComplaintReplies(const CliOptions& options, const Args& args);
int ComplaintIdentity(const CliOptions& options, const Args& args);
// Prints the verdict and the head to keep; exits 1 when the log is not
// intact, as when the call fails.
int ComplaintVerifyAccesses(const CliOptions& options, const Args& args);
// Prints the retention policy; with --general_days, --corruption_days or
// --warning_days, changes those periods first (EXECUTIVE).
int ComplaintRetention(const CliOptions& options, const Args& args);
int ComplaintPendingErasures(const CliOptions& options, const Args& args);
int ComplaintErasures(const CliOptions& options, const Args& args);
int ComplaintEraseContact(const CliOptions& options, const Args& args);
int ComplaintTrack(const CliOptions& options, const Args& args);
int ComplaintAddInfo(const CliOptions& options, const Args& args);
int ComplaintRate(const CliOptions& options, const Args& args);
int ComplaintReopen(const CliOptions& options, const Args& args);
int ComplaintStats(const CliOptions& options, const Args& args);
int ComplaintCategories(const CliOptions& options, const Args& args);
int ComplaintCategory(const CliOptions& options, const Args& args);
int ComplaintExport(const CliOptions& options, const Args& args);
int ComplaintTemplateAdd(const CliOptions& options, const Args& args);
int ComplaintTemplates(const CliOptions& options, const Args& args);
int ComplaintTemplateDelete(const CliOptions& options, const Args& args);

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_COMPLAINT_COMMANDS_H_
