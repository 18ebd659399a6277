// An in-process, do-nothing gRPC server for prongsai.tools.v1.Echo on a free
// loopback port: the baseline prongsai-load measures next to a real service,
// and the server the load generator's tests run against.
//
//   absl::StatusOr<std::unique_ptr<EchoServer>> echo = EchoServer::Start();
//   if (!echo.ok()) return echo.status();
//   options.target = (*echo)->target();  // "127.0.0.1:<port>"
//   options.method = std::string(kEchoMethod);
#ifndef PRONGSAI_TOOLS_LOADGEN_ECHO_SERVER_H_
#define PRONGSAI_TOOLS_LOADGEN_ECHO_SERVER_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

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
  };

  static absl::StatusOr<std::unique_ptr<EchoServer>> Start(Options options);
  static absl::StatusOr<std::unique_ptr<EchoServer>> Start() {
    return Start(Options());
  }

  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;
  // Shuts the server down; calls still waiting out a delay are cancelled.
  ~EchoServer();

  int port() const { return port_; }
  // "127.0.0.1:<port>".
  std::string target() const;

  // The request metadata of the latest call (empty unless record_metadata),
  // e.g. {"authorization", "Bearer ..."}. gRPC's own headers included.
  std::map<std::string, std::string> LastMetadata() const;

 private:
  class Service;

  EchoServer(std::unique_ptr<Service> service, std::unique_ptr<grpc::Server>,
             int port);

  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_;
};

}  // namespace prongsai::loadgen

#endif  // PRONGSAI_TOOLS_LOADGEN_ECHO_SERVER_H_
