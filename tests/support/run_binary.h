// Runs one of the project's binaries as a child process, the way an operator
// would, and collects what it printed.
//
//   BinaryRun run = RunBinary(PRONGSAI_CLI_BINARY, {"health"}, {},
//   "PRONGSAI_"); EXPECT_EQ(run.exit_code, 0);
#ifndef PRONGSAI_TESTS_SUPPORT_RUN_BINARY_H_
#define PRONGSAI_TESTS_SUPPORT_RUN_BINARY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace prongsai::testing {

struct BinaryRun {
  int exit_code = -1;  // -1: ended by a signal, or could not start
  std::string stdout_text;
  std::string stderr_text;
  absl::Duration elapsed;
};

// Runs `binary` with `args` and the test's environment minus every variable
// starting with `drop_prefix`, plus `env` ("NAME=value"), and waits for it.
// A binary that cannot start is a test failure.
BinaryRun RunBinary(const std::string& binary,
                    const std::vector<std::string>& args,
                    const std::vector<std::string>& env,
                    absl::string_view drop_prefix);

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SUPPORT_RUN_BINARY_H_
