#include "services/plan/plan_service.h"

#include <memory>
#include <string>

#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/cache/cache_aside.h"
#include "common/server/list_scope.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "services/plan/plan_domain.h"
#include "services/plan/plan_store.h"

namespace prongsai::plan {
namespace {

constexpr absl::Duration kCacheTtl = absl::Minutes(10);

class PlanGrpcService final
    : public v1::PlanService::WithRawCallbackMethod_CreateActionPlan<
          v1::PlanService::WithRawCallbackMethod_GetActionPlan<
              v1::PlanService::WithRawCallbackMethod_ListActionPlans<
                  v1::PlanService::Service>>> {
 public:
  explicit PlanGrpcService(server::ServiceRuntime& runtime)
      : runtime_(runtime) {}

  grpc::ServerUnaryReactor* CreateActionPlan(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::CreateActionPlanRequest, v1::ActionPlan>(
        context, "CreateActionPlan", request, response,
        [](server::CallContext& call,
           const v1::CreateActionPlanRequest& request,
           v1::ActionPlan& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              std::string organization,
              ParseOrganizationParent("parent", request.parent()));
          PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
          PRONGSAI_RETURN_IF_ERROR(
              ValidateRequestId("request_id", request.request_id()));
          PRONGSAI_RETURN_IF_ERROR(
              ValidateNewActionPlan(request.action_plan()));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          PRONGSAI_ASSIGN_OR_RETURN(
              response,
              plan::CreateActionPlan(*db, organization, request.action_plan(),
                                     request.request_id(),
                                     call.principal.name(), call.now));
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* GetActionPlan(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::GetActionPlanRequest, v1::ActionPlan>(
        context, "GetActionPlan", request, response,
        [](server::CallContext& call, const v1::GetActionPlanRequest& request,
           v1::ActionPlan& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              ChildName name,
              ParseChildName("name", request.name(), "actionPlans"));
          PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(name.organization));
          PRONGSAI_ASSIGN_OR_RETURN(
              std::string bytes,
              cache::GetOrLoad(
                  call.worker.Redis(),
                  cache::VersionedKey("plan", kCacheVersion, request.name()),
                  kCacheTtl, [&]() -> absl::StatusOr<std::string> {
                    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db,
                                              call.worker.Db());
                    PRONGSAI_ASSIGN_OR_RETURN(
                        v1::ActionPlan plan,
                        plan::GetActionPlan(*db, name.organization, name.id));
                    return plan.SerializeAsString();
                  }));
          if (!response.ParseFromString(bytes)) {
            return absl::InternalError("corrupt cached action plan");
          }
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* ListActionPlans(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::ListActionPlansRequest,
                          v1::ListActionPlansResponse>(
        context, "ListActionPlans", request, response,
        [](server::CallContext& call, const v1::ListActionPlansRequest& request,
           v1::ListActionPlansResponse& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                                    server::StartList(call, request));
          PRONGSAI_ASSIGN_OR_RETURN(
              ActionPlanPage plans,
              plan::ListActionPlans(*scope.db, scope.organization, scope.page));
          server::FinishList(plans.plans, plans.next_cursor, request,
                             response.mutable_action_plans(), response);
          return absl::OkStatus();
        });
  }

 private:
  server::ServiceRuntime& runtime_;
};

}  // namespace

server::ServiceDefinition PlanServiceDefinition() {
  server::ServiceDefinition definition;
  definition.name = "plan";
  definition.service_full_name = v1::PlanService::service_full_name();
  definition.migrations = Migrations();
  definition.make_service = [](server::ServiceRuntime& runtime) {
    return std::make_unique<PlanGrpcService>(runtime);
  };
  return definition;
}

}  // namespace prongsai::plan
