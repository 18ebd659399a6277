// `prongsai keys add`: makes a new API key, appends its hash with a name,
// roles and organizations to an API key file, and prints the key, the only
// time it is ever shown. No service is involved.
//
//   // prongsai keys add --file var/api_keys --name portal --roles SYSTEM
//   int exit_code = KeysAdd(options, {});
#ifndef PRONGSAI_TOOLS_CLI_KEYS_H_
#define PRONGSAI_TOOLS_CLI_KEYS_H_

#include "tools/cli/cli_common.h"

namespace prongsai::cli {

// 0 when the key line was written, 1 when the file cannot be written.
int KeysAdd(const CliOptions& options, const Args& args);

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_KEYS_H_
