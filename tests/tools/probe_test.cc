// prongsai-probe, the binary the containers' health checks run, against a
// real plan service on loopback: exit 0 only when SERVING, exit 1 with one
// line on stderr otherwise, never 2 (Docker reserves it).
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/server/server_host.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/plan/plan_service.h"
#include "tests/support/run_binary.h"
#include "tests/support/test_env.h"

namespace prongsai {
namespace {

using ::prongsai::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

using ProbeRun = testing::BinaryRun;

// Runs the built prongsai-probe with `args` and the test's environment minus
// any PRONGSAI_PROBE_* variable, plus `env` ("NAME=value").
ProbeRun RunProbe(const std::vector<std::string>& args,
                  const std::vector<std::string>& env = {}) {
  return testing::RunBinary(PRONGSAI_PROBE_BINARY, args, env,
                            "PRONGSAI_PROBE_");
}

// A loopback TCP socket bound to a free port; with `listen_on` it accepts
// connections into the backlog but never answers, else connecting to it is
// refused. Closed with the object.
class Socket {
 public:
  explicit Socket(bool listen_on) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), length), 0);
    EXPECT_EQ(getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length),
              0);
    port_ = ntohs(address.sin_port);
    if (listen_on) {
      EXPECT_EQ(listen(fd_, 8), 0);
    }
  }
  ~Socket() { close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  int fd_;
  int port_ = 0;
};

class ProbeTest : public ::testing::Test {
 protected:
  // A plan service on a fresh SQLite file (or on `db_url`), on a free port.
  std::unique_ptr<server::ServiceHost> StartPlan(std::string db_url = "") {
    server::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.db_url =
        db_url.empty()
            ? absl::StrCat("sqlite://", testing::MakeScratchDir(), "/plan.db")
            : std::move(db_url);
    options.workers = 2;
    absl::StatusOr<std::unique_ptr<server::ServiceHost>> host =
        server::ServiceHost::Start(options, plan::PlanServiceDefinition());
    EXPECT_THAT(host, IsOk());
    return host.ok() ? *std::move(host) : nullptr;
  }
};

TEST_F(ProbeTest, ServingServiceExitsZeroSilently) {
  std::unique_ptr<server::ServiceHost> plan = StartPlan();
  ASSERT_NE(plan, nullptr);
  ProbeRun run = RunProbe({"--address", plan->address()});
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stderr_text, IsEmpty());
  EXPECT_THAT(run.stdout_text, IsEmpty());
}

