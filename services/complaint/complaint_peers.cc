#include "services/complaint/complaint_peers.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"

namespace prongsai::complaint {

OrganizationRegistry::OrganizationRegistry(client::PeerOptions plan,
                                           absl::Duration refresh)
    : plan_(std::move(plan)), refresh_(refresh) {}

absl::StatusOr<common::v1::OrganizationRef> OrganizationRegistry::Lookup(
    client::PeerCall& peers, absl::string_view code, absl::Time now) {
  if (!configured()) {
    common::v1::OrganizationRef organization;
    organization.set_code(std::string(code));
    return organization;
  }
  std::optional<Known> known;
  {
    absl::MutexLock lock(&mu_);
    if (auto it = known_.find(code); it != known_.end()) known = it->second;
  }
  if (known.has_value() && now - known->fetched < refresh_) {
    return known->organization;
  }
  plan::v1::GetOrganizationRequest request;
  request.set_name(absl::StrCat("organizations/", code));
  plan::v1::Organization answer;
  auto stub = plan::v1::PlanService::NewStub(plan_.channel());
  const grpc::Status status = plan_.Call(
      peers, client::Peer::kSafeToRetry, [&](grpc::ClientContext& context) {
        return stub->GetOrganization(&context, request, &answer);
      });
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    absl::MutexLock lock(&mu_);
    known_.erase(code);  // deregistered
    return absl::NotFoundError(
        "parent: no such organization is registered; ask the plan service's "
        "administrator to register it");
  }
  if (!status.ok()) {
    if (known.has_value()) return known->organization;
    return absl::UnavailableError(absl::StrCat(
        plan_.Describe("the organization", status), "; retry with back-off"));
  }
  absl::MutexLock lock(&mu_);
  known_[code] = Known{answer.organization(), now};
  return answer.organization();
}

}  // namespace prongsai::complaint
