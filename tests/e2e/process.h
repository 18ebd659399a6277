// Service binaries run as child processes by the end-to-end test: started
// with fork/exec on a port chosen beforehand (so a restart can come back on
// the same address), stopped with SIGTERM, killed with SIGKILL, frozen with
// SIGSTOP. A child dies with the test process (PR_SET_PDEATHSIG) and with its
// ChildProcess object, whatever happened in between.
//
//   ChildProcess plan({.binary = "/.../prongsai-plan",
//                      .args = {"--listen=127.0.0.1:40001", ...},
//                      .env = {},
//                      .log_path = dir + "/plan.log"});
//   ASSERT_THAT(plan.Start(), IsOk());
//   ASSERT_THAT(WaitForServing("127.0.0.1:40001", plan, absl::Seconds(30)),
//               IsOk());
//   plan.Kill();
#ifndef PRONGSAI_TESTS_E2E_PROCESS_H_
#define PRONGSAI_TESTS_E2E_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace prongsai::e2e {

class ChildProcess {
 public:
  struct Options {
    // Absolute path of the executable.
    std::string binary;
    // Arguments after argv[0].
    std::vector<std::string> args;
    // Added to the test's environment, from which every PRONGSAI_* variable
    // is removed first (a stray one must not change a service's flags).
    std::vector<std::pair<std::string, std::string>> env;
    // stdout and stderr of every run are appended here.
    std::string log_path;
    // The child's working directory; empty: the test's. What a binary makes
    // on a relative default path (the complaint service's protection keys)
    // lands there.
    std::string working_dir;
  };

  explicit ChildProcess(Options options);
  ~ChildProcess();  // Kill().

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts the binary (again, after it ended). FAILED_PRECONDITION when it
  // is running.
  absl::Status Start();
  // SIGTERM, then waits up to `grace` for the exit (SIGKILL after that).
  // Returns the exit code, or -signal when a signal ended it.
  absl::StatusOr<int> Terminate(absl::Duration grace);
  // SIGKILL (after SIGCONT, should it be stopped) and reaps it.
  void Kill();
  void Pause();   // SIGSTOP
  void Resume();  // SIGCONT
  // Whether it was started and has not been reaped; reaps it if it exited.
  bool Running();

  pid_t pid() const { return pid_; }
  // The last `bytes` of the log, for failure messages.
  std::string LogTail(size_t bytes = 3000) const;

 private:
  const Options options_;
  pid_t pid_ = -1;
};

// Polls grpc.health.v1 at `address` until both the server ("") and
// `service` (its full name, "prongsai.plan.v1.PlanService") are SERVING.
// Fails early with the log's tail when `process` exits, and
// DEADLINE_EXCEEDED after `timeout`. (The server's "" status is gRPC's
// default SERVING from the moment it listens, before the service has
// checked its database: only the service's own name is set by the probe.)
absl::Status WaitForServing(const std::string& address,
                            const std::string& service, ChildProcess& process,
                            absl::Duration timeout);

// One grpc.health.v1 Check of `service` at `address` with a 1 s deadline.
absl::StatusOr<int> HealthStatus(const std::string& address,
                                 const std::string& service);

}  // namespace prongsai::e2e

#endif  // PRONGSAI_TESTS_E2E_PROCESS_H_
