// prongsai-complaint: the complaint service binary. Wiring only; see
// complaint_service.h.
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "common/client/peer_flags.h"
#include "common/server/server_main.h"
#include "services/complaint/complaint_service.h"
#include "services/complaint/key_file.h"

ABSL_FLAG(std::string, protection_keys, "",
          "file of the keys that seal reporters' identities and hash tracking "
          "codes (default var/complaint.keys, created on first start); "
          "PRONGSAI_PROTECTION_KEYS_TEXT may hold the file's text instead");

namespace {

std::vector<std::string> ExtraEnvironmentFlags() {
  std::vector<std::string> flags = prongsai::client::PeerFlagNames();
  flags.push_back("protection_keys");
  return flags;
}

}  // namespace

int main(int argc, char** argv) {
  return prongsai::server::RunServiceMain(
      argc, argv,
      {.name = "complaint",
       .default_port = 50052,
       .extra_env_flags = ExtraEnvironmentFlags()},
      []() -> absl::StatusOr<prongsai::server::ServiceDefinition> {
        prongsai::complaint::ComplaintOptions options;
        absl::StatusOr<prongsai::client::PeerSettings> peers =
            prongsai::client::ReadPeerFlags();
        if (!peers.ok()) return peers.status();
        options.plan = prongsai::client::PeerOptions::Of(
            "plan service", peers->plan_address, peers->api_key,
            peers->credentials);
        absl::StatusOr<prongsai::complaint::ProtectionKeys> keys =
            prongsai::complaint::LoadProtectionKeys(
                std::getenv("PRONGSAI_PROTECTION_KEYS_TEXT"),
                absl::GetFlag(FLAGS_protection_keys));
        if (!keys.ok()) return keys.status();
        options.keys = *std::move(keys);
        return prongsai::complaint::ComplaintServiceDefinition(
            std::move(options));
      });
}
