#include "common/rpc/tls.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/private_file.h"
#include "common/base/status_macros.h"

namespace prongsai::rpc {
namespace {

// A PEM file's text; an empty one is as good as none.
absl::StatusOr<std::string> ReadPem(const std::string& path) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path, "TLS file"));
  if (text.empty()) return absl::NotFoundError(absl::StrCat(path, " is empty"));
  return text;
}

absl::Status CheckPair(const TlsFiles& files) {
  if (files.cert_path.empty() != files.key_path.empty()) {
    return absl::InvalidArgumentError(
        "a TLS certificate needs its key, and a key its certificate");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerTlsCredentials(
    const TlsFiles& files) {
  if (files.cert_path.empty() && files.key_path.empty() &&
      files.ca_path.empty()) {
    return grpc::InsecureServerCredentials();
  }
  PRONGSAI_RETURN_IF_ERROR(CheckPair(files));
  if (files.cert_path.empty()) {
    return absl::InvalidArgumentError(
        "a client CA needs the server's own TLS certificate and key");
  }
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  PRONGSAI_ASSIGN_OR_RETURN(pair.private_key, ReadPem(files.key_path));
  PRONGSAI_ASSIGN_OR_RETURN(pair.cert_chain, ReadPem(files.cert_path));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!files.ca_path.empty()) {
    PRONGSAI_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadPem(files.ca_path));
    ssl.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelTlsCredentials(
    const TlsFiles& files, bool tls) {
  if (!tls && files.cert_path.empty() && files.key_path.empty() &&
      files.ca_path.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  PRONGSAI_RETURN_IF_ERROR(CheckPair(files));
  grpc::SslCredentialsOptions ssl;
  if (!files.ca_path.empty()) {
    PRONGSAI_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadPem(files.ca_path));
  }
  if (!files.cert_path.empty()) {
    PRONGSAI_ASSIGN_OR_RETURN(ssl.pem_private_key, ReadPem(files.key_path));
    PRONGSAI_ASSIGN_OR_RETURN(ssl.pem_cert_chain, ReadPem(files.cert_path));
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace prongsai::rpc
