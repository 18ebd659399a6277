// TLS for Prongsai's gRPC connections, from PEM files: the server side
// (optionally requiring client certificates, i.e. mutual TLS between the
// services) and the client side (the roots to trust and, for mutual TLS,
// the certificate to present). One place reads the files, so a service, its
// peers, the gateway, the probe and the CLI agree on what the flags mean.
//
//   TlsFiles files{.cert_path = "plan.pem", .key_path = "plan.key",
//                  .ca_path = "ca.pem"};
//   PRONGSAI_ASSIGN_OR_RETURN(auto credentials, ServerTlsCredentials(files));
#ifndef PRONGSAI_COMMON_RPC_TLS_H_
#define PRONGSAI_COMMON_RPC_TLS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace prongsai::rpc {

struct TlsFiles {
  // This end's certificate chain and private key.
  std::string cert_path;
  std::string key_path;
  // The certificate authority of the other end: on a server, clients must
  // present a certificate it signed; on a client, the server's must be
  // (empty: the system's roots).
  std::string ca_path;
};

// Plaintext when no file is named. Else TLS with cert_path and key_path
// (both required), and with ca_path mutual TLS: a client without a
// certificate that CA signed is refused during the handshake.
// INVALID_ARGUMENT for a missing half of the pair or a CA without it,
// NOT_FOUND for a file that cannot be read (the path is named; the
// contents never are).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerTlsCredentials(
    const TlsFiles& files);

// Plaintext when no file is named and `tls` is false. Else TLS trusting
// ca_path (or the system's roots), presenting cert_path and key_path when
// both are given (INVALID_ARGUMENT for one without the other).
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelTlsCredentials(
    const TlsFiles& files, bool tls = false);

}  // namespace prongsai::rpc

#endif  // PRONGSAI_COMMON_RPC_TLS_H_
