#include "services/ita/ita_service.h"

#include <memory>
#include <string>

#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/cache/cache_aside.h"
#include "common/server/list_scope.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "services/ita/ita_domain.h"
#include "services/ita/ita_store.h"

namespace prongsai::ita {
namespace {

constexpr absl::Duration kCacheTtl = absl::Minutes(10);

class AssessmentGrpcService final
    : public v1::AssessmentService::WithRawCallbackMethod_CreateAssessment<
          v1::AssessmentService::WithRawCallbackMethod_GetAssessment<
              v1::AssessmentService::WithRawCallbackMethod_ListAssessments<
                  v1::AssessmentService::Service>>> {
 public:
  explicit AssessmentGrpcService(server::ServiceRuntime& runtime)
      : runtime_(runtime) {}

  grpc::ServerUnaryReactor* CreateAssessment(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::CreateAssessmentRequest, v1::Assessment>(
        context, "CreateAssessment", request, response,
        [](server::CallContext& call,
           const v1::CreateAssessmentRequest& request,
           v1::Assessment& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              std::string organization,
              ParseOrganizationParent("parent", request.parent()));
          PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
          PRONGSAI_RETURN_IF_ERROR(
              ValidateRequestId("request_id", request.request_id()));
          PRONGSAI_RETURN_IF_ERROR(ValidateNewAssessment(request.assessment()));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          PRONGSAI_ASSIGN_OR_RETURN(
              response,
              ita::CreateAssessment(*db, organization, request.assessment(),
                                    request.request_id(), call.principal.name(),
                                    call.now));
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* GetAssessment(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::GetAssessmentRequest, v1::Assessment>(
        context, "GetAssessment", request, response,
        [](server::CallContext& call, const v1::GetAssessmentRequest& request,
           v1::Assessment& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              ChildName name,
              ParseChildName("name", request.name(), "assessments"));
          PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(name.organization));
          PRONGSAI_ASSIGN_OR_RETURN(
              std::string bytes,
              cache::GetOrLoad(
                  call.worker.Redis(),
                  cache::VersionedKey("ita", kCacheVersion, request.name()),
                  kCacheTtl, [&]() -> absl::StatusOr<std::string> {
                    PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db,
                                              call.worker.Db());
                    PRONGSAI_ASSIGN_OR_RETURN(
                        v1::Assessment assessment,
                        ita::GetAssessment(*db, name.organization, name.id));
                    return assessment.SerializeAsString();
                  }));
          if (!response.ParseFromString(bytes)) {
            return absl::InternalError("corrupt cached assessment");
          }
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* ListAssessments(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override {
    return runtime_.Unary<v1::ListAssessmentsRequest,
                          v1::ListAssessmentsResponse>(
        context, "ListAssessments", request, response,
        [](server::CallContext& call, const v1::ListAssessmentsRequest& request,
           v1::ListAssessmentsResponse& response) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(server::ListScope scope,
                                    server::StartList(call, request));
          PRONGSAI_ASSIGN_OR_RETURN(
              AssessmentPage assessments,
              ita::ListAssessments(*scope.db, scope.organization, scope.page));
          server::FinishList(assessments.assessments, assessments.next_cursor,
                             request, response.mutable_assessments(), response);
          return absl::OkStatus();
        });
  }

 private:
  server::ServiceRuntime& runtime_;
};

}  // namespace

server::ServiceDefinition ItaServiceDefinition() {
  server::ServiceDefinition definition;
  definition.name = "ita";
  definition.service_full_name = v1::AssessmentService::service_full_name();
  definition.migrations = Migrations();
  definition.make_service = [](server::ServiceRuntime& runtime) {
    return std::make_unique<AssessmentGrpcService>(runtime);
  };
  return definition;
}

}  // namespace prongsai::ita
