// What every RPC of a Prongsai service goes through, in one place: the API
// key is authenticated and the method's declared roles checked before any
// work; the work runs on the worker pool with the RPC deadline carried into
// SQL and Redis; the absl::Status it returns becomes the gRPC status; and one
// log line records method, code, latency and request id (never request
// content).
//
//   // The service class derives from the generated WithRawCallbackMethod_*
//   // chain, so the runtime parses each request itself.
//   grpc::ServerUnaryReactor* GetActionPlan(grpc::CallbackServerContext* ctx,
//                                           const grpc::ByteBuffer* request,
//                                           grpc::ByteBuffer* response)
//                                           override {
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

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/auth/access_policy.h"
#include "common/auth/key_ring.h"
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
};

class ServiceRuntime {
 public:
  using Handler = absl::AnyInvocable<absl::Status(CallContext&) &&>;

  ServiceRuntime(auth::AccessPolicy policy,
                 std::shared_ptr<const auth::KeyRing> keys, WorkerPool* pool,
                 absl::Duration max_call_duration, Clock clock,
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

  // A client-streaming method registered as a raw callback: the stream is
  // read to its end (at most `max_bytes` in all, and 256 MB across all open
  // streams, RESOURCE_EXHAUSTED beyond; a stream still sending after the
  // longest call duration is DEADLINE_EXCEEDED),
  // then `handler` gets every message on a worker, as a unary call would.
  // A caller that is not admitted is refused before anything is read.
  using StreamHandler =
      absl::AnyInvocable<absl::Status(CallContext&,
                                      std::vector<grpc::ByteBuffer>&) &&>;
  grpc::ServerReadReactor<grpc::ByteBuffer>* ClientStream(
      grpc::CallbackServerContext* context, absl::string_view method,
      size_t max_bytes, StreamHandler handler);

  // The typed form: each message is parsed as `Request` (an error names the
  // message, "messages[3].respondents[0].tool").
  template <typename Request, typename Response>
  grpc::ServerReadReactor<grpc::ByteBuffer>* ClientStream(
      grpc::CallbackServerContext* context, absl::string_view method,
      size_t max_bytes, grpc::ByteBuffer* response_bytes,
      absl::AnyInvocable<absl::Status(CallContext&, std::vector<Request>&,
                                      Response&) &&>
          handler) {
    return ClientStream(
        context, method, max_bytes,
        [response_bytes, handler = std::move(handler)](
            CallContext& call,
            std::vector<grpc::ByteBuffer>& messages) mutable -> absl::Status {
          std::vector<Request> requests(messages.size());
          for (size_t i = 0; i < messages.size(); ++i) {
            absl::Status parsed = ParseRequest(messages[i], requests[i]);
            if (!parsed.ok()) {
              // "messages[3].respondents[0].tool: is not valid UTF-8".
              absl::string_view reason = parsed.message();
              const std::optional<std::string> path = FieldPathOf(parsed);
              if (path.has_value()) {
                absl::ConsumePrefix(&reason, absl::StrCat(*path, ": "));
              }
              return InvalidField(
                  FieldPath(IndexedPath("messages", static_cast<int64_t>(i)),
                            path.value_or("request")),
                  reason);
            }
          }
          messages.clear();
          Response response;
          PRONGSAI_RETURN_IF_ERROR(
              std::move(handler)(call, requests, response));
          return SerializeResponse(response, *response_bytes);
        });
  }

  // Authenticates the caller and checks the method's roles and the schema.
  absl::StatusOr<auth::Principal> Admit(grpc::CallbackServerContext* context,
                                        absl::string_view method) const;
  // Runs `handler` on a worker once admitted, and ends the call through
  // `done` with one log line, whatever happens.
  void Run(grpc::CallbackServerContext* context, absl::string_view method,
           Handler handler, std::function<void(const grpc::Status&)> done);

  // Whether the database is reachable and its schema migrated; until then
  // calls fail with UNAVAILABLE.
  void SetSchemaReady(bool ready) { schema_ready_.store(ready); }
  bool schema_ready() const { return schema_ready_.load(); }

  const auth::AccessPolicy& policy() const { return policy_; }
  absl::Duration max_call_duration() const { return max_call_duration_; }
  absl::Time Now() const { return clock_(); }

 private:
  const auth::AccessPolicy policy_;
  const std::shared_ptr<const auth::KeyRing> keys_;
  WorkerPool* const pool_;
  const absl::Duration max_call_duration_;
  const TrustedProxies trusted_proxies_;
  // The authenticated key's name for the log line of a refused call.
  std::string Admitted(grpc::CallbackServerContext* context) const;

  const Clock clock_;
  std::atomic<bool> schema_ready_{false};
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
