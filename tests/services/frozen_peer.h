// A peer that is up but never answers, as a frozen (SIGSTOPped) service
// looks to its callers: a real gRPC server on loopback that accepts every
// call of any service and holds it until the caller gives up. It counts the
// calls it received per method, so a test can tell how often a service
// asked it, without measuring time.
//
//   FrozenPeer plan;
//   ... a service with --plan_address=plan.address() ...
//   EXPECT_EQ(plan.Calls("/prongsai.plan.v1.PlanService/ListActionPlans"), 1);
#ifndef PRONGSAI_TESTS_SERVICES_FROZEN_PEER_H_
#define PRONGSAI_TESTS_SERVICES_FROZEN_PEER_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"

namespace prongsai::testing {

class FrozenPeer {
 public:
  FrozenPeer() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
  }
  ~FrozenPeer() {
    // Held calls end as cancelled.
    if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now()));
  }

  // Empty when the server did not start.
  std::string address() const {
    return server_ == nullptr || port_ == 0 ? ""
                                            : absl::StrCat("127.0.0.1:", port_);
  }
  // Calls received of `method` ("/package.Service/Method").
  int Calls(const std::string& method) const { return service_.Calls(method); }
  // Calls received of any method.
  int AllCalls() const { return service_.AllCalls(); }

 private:
  // Reads nothing and answers nothing until the call is cancelled (the
  // caller's deadline or the server's shutdown).
  class Hold : public grpc::ServerGenericBidiReactor {
   public:
    void OnCancel() override { Finish(grpc::Status::CANCELLED); }
    void OnDone() override { delete this; }
  };

  class Service : public grpc::CallbackGenericService {
   public:
    grpc::ServerGenericBidiReactor* CreateReactor(
        grpc::GenericCallbackServerContext* context) override {
      absl::MutexLock lock(&mu_);
      ++calls_[context->method()];
      return new Hold;
    }
    int Calls(const std::string& method) const {
      absl::MutexLock lock(&mu_);
      auto found = calls_.find(method);
      return found == calls_.end() ? 0 : found->second;
    }
    int AllCalls() const {
      absl::MutexLock lock(&mu_);
      int all = 0;
      for (const auto& [method, count] : calls_) all += count;
      return all;
    }

   private:
    mutable absl::Mutex mu_;
    absl::flat_hash_map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
  };

  Service service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SERVICES_FROZEN_PEER_H_
