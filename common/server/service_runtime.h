// What every RPC of a Prongsai service goes through, in one place: the API
// key is authenticated and the method's declared roles checked before any
// work; the work runs on the worker pool with the RPC deadline carried into
// SQL and Redis; the absl::Status it returns becomes the gRPC status; and one
// log line records method, code, latency and request id (never request
// content).
//
//   // The service class derives from the generated WithRawCallbackMethod_*
//   // chain, so the runtime parses each request itself. method_list.h
//   // writes these overrides from one list of the service's methods.
//   grpc::ServerUnaryReactor* GetActionPlan(
//       grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
//       grpc::ByteBuffer* response) override {
//     return runtime_.Unary<GetActionPlanRequest, ActionPlan>(
//         ctx, "GetActionPlan", request, response,
//         [](CallContext& call, const GetActionPlanRequest& request,
//            ActionPlan& plan) -> absl::Status { ...; });
//   }
#ifndef PRONGSAI_COMMON_SERVER_SERVICE_RUNTIME_H_
#define PRONGSAI_COMMON_SERVER_SERVICE_RUNTIME_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/api/fields.h"
#include "common/auth/access_policy.h"
#include "common/auth/key_ring.h"
#include "common/auth/session_token.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/server/client_address.h"
#include "common/server/worker_pool.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"

namespace prongsai::server {

// Parses `bytes` into `message`. INVALID_ARGUMENT naming the first string
// field that is not UTF-8 (e.g. "action_plan.title"), or "request" when the
// bytes are not a message of that type at all.
absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message& message);
absl::Status SerializeResponse(const google::protobuf::Message& message,
                               grpc::ByteBuffer& bytes);

using Clock = std::function<absl::Time()>;

// What a handler knows about its call.
struct CallContext {
  Worker& worker;
  const auth::Principal& principal;
  // The RPC deadline, capped by the server's maximum call duration.
  absl::Time deadline;
  // The time the call started, from the runtime's (injectable) clock.
  absl::Time now;
  // Whether the method is open to the PUBLIC; such methods skip the
  // organization scope check.
  bool public_method;
  // The client for per-client rate limits (see client_address.h):
  // "192.0.2.1", or "2001:db8::/64" for IPv6, named by a trusted proxy's
  // x-forwarded-for when the peer is one. Not logged.
  std::string client_address;

  // OK when the caller may act for organization `code`.
  absl::Status CheckOrganization(absl::string_view code) const;

  // The caller and the call's time, for the audit columns of its writes.
  api::AuditWriter writer() const { return {principal.name(), now}; }
};

// What a client stream's per-message callback knows about its caller (it
// runs before any worker is involved).
struct StreamCaller {
  const auth::Principal& principal;
  bool public_method;

  // OK when the caller may act for organization `code`.
  absl::Status CheckOrganization(absl::string_view code) const;
};

// The bounds on client streams (ServiceRuntime::ClientStream).
struct StreamLimits {
  // What all open streams of the process may hold in memory at once.
  int64_t process_bytes = int64_t{256} << 20;
  // What the open streams of one caller (one API key) may hold together.
  // An eighth of the process budget: callers at their maximum leave room
  // for others until eight of them stream at once, and one caller still
  // fits an agency's whole survey (a 2 MB upload parses to some 16 MiB).
  int64_t caller_bytes = int64_t{32} << 20;
  // A stream whose next message has not arrived whole this long after the
  // last one (or the start) is ended. gRPC hands the server only whole
  // messages, so this is the time to send one message, not the time
  // without any byte: long enough for a 4 MB message (gRPC's default
  // largest) at 1.6 Mbit/s, and still shorter than the longest call.
  absl::Duration idle_timeout = absl::Seconds(20);
};

// A parse error of message `index` of a stream with the message's path in
// front: "messages[3].respondents[0].tool: is not valid UTF-8".
absl::Status InStreamMessage(int64_t index, const absl::Status& status);

class ServiceRuntime {
 public:
  using Handler = absl::AnyInvocable<absl::Status(CallContext&) &&>;

