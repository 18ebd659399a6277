#include "tests/services/service_test_util.h"

#include <unistd.h>

#include <fstream>
#include <utility>

#include "absl/time/civil_time.h"
#include "tests/support/test_env.h"

namespace prongsai::testing {
namespace {

constexpr absl::Duration kCallTimeout = absl::Seconds(10);

struct KeySpec {
  Caller caller;
  const char* name;
  const char* roles;
  const char* organizations;
};

constexpr KeySpec kKeySpecs[] = {
    {Caller::kSystem, "system", "SYSTEM", "*"},
    {Caller::kOperator, "operator-6340101", "OPERATOR", "6340101"},
    {Caller::kOtherOperator, "operator-9999999", "OPERATOR", "9999999"},
    {Caller::kIntegrityOfficer, "integrity-officer", "INTEGRITY_OFFICER", "*"},
    {Caller::kAuditor, "auditor", "AUDITOR", "*"},
    {Caller::kExecutive, "executive-6340101", "EXECUTIVE", "6340101"},
};

std::unique_ptr<grpc::ClientContext> ContextWithDeadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
  return context;
}

}  // namespace

std::vector<Caller> AllCallers() {
  return {Caller::kAnonymous,        Caller::kSystem,   Caller::kOperator,
          Caller::kOtherOperator,    Caller::kAuditor,  Caller::kUnknownKey,
          Caller::kIntegrityOfficer, Caller::kExecutive};
}

std::string CallerName(Caller caller) {
  if (caller == Caller::kAnonymous) return "public";
  if (caller == Caller::kUnknownKey) return "unknown";
  for (const KeySpec& spec : kKeySpecs) {
    if (spec.caller == caller) return spec.name;
  }
  return "?";
}

std::optional<auth::Role> CallerRole(Caller caller) {
  switch (caller) {
    case Caller::kSystem:
      return common::v1::SYSTEM;
    case Caller::kOperator:
    case Caller::kOtherOperator:
      return common::v1::OPERATOR;
    case Caller::kIntegrityOfficer:
      return common::v1::INTEGRITY_OFFICER;
    case Caller::kAuditor:
      return common::v1::AUDITOR;
    case Caller::kExecutive:
      return common::v1::EXECUTIVE;
    case Caller::kAnonymous:
    case Caller::kUnknownKey:
      return std::nullopt;
  }
  return std::nullopt;
}

void PrintTo(Caller caller, std::ostream* os) { *os << CallerName(caller); }

absl::Time FakeClock::DefaultStart() {
  return absl::FromCivil(absl::CivilSecond(2025, 10, 1, 9, 30, 0),
                         absl::UTCTimeZone()) +
         absl::Microseconds(123456);
}

absl::Time FakeClock::Now() const {
  absl::MutexLock lock(&state_->mu);
  return state_->now;
}

void FakeClock::Advance(absl::Duration by) {
  absl::MutexLock lock(&state_->mu);
  state_->now += by;
}

server::Clock FakeClock::AsClock() const {
  return [state = state_] {
    absl::MutexLock lock(&state->mu);
    return state->now;
  };
}

void TestService::Start(server::ServiceDefinition definition,
                        const TestServiceOptions& options,
                        std::unique_ptr<TestService>* service) {
  service->reset();
  std::unique_ptr<TestService> started(new TestService());
  NewScratchDatabase(options.backend, definition.name, &started->db_url_);
  if (started->db_url_.empty()) return;  // skipped, or failed

  server::ServerOptions server_options;
  server_options.listen = "127.0.0.1:0";
  server_options.db_url = started->db_url_;
  server_options.redis_url = options.redis_url;
  server_options.api_keys_path = MakeScratchDir() + "/api_keys";
  server_options.workers = 4;
  server_options.drain_deadline = absl::Seconds(2);
  server_options.clock = options.clock;
  server_options.trusted_proxies = options.trusted_proxies;
  server_options.session_verify_keys_path = options.session_verify_keys_path;
  {
    std::ofstream file(server_options.api_keys_path);
    file << "# test keys: sha256 name roles organizations\n";
    for (const KeySpec& spec : kKeySpecs) {
      std::string key = auth::GenerateKey();
      file << auth::FormatKeyLine(auth::HashKey(key), spec.name, spec.roles,
                                  spec.organizations);
      started->keys_.emplace_back(spec.caller, std::move(key));
    }
    ASSERT_TRUE(file.good()) << "cannot write " << server_options.api_keys_path;
  }
  // A well-formed key that is in no key file.
  started->keys_.emplace_back(Caller::kUnknownKey, auth::GenerateKey());

  absl::StatusOr<std::unique_ptr<server::ServiceHost>> host =
      server::ServiceHost::Start(std::move(server_options),
                                 std::move(definition));
  ASSERT_TRUE(host.ok()) << host.status();
  started->host_ = *std::move(host);
  ASSERT_TRUE(started->host_->CheckHealthNow())
      << "the service is not SERVING on " << started->db_url_;
  started->channel_ = grpc::CreateChannel(started->host_->address(),
                                          grpc::InsecureChannelCredentials());
  *service = std::move(started);
}

TestService::~TestService() {
  if (host_ != nullptr) host_->Shutdown();
}

std::unique_ptr<grpc::ClientContext> TestService::Context(Caller caller) const {
  std::unique_ptr<grpc::ClientContext> context = ContextWithDeadline();
  for (const auto& [key_caller, key] : keys_) {
    if (key_caller == caller) {
      context->AddMetadata("authorization", absl::StrCat("Bearer ", key));
    }
  }
  return context;
}

std::string TestService::Key(Caller caller) const {
  for (const auto& [key_caller, key] : keys_) {
    if (key_caller == caller) return key;
  }
  return "";
}

std::unique_ptr<grpc::ClientContext> TestService::ContextWithAuthorization(
    absl::string_view authorization) {
  std::unique_ptr<grpc::ClientContext> context = ContextWithDeadline();
  context->AddMetadata("authorization", std::string(authorization));
  return context;
}

void ServiceTest::StartService(server::ServiceDefinition definition,
                               std::string redis_url) {
  TestServiceOptions options;
  options.backend = GetParam();
  options.redis_url = std::move(redis_url);
  options.clock = clock_.AsClock();
  TestService::Start(std::move(definition), options, &service_);
}

std::string GrpcCodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace prongsai::testing
