// The gateway's HTTP server: cpp-httplib with every limit set explicitly,
// turning its requests into HttpRequest for GatewayHandler and back.
#ifndef PRONGSAI_GATEWAY_GATEWAY_SERVER_H_
#define PRONGSAI_GATEWAY_GATEWAY_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/server/client_address.h"
#include "gateway/gateway_handler.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace prongsai::gateway {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free one
  // PEM files; both set serves HTTPS.
  std::string tls_cert;
  std::string tls_key;
  // The largest request body (413 above it) and all headers together (431
  // above it; cpp-httplib also caps one header line at 8 KiB).
  size_t max_body_bytes = 8 << 20;
  size_t max_header_bytes = 16 << 10;
  absl::Duration read_timeout = absl::Seconds(10);
  absl::Duration write_timeout = absl::Seconds(10);
  absl::Duration keep_alive_timeout = absl::Seconds(5);
  size_t keep_alive_max_requests = 100;
  int threads = 16;
  // Proxies whose X-Forwarded-For names the client.
  server::TrustedProxies trusted_proxies;
};

class GatewayServer {
 public:
  GatewayServer(ServerOptions options, const GatewayHandler* handler);
  ~GatewayServer();

  // Binds; then port() is the port bound.
  absl::Status Bind();
  int port() const { return port_; }
  // Serves until Stop(); returns when stopped.
  void Serve();
  void Stop();

 private:
  // One request through the handler, with the log line.
  void Answer(const httplib::Request& in, httplib::Response& out) const;

  const ServerOptions options_;
  const GatewayHandler* handler_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
};

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_GATEWAY_SERVER_H_