  // `sessions` verifies people's access tokens ("Bearer pat_...",
  // session_token.h); `keys` the API keys.
  ServiceRuntime(auth::AccessPolicy policy,
                 std::shared_ptr<const auth::KeyRing> keys,
                 std::shared_ptr<const auth::SessionVerifier> sessions,
                 WorkerPool* pool, absl::Duration max_call_duration,
                 Clock clock, StreamLimits stream_limits = {},
                 TrustedProxies trusted_proxies = {});

  // Runs `handler` for the call to `method` (its short name, a string with
  // static storage) and finishes the call with the status it returns.
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context,
                                  absl::string_view method, Handler handler);

  // The same for a method registered as a raw callback
  // (`WithRawCallbackMethod_<Method>`): the request is parsed here, after the
  // caller is authenticated, so a malformed request (a string that is not
  // UTF-8, say) gets INVALID_ARGUMENT naming the field rather than gRPC's
  // bare UNIMPLEMENTED, and it is logged like every other call.
  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* Unary(
      grpc::CallbackServerContext* context, absl::string_view method,
      const grpc::ByteBuffer* request_bytes, grpc::ByteBuffer* response_bytes,
      absl::AnyInvocable<absl::Status(CallContext&, const Request&,
                                      Response&) &&>
          handler) {
    return Unary(
        context, method,
        [request_bytes, response_bytes, handler = std::move(handler)](
            CallContext& call) mutable -> absl::Status {
          Request request;
          PRONGSAI_RETURN_IF_ERROR(ParseRequest(*request_bytes, request));
          Response response;
          PRONGSAI_RETURN_IF_ERROR(std::move(handler)(call, request, response));
          return SerializeResponse(response, *response_bytes);
        });
  }

  // A client-streaming method registered as a raw callback. The caller is
  // admitted before anything is read; then each message is handed to
  // `on_message` as it arrives (in order, on a gRPC thread, never two at
  // once), which checks it (the organization scope on the first message)
  // and keeps what it needs, so that a stream is refused at its first bad
  // message and its bytes are never buffered whole. It returns how many
  // bytes of memory the message's state holds from then on. When the client
  // ends the stream, `finish` runs on a worker as a unary call would, with
  // the number of messages. The stream is ended with
  //  - RESOURCE_EXHAUSTED when what it holds passes `max_bytes`, when the
  //    caller's open streams together pass StreamLimits::caller_bytes, or
  //    all open streams pass StreamLimits::process_bytes;
  //  - DEADLINE_EXCEEDED, by a server-side timer, when no whole message
  //    arrives for StreamLimits::idle_timeout or it is still open after the
  //    longest call duration, whether or not more messages come.
  // It is ended exactly once, by whichever of these comes first.
  using StreamMessageHandler = absl::AnyInvocable<absl::StatusOr<size_t>(
      const StreamCaller&, int64_t index, const grpc::ByteBuffer&)>;
  using StreamFinishHandler =
      absl::AnyInvocable<absl::Status(CallContext&, int64_t messages) &&>;
  grpc::ServerReadReactor<grpc::ByteBuffer>* ClientStream(
      grpc::CallbackServerContext* context, absl::string_view method,
      size_t max_bytes, StreamMessageHandler on_message,
      StreamFinishHandler finish);

  // The typed form: each message is parsed as `Request` when it arrives (an
  // error names the message, "messages[3].respondents[0].tool") and charged
  // at its parsed size; `on_message` may move its contents away.
  template <typename Request, typename Response>
  grpc::ServerReadReactor<grpc::ByteBuffer>* ClientStream(
      grpc::CallbackServerContext* context, absl::string_view method,
      size_t max_bytes, grpc::ByteBuffer* response_bytes,
      absl::AnyInvocable<absl::Status(const StreamCaller&, int64_t, Request&)>
          on_message,
      absl::AnyInvocable<absl::Status(CallContext&, int64_t, Response&) &&>
          finish) {
    return ClientStream(
        context, method, max_bytes,
        [on_message = std::move(on_message)](
            const StreamCaller& caller, int64_t index,
            const grpc::ByteBuffer& bytes) mutable -> absl::StatusOr<size_t> {
          Request request;
          absl::Status parsed = ParseRequest(bytes, request);
          if (!parsed.ok()) return InStreamMessage(index, parsed);
          // Measured before `on_message` takes the contents: that is what
          // the stream goes on holding.
          const size_t held = request.SpaceUsedLong();
          PRONGSAI_RETURN_IF_ERROR(on_message(caller, index, request));
          return held;
        },
        [response_bytes, finish = std::move(finish)](
            CallContext& call, int64_t messages) mutable -> absl::Status {
          Response response;
          PRONGSAI_RETURN_IF_ERROR(std::move(finish)(call, messages, response));
          return SerializeResponse(response, *response_bytes);
        });
  }

  // Books `bytes` (negative: gives them back) for an open stream of
  // `caller` against the StreamLimits; RESOURCE_EXHAUSTED, booking nothing,
  // when they would be passed. For the stream reactor.
  absl::Status BookStreamBytes(const std::string& caller, int64_t bytes);

  // The caller: a person's access token (`authorization: Bearer pat_...`,
  // its principal named by the login, UNAUTHENTICATED once expired), an API
  // key, or the PUBLIC without the header.
  absl::StatusOr<auth::Principal> Authenticate(
      grpc::CallbackServerContext* context) const;
  // Authenticates the caller and checks the method's roles and the schema.
  absl::StatusOr<auth::Principal> Admit(grpc::CallbackServerContext* context,
                                        absl::string_view method) const;
  // Runs `handler` on a worker once admitted, and ends the call through
  // `done` with one log line and its metrics (`type` is the grpc_type
  // label: "unary" or "client_stream"), whatever happens.
  void Run(grpc::CallbackServerContext* context, absl::string_view method,
           absl::string_view type, Handler handler,
           std::function<void(const grpc::Status&)> done);

  // Whether the database is reachable and its schema migrated; until then
  // calls fail with UNAVAILABLE.
  void SetSchemaReady(bool ready) { schema_ready_.store(ready); }
  bool schema_ready() const { return schema_ready_.load(); }

  const auth::AccessPolicy& policy() const { return policy_; }
  absl::Duration max_call_duration() const { return max_call_duration_; }
  const StreamLimits& stream_limits() const { return stream_limits_; }
  absl::Time Now() const { return clock_(); }

 private:
  const auth::AccessPolicy policy_;
  const std::shared_ptr<const auth::KeyRing> keys_;
  const std::shared_ptr<const auth::SessionVerifier> sessions_;
  WorkerPool* const pool_;
  const absl::Duration max_call_duration_;
  const TrustedProxies trusted_proxies_;
  // The authenticated key's name for the log line of a refused call.
  std::string Admitted(grpc::CallbackServerContext* context) const;

  const Clock clock_;
  std::atomic<bool> schema_ready_{false};

  const StreamLimits stream_limits_;
  absl::Mutex stream_mu_;
  int64_t stream_bytes_ ABSL_GUARDED_BY(stream_mu_) = 0;
  absl::flat_hash_map<std::string, int64_t> stream_bytes_by_caller_
      ABSL_GUARDED_BY(stream_mu_);
};

// `Service` with every listed method turned into a raw callback, e.g.
//   RawCallbackService<v1::PlanService::Service,
//                      v1::PlanService::WithRawCallbackMethod_GetActionPlan,
//                      ...>
// instead of nesting the generated WithRawCallbackMethod_ templates by hand.
template <typename Service, template <typename> class... Methods>
struct RawCallbackChain;
template <typename Service>
struct RawCallbackChain<Service> {
  using type = Service;
};
template <typename Service, template <typename> class First,
          template <typename> class... Rest>
struct RawCallbackChain<Service, First, Rest...> {
  using type = First<typename RawCallbackChain<Service, Rest...>::type>;
};
template <typename Service, template <typename> class... Methods>
using RawCallbackService = typename RawCallbackChain<Service, Methods...>::type;

}  // namespace prongsai::server

#endif  // PRONGSAI_COMMON_SERVER_SERVICE_RUNTIME_H_
