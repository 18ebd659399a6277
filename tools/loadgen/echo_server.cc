#include "tools/loadgen/echo_server.h"

#include <chrono>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "echo.grpc.pb.h"
#include "grpcpp/alarm.h"
#include "grpcpp/grpcpp.h"

namespace prongsai::loadgen {
namespace {

using ::prongsai::tools::v1::EchoRequest;
using ::prongsai::tools::v1::EchoResponse;

// Answers after a delay. A grpc::Alarm fires the answer, so no callback
// thread waits in the meantime.
class DelayedAnswer final : public grpc::ServerUnaryReactor {
 public:
  explicit DelayedAnswer(absl::Duration delay) {
    // The alarm's callback runs exactly once: when it fires, or early with
    // ok == false when OnCancel cancels it.
    alarm_.Set(absl::ToChronoTime(absl::Now() + delay), [this](bool fired) {
      Finish(fired ? grpc::Status::OK
                   : grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
    });
  }

  void OnCancel() override { alarm_.Cancel(); }
  void OnDone() override { delete this; }

 private:
  grpc::Alarm alarm_;
};

}  // namespace

class EchoServer::Service final : public tools::v1::Echo::CallbackService {
 public:
  explicit Service(Options options) : options_(std::move(options)) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const EchoRequest* request,
                                 EchoResponse* response) override {
    if (options_.record_metadata) Record(*context);
    if (options_.record_payloads) CountPayload(request->payload());
    response->set_payload(request->payload());
    if (request->has_delay()) {
      absl::Duration delay = absl::Seconds(request->delay().seconds()) +
                             absl::Nanoseconds(request->delay().nanos());
      if (delay > absl::ZeroDuration()) return new DelayedAnswer(delay);
    }
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  std::map<std::string, std::string> LastMetadata() const {
    absl::MutexLock lock(&mu_);
    return last_metadata_;
  }

  std::map<std::string, int64_t> PayloadCounts() const {
    absl::MutexLock lock(&mu_);
    return payload_counts_;
  }

 private:
  void Record(const grpc::CallbackServerContext& context) {
    std::map<std::string, std::string> metadata;
    for (const auto& [key, value] : context.client_metadata()) {
      metadata[std::string(key.data(), key.size())] =
          std::string(value.data(), value.size());
    }
    absl::MutexLock lock(&mu_);
    last_metadata_ = std::move(metadata);
  }

  void CountPayload(const std::string& payload) {
    absl::MutexLock lock(&mu_);
    ++payload_counts_[payload];
  }

  const Options options_;
  mutable absl::Mutex mu_;
  std::map<std::string, std::string> last_metadata_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int64_t> payload_counts_ ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<std::unique_ptr<EchoServer>> EchoServer::Start(
    const Options& options) {
  auto service = std::make_unique<Service>(options);
  int port = 0;
  grpc::ServerBuilder builder;
  // A port in use is an error, not shared (gRPC's default is SO_REUSEPORT).
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(options.address, grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot start the echo server on ", options.address));
  }
  std::string host = options.address.substr(0, options.address.rfind(':'));
  return std::unique_ptr<EchoServer>(new EchoServer(
      std::move(service), std::move(server), std::move(host), port));
}

EchoServer::EchoServer(std::unique_ptr<Service> service,
                       std::unique_ptr<grpc::Server> server, std::string host,
                       int port)
    : service_(std::move(service)),
      server_(std::move(server)),
      host_(std::move(host)),
      port_(port) {}

EchoServer::~EchoServer() {
  // Calls still waiting out a delay are cancelled at once, not waited for.
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
}

std::string EchoServer::target() const {
  return absl::StrCat(host_, ":", port_);
}

std::map<std::string, std::string> EchoServer::LastMetadata() const {
  return service_->LastMetadata();
}

std::map<std::string, int64_t> EchoServer::PayloadCounts() const {
  return service_->PayloadCounts();
}

absl::Status ServeEchoUntil(
    const std::string& address, absl::Notification& stop,
    absl::FunctionRef<void(const std::string& target)> on_listening) {
  EchoServer::Options options;
  options.address = address;
  absl::StatusOr<std::unique_ptr<EchoServer>> echo = EchoServer::Start(options);
  if (!echo.ok()) return echo.status();
  on_listening((*echo)->target());
  stop.WaitForNotification();
  return absl::OkStatus();
}

}  // namespace prongsai::loadgen
