// Calls from one Prongsai service to another. Every call has a deadline: a
// share of what is left of the caller's RPC deadline (at most half of it,
// never the last `answer_margin`, and never more than the peer's own
// timeout), so that the caller always has time left to ask its other peers
// and to answer with what it has. A peer that did not answer (UNAVAILABLE,
// DEADLINE_EXCEEDED) is not asked again in the same incoming call: a frozen
// peer costs one attempt per call, not one per item. Only calls that are
// safe to repeat (reads, and creates carrying a request id) are retried,
// once, after a short back-off, within the same share, and only when the
// peer was UNAVAILABLE. A failure is described in one sentence for the
// answer's `missing` field: the caller still answers with what it has.
//
//   Peer plan(PeerOptions::Of("plan service", "plan:50051", key));
//   PeerCall peers(call.deadline);  // one per incoming call
//   absl::Status status = plan.Unary<plan::v1::PlanService>(
//       peers, Peer::kSafeToRetry, "plan target",
//       &plan::v1::PlanService::Stub::ListActionPlans, request, response);
//   if (!status.ok()) missing.emplace_back(status.message());
//
// Call is the same without the stub and the conversion, for a call that
// Unary does not fit (a stream, say).
#ifndef PRONGSAI_COMMON_CLIENT_PEER_H_
#define PRONGSAI_COMMON_CLIENT_PEER_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
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
  // TLS (mutual, with a client certificate) or plaintext when null
  // (common/rpc/tls.h makes them from PEM files).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // The longest one attempt may take.
  absl::Duration timeout = absl::Seconds(2);
  absl::Duration backoff = absl::Milliseconds(100);
  // What a peer call always leaves of the caller's deadline, for the caller
  // to answer with what it has.
  absl::Duration answer_margin = absl::Milliseconds(200);

  // The options of a peer with the default timeout and back-off.
  static PeerOptions Of(
      std::string name, std::string address, std::string api_key,
      std::shared_ptr<grpc::ChannelCredentials> credentials = nullptr) {
    PeerOptions options;
    options.name = std::move(name);
    options.address = std::move(address);
    options.api_key = std::move(api_key);
    options.credentials = std::move(credentials);
    return options;
  }
};

class Peer;

// One incoming call's use of its peers: the caller's deadline, and the peers
// that already failed to answer in it (their failure is returned at once
// to any later call of the same incoming call). Not thread-safe: one per
// incoming call, used by the thread serving it.
class PeerCall {
 public:
  explicit PeerCall(absl::Time deadline) : deadline_(deadline) {}
  PeerCall(const PeerCall&) = delete;
  PeerCall& operator=(const PeerCall&) = delete;

  absl::Time deadline() const { return deadline_; }

 private:
  friend class Peer;
  const absl::Time deadline_;
  absl::flat_hash_map<const Peer*, grpc::Status> failed_;
};

class Peer {
 public:
  enum Retry { kNoRetry, kSafeToRetry };

  explicit Peer(PeerOptions options);

  bool configured() const { return channel_ != nullptr; }
  // The channel for building stubs; nullptr when not configured.
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // Runs `attempt` with a prepared context (deadline, key), at most twice
  // when `retry` allows and the first attempt was UNAVAILABLE, both within
  // this call's share of `call`'s deadline (see the top of this file). When
  // this peer already failed to answer in `call`, returns that failure
  // without an attempt; DEADLINE_EXCEEDED without one when no share is left.
  grpc::Status Call(
      PeerCall& call, Retry retry,
      absl::FunctionRef<grpc::Status(grpc::ClientContext&)> attempt) const;

  // "<what> unknown: the plan service is unreachable (UNAVAILABLE)".
  std::string Describe(absl::string_view what,
                       const grpc::Status& status) const;

  // One unary call of `Service` as Call makes it, with `response` cleared
  // before each attempt, converted once into absl::Status: OK, or
  // FAILED_PRECONDITION when this peer is not configured, or UNAVAILABLE
  // for any failure of the call. The message of an error is the Describe
  // sentence for `what`, ready for an answer's `missing`.
  //
  //   absl::Status status = plan.Unary<plan::v1::PlanService>(
  //       peers, Peer::kSafeToRetry, "plan target",
  //       &plan::v1::PlanService::Stub::ListActionPlans, request, response);
  template <typename Service, typename Request, typename Response>
  absl::Status Unary(PeerCall& call, Retry retry, absl::string_view what,
                     grpc::Status (Service::Stub::*method)(grpc::ClientContext*,
                                                           const Request&,
                                                           Response*),
                     const Request& request, Response& response) const {
    if (!configured()) return NotConfigured(what);
    std::unique_ptr<typename Service::Stub> stub = Service::NewStub(channel_);
    return Unanswered(what,
                      Call(call, retry, [&](grpc::ClientContext& context) {
                        response.Clear();
                        return ((*stub).*method)(&context, request, &response);
                      }));
  }

 private:
  absl::Status NotConfigured(absl::string_view what) const;
  // OK for OK; otherwise UNAVAILABLE with the Describe sentence.
  absl::Status Unanswered(absl::string_view what,
                          const grpc::Status& status) const;

  PeerOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace prongsai::client

#endif  // PRONGSAI_COMMON_CLIENT_PEER_H_
