// `prongsai accounts ...`: staff's human accounts in the plan service's
// AccountService, with the SYSTEM API key the CLI uses for everything else;
// and `prongsai sessions keygen`, which makes the key files that sign and
// verify people's access tokens (no service involved).
//
//   prongsai accounts add somchai.j --display_name "สมชาย ใจดี"
//       --roles OPERATOR --organizations 6340101
//   prongsai sessions keygen --signing_key_file var/session-signing.key
//       --verify_keys_file var/session-verify.keys
#ifndef PRONGSAI_TOOLS_CLI_ACCOUNT_COMMANDS_H_
#define PRONGSAI_TOOLS_CLI_ACCOUNT_COMMANDS_H_

#include "tools/cli/cli_common.h"

namespace prongsai::cli {

// Creates the account and prints its one-time password, once.
int AccountsAdd(const CliOptions& options, const Args& args);
int AccountsList(const CliOptions& options, const Args& args);
// A new one-time password, printed once; the account's sessions end.
int AccountsResetPassword(const CliOptions& options, const Args& args);
// Writes a new signing key file (mode 0600; an existing one is an error)
// and appends its public key to the verify keys file (created if missing).
int SessionsKeygen(const CliOptions& options, const Args& args);

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_ACCOUNT_COMMANDS_H_
