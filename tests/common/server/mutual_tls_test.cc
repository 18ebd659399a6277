// Mutual TLS between the services (issue 15), against a real server host on
// loopback with certificates openssl makes for the test: given a client CA,
// the server refuses a client without a certificate, and one whose
// certificate another CA signed, during the handshake, and serves one the
// CA signed; the peers' client (common/client/peer) presents its
// certificate from PeerOptions; half configurations are refused before
// anything listens, naming no file contents.
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth/key_ring.h"
#include "common/client/peer.h"
#include "common/rpc/tls.h"
#include "common/server/server_host.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/common/server/survey_service.h"
#include "tests/support/test_env.h"

namespace prongsai::server {
namespace {

// Files naming one of the three, e.g. Only(&rpc::TlsFiles::ca_path, p).
rpc::TlsFiles Only(std::string rpc::TlsFiles::*file, std::string path) {
  rpc::TlsFiles files;
  files.*file = std::move(path);
  return files;
}

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Runs one openssl command in `dir`; false when it failed.
bool OpenSsl(const std::string& dir, const std::string& arguments) {
  const std::string command =
      absl::StrCat("cd ", dir, " && openssl ", arguments, " >/dev/null 2>&1");
  return std::system(command.c_str()) == 0;
}

// A CA `ca` (ca.pem, ca.key) and leaf certificates it signs (name.pem,
// name.key) for 127.0.0.1 and localhost, valid for a day.
class TestPki {
 public:
  TestPki() : dir_(testing::MakeScratchDir()) {
    std::ofstream(dir_ + "/leaf.ext")
        << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  }

  bool MakeCa(const std::string& ca) const {
    return OpenSsl(dir_,
                   absl::StrCat("req -x509 -newkey rsa:2048 -nodes -days "
                                "1 -subj /CN=",
                                ca, " -keyout ", ca, ".key -out ", ca, ".pem"));
  }

  bool MakeLeaf(const std::string& name, const std::string& ca) const {
    return OpenSsl(dir_, absl::StrCat(
                             "req -newkey rsa:2048 -nodes -subj /CN=", name,
                             " -keyout ", name, ".key -out ", name, ".csr")) &&
           OpenSsl(dir_, absl::StrCat("x509 -req -in ", name, ".csr -CA ", ca,
                                      ".pem -CAkey ", ca,
                                      ".key -CAcreateserial -days 1 "
                                      "-extfile leaf.ext -out ",
                                      name, ".pem"));
  }

  // The files of `name` as this end, trusting `ca`.
  rpc::TlsFiles Files(const std::string& name, const std::string& ca) const {
    return {.cert_path = Path(name + ".pem"),
            .key_path = Path(name + ".key"),
            .ca_path = Path(ca + ".pem")};
  }
  std::string Path(const std::string& file) const {
    return absl::StrCat(dir_, "/", file);
  }

 private:
  std::string dir_;
};

class MutualTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pki_.MakeCa("ca") && pki_.MakeCa("other_ca") &&
                pki_.MakeLeaf("plan", "ca") && pki_.MakeLeaf("ita", "ca") &&
                pki_.MakeLeaf("intruder", "other_ca"))
        << "openssl is needed";
    ServerOptions options;
    options.db_url =
        absl::StrCat("sqlite://", testing::MakeScratchDir(), "/p.db");
    options.workers = 2;
    const rpc::TlsFiles plan = pki_.Files("plan", "ca");
    options.tls_cert_path = plan.cert_path;
    options.tls_key_path = plan.key_path;
    options.tls_client_ca_path = plan.ca_path;
    absl::StatusOr<std::unique_ptr<ServiceHost>> host =
        ServiceHost::Start(options, testing::SurveyServiceDefinition());
    ASSERT_TRUE(host.ok()) << host.status();
    host_ = *std::move(host);
  }

  // The health check's code, over a channel with `credentials`.
  grpc::StatusCode HealthCode(
      const std::shared_ptr<grpc::ChannelCredentials>& credentials) const {
    auto stub = grpc::health::v1::Health::NewStub(
        grpc::CreateChannel(host_->address(), credentials));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    HealthCheckResponse response;
    grpc::Status status =
        stub->Check(&context, HealthCheckRequest(), &response);
    if (status.ok()) {
      EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
    }
    return status.error_code();
  }

  std::shared_ptr<grpc::ChannelCredentials> Client(
      const rpc::TlsFiles& files) const {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        rpc::ChannelTlsCredentials(files);
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return credentials.ok() ? *credentials : nullptr;
  }

  TestPki pki_;
  std::unique_ptr<ServiceHost> host_;
};

