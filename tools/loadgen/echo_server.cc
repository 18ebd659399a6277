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
  explicit Service(Options options) : options_(options) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const EchoRequest* request,
                                 EchoResponse* response) override {
    if (options_.record_metadata) Record(*context);
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

  const Options options_;
  mutable absl::Mutex mu_;
  std::map<std::string, std::string> last_metadata_ ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<std::unique_ptr<EchoServer>> EchoServer::Start(Options options) {
  auto service = std::make_unique<Service>(options);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(service.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        "cannot start the echo server on a 127.0.0.1 port");
  }
  return std::unique_ptr<EchoServer>(
      new EchoServer(std::move(service), std::move(server), port));
}

EchoServer::EchoServer(std::unique_ptr<Service> service,
                       std::unique_ptr<grpc::Server> server, int port)
    : service_(std::move(service)), server_(std::move(server)), port_(port) {}

EchoServer::~EchoServer() {
  // Calls still waiting out a delay are cancelled at once, not waited for.
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
}

std::string EchoServer::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::map<std::string, std::string> EchoServer::LastMetadata() const {
  return service_->LastMetadata();
}

}  // namespace prongsai::loadgen
