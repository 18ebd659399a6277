// A service's RPCs are listed once, as an X-macro, and that one list makes
// both the generated base with every method raw (so ServiceRuntime parses
// and checks each request itself) and the overrides that hand each request
// to the member function Do<Method>. Adding an RPC is one line in the list
// plus its Do function; forgetting the Do function does not compile.
//
//   using GrpcService = v1::PlanService;  // the file's generated service
//   // (each line of the #define but the last ends in a backslash)
//   #define PRONGSAI_PLAN_METHODS(UNARY, STREAM)
//     UNARY(GetActionPlan, GetActionPlanRequest, ActionPlan)
//     UNARY(ListActionPlans, ListActionPlansRequest, ListActionPlansResponse)
//
//   using PlanRawService = server::RawCallbackService<
//       GrpcService::Service PRONGSAI_PLAN_METHODS(PRONGSAI_RAW_METHOD,
//                                                  PRONGSAI_RAW_METHOD)>;
//
//   class PlanGrpcService final : public PlanRawService {
//    public:
//     PRONGSAI_PLAN_METHODS(PRONGSAI_UNARY_OVERRIDE, PRONGSAI_STREAM_OVERRIDE)
//    private:
//     absl::Status DoGetActionPlan(server::CallContext& call,
//                                  const v1::GetActionPlanRequest& request,
//                                  v1::ActionPlan& response);
//     server::ServiceRuntime& runtime_;
//   };
//
// The overrides expect, in the class: `runtime_` (a ServiceRuntime&), the
// request and response types in namespace `v1`, `Do<Method>(CallContext&,
// const Request&, Response&)` for a unary method, and for a client stream
// `Open<Method>(grpc::CallbackServerContext*, grpc::ByteBuffer* response)`,
// which returns the reactor (runtime_.ClientStream with the method's own
// per-message rule).
#ifndef PRONGSAI_COMMON_SERVER_METHOD_LIST_H_
#define PRONGSAI_COMMON_SERVER_METHOD_LIST_H_

#include "common/server/service_runtime.h"
#include "grpcpp/grpcpp.h"

// One entry of the raw-method chain; the leading comma lets the list follow
// the generated service's name.
#define PRONGSAI_RAW_METHOD(method, Request, Response) \
  , GrpcService::WithRawCallbackMethod_##method

#define PRONGSAI_UNARY_OVERRIDE(method, Request, Response)                   \
  grpc::ServerUnaryReactor* method(grpc::CallbackServerContext* context,     \
                                   const grpc::ByteBuffer* request,          \
                                   grpc::ByteBuffer* response) override {    \
    return runtime_.Unary<v1::Request, v1::Response>(                        \
        context, #method, request, response,                                 \
        [this](::prongsai::server::CallContext& call, const v1::Request& in, \
               v1::Response& out) { return Do##method(call, in, out); });    \
  }

#define PRONGSAI_STREAM_OVERRIDE(method, Request, Response)             \
  grpc::ServerReadReactor<grpc::ByteBuffer>* method(                    \
      grpc::CallbackServerContext* context, grpc::ByteBuffer* response) \
      override {                                                        \
    return Open##method(context, response);                             \
  }

#endif  // PRONGSAI_COMMON_SERVER_METHOD_LIST_H_
