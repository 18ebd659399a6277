#include "common/client/peer_flags.h"

#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/rpc/tls.h"

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
ABSL_FLAG(std::string, peer_tls_ca, "",
          "PEM CA that signed the peer services' certificates; calls them "
          "over TLS");
ABSL_FLAG(std::string, peer_tls_cert, "",
          "PEM client certificate presented to the peers (mutual TLS)");
ABSL_FLAG(std::string, peer_tls_key, "", "PEM private key of --peer_tls_cert");

namespace prongsai::client {

absl::StatusOr<PeerSettings> ReadPeerFlags() {
  PeerSettings settings{absl::GetFlag(FLAGS_plan_address),
                        absl::GetFlag(FLAGS_complaint_address),
                        absl::GetFlag(FLAGS_ita_address),
                        absl::GetFlag(FLAGS_peer_api_key), nullptr};
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
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      rpc::ChannelTlsCredentials(
          {.cert_path = absl::GetFlag(FLAGS_peer_tls_cert),
           .key_path = absl::GetFlag(FLAGS_peer_tls_key),
           .ca_path = absl::GetFlag(FLAGS_peer_tls_ca)});
  if (!credentials.ok()) return credentials.status();
  settings.credentials = *std::move(credentials);
  return settings;
}

}  // namespace prongsai::client
