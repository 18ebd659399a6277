#include "common/client/peer_flags.h"

#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, plan_address, "",
          "host:port of the plan service this service calls");
ABSL_FLAG(std::string, complaint_address, "",
          "host:port of the complaint service this service calls");
ABSL_FLAG(std::string, ita_address, "",
          "host:port of the ITA service this service calls");
ABSL_FLAG(std::string, peer_api_key_file, "",
          "file whose first line is a SYSTEM API key of the peer services");
ABSL_FLAG(std::string, peer_api_key, "",
          "a SYSTEM API key of the peer services (prefer the _file flag)");

namespace prongsai::client {

absl::StatusOr<PeerSettings> ReadPeerFlags() {
  PeerSettings settings{
      absl::GetFlag(FLAGS_plan_address), absl::GetFlag(FLAGS_complaint_address),
      absl::GetFlag(FLAGS_ita_address), absl::GetFlag(FLAGS_peer_api_key)};
  if (const std::string file = absl::GetFlag(FLAGS_peer_api_key_file);
      !file.empty()) {
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      // The path is configuration, not a secret; the key never appears.
      return absl::FailedPreconditionError(
          absl::StrCat("--peer_api_key_file: cannot read ", file));
    }
    settings.api_key = std::string(absl::StripAsciiWhitespace(line));
    if (settings.api_key.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--peer_api_key_file: the first line of ", file, " holds no key"));
    }
  }
  return settings;
}

}  // namespace prongsai::client
