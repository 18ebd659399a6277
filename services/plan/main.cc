// prongsai-plan: the plan service binary. Wiring only; see plan_service.h.
#include "common/client/peer_flags.h"
#include "common/server/server_main.h"
#include "services/plan/plan_service.h"

int main(int argc, char** argv) {
  return prongsai::server::RunServiceMain(
      argc, argv,
      {.name = "plan",
       .default_port = 50051,
       .extra_env_flags = prongsai::client::PeerFlagNames()},
      []() -> absl::StatusOr<prongsai::server::ServiceDefinition> {
        absl::StatusOr<prongsai::client::PeerSettings> peers =
            prongsai::client::ReadPeerFlags();
        if (!peers.ok()) return peers.status();
        return prongsai::plan::PlanServiceDefinition(
            {.complaint_address = peers->complaint_address,
             .ita_address = peers->ita_address,
             .peer_api_key = peers->api_key});
      });
}
