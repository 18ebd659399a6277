// The flags of a service binary that calls other services (linked only into
// such binaries' main.cc): where the peers are and the SYSTEM key to call
// them with. Each reads PRONGSAI_<FLAG> from the environment too (list
// kPeerFlagNames in ServiceMainOptions.extra_env_flags).
//
//   --plan_address       host:port of the plan service
//   --complaint_address  host:port of the complaint service
//   --ita_address        host:port of the ITA service
//   --peer_api_key_file  file holding the SYSTEM key (a mounted secret)
//   --peer_api_key       the key itself (development)
//   --peer_tls_ca        PEM CA the peers' certificates are signed by: TLS
//   --peer_tls_cert, --peer_tls_key
//                        this service's client certificate and key, for
//                        peers that require one (mutual TLS)
#ifndef PRONGSAI_COMMON_CLIENT_PEER_FLAGS_H_
#define PRONGSAI_COMMON_CLIENT_PEER_FLAGS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"

namespace prongsai::client {

struct PeerSettings {
  std::string plan_address;
  std::string complaint_address;
  std::string ita_address;
  std::string api_key;
  // Plaintext unless a --peer_tls_* flag is set.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
};

inline const std::vector<std::string>& PeerFlagNames() {
  static const auto* names = new std::vector<std::string>{
      "plan_address", "complaint_address", "ita_address",   "peer_api_key_file",
      "peer_api_key", "peer_tls_ca",       "peer_tls_cert", "peer_tls_key"};
  return *names;
}

// The parsed flags; the key file's first line when --peer_api_key_file is
// set (FAILED_PRECONDITION naming the flag when it cannot be read), and
// the peers' TLS from the --peer_tls_* files (their errors as
// rpc::ChannelTlsCredentials gives them).
absl::StatusOr<PeerSettings> ReadPeerFlags();

}  // namespace prongsai::client

#endif  // PRONGSAI_COMMON_CLIENT_PEER_FLAGS_H_
