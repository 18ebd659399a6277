// What the service tests share: a real in-process ServiceHost on a SQLite
// file or a scratch PostgreSQL database, an API key file with one key per
// role, client contexts that present those keys, a clock the tests move, and
// matchers for grpc::Status and protos.
//
//   class PlanTest : public ServiceTest {
//     void SetUp() override { StartService(plan::PlanServiceDefinition()); }
//   };
//   TEST_P(PlanTest, Lists) {
//     auto stub = plan::v1::PlanService::NewStub(service().channel());
//     std::unique_ptr<grpc::ClientContext> context =
//         service().Context(Caller::kOperator);
//     EXPECT_THAT(stub->ListActionPlans(context.get(), request, &response),
//                 GrpcIsOk());
//   }
#ifndef PRONGSAI_TESTS_SERVICES_SERVICE_TEST_UTIL_H_
#define PRONGSAI_TESTS_SERVICES_SERVICE_TEST_UTIL_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/key_ring.h"
#include "common/server/server_host.h"
#include "gmock/gmock.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/support/scratch_database.h"

namespace prongsai::testing {

// The organization the operator key is scoped to, and another one.
inline constexpr absl::string_view kOrganization = "6340101";
inline constexpr absl::string_view kOtherOrganization = "9999999";
inline constexpr absl::string_view kParent = "organizations/6340101";
inline constexpr absl::string_view kOtherParent = "organizations/9999999";

// Who makes a call: nobody (no key), the holder of one of the key file's
// keys, or someone presenting a key the server does not know.
enum class Caller {
  kAnonymous,
  kSystem,            // SYSTEM, all organizations
  kOperator,          // OPERATOR of 6340101
  kOtherOperator,     // OPERATOR of 9999999
  kIntegrityOfficer,  // INTEGRITY_OFFICER, all organizations
  kAuditor,           // AUDITOR, all organizations
  kExecutive,         // EXECUTIVE of 6340101
  kUnknownKey,
};

std::vector<Caller> AllCallers();
// The key's name in the key file (what audit stamps record): "system",
// "operator-6340101", ...; "public" for kAnonymous, "unknown" for kUnknownKey.
std::string CallerName(Caller caller);
// The role of the caller's key; nullopt for kAnonymous and kUnknownKey.
std::optional<auth::Role> CallerRole(Caller caller);
void PrintTo(Caller caller, std::ostream* os);

// A clock the test sets and moves; handlers see it as `call.now`.
class FakeClock {
 public:
  // 1 October 2025 09:30:00.123456 UTC: the first day of FY 2569, with
  // microseconds so that their round trip is checked too.
  static absl::Time DefaultStart();

  FakeClock() : state_(std::make_shared<State>()) {}

  absl::Time Now() const;
  void Advance(absl::Duration by);
  // A server::Clock reading this clock; it stays valid after `this` dies.
  server::Clock AsClock() const;

 private:
  struct State {
    absl::Mutex mu;
    absl::Time now ABSL_GUARDED_BY(mu) = DefaultStart();
  };
  std::shared_ptr<State> state_;
};

struct TestServiceOptions {
  Backend backend = Backend::kSqlite;
  // redis://... to run with the cache; empty runs without.
  std::string redis_url;
  server::Clock clock = absl::Now;
  // ServerOptions::trusted_proxies.
  std::string trusted_proxies;
  // ServerOptions::session_verify_keys_path: the public keys that verify
  // people's access tokens; empty refuses them all.
  std::string session_verify_keys_path;
};

// A running service and what its clients need.
class TestService {
 public:
  // Writes the key file, creates the database and starts the host on a free
  // loopback port. Leaves `*service` null after skipping (PostgreSQL not
  // configured) or recording a failure; call it from SetUp or a test body.
  static void Start(server::ServiceDefinition definition,
                    const TestServiceOptions& options,
                    std::unique_ptr<TestService>* service);

  ~TestService();

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  server::ServiceHost& host() { return *host_; }
  const std::string& db_url() const { return db_url_; }

  // A context with a 10 s deadline that presents `caller`'s key as
  // `authorization: Bearer <key>` (no metadata for kAnonymous).
  std::unique_ptr<grpc::ClientContext> Context(Caller caller) const;
  // The key `caller` presents ("" for kAnonymous), e.g. for a peer's
  // configuration. Never print it.
  std::string Key(Caller caller) const;
  // A context with a 10 s deadline and this raw `authorization` value.
  static std::unique_ptr<grpc::ClientContext> ContextWithAuthorization(
      absl::string_view authorization);

 private:
  TestService() = default;

  std::vector<std::pair<Caller, std::string>> keys_;  // caller -> key
  std::string db_url_;
  std::unique_ptr<server::ServiceHost> host_;
  std::shared_ptr<grpc::Channel> channel_;
};

// A test fixture parameterized over the storage backends.
class ServiceTest : public ::testing::TestWithParam<Backend> {
 protected:
  // Starts `definition` on GetParam()'s backend with clock_ as its clock.
  void StartService(server::ServiceDefinition definition,
                    std::string redis_url = "");
  TestService& service() { return *service_; }

  FakeClock clock_;
  std::unique_ptr<TestService> service_;
};

// The proto's canonical name of `code`, e.g. "PERMISSION_DENIED".
std::string GrpcCodeName(grpc::StatusCode code);

MATCHER(GrpcIsOk, "is OK") {
  const grpc::Status& status = arg;
  *result_listener << "status is " << GrpcCodeName(status.error_code()) << ": "
                   << status.error_message();
  return status.ok();
}

MATCHER_P(GrpcStatusIs, code,
          absl::StrCat(negation ? "isn't " : "is ", GrpcCodeName(code))) {
  const grpc::Status& status = arg;
  *result_listener << "status is " << GrpcCodeName(status.error_code()) << ": "
                   << status.error_message();
  return status.error_code() == code;
}

// INVALID_ARGUMENT whose message starts with "`field_path`: ", the form every
// validation error takes (common/base/validation.h).
MATCHER_P(IsInvalidField, field_path,
          absl::StrCat("is INVALID_ARGUMENT about ", field_path)) {
  const grpc::Status& status = arg;
  *result_listener << "status is " << GrpcCodeName(status.error_code()) << ": "
                   << status.error_message();
  return status.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
         absl::StartsWith(status.error_message(),
                          absl::StrCat(field_path, ": "));
}

// Field-by-field equality of two messages of the same type.
MATCHER_P(EqualsProto, expected, "equals " + expected.ShortDebugString()) {
  const google::protobuf::Message& actual = arg;
  *result_listener << "is " << actual.ShortDebugString();
  return google::protobuf::util::MessageDifferencer::Equals(actual, expected);
}

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SERVICES_SERVICE_TEST_UTIL_H_
