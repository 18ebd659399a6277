#include "common/client/peer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/trace.h"
#include "common/metrics/metrics.h"

namespace prongsai::client {

Peer::Peer(PeerOptions options) : options_(std::move(options)) {
  if (!options_.address.empty()) {
    // Round robin over every address the name resolves to, so that calls
    // spread over a peer's replicas ("dns:///plan:50051" with several A
    // records) instead of sticking to the first.
    grpc::ChannelArguments arguments;
    arguments.SetLoadBalancingPolicyName("round_robin");
    channel_ = grpc::CreateCustomChannel(
        options_.address,
        options_.credentials != nullptr ? options_.credentials
                                        : grpc::InsecureChannelCredentials(),
        arguments);
  }
}

grpc::Status Peer::Call(
    PeerCall& call, Retry retry,
    absl::FunctionRef<grpc::Status(grpc::ClientContext&)> attempt) const {
  if (channel_ == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        absl::StrCat("no ", options_.name, " is configured"));
  }
  if (auto failed = call.failed_.find(this); failed != call.failed_.end()) {
    return failed->second;
  }
  // This call's share: half of what is left, so that a peer that does not
  // answer leaves as much again for the others, and never the margin the
  // caller needs to answer (an infinite deadline stays infinite here).
  const absl::Time start = absl::Now();
  const absl::Time end =
      std::min({start + options_.timeout, start + (call.deadline_ - start) / 2,
                call.deadline_ - options_.answer_margin});
  if (end <= start) {
    return grpc::Status(
        grpc::StatusCode::DEADLINE_EXCEEDED,
        absl::StrCat("no time left in the call to ask the ", options_.name));
  }
  grpc::Status status;
  for (int round = 0; round < 2; ++round) {
    if (round > 0) {
      // Retry only what is safe, only an unreachable peer, and only when
      // the back-off still leaves time for the attempt.
      if (retry != kSafeToRetry ||
          status.error_code() != grpc::StatusCode::UNAVAILABLE ||
          absl::Now() + options_.backoff >= end) {
        break;
      }
      absl::SleepFor(options_.backoff);
    }
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(end));
    if (!options_.api_key.empty()) {
      context.AddMetadata("authorization",
                          absl::StrCat("Bearer ", options_.api_key));
    }
    // The incoming call's trace (service_runtime.cc), on to the peer.
    if (const TraceContext* trace = CurrentTrace(); trace != nullptr) {
      context.AddMetadata("traceparent", trace->Child().Header());
    }
    status = attempt(context);
    if (status.ok()) break;
  }
  metrics::Events().PeerCall(
      options_.name, static_cast<absl::StatusCode>(status.error_code()));
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    call.failed_.emplace(this, status);
  }
  return status;
}

std::string Peer::Describe(absl::string_view what,
                           const grpc::Status& status) const {
  absl::string_view why;
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      why = "is unreachable (UNAVAILABLE)";
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      why = "did not answer in time (DEADLINE_EXCEEDED)";
      break;
    case grpc::StatusCode::FAILED_PRECONDITION:
      if (channel_ == nullptr) why = "is not configured";
      break;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      why = "refused this service's key";
      break;
    default:
      break;
  }
  if (why.empty()) {
    return absl::StrCat(what, " unknown: the ", options_.name, " answered ",
                        status.error_code());
  }
  return absl::StrCat(what, " unknown: the ", options_.name, " ", why);
}

absl::Status Peer::NotConfigured(absl::string_view what) const {
  return absl::FailedPreconditionError(
      Describe(what, grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "")));
}

absl::Status Peer::Unanswered(absl::string_view what,
                              const grpc::Status& status) const {
  if (status.ok()) return absl::OkStatus();
  return absl::UnavailableError(Describe(what, status));
}

}  // namespace prongsai::client
