// An in-process, do-nothing gRPC server for prongsai.tools.v1.Echo on a free
// loopback port: the baseline prongsai-load measures next to a real service,
// and the server the load generator's tests run against.
//
//   absl::StatusOr<std::unique_ptr<EchoServer>> echo = EchoServer::Start();
//   if (!echo.ok()) return echo.status();
//   options.target = (*echo)->target();  // "127.0.0.1:<port>"
//   options.method = std::string(kEchoMethod);
//
// As a process of its own (`prongsai-load --serve_echo 127.0.0.1:PORT`), the
// do-nothing ceiling scripts/bench measures next to the services:
//
//   absl::Notification stop;  // notified on SIGTERM
//   absl::Status served = ServeEchoUntil("127.0.0.1:0", stop,
//       [](const std::string& target) { std::cout << target << "\n"; });
#ifndef PRONGSAI_TOOLS_LOADGEN_ECHO_SERVER_H_
#define PRONGSAI_TOOLS_LOADGEN_ECHO_SERVER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"

namespace grpc {
class Server;
}  // namespace grpc

namespace prongsai::loadgen {

inline constexpr absl::string_view kEchoMethod = "/prongsai.tools.v1.Echo/Echo";

class EchoServer {
 public:
  struct Options {
    // Keep the request metadata of the latest call for LastMetadata(). Off by
    // default: the baseline should do nothing.
    bool record_metadata = false;
    // Count the payloads of the calls for PayloadCounts(). Off by default.
    bool record_payloads = false;
    // host:port to listen on; port 0 picks a free one.
    std::string address = "127.0.0.1:0";
  };

  static absl::StatusOr<std::unique_ptr<EchoServer>> Start(
      const Options& options);
  static absl::StatusOr<std::unique_ptr<EchoServer>> Start() {
    return Start(Options());
  }

  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;
  // Shuts the server down; calls still waiting out a delay are cancelled.
  ~EchoServer();

  int port() const { return port_; }
  // "<host>:<port>" of Options::address, e.g. "127.0.0.1:<port>".
  std::string target() const;

  // The request metadata of the latest call (empty unless record_metadata),
  // e.g. {"authorization", "Bearer ..."}. gRPC's own headers included.
  std::map<std::string, std::string> LastMetadata() const;

  // How many calls carried each payload (empty unless record_payloads).
  std::map<std::string, int64_t> PayloadCounts() const;

 private:
  class Service;

  EchoServer(std::unique_ptr<Service> service, std::unique_ptr<grpc::Server>,
             std::string host, int port);

  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string host_;
  int port_;
};

// Runs an EchoServer on `address` (e.g. "127.0.0.1:50099", or port 0 for a
// free one) until `stop` is notified, then shuts it down. `on_listening` is
// called with "host:port" once it accepts calls. UNAVAILABLE when it cannot
// listen there.
absl::Status ServeEchoUntil(
    const std::string& address, absl::Notification& stop,
    absl::FunctionRef<void(const std::string& target)> on_listening);

}  // namespace prongsai::loadgen

#endif  // PRONGSAI_TOOLS_LOADGEN_ECHO_SERVER_H_
