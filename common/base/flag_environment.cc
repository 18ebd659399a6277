#include "common/base/flag_environment.h"

#include <cstdlib>

#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace prongsai {

absl::Status ApplyFlagEnvironment(absl::string_view prefix,
                                  const std::vector<std::string>& flag_names) {
  for (const std::string& name : flag_names) {
    const std::string variable =
        absl::StrCat(prefix, absl::AsciiStrToUpper(name));
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    std::string error = "no such flag";
    if (flag == nullptr || !flag->ParseFrom(value, &error)) {
      // The value itself stays out: it may be a secret's path or worse.
      return absl::InvalidArgumentError(absl::StrCat(variable, ": ", error));
    }
  }
  return absl::OkStatus();
}

}  // namespace prongsai
