// Flags from the environment, for binaries configured by containers: each
// named flag takes its value from <prefix><FLAG> ("PRONGSAI_LISTEN" for
// --listen) when that variable is set. Call it before ParseCommandLine, so
// that the command line overrides.
//
//   PRONGSAI_RETURN_IF_ERROR(
//       ApplyFlagEnvironment("PRONGSAI_", {"listen", "tls_cert"}));
#ifndef PRONGSAI_COMMON_BASE_FLAG_ENVIRONMENT_H_
#define PRONGSAI_COMMON_BASE_FLAG_ENVIRONMENT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace prongsai {

// INVALID_ARGUMENT naming the variable when its value does not parse as the
// flag's type (or names a flag the binary does not define).
absl::Status ApplyFlagEnvironment(absl::string_view prefix,
                                  const std::vector<std::string>& flag_names);

}  // namespace prongsai

#endif  // PRONGSAI_COMMON_BASE_FLAG_ENVIRONMENT_H_
