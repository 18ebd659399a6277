// prongsai-plan: the plan service binary (with the account service beside
// it). Wiring only; see plan_service.h.
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "common/auth/session_token.h"
#include "common/base/log.h"
#include "common/base/private_file.h"
#include "common/client/peer_flags.h"
#include "common/server/server_main.h"
#include "services/plan/plan_service.h"

ABSL_FLAG(std::string, session_signing_key_file, "",
          "the Ed25519 key that signs people's access tokens (`prongsai "
          "sessions keygen` makes it, mode 0600); empty turns sign-in off");

int main(int argc, char** argv) {
  std::vector<std::string> env_flags = prongsai::client::PeerFlagNames();
  env_flags.push_back("session_signing_key_file");
  return prongsai::server::RunServiceMain(
      argc, argv,
      {.name = "plan", .default_port = 50051, .extra_env_flags = env_flags},
      []() -> absl::StatusOr<prongsai::server::ServiceDefinition> {
        absl::StatusOr<prongsai::client::PeerSettings> peers =
            prongsai::client::ReadPeerFlags();
        if (!peers.ok()) return peers.status();
        std::shared_ptr<const prongsai::auth::SessionSigner> signer;
        if (const std::string path =
                absl::GetFlag(FLAGS_session_signing_key_file);
            !path.empty()) {
          absl::StatusOr<std::string> text =
              prongsai::ReadWholeFile(path, "session signing key file");
          if (!text.ok()) return text.status();
          absl::StatusOr<prongsai::auth::SessionSigner> parsed =
              prongsai::auth::SessionSigner::Parse(*text);
          if (!parsed.ok()) return parsed.status();
          signer = std::make_shared<const prongsai::auth::SessionSigner>(
              *std::move(parsed));
        } else {
          prongsai::log::Warning(
              "sign_in_off",
              {{"reason", "--session_signing_key_file is not set"}});
        }
        return prongsai::plan::PlanServiceDefinition(
            {.complaint_address = peers->complaint_address,
             .ita_address = peers->ita_address,
             .peer_api_key = peers->api_key,
             .peer_credentials = peers->credentials,
             .session_signer = std::move(signer)});
      });
}
