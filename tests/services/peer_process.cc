#include "tests/services/peer_process.h"

#include <chrono>
#include <fstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/auth/key_ring.h"
#include "gtest/gtest.h"
#include "tests/support/net.h"
#include "tests/support/scratch_database.h"
#include "tests/support/test_env.h"

namespace prongsai::testing {
namespace {

std::unique_ptr<grpc::ClientContext> ContextWithDeadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  return context;
}

}  // namespace

void PeerProcess::Start(const Options& options,
                        std::unique_ptr<PeerProcess>* out) {
  auto peer = std::unique_ptr<PeerProcess>(new PeerProcess());
  const std::string dir = MakeScratchDir();
  std::string db_url;
  NewScratchDatabase(options.backend, "service", &db_url);
  if (db_url.empty()) return;  // skipped, or failed
  peer->system_key_ = auth::GenerateKey();
  const std::string keys_path = absl::StrCat(dir, "/api_keys");
  {
    std::ofstream keys(keys_path);
    keys << auth::FormatKeyLine(auth::HashKey(peer->system_key_), "system",
                                "SYSTEM", "*");
    for (const std::string& line : options.extra_key_lines) {
      keys << line;
    }
    ASSERT_TRUE(keys.good()) << "cannot write " << keys_path;
  }
  const int port = FreeLoopbackPort();
  ASSERT_GT(port, 0) << "no free loopback port";
  peer->address_ = absl::StrCat("127.0.0.1:", port);
  std::vector<std::string> args = {absl::StrCat("--listen=", peer->address_),
                                   absl::StrCat("--db=", db_url),
                                   absl::StrCat("--api_keys=", keys_path)};
  args.insert(args.end(), options.args.begin(), options.args.end());
  peer->log_path_ = absl::StrCat(dir, "/service.log");
  peer->process_ = std::make_unique<e2e::ChildProcess>(
      e2e::ChildProcess::Options{.binary = options.binary,
                                 .args = std::move(args),
                                 .env = {},
                                 .log_path = peer->log_path_,
                                 .working_dir = dir});
  const absl::Status started = peer->process_->Start();
  ASSERT_TRUE(started.ok()) << started;
  const absl::Status serving = e2e::WaitForServing(
      peer->address_, options.service, *peer->process_, absl::Seconds(30));
  ASSERT_TRUE(serving.ok()) << serving;
  peer->channel_ =
      grpc::CreateChannel(peer->address_, grpc::InsecureChannelCredentials());
  *out = std::move(peer);
}

std::unique_ptr<grpc::ClientContext> PeerProcess::SystemContext() const {
  std::unique_ptr<grpc::ClientContext> context = ContextWithDeadline();
  context->AddMetadata("authorization", absl::StrCat("Bearer ", system_key_));
  return context;
}

std::unique_ptr<grpc::ClientContext> PeerProcess::AnonymousContext() {
  return ContextWithDeadline();
}

}  // namespace prongsai::testing
