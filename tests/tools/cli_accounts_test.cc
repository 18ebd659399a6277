// `prongsai accounts ...` and `prongsai sessions keygen` run as processes:
// the keys the CLI makes are the ones a plan service signs and verifies
// with, and the one-time password it prints once signs the person in.
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/auth/session_token.h"
#include "common/base/private_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/plan/v1/accounts.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "services/plan/plan_service.h"
#include "tests/services/service_test_util.h"
#include "tests/support/run_binary.h"
#include "tests/support/test_env.h"

namespace prongsai {
namespace {

using ::prongsai::testing::Caller;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::GrpcStatusIs;
using ::testing::HasSubstr;

testing::BinaryRun RunCli(const std::vector<std::string>& args) {
  return testing::RunBinary(PRONGSAI_CLI_BINARY, args, {}, "PRONGSAI_");
}

// The value of the "one-time password" row of the CLI's output.
std::string OneTimePassword(const std::string& output) {
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::ConsumePrefix(&line, "one-time password")) {
      return std::string(absl::StripAsciiWhitespace(line));
    }
  }
  return "";
}

TEST(CliSessionsTest, KeygenWritesAPrivateSigningKeyAndItsPublicHalf) {
  const std::string dir = testing::MakeScratchDir();
  const std::string signing = dir + "/keys/session-signing.key";
  const std::string verify = dir + "/keys/session-verify.keys";
  testing::BinaryRun run =
      RunCli({"sessions", "keygen", "--signing_key_file=" + signing,
              "--verify_keys_file=" + verify});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  struct stat info;
  ASSERT_EQ(stat(signing.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  absl::StatusOr<std::string> text = ReadWholeFile(signing, "signing key");
  ASSERT_TRUE(text.ok());
  absl::StatusOr<auth::SessionSigner> signer =
      auth::SessionSigner::Parse(*text);
  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_THAT(run.stdout_text, HasSubstr(signer->key_id()));
  absl::StatusOr<auth::SessionVerifier> verifier =
      auth::SessionVerifier::LoadFile(verify);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  auth::AccessClaims claims;
  claims.session_id = "s1";
  claims.login = "somchai.j";
  claims.roles = {common::v1::OPERATOR};
  claims.all_organizations = true;
  claims.issue_time = absl::Now();
  claims.expire_time = absl::Now() + absl::Minutes(10);
  EXPECT_TRUE(verifier->Verify(signer->Issue(claims), absl::Now()).ok());

  // An existing signing key is never overwritten; a second key is added to
  // the verify file only through a new signing key file (rotation).
  run = RunCli({"sessions", "keygen", "--signing_key_file=" + signing,
                "--verify_keys_file=" + verify});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(*ReadWholeFile(signing, "signing key"), *text);
  run = RunCli({"sessions", "keygen", "--signing_key_file=" + signing + ".new",
                "--verify_keys_file=" + verify});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_EQ(auth::SessionVerifier::LoadFile(verify)->size(), 2u);
  // Without its flags it is a usage error.
  EXPECT_EQ(RunCli({"sessions", "keygen"}).exit_code, 2);
}

class CliAccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<auth::SessionSigner> signer =
        auth::SessionSigner::Parse(auth::SessionSigner::GenerateFileText());
    ASSERT_TRUE(signer.ok());
    plan::PlanOptions plan_options;
    plan_options.session_signer =
        std::make_shared<const auth::SessionSigner>(*std::move(signer));
    testing::TestServiceOptions options;
    testing::TestService::Start(plan::PlanServiceDefinition(plan_options),
                                options, &service_);
    ASSERT_NE(service_, nullptr);
    plan::v1::CreateOrganizationRequest request;
    common::v1::OrganizationRef* ref =
        request.mutable_organization()->mutable_organization();
    ref->set_code(std::string(testing::kOrganization));
    ref->set_name("องค์การบริหารส่วนตำบลทดสอบ");
    ref->set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
    ref->set_province("ลำปาง");
    ref->set_district("เมืองลำปาง");
    plan::v1::Organization created;
    ASSERT_THAT(
        plan::v1::PlanService::NewStub(service_->channel())
            ->CreateOrganization(service_->Context(Caller::kSystem).get(),
                                 request, &created),
        GrpcIsOk());
  }

  testing::BinaryRun Cli(std::vector<std::string> args,
                         Caller caller = Caller::kSystem) {
    args.push_back("--server=" + service_->host().address());
    args.push_back("--api_key=" + service_->Key(caller));
    return RunCli(args);
  }

  std::unique_ptr<testing::TestService> service_;
};

TEST_F(CliAccountsTest, AddPrintsTheOneTimePasswordOnceAndListShowsNone) {
  testing::BinaryRun added =
      Cli({"accounts", "add", "somchai.j", "--display_name=สมชาย ใจดี",
           "--roles=OPERATOR", "--organizations=6340101"});
  ASSERT_EQ(added.exit_code, 0) << added.stderr_text;
  const std::string password = OneTimePassword(added.stdout_text);
  EXPECT_EQ(password.size(), 16u) << added.stdout_text;
  EXPECT_THAT(added.stdout_text, HasSubstr("accounts/somchai.j"));

  // The printed password signs the person in.
  auto accounts = plan::v1::AccountService::NewStub(service_->channel());
  plan::v1::SignInRequest sign_in;
  sign_in.set_login("somchai.j");
  sign_in.set_password(password);
  plan::v1::Session session;
  EXPECT_THAT(accounts->SignIn(service_->Context(Caller::kAnonymous).get(),
                               sign_in, &session),
              GrpcIsOk());
  EXPECT_TRUE(session.password_must_change());

  testing::BinaryRun listed = Cli({"accounts", "list"}, Caller::kAuditor);
  ASSERT_EQ(listed.exit_code, 0) << listed.stderr_text;
  EXPECT_THAT(listed.stdout_text, HasSubstr("somchai.j"));
  EXPECT_THAT(listed.stdout_text, HasSubstr("OPERATOR"));
  EXPECT_THAT(listed.stdout_text, ::testing::Not(HasSubstr(password)));

  // Only SYSTEM creates accounts.
  EXPECT_EQ(Cli({"accounts", "add", "somsri.k", "--display_name=สมศรี",
                 "--roles=OPERATOR", "--organizations=6340101"},
                Caller::kOperator)
                .exit_code,
            1);

  testing::BinaryRun reset = Cli({"accounts", "reset-password", "somchai.j"});
  ASSERT_EQ(reset.exit_code, 0) << reset.stderr_text;
  const std::string second = OneTimePassword(reset.stdout_text);
  EXPECT_EQ(second.size(), 16u);
  EXPECT_NE(second, password);
  EXPECT_THAT(reset.stdout_text, HasSubstr("must change password  yes"));
}

}  // namespace
}  // namespace prongsai
