#include "services/complaint/complaint_service.h"

#include <memory>
#include <string>

#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/complaint_domain.h"
#include "services/complaint/complaint_store.h"

namespace prongsai::complaint {
namespace {

class ComplaintGrpcService final
    : public v1::ComplaintService::CallbackService {
 public:
  explicit ComplaintGrpcService(server::ServiceRuntime& runtime)
      : runtime_(runtime) {}

  grpc::ServerUnaryReactor* CreateComplaint(
      grpc::CallbackServerContext* context,
      const v1::CreateComplaintRequest* request,
      v1::Complaint* response) override {
    return runtime_.Unary(
        context, "CreateComplaint",
        [request, response](server::CallContext& call) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              std::string organization,
              ParseOrganizationParent("parent", request->parent()));
          PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
          PRONGSAI_RETURN_IF_ERROR(
              ValidateRequestId("request_id", request->request_id()));
          PRONGSAI_RETURN_IF_ERROR(ValidateNewComplaint(request->complaint()));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          PRONGSAI_ASSIGN_OR_RETURN(
              *response,
              complaint::CreateComplaint(
                  *db, organization, request->complaint(),
                  request->request_id(), call.principal.name(), call.now));
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* GetComplaint(grpc::CallbackServerContext* context,
                                         const v1::GetComplaintRequest* request,
                                         v1::Complaint* response) override {
    return runtime_.Unary(
        context, "GetComplaint",
        [request, response](server::CallContext& call) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              ChildName name,
              ParseChildName("name", request->name(), "complaints"));
          PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(name.organization));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          PRONGSAI_ASSIGN_OR_RETURN(
              *response,
              complaint::GetComplaint(*db, name.organization, name.id));
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* ListComplaints(
      grpc::CallbackServerContext* context,
      const v1::ListComplaintsRequest* request,
      v1::ListComplaintsResponse* response) override {
    return runtime_.Unary(
        context, "ListComplaints",
        [request, response](server::CallContext& call) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              std::string organization,
              ParseOrganizationParent("parent", request->parent()));
          PRONGSAI_RETURN_IF_ERROR(call.CheckOrganization(organization));
          PRONGSAI_ASSIGN_OR_RETURN(
              PageRequest page,
              ParsePageRequest(request->page_size(), request->page_token(),
                               request->parent()));
          PRONGSAI_ASSIGN_OR_RETURN(storage::Connection * db, call.worker.Db());
          PRONGSAI_ASSIGN_OR_RETURN(
              ComplaintPage complaints,
              complaint::ListComplaints(*db, organization, page));
          for (v1::Complaint& complaint : complaints.complaints) {
            *response->add_complaints() = std::move(complaint);
          }
          if (!complaints.next_cursor.empty()) {
            response->set_next_page_token(
                MakePageToken(request->parent(), complaints.next_cursor));
          }
          return absl::OkStatus();
        });
  }

 private:
  server::ServiceRuntime& runtime_;
};

}  // namespace

server::ServiceDefinition ComplaintServiceDefinition() {
  server::ServiceDefinition definition;
  definition.name = "complaint";
  definition.service_full_name = v1::ComplaintService::service_full_name();
  definition.migrations = Migrations();
  definition.make_service = [](server::ServiceRuntime& runtime) {
    return std::make_unique<ComplaintGrpcService>(runtime);
  };
  return definition;
}

}  // namespace prongsai::complaint