TEST_F(MutualTlsTest, AClientNeedsACertificateTheServicesCaSigned) {
  // A peer of the deployment: its own certificate, signed by the CA.
  EXPECT_EQ(HealthCode(Client(pki_.Files("ita", "ca"))), grpc::StatusCode::OK);
  // TLS that trusts the server but presents no certificate.
  EXPECT_EQ(
      HealthCode(Client(Only(&rpc::TlsFiles::ca_path, pki_.Path("ca.pem")))),
      grpc::StatusCode::UNAVAILABLE);
  // A certificate of another CA.
  rpc::TlsFiles intruder = pki_.Files("intruder", "other_ca");
  intruder.ca_path = pki_.Path("ca.pem");
  EXPECT_EQ(HealthCode(Client(intruder)), grpc::StatusCode::UNAVAILABLE);
  // Plaintext.
  EXPECT_EQ(HealthCode(grpc::InsecureChannelCredentials()),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(MutualTlsTest, PeersPresentTheirCertificate) {
  client::PeerCall call(absl::Now() + absl::Seconds(10));
  HealthCheckResponse response;
  const client::Peer with_certificate(client::PeerOptions::Of(
      "plan service", host_->address(), "", Client(pki_.Files("ita", "ca"))));
  EXPECT_TRUE(with_certificate
                  .Unary<grpc::health::v1::Health>(
                      call, client::Peer::kSafeToRetry, "health",
                      &grpc::health::v1::Health::Stub::Check,
                      HealthCheckRequest(), response)
                  .ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  // Without credentials a peer talks plaintext, and is refused.
  const client::Peer plaintext(
      client::PeerOptions::Of("plan service", host_->address(), ""));
  const absl::Status refused = plaintext.Unary<grpc::health::v1::Health>(
      call, client::Peer::kSafeToRetry, "health",
      &grpc::health::v1::Health::Stub::Check, HealthCheckRequest(), response);
  EXPECT_TRUE(absl::IsUnavailable(refused)) << refused;
}

TEST(TlsFilesTest, HalfConfigurationsAreRefusedNamingNoContents) {
  EXPECT_TRUE(absl::IsInvalidArgument(
      rpc::ServerTlsCredentials(Only(&rpc::TlsFiles::ca_path, "/etc/hostname"))
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      rpc::ServerTlsCredentials(
          Only(&rpc::TlsFiles::cert_path, "/etc/hostname"))
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      rpc::ChannelTlsCredentials(
          Only(&rpc::TlsFiles::key_path, "/etc/hostname"))
          .status()));
  const absl::Status missing =
      rpc::ChannelTlsCredentials(
          Only(&rpc::TlsFiles::ca_path, "/nonexistent/ca.pem"))
          .status();
  EXPECT_TRUE(absl::IsNotFound(missing));
  EXPECT_TRUE(absl::StrContains(missing.message(), "/nonexistent/ca.pem"));
  // Nothing named: plaintext, as before.
  EXPECT_TRUE(rpc::ChannelTlsCredentials(rpc::TlsFiles()).ok());
  EXPECT_TRUE(rpc::ServerTlsCredentials(rpc::TlsFiles()).ok());
}

}  // namespace
}  // namespace prongsai::server