TEST_F(ProbeTest, AsksAboutANamedService) {
  std::unique_ptr<server::ServiceHost> plan = StartPlan();
  ASSERT_NE(plan, nullptr);
  ProbeRun run = RunProbe({"--address=" + plan->address(),
                           "--service=prongsai.plan.v1.PlanService"});
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;

  run = RunProbe({"--address", plan->address(), "--service",
                  "prongsai.ita.v1.ItaService"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.stderr_text,
            absl::StrCat("prongsai-probe: ", plan->address(),
                         " prongsai.ita.v1.ItaService: NOT_FOUND: "
                         "service name unknown\n"));
}

TEST_F(ProbeTest, ServiceWithoutItsDatabaseIsNotServing) {
  // The directory does not exist, so SQLite cannot open the file: the host
  // listens but its health service says NOT_SERVING.
  std::unique_ptr<server::ServiceHost> plan = StartPlan(
      absl::StrCat("sqlite://", testing::MakeScratchDir(), "/no/such/plan.db"));
  ASSERT_NE(plan, nullptr);
  ProbeRun run = RunProbe({"--address", plan->address()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.stderr_text, absl::StrCat("prongsai-probe: ", plan->address(),
                                          ": NOT_SERVING\n"));
}

TEST_F(ProbeTest, ClosedPortExitsOneAtOnce) {
  Socket closed(/*listen_on=*/false);
  ProbeRun run = RunProbe({"--address", closed.address(), "--timeout", "20s"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.stderr_text,
              StartsWith(absl::StrCat("prongsai-probe: ", closed.address(),
                                      ": UNAVAILABLE")));
  EXPECT_EQ(Lines(run.stderr_text), 1) << run.stderr_text;
  EXPECT_LT(run.elapsed, absl::Seconds(10));
}

TEST_F(ProbeTest, SilentServerFailsAtTheTimeout) {
  Socket silent(/*listen_on=*/true);
  ProbeRun run =
      RunProbe({"--address", silent.address(), "--timeout", "300ms"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.stderr_text, HasSubstr(": DEADLINE_EXCEEDED"));
  EXPECT_GE(run.elapsed, absl::Milliseconds(300));
  EXPECT_LT(run.elapsed, absl::Seconds(5));
}

TEST_F(ProbeTest, ReadsItsFlagsFromTheEnvironment) {
  std::unique_ptr<server::ServiceHost> plan = StartPlan();
  ASSERT_NE(plan, nullptr);
  Socket closed(/*listen_on=*/false);

  ProbeRun run =
      RunProbe({}, {"PRONGSAI_PROBE_ADDRESS=" + plan->address(),
                    "PRONGSAI_PROBE_SERVICE=prongsai.plan.v1.PlanService",
                    "PRONGSAI_PROBE_TIMEOUT=5s"});
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;

  // The command line wins over the environment.
  run = RunProbe({"--address", plan->address()},
                 {"PRONGSAI_PROBE_ADDRESS=" + closed.address()});
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  run = RunProbe({"--address", closed.address()},
                 {"PRONGSAI_PROBE_ADDRESS=" + plan->address()});
  EXPECT_EQ(run.exit_code, 1);
}

TEST_F(ProbeTest, TlsAgainstAPlaintextServiceIsUnhealthy) {
  std::unique_ptr<server::ServiceHost> plan = StartPlan();
  ASSERT_NE(plan, nullptr);
  ProbeRun run = RunProbe({"--address", plan->address(), "--tls"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.stderr_text, StartsWith("prongsai-probe: "));
  EXPECT_EQ(Lines(run.stderr_text), 1) << run.stderr_text;
}

TEST_F(ProbeTest, ProbesATlsServiceWithItsRootsAndName) {
  const std::string dir = testing::MakeScratchDir();
  const std::string command = absl::StrCat(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
      "-addext subjectAltName=DNS:localhost -keyout ",
      dir, "/key.pem -out ", dir, "/cert.pem 2>/dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0) << "openssl is needed";
  server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.db_url = absl::StrCat("sqlite://", dir, "/plan.db");
  options.workers = 2;
  options.tls_cert_path = dir + "/cert.pem";
  options.tls_key_path = dir + "/key.pem";
  absl::StatusOr<std::unique_ptr<server::ServiceHost>> plan =
      server::ServiceHost::Start(options, plan::PlanServiceDefinition());
  ASSERT_THAT(plan, IsOk());
  const std::string address = (*plan)->address();

  ProbeRun run =
      RunProbe({"--address", address, "--tls", "--tls_ca",
                options.tls_cert_path, "--tls_server_name", "localhost"});
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  // The certificate names localhost, not 127.0.0.1.
  run = RunProbe(
      {"--address", address, "--tls", "--tls_ca", options.tls_cert_path});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(Lines(run.stderr_text), 1) << run.stderr_text;
  // Plaintext against TLS.
  run = RunProbe({"--address", address});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.stderr_text, HasSubstr(": UNAVAILABLE"));
  // Roots that cannot be read.
  run = RunProbe({"--address", address, "--tls", "--tls_ca", dir + "/none"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(
      run.stderr_text,
      absl::StrCat("prongsai-probe: cannot read TLS file ", dir, "/none\n"));
}

TEST_F(ProbeTest, BadUsageExitsOneNeverTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--no_such_flag"},
                                             {"--timeout", "0s"},
                                             {"--timeout", "soon"},
                                             {"--address", ""},
                                             {"extra-argument"}}) {
    ProbeRun run = RunProbe(args);
    EXPECT_EQ(run.exit_code, 1) << args[0];
    EXPECT_THAT(run.stderr_text, Not(IsEmpty())) << args[0];
  }
  ProbeRun run = RunProbe({}, {"PRONGSAI_PROBE_TIMEOUT=soon"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.stderr_text,
            "prongsai-probe: bad PRONGSAI_PROBE_TIMEOUT: Illegal value 'soon' "
            "specified for flag 'timeout'\n");
}

}  // namespace
}  // namespace prongsai
