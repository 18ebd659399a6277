#include "services/ita/plan_targets.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"

namespace prongsai::ita {

PlanTargets::PlanTargets(std::string address, std::string api_key)
    : api_key_(std::move(api_key)) {
  if (!address.empty()) {
    channel_ =
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  }
}

PlanTargets::Lookup PlanTargets::Find(absl::string_view organization,
                                      int be_year, absl::Time deadline) const {
  if (channel_ == nullptr) {
    return {std::nullopt, "plan target unknown: no plan service configured "
                          "(--plan_address)"};
  }
  auto stub = plan::v1::PlanService::NewStub(channel_);
  plan::v1::ListActionPlansRequest request;
  request.set_parent(absl::StrCat("organizations/", organization));
  request.set_page_size(1000);
  plan::v1::ListActionPlansResponse response;
  const absl::Time until = std::min(deadline, absl::Now() + kTimeout);
  grpc::Status status;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (attempt > 0) {
      // Back off briefly, and only when there is time left to try again.
      const absl::Time retry = absl::Now() + absl::Milliseconds(100);
      if (retry >= until) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(until));
    if (!api_key_.empty()) {
      context.AddMetadata("authorization", absl::StrCat("Bearer ", api_key_));
    }
    response.Clear();
    status = stub->ListActionPlans(&context, request, &response);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
  }
  if (!status.ok()) {
    return {std::nullopt,
            absl::StrCat("plan target unknown: the plan service answered ",
                         status.error_code() == grpc::StatusCode::UNAVAILABLE
                             ? "UNAVAILABLE (unreachable)"
                         : status.error_code() ==
                                 grpc::StatusCode::DEADLINE_EXCEEDED
                             ? "DEADLINE_EXCEEDED (too slow)"
                             : absl::StrCat("error ", status.error_code()))};
  }
  for (const plan::v1::ActionPlan& plan : response.action_plans()) {
    if (be_year < plan.fiscal_years().first_be_year() ||
        be_year > plan.fiscal_years().last_be_year()) {
      continue;
    }
    for (const plan::v1::YearTarget& target : plan.targets()) {
      if (target.be_year() == be_year && target.has_ita_score_target()) {
        return {target.ita_score_target(), ""};
      }
    }
  }
  return {std::nullopt, absl::StrCat("plan target unknown: no action plan of ",
                                     organization, " sets an ITA target for ",
                                     be_year)};
}

}  // namespace prongsai::ita
