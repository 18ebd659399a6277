// prongsai-ita: the ITA service binary. Wiring only; see ita_service.h.
#include <vector>

#include "common/client/peer_flags.h"
#include "common/server/server_main.h"
#include "services/ita/ita_service.h"

int main(int argc, char** argv) {
  return prongsai::server::RunServiceMain(
      argc, argv,
      {.name = "ita",
       .default_port = 50053,
       .extra_env_flags = prongsai::client::PeerFlagNames()},
      []() -> absl::StatusOr<prongsai::server::ServiceDefinition> {
        absl::StatusOr<prongsai::client::PeerSettings> peers =
            prongsai::client::ReadPeerFlags();
        if (!peers.ok()) return peers.status();
        return prongsai::ita::ItaServiceDefinition(
            {.plan_address = peers->plan_address,
             .complaint_address = peers->complaint_address,
             .peer_api_key = peers->api_key,
             .peer_credentials = peers->credentials});
      });
}
