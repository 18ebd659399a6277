// Calls from one Prongsai service to another. Every call has a deadline (the
// caller's RPC deadline, capped by the peer's own timeout, so no worker ever
// waits on a peer for long); only calls that are safe to repeat (reads, and
// creates carrying a request id) are retried, once, after a short back-off,
// and only when the peer was UNAVAILABLE. A failure is described in one
// sentence for the answer's `missing` field: the caller still answers with
// what it has.
//
//   Peer plan({.name = "plan service", .address = "plan:50051", .api_key =
//   key}); grpc::Status status = plan.Call(call.deadline, Peer::kSafeToRetry,
//       [&](grpc::ClientContext& context) {
//         return stub->ListActionPlans(&context, request, &response);
//       });
//   if (!status.ok()) missing.push_back(plan.Describe("plan target", status));
#ifndef PRONGSAI_COMMON_CLIENT_PEER_H_
#define PRONGSAI_COMMON_CLIENT_PEER_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace prongsai::client {

struct PeerOptions {
  // For messages: "plan service".
  std::string name;
  // host:port; empty = not configured (every call fails FAILED_PRECONDITION).
  std::string address;
  // A SYSTEM key of the peer, sent as "authorization: Bearer <key>".
  std::string api_key;
  // The longest one attempt may take.
  absl::Duration timeout = absl::Seconds(2);
  absl::Duration backoff = absl::Milliseconds(100);

  // The options of a peer with the default timeout and back-off.
  static PeerOptions Of(std::string name, std::string address,
                        std::string api_key) {
    PeerOptions options;
    options.name = std::move(name);
    options.address = std::move(address);
    options.api_key = std::move(api_key);
    return options;
  }
};

class Peer {
 public:
  enum Retry { kNoRetry, kSafeToRetry };

  explicit Peer(PeerOptions options);

  bool configured() const { return channel_ != nullptr; }
  // The channel for building stubs; nullptr when not configured.
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // Runs `attempt` with a prepared context (deadline, key), at most twice
  // when `retry` allows and the first attempt was UNAVAILABLE with time left
  // before `deadline`.
  grpc::Status Call(
      absl::Time deadline, Retry retry,
      absl::FunctionRef<grpc::Status(grpc::ClientContext&)> attempt) const;

  // "<what> unknown: the plan service is unreachable (UNAVAILABLE)".
  std::string Describe(absl::string_view what,
                       const grpc::Status& status) const;

 private:
  PeerOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace prongsai::client

#endif  // PRONGSAI_COMMON_CLIENT_PEER_H_
