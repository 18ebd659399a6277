// prongsai-complaint: the complaint service binary. Wiring only; see
// complaint_service.h.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "common/client/peer_flags.h"
#include "common/server/server_main.h"
#include "services/complaint/complaint_service.h"
#include "services/complaint/protection.h"

ABSL_FLAG(std::string, protection_keys, "",
          "file of the keys that seal reporters' identities and hash tracking "
          "codes (default var/complaint.keys, created on first start); "
          "PRONGSAI_PROTECTION_KEYS_TEXT may hold the file's text instead");

namespace {

// The keys from the environment, the flag's file, or, for the embedded
// default only, a file generated on first start.
absl::StatusOr<prongsai::complaint::ProtectionKeys> LoadKeys() {
  using prongsai::complaint::ProtectionKeys;
  if (const char* text = std::getenv("PRONGSAI_PROTECTION_KEYS_TEXT")) {
    return ProtectionKeys::Parse(text);
  }
  std::string path = absl::GetFlag(FLAGS_protection_keys);
  if (path.empty()) {
    path = "var/complaint.keys";
    if (!std::filesystem::exists(path)) {
      std::filesystem::create_directories("var");
      const mode_t previous = umask(077);
      std::ofstream(path) << ProtectionKeys::GenerateFileText();
      umask(previous);
    }
  }
  return ProtectionKeys::LoadFile(path);
}

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
            "plan service", peers->plan_address, peers->api_key);
        absl::StatusOr<prongsai::complaint::ProtectionKeys> keys = LoadKeys();
        if (!keys.ok()) return keys.status();
        options.keys = *std::move(keys);
        return prongsai::complaint::ComplaintServiceDefinition(
            std::move(options));
      });
}
