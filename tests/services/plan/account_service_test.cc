// The account service through gRPC, in the plan service's host, on both
// stores: accounts, passwords, TOTP, sessions and their access tokens, which
// the plan service and a real complaint service process (a child) accept
// as they accept API keys. The server's clock is the test's (set to the real
// time at the start, so the child, on the real clock, agrees about expiry);
// lockouts and timeouts move it instead of sleeping.
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth/session_token.h"
#include "common/storage/storage.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "prongsai/plan/v1/accounts.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "services/plan/account_domain.h"
#include "services/plan/plan_service.h"
#include "tests/services/peer_process.h"
#include "tests/services/service_test_util.h"
#include "tests/support/scratch_database.h"
#include "tests/support/test_env.h"

namespace prongsai::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kNewPassword = "ฝนตกที่ลำปาง 2569";

struct SignedIn {
  grpc::Status status;
  plan::v1::Session session;
};

// Writes a fresh signing key and a verify file with its public key into
// `dir`; returns the signer.
std::shared_ptr<const auth::SessionSigner> WriteKeys(const std::string& dir,
                                                     std::string* verify_path) {
  absl::StatusOr<auth::SessionSigner> signer =
      auth::SessionSigner::Parse(auth::SessionSigner::GenerateFileText());
  EXPECT_TRUE(signer.ok()) << signer.status();
  *verify_path = absl::StrCat(dir, "/session-verify.keys");
  std::ofstream(*verify_path) << signer->VerifyKeyLine() << "\n";
  return std::make_shared<const auth::SessionSigner>(*std::move(signer));
}

class AccountServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    clock_.Advance(absl::Now() - clock_.Now());
    dir_ = MakeScratchDir();
    std::shared_ptr<const auth::SessionSigner> signer =
        WriteKeys(dir_, &verify_path_);
    TestServiceOptions options;
    options.backend = GetParam();
    options.clock = clock_.AsClock();
    options.session_verify_keys_path = verify_path_;
    plan::PlanOptions plan_options;
    plan_options.session_signer = std::move(signer);
    TestService::Start(plan::PlanServiceDefinition(std::move(plan_options)),
                       options, &service_);
    if (service_ == nullptr) return;  // skipped, or failed
    accounts_ = plan::v1::AccountService::NewStub(service().channel());
    plans_ = plan::v1::PlanService::NewStub(service().channel());
    for (absl::string_view code : {kOrganization, kOtherOrganization}) {
      plan::v1::CreateOrganizationRequest request;
      common::v1::OrganizationRef* ref =
          request.mutable_organization()->mutable_organization();
      ref->set_code(std::string(code));
      ref->set_name("องค์การบริหารส่วนตำบลทดสอบ");
      ref->set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
      ref->set_province("ลำปาง");
      ref->set_district("เมืองลำปาง");
      plan::v1::Organization created;
      ASSERT_THAT(
          plans_->CreateOrganization(service().Context(Caller::kSystem).get(),
                                     request, &created),
          GrpcIsOk());
    }
  }

  bool Started() const { return service_ != nullptr; }

  plan::v1::Account CreateAccount(
      absl::string_view login, const std::vector<common::v1::Role>& roles,
      const std::vector<std::string>& organizations = {
          std::string(kOrganization)}) {
    plan::v1::CreateAccountRequest request;
    request.set_account_id(std::string(login));
    request.mutable_account()->set_display_name("สมชาย ใจดี");
    for (common::v1::Role role : roles)
      request.mutable_account()->add_roles(role);
    if (organizations.empty()) {
      request.mutable_account()->set_all_organizations(true);
    }
    for (const std::string& code : organizations) {
      request.mutable_account()->add_organizations(code);
    }
    plan::v1::Account created;
    EXPECT_THAT(
        accounts_->CreateAccount(service().Context(Caller::kSystem).get(),
                                 request, &created),
        GrpcIsOk());
    return created;
  }

  SignedIn SignIn(absl::string_view login, absl::string_view password,
                  absl::string_view code = "") {
    plan::v1::SignInRequest request;
    request.set_login(std::string(login));
    request.set_password(std::string(password));
    request.set_totp_code(std::string(code));
    SignedIn out;
    out.status = accounts_->SignIn(service().Context(Caller::kAnonymous).get(),
                                   request, &out.session);
    return out;
  }

  static std::unique_ptr<grpc::ClientContext> As(absl::string_view token) {
    return TestService::ContextWithAuthorization(
        absl::StrCat("Bearer ", token));
  }

  grpc::Status ChangePassword(absl::string_view token, absl::string_view login,
                              absl::string_view current, absl::string_view next,
                              plan::v1::Account* changed) {
    plan::v1::ChangePasswordRequest request;
    request.set_name(absl::StrCat("accounts/", login));
    request.set_current_password(std::string(current));
    request.set_new_password(std::string(next));
    return accounts_->ChangePassword(As(token).get(), request, changed);
  }

  // An account of `roles` whose person has changed the one-time password
  // to kNewPassword and signed in again.
  plan::v1::Session ReadyAccount(
      absl::string_view login, const std::vector<common::v1::Role>& roles,
      const std::vector<std::string>& organizations = {
          std::string(kOrganization)}) {
    const plan::v1::Account created =
        CreateAccount(login, roles, organizations);
    SignedIn first = SignIn(login, created.initial_password());
    EXPECT_THAT(first.status, GrpcIsOk());
    plan::v1::Account changed;
    EXPECT_THAT(
        ChangePassword(first.session.access_token(), login,
                       created.initial_password(), kNewPassword, &changed),
        GrpcIsOk());
    SignedIn second = SignIn(login, kNewPassword);
    EXPECT_THAT(second.status, GrpcIsOk());
    return second.session;
  }

  grpc::Status GetOrganization(absl::string_view token, absl::string_view code,
                               plan::v1::Organization* out = nullptr) {
    plan::v1::GetOrganizationRequest request;
    request.set_name(absl::StrCat("organizations/", code));
    plan::v1::Organization organization;
    return plans_->GetOrganization(As(token).get(), request,
                                   out != nullptr ? out : &organization);
  }

  grpc::Status Refresh(absl::string_view session_token,
                       plan::v1::Session* out = nullptr) {
    plan::v1::RefreshSessionRequest request;
    request.set_session_token(std::string(session_token));
    plan::v1::Session session;
    return accounts_->RefreshSession(
        service().Context(Caller::kAnonymous).get(), request,
        out != nullptr ? out : &session);
  }

  std::string dir_;
  std::string verify_path_;
  std::unique_ptr<plan::v1::AccountService::Stub> accounts_;
  std::unique_ptr<plan::v1::PlanService::Stub> plans_;
};

TEST_P(AccountServiceTest, OneTimePasswordThenOwnPasswordThenTokenWorks) {
  if (!Started()) return;
  ::testing::internal::CaptureStderr();
  const plan::v1::Account created =
      CreateAccount("somchai.j", {common::v1::OPERATOR});
  EXPECT_EQ(created.name(), "accounts/somchai.j");
  EXPECT_TRUE(created.password_must_change());
  EXPECT_EQ(created.initial_password().size(), 16u);
  EXPECT_EQ(created.audit().creator(), "system");
  // The password is shown once: reading the account does not show it.
  plan::v1::GetAccountRequest get;
  get.set_name("accounts/somchai.j");
  plan::v1::Account read;
  ASSERT_THAT(accounts_->GetAccount(service().Context(Caller::kSystem).get(),
                                    get, &read),
              GrpcIsOk());
  EXPECT_EQ(read.initial_password(), "");

  SignedIn first = SignIn("somchai.j", created.initial_password());
  ASSERT_THAT(first.status, GrpcIsOk());
  EXPECT_TRUE(first.session.password_must_change());
  EXPECT_TRUE(absl::StartsWith(first.session.access_token(), "pat_"));
  EXPECT_TRUE(absl::StartsWith(first.session.session_token(), "pst_"));
  EXPECT_TRUE(
      absl::StartsWith(first.session.name(), "accounts/somchai.j/sessions/"));
  EXPECT_EQ(first.session.client(), "127.0.0.1");
  EXPECT_EQ(first.session.access_expire_time().seconds(),
            absl::ToUnixSeconds(clock_.Now() + absl::Minutes(10)));
  EXPECT_EQ(first.session.expire_time().seconds(),
            absl::ToUnixSeconds(clock_.Now() + absl::Hours(12)));

  // Until the one-time password is changed, its token opens nothing else,
  // in whatever service.
  const std::string& token = first.session.access_token();
  const grpc::Status restricted = GetOrganization(token, kOrganization);
  EXPECT_THAT(restricted, GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(
      absl::StartsWith(restricted.error_message(), "password_must_change: "))
      << restricted.error_message();

  // The password policy, then the change.
  plan::v1::Account changed;
  EXPECT_THAT(ChangePassword(token, "somchai.j", created.initial_password(),
                             "too short", &changed),
              IsInvalidField("new_password"));
  EXPECT_THAT(ChangePassword(token, "somchai.j", created.initial_password(),
                             "SOMCHAI.J", &changed),
              IsInvalidField("new_password"));
  EXPECT_THAT(ChangePassword(token, "somchai.j", "wrong current password",
                             kNewPassword, &changed),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  ASSERT_THAT(ChangePassword(token, "somchai.j", created.initial_password(),
                             kNewPassword, &changed),
              GrpcIsOk());
  EXPECT_FALSE(changed.password_must_change());
  // The audit stamp names the person, not a key.
  EXPECT_EQ(changed.audit().updater(), "somchai.j");
  // The token in hand still carries the restriction; a refreshed one not.
  EXPECT_THAT(GetOrganization(token, kOrganization),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  plan::v1::Session refreshed;
  ASSERT_THAT(Refresh(first.session.session_token(), &refreshed), GrpcIsOk());
  EXPECT_FALSE(refreshed.password_must_change());
  EXPECT_THAT(GetOrganization(refreshed.access_token(), kOrganization),
              GrpcIsOk());

  // The one-time password is void; the new one works.
  EXPECT_THAT(SignIn("somchai.j", created.initial_password()).status,
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  SignedIn second = SignIn("somchai.j", kNewPassword);
  ASSERT_THAT(second.status, GrpcIsOk());
  EXPECT_FALSE(second.session.password_must_change());

  // The token works on a plan RPC within the account's organizations only.
  plan::v1::Organization organization;
  EXPECT_THAT(GetOrganization(second.session.access_token(), kOrganization,
                              &organization),
              GrpcIsOk());
  EXPECT_EQ(organization.organization().code(), kOrganization);
  EXPECT_THAT(
      GetOrganization(second.session.access_token(), kOtherOrganization),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  // An OPERATOR cannot do what SYSTEM does.
  plan::v1::ListAccountsRequest list;
  plan::v1::ListAccountsResponse listed;
  EXPECT_THAT(accounts_->ListAccounts(As(second.session.access_token()).get(),
                                      list, &listed),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));

  // Nothing secret reached the log; the person's login did.
  const std::string log = ::testing::internal::GetCapturedStderr();
  for (const std::string& secret :
       {created.initial_password(), std::string(kNewPassword),
        first.session.access_token(), first.session.session_token(),
        second.session.access_token(), second.session.session_token()}) {
    EXPECT_THAT(log, Not(HasSubstr(secret)));
  }
  EXPECT_THAT(log, HasSubstr("principal=somchai.j"));
}

TEST_P(AccountServiceTest, SystemPersonOnAOneTimePasswordReadsOnlyOwnAccount) {
  if (!Started()) return;
  CreateAccount("somchai.j", {common::v1::OPERATOR});
  const plan::v1::Account admin =
      CreateAccount("admin.new", {common::v1::SYSTEM}, {});
  SignedIn first = SignIn("admin.new", admin.initial_password());
  ASSERT_THAT(first.status, GrpcIsOk());
  const std::string& token = first.session.access_token();
  plan::v1::GetAccountRequest get;
  plan::v1::Account read;
  get.set_name("accounts/admin.new");
  EXPECT_THAT(accounts_->GetAccount(As(token).get(), get, &read), GrpcIsOk());
  EXPECT_TRUE(read.password_must_change());
  // SYSTEM's reach waits for the new password.
  get.set_name("accounts/somchai.j");
  EXPECT_THAT(accounts_->GetAccount(As(token).get(), get, &read),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  plan::v1::ListAccountsRequest list;
  plan::v1::ListAccountsResponse listed;
  EXPECT_THAT(accounts_->ListAccounts(As(token).get(), list, &listed),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  plan::v1::Account changed;
  ASSERT_THAT(ChangePassword(token, "admin.new", admin.initial_password(),
                             kNewPassword, &changed),
              GrpcIsOk());
  plan::v1::Session refreshed;
  ASSERT_THAT(Refresh(first.session.session_token(), &refreshed), GrpcIsOk());
  EXPECT_THAT(
      accounts_->GetAccount(As(refreshed.access_token()).get(), get, &read),
      GrpcIsOk());
  EXPECT_EQ(read.name(), "accounts/somchai.j");
}

TEST_P(AccountServiceTest, AuditStampsNameTheSignedInPerson) {
  if (!Started()) return;
  const plan::v1::Session admin =
      ReadyAccount("admin.somsri", {common::v1::SYSTEM}, {});
  plan::v1::CreateOrganizationRequest request;
  common::v1::OrganizationRef* ref =
      request.mutable_organization()->mutable_organization();
  ref->set_code("6340199");
  ref->set_name("เทศบาลตำบลทดสอบ");
  ref->set_kind(common::v1::MUNICIPALITY);
  ref->set_province("ลำปาง");
  ref->set_district("เกาะคา");
  plan::v1::Organization created;
  ASSERT_THAT(plans_->CreateOrganization(As(admin.access_token()).get(),
                                         request, &created),
              GrpcIsOk());
  EXPECT_EQ(created.audit().creator(), "admin.somsri");
}

TEST_P(AccountServiceTest, TokenWorksOnTheOtherServiceProcesses) {
  if (!Started()) return;
  std::unique_ptr<PeerProcess> complaint;
  PeerProcess::Start(
      {.binary = PRONGSAI_COMPLAINT_BINARY,
       .service =
           std::string(complaint::v1::ComplaintService::service_full_name()),
       .backend = GetParam(),
       .args = {absl::StrCat("--session_verify_keys_file=", verify_path_)},
       .extra_key_lines = {}},
      &complaint);
  if (complaint == nullptr) return;
  const plan::v1::Session session =
      ReadyAccount("somchai.j", {common::v1::OPERATOR});
  auto stub = complaint::v1::ComplaintService::NewStub(complaint->channel());
  auto upsert = [&](absl::string_view token, absl::string_view organization) {
    complaint::v1::UpsertCategoryRequest request;
    request.mutable_category()->set_name(
        absl::StrCat("organizations/", organization, "/categories/roads"));
    request.mutable_category()->set_display_name("ถนนชำรุด");
    complaint::v1::Category category;
    return stub->UpsertCategory(As(token).get(), request, &category);
  };
  EXPECT_THAT(upsert(session.access_token(), kOrganization), GrpcIsOk());
  EXPECT_THAT(upsert(session.access_token(), kOtherOrganization),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));

  // A token of another signing key is refused there as here.
  std::string other_verify;
  std::shared_ptr<const auth::SessionSigner> stranger =
      WriteKeys(MakeScratchDir(), &other_verify);
  auth::AccessClaims claims;
  claims.session_id = "forgedsession";
  claims.login = "somchai.j";
  claims.roles = {common::v1::SYSTEM};
  claims.all_organizations = true;
  claims.issue_time = absl::Now();
  claims.expire_time = absl::Now() + absl::Minutes(10);
  const std::string forged = stranger->Issue(claims);
  grpc::Status refused = upsert(forged, kOrganization);
  EXPECT_THAT(refused, GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(refused.error_message(), "access token is not valid");
  EXPECT_THAT(GetOrganization(forged, kOrganization),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));

  // The ITA service process as well.
  std::unique_ptr<PeerProcess> ita_process;
  PeerProcess::Start(
      {.binary = PRONGSAI_ITA_BINARY,
       .service = std::string(ita::v1::AssessmentService::service_full_name()),
       .backend = GetParam(),
       .args = {absl::StrCat("--session_verify_keys_file=", verify_path_)},
       .extra_key_lines = {}},
      &ita_process);
  if (ita_process == nullptr) return;
  auto assessments =
      ita::v1::AssessmentService::NewStub(ita_process->channel());
  auto list_assessments = [&](absl::string_view token,
                              absl::string_view organization) {
    ita::v1::ListAssessmentsRequest request;
    request.set_parent(absl::StrCat("organizations/", organization));
    ita::v1::ListAssessmentsResponse response;
    return assessments->ListAssessments(As(token).get(), request, &response);
  };
  EXPECT_THAT(list_assessments(session.access_token(), kOrganization),
              GrpcIsOk());
  EXPECT_THAT(list_assessments(session.access_token(), kOtherOrganization),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(list_assessments(forged, kOrganization),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  plan::v1::ListAccountsRequest list;
  plan::v1::ListAccountsResponse listed;
  EXPECT_THAT(accounts_->ListAccounts(As(forged).get(), list, &listed),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));

  // The other service's log names the person and holds no token.
  const std::string log_path = complaint->log_path();
  complaint.reset();  // stops it, so its log is complete
  std::ifstream in(log_path);
  const std::string log((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
  EXPECT_THAT(log, HasSubstr("principal=somchai.j"));
  EXPECT_THAT(log, Not(HasSubstr(session.access_token())));
  EXPECT_THAT(log, Not(HasSubstr(forged)));
}

TEST_P(AccountServiceTest, WrongPasswordUnknownLoginAndDisabledLookTheSame) {
  if (!Started()) return;
  const plan::v1::Account created =
      CreateAccount("somchai.j", {common::v1::OPERATOR});
  const plan::v1::Account disabled_one =
      CreateAccount("disabled.one", {common::v1::OPERATOR});
  plan::v1::UpdateAccountRequest update;
  update.mutable_account()->set_name("accounts/disabled.one");
  update.mutable_account()->set_disabled(true);
  update.mutable_update_mask()->add_paths("disabled");
  plan::v1::Account updated;
  ASSERT_THAT(accounts_->UpdateAccount(service().Context(Caller::kSystem).get(),
                                       update, &updated),
              GrpcIsOk());
  EXPECT_TRUE(updated.disabled());

  const SignedIn wrong = SignIn("somchai.j", "not the password");
  const SignedIn unknown = SignIn("nobody.here", "not the password");
  const SignedIn invalid = SignIn("Not A Login!", "not the password");
  const SignedIn disabled =
      SignIn("disabled.one", disabled_one.initial_password());
  for (const SignedIn* attempt : {&wrong, &unknown, &invalid, &disabled}) {
    EXPECT_THAT(attempt->status,
                GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
    EXPECT_EQ(attempt->status.error_message(), "login or password is wrong");
  }
  EXPECT_THAT(SignIn("somchai.j", created.initial_password()).status,
              GrpcIsOk());
}

TEST_P(AccountServiceTest, FiveFailuresLockTheLoginForGrowingTimes) {
  if (!Started()) return;
  const plan::v1::Account created =
      CreateAccount("somchai.j", {common::v1::OPERATOR});
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(SignIn("somchai.j", "guess number " + std::to_string(i)).status,
                GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  }
  // Locked: even the right password is refused, without being checked.
  SignedIn locked = SignIn("somchai.j", created.initial_password());
  EXPECT_THAT(locked.status,
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_THAT(locked.status.error_message(), HasSubstr("retry in 30 seconds"));
  clock_.Advance(absl::Seconds(29));
  EXPECT_THAT(SignIn("somchai.j", created.initial_password()).status,
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  clock_.Advance(absl::Seconds(1));
  // One more failure after the lock: twice as long.
  EXPECT_THAT(SignIn("somchai.j", "guess number 6").status,
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(
      SignIn("somchai.j", created.initial_password()).status.error_message(),
      HasSubstr("retry in 60 seconds"));
  clock_.Advance(absl::Seconds(60));
  EXPECT_THAT(SignIn("somchai.j", created.initial_password()).status,
              GrpcIsOk());
}

// Sign-ins that arrive at once are counted one by one before their
// passwords are checked: 16 parallel guesses get exactly the 5 checks the
// lockout admits, not one each because none had seen another's failure.
TEST_P(AccountServiceTest, ParallelGuessesGetNoMoreChecksThanTheLockoutAdmits) {
  if (!Started()) return;
  const plan::v1::Account created =
      CreateAccount("somchai.j", {common::v1::OPERATOR});
  constexpr int kGuesses = 16;
  std::vector<grpc::Status> answers(kGuesses);
  std::vector<std::thread> guessers;
  guessers.reserve(kGuesses);
  for (int i = 0; i < kGuesses; ++i) {
    guessers.emplace_back([this, &answers, i] {
      answers[i] = SignIn("somchai.j", absl::StrCat("guess number ", i)).status;
    });
  }
  for (std::thread& guesser : guessers) guesser.join();
  int checked = 0;
  for (const grpc::Status& answer : answers) {
    if (answer.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
      ++checked;
    } else {
      EXPECT_THAT(answer, GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
    }
  }
  EXPECT_EQ(checked, plan::kFailuresBeforeLockout);
  // Locked now, even for the right password; open again after the lock.
  EXPECT_THAT(SignIn("somchai.j", created.initial_password()).status,
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  clock_.Advance(absl::Seconds(30));
  EXPECT_THAT(SignIn("somchai.j", created.initial_password()).status,
              GrpcIsOk());
}

TEST_P(AccountServiceTest, FailuresFromOneClientLockItForEveryLogin) {
  if (!Started()) return;
  const plan::v1::Account created =
      CreateAccount("somchai.j", {common::v1::OPERATOR});
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(SignIn(absl::StrCat("sprayed.", i), "Password123!").status,
                GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  }
  EXPECT_THAT(SignIn("somchai.j", created.initial_password()).status,
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  clock_.Advance(absl::Seconds(30));
  EXPECT_THAT(SignIn("somchai.j", created.initial_password()).status,
              GrpcIsOk());
}

TEST_P(AccountServiceTest, TotpEnrollConfirmAndSignInWithACodeOnce) {
  if (!Started()) return;
  const plan::v1::Session session =
      ReadyAccount("somchai.j", {common::v1::OPERATOR});
  plan::v1::EnrollTotpRequest enroll;
  enroll.set_name("accounts/somchai.j");
  plan::v1::TotpEnrollment enrollment;
  // Only the person enrolls, not a SYSTEM key.
  EXPECT_THAT(accounts_->EnrollTotp(service().Context(Caller::kSystem).get(),
                                    enroll, &enrollment),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  ASSERT_THAT(accounts_->EnrollTotp(As(session.access_token()).get(), enroll,
                                    &enrollment),
              GrpcIsOk());
  EXPECT_TRUE(absl::StartsWith(enrollment.uri(),
                               "otpauth://totp/Prongsai:somchai.j?secret="));
  const std::optional<std::string> secret =
      plan::Base32Decode(enrollment.secret());
  ASSERT_TRUE(secret.has_value());
  auto code_now = [&] {
    return plan::TotpCode(*secret, plan::TotpStepAt(clock_.Now()));
  };
  // Pending: sign-in does not ask for a code yet.
  EXPECT_THAT(SignIn("somchai.j", kNewPassword).status, GrpcIsOk());

  plan::v1::ConfirmTotpRequest confirm;
  confirm.set_name("accounts/somchai.j");
  confirm.set_code("000000" == code_now() ? "111111" : "000000");
  plan::v1::Account account;
  EXPECT_THAT(accounts_->ConfirmTotp(As(session.access_token()).get(), confirm,
                                     &account),
              IsInvalidField("code"));
  confirm.set_code(code_now());
  ASSERT_THAT(accounts_->ConfirmTotp(As(session.access_token()).get(), confirm,
                                     &account),
              GrpcIsOk());
  EXPECT_TRUE(account.totp_enabled());

  // Password right, no code: the UI is told to ask for it.
  SignedIn without = SignIn("somchai.j", kNewPassword);
  EXPECT_THAT(without.status,
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(absl::StartsWith(without.status.error_message(), "totp_code: "));
  // The code used to confirm is spent.
  EXPECT_THAT(SignIn("somchai.j", kNewPassword, code_now()).status,
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  clock_.Advance(absl::Seconds(30));
  const std::string next = code_now();
  EXPECT_THAT(SignIn("somchai.j", kNewPassword, next).status, GrpcIsOk());
  EXPECT_THAT(SignIn("somchai.j", kNewPassword, next).status,
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  // A wrong password with a right code is still the one answer.
  clock_.Advance(absl::Seconds(30));
  EXPECT_EQ(
      SignIn("somchai.j", "wrong password", code_now()).status.error_message(),
      "login or password is wrong");

  // SYSTEM turns it off (a lost phone) without the password.
  plan::v1::DisableTotpRequest disable;
  disable.set_name("accounts/somchai.j");
  ASSERT_THAT(accounts_->DisableTotp(service().Context(Caller::kSystem).get(),
                                     disable, &account),
              GrpcIsOk());
  EXPECT_FALSE(account.totp_enabled());
  EXPECT_THAT(SignIn("somchai.j", kNewPassword).status, GrpcIsOk());
}

TEST_P(AccountServiceTest, RefreshEndAndTimeouts) {
  if (!Started()) return;
  const plan::v1::Session session =
      ReadyAccount("somchai.j", {common::v1::OPERATOR});
  // The access token expires after 10 minutes; a refresh gives a new one.
  clock_.Advance(absl::Minutes(10));
  grpc::Status expired = GetOrganization(session.access_token(), kOrganization);
  EXPECT_THAT(expired, GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(expired.error_message(),
            "access token expired; refresh the session");
  plan::v1::Session refreshed;
  ASSERT_THAT(Refresh(session.session_token(), &refreshed), GrpcIsOk());
  EXPECT_EQ(refreshed.name(), session.name());
  EXPECT_EQ(refreshed.session_token(), "");
  EXPECT_EQ(refreshed.last_refresh_time().seconds(),
            absl::ToUnixSeconds(clock_.Now()));
  EXPECT_THAT(GetOrganization(refreshed.access_token(), kOrganization),
              GrpcIsOk());

  // Listing shows the open sessions, never their tokens.
  plan::v1::ListSessionsRequest list;
  list.set_parent("accounts/somchai.j");
  plan::v1::ListSessionsResponse listed;
  ASSERT_THAT(accounts_->ListSessions(As(refreshed.access_token()).get(), list,
                                      &listed),
              GrpcIsOk());
  ASSERT_GE(listed.sessions_size(), 1);
  for (const plan::v1::Session& open : listed.sessions()) {
    EXPECT_EQ(open.access_token(), "");
    EXPECT_EQ(open.session_token(), "");
  }

  // 30 minutes without a refresh end the session.
  clock_.Advance(absl::Minutes(30));
  EXPECT_THAT(Refresh(session.session_token()),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));

  // Signing out ends it at once.
  SignedIn again = SignIn("somchai.j", kNewPassword);
  ASSERT_THAT(again.status, GrpcIsOk());
  plan::v1::EndSessionRequest end;
  end.set_session_token(again.session.session_token());
  plan::v1::EndSessionResponse ended;
  ASSERT_THAT(accounts_->EndSession(service().Context(Caller::kAnonymous).get(),
                                    end, &ended),
              GrpcIsOk());
  EXPECT_THAT(Refresh(again.session.session_token()),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(Refresh("pst_unknown"),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));

  // Refreshing in time keeps a session for 12 hours at most.
  SignedIn day = SignIn("somchai.j", kNewPassword);
  ASSERT_THAT(day.status, GrpcIsOk());
  for (int i = 0; i < 35; ++i) {
    clock_.Advance(absl::Minutes(20));
    ASSERT_THAT(Refresh(day.session.session_token()), GrpcIsOk()) << i;
  }
  clock_.Advance(absl::Minutes(20));  // 12 h since sign-in
  EXPECT_THAT(Refresh(day.session.session_token()),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
}

TEST_P(AccountServiceTest, DisablingEndsSessionsAndSignIn) {
  if (!Started()) return;
  const plan::v1::Session session =
      ReadyAccount("somchai.j", {common::v1::OPERATOR});
  plan::v1::UpdateAccountRequest update;
  update.mutable_account()->set_name("accounts/somchai.j");
  update.mutable_account()->set_disabled(true);
  update.mutable_update_mask()->add_paths("disabled");
  plan::v1::Account updated;
  ASSERT_THAT(accounts_->UpdateAccount(service().Context(Caller::kSystem).get(),
                                       update, &updated),
              GrpcIsOk());
  EXPECT_THAT(Refresh(session.session_token()),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(SignIn("somchai.j", kNewPassword).status,
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  // Re-enabled, with a reset password: a new one-time password.
  update.mutable_account()->set_disabled(false);
  ASSERT_THAT(accounts_->UpdateAccount(service().Context(Caller::kSystem).get(),
                                       update, &updated),
              GrpcIsOk());
  plan::v1::ResetPasswordRequest reset;
  reset.set_name("accounts/somchai.j");
  plan::v1::Account with_password;
  ASSERT_THAT(accounts_->ResetPassword(service().Context(Caller::kSystem).get(),
                                       reset, &with_password),
              GrpcIsOk());
  EXPECT_TRUE(with_password.password_must_change());
  EXPECT_THAT(SignIn("somchai.j", kNewPassword).status,
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(SignIn("somchai.j", with_password.initial_password()).status,
              GrpcIsOk());
}

TEST_P(AccountServiceTest, PeopleReachOnlyTheirOwnAccount) {
  if (!Started()) return;
  const plan::v1::Session somchai =
      ReadyAccount("somchai.j", {common::v1::OPERATOR});
  CreateAccount("somsri.k", {common::v1::OPERATOR});
  plan::v1::GetAccountRequest get;
  plan::v1::Account account;
  get.set_name("accounts/somchai.j");
  EXPECT_THAT(
      accounts_->GetAccount(As(somchai.access_token()).get(), get, &account),
      GrpcIsOk());
  get.set_name("accounts/somsri.k");
  EXPECT_THAT(
      accounts_->GetAccount(As(somchai.access_token()).get(), get, &account),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  // An API key named like an account is not that account's person.
  EXPECT_THAT(accounts_->GetAccount(service().Context(Caller::kOperator).get(),
                                    get, &account),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  plan::v1::ListSessionsRequest list;
  list.set_parent("accounts/somsri.k");
  plan::v1::ListSessionsResponse listed;
  EXPECT_THAT(
      accounts_->ListSessions(As(somchai.access_token()).get(), list, &listed),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
}

TEST_P(AccountServiceTest, CreateChecksItsInputAndRepeatsByRequestId) {
  if (!Started()) return;
  plan::v1::CreateAccountRequest request;
  request.set_account_id("Bad Login");
  request.mutable_account()->set_display_name("สมชาย");
  request.mutable_account()->add_roles(common::v1::OPERATOR);
  request.mutable_account()->add_organizations(std::string(kOrganization));
  plan::v1::Account created;
  auto create = [&] {
    return accounts_->CreateAccount(service().Context(Caller::kSystem).get(),
                                    request, &created);
  };
  EXPECT_THAT(create(), IsInvalidField("account_id"));
  request.set_account_id("somchai.j");
  request.mutable_account()->add_roles(common::v1::PUBLIC);
  EXPECT_THAT(create(), IsInvalidField("account.roles[1]"));
  request.mutable_account()->mutable_roles()->RemoveLast();
  request.mutable_account()->add_organizations("1234567");
  EXPECT_THAT(create(), GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  request.mutable_account()->mutable_organizations()->RemoveLast();
  EXPECT_THAT(
      accounts_->CreateAccount(service().Context(Caller::kOperator).get(),
                               request, &created),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  request.set_request_id("create-somchai-1");
  ASSERT_THAT(create(), GrpcIsOk());
  const std::string first_password = created.initial_password();
  // The response was lost: the repeat returns a new one-time password, and
  // the first one no longer works.
  ASSERT_THAT(create(), GrpcIsOk());
  EXPECT_NE(created.initial_password(), first_password);
  EXPECT_THAT(SignIn("somchai.j", first_password).status,
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(SignIn("somchai.j", created.initial_password()).status,
              GrpcIsOk());
  request.set_request_id("");
  EXPECT_THAT(create(), GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  plan::v1::ListAccountsRequest list;
  plan::v1::ListAccountsResponse listed;
  ASSERT_THAT(accounts_->ListAccounts(service().Context(Caller::kAuditor).get(),
                                      list, &listed),
              GrpcIsOk());
  ASSERT_EQ(listed.accounts_size(), 1);
  EXPECT_EQ(listed.accounts(0).name(), "accounts/somchai.j");
  EXPECT_EQ(listed.accounts(0).initial_password(), "");
}

TEST_P(AccountServiceTest, ChangingThePasswordEndsTheOtherSessionsOnly) {
  if (!Started()) return;
  const plan::v1::Session kept =
      ReadyAccount("somchai.j", {common::v1::OPERATOR});
  SignedIn other = SignIn("somchai.j", kNewPassword);
  ASSERT_THAT(other.status, GrpcIsOk());
  plan::v1::Account changed;
  ASSERT_THAT(ChangePassword(kept.access_token(), "somchai.j", kNewPassword,
                             "another long passphrase", &changed),
              GrpcIsOk());
  EXPECT_THAT(Refresh(kept.session_token()), GrpcIsOk());
  EXPECT_THAT(Refresh(other.session.session_token()),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
}

// A stolen access token guesses the password no faster than SignIn.
TEST_P(AccountServiceTest, WrongCurrentPasswordsCountAsFailedSignIns) {
  if (!Started()) return;
  const plan::v1::Session session =
      ReadyAccount("somchai.j", {common::v1::OPERATOR});
  plan::v1::Account changed;
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(ChangePassword(session.access_token(), "somchai.j",
                               absl::StrCat("guess number ", i),
                               "another long passphrase", &changed),
                GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  }
  EXPECT_THAT(ChangePassword(session.access_token(), "somchai.j", kNewPassword,
                             "another long passphrase", &changed),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_THAT(SignIn("somchai.j", kNewPassword).status,
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  clock_.Advance(absl::Seconds(30));
  EXPECT_THAT(ChangePassword(session.access_token(), "somchai.j", kNewPassword,
                             "another long passphrase", &changed),
              GrpcIsOk());
}

TEST_P(AccountServiceTest, SessionsEndByNameForTheirPersonAndSystem) {
  if (!Started()) return;
  const plan::v1::Session first =
      ReadyAccount("somchai.j", {common::v1::OPERATOR});
  SignedIn second = SignIn("somchai.j", kNewPassword);
  ASSERT_THAT(second.status, GrpcIsOk());
  const plan::v1::Session somsri =
      ReadyAccount("somsri.k", {common::v1::OPERATOR});
  plan::v1::EndSessionRequest end;
  plan::v1::EndSessionResponse ended;
  end.set_name(second.session.name());
  // Another person may not; an anonymous caller needs the token instead.
  EXPECT_THAT(
      accounts_->EndSession(As(somsri.access_token()).get(), end, &ended),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(accounts_->EndSession(service().Context(Caller::kAnonymous).get(),
                                    end, &ended),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  ASSERT_THAT(
      accounts_->EndSession(As(first.access_token()).get(), end, &ended),
      GrpcIsOk());
  EXPECT_THAT(Refresh(second.session.session_token()),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  end.set_name(first.name());
  ASSERT_THAT(accounts_->EndSession(service().Context(Caller::kSystem).get(),
                                    end, &ended),
              GrpcIsOk());
  EXPECT_THAT(Refresh(first.session_token()),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  end.set_name("accounts/somchai.j/sessions/nosuchsession");
  EXPECT_THAT(accounts_->EndSession(service().Context(Caller::kSystem).get(),
                                    end, &ended),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

// A token carries the scope the account had when it was issued: a change
// reaches the person at the next refresh, 10 minutes at the latest.
TEST_P(AccountServiceTest, UpdatesReachTokensAtTheNextRefresh) {
  if (!Started()) return;
  const plan::v1::Session session =
      ReadyAccount("somchai.j", {common::v1::OPERATOR});
  plan::v1::GetAccountRequest get;
  get.set_name("accounts/somchai.j");
  plan::v1::Account account;
  ASSERT_THAT(accounts_->GetAccount(service().Context(Caller::kSystem).get(),
                                    get, &account),
              GrpcIsOk());
  plan::v1::UpdateAccountRequest update;
  update.mutable_account()->set_name("accounts/somchai.j");
  update.mutable_account()->add_organizations(std::string(kOtherOrganization));
  update.mutable_account()->set_etag(account.etag());
  update.mutable_update_mask()->add_paths("organizations");
  plan::v1::Account updated;
  ASSERT_THAT(accounts_->UpdateAccount(service().Context(Caller::kSystem).get(),
                                       update, &updated),
              GrpcIsOk());
  EXPECT_EQ(updated.audit().updater(), "system");
  // The same etag again is stale.
  EXPECT_THAT(accounts_->UpdateAccount(service().Context(Caller::kSystem).get(),
                                       update, &updated),
              GrpcStatusIs(grpc::StatusCode::ABORTED));
  update.mutable_update_mask()->set_paths(0, "totp_enabled");
  update.mutable_account()->clear_etag();
  EXPECT_THAT(accounts_->UpdateAccount(service().Context(Caller::kSystem).get(),
                                       update, &updated),
              IsInvalidField("update_mask.paths[0]"));

  EXPECT_THAT(GetOrganization(session.access_token(), kOrganization),
              GrpcIsOk());
  EXPECT_THAT(GetOrganization(session.access_token(), kOtherOrganization),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  plan::v1::Session refreshed;
  ASSERT_THAT(Refresh(session.session_token(), &refreshed), GrpcIsOk());
  EXPECT_THAT(GetOrganization(refreshed.access_token(), kOrganization),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(GetOrganization(refreshed.access_token(), kOtherOrganization),
              GrpcIsOk());
}

TEST_P(AccountServiceTest, HousekeepingDropsOldSessionsAndFailures) {
  if (!Started()) return;
  const plan::v1::Session session =
      ReadyAccount("somchai.j", {common::v1::OPERATOR});
  EXPECT_THAT(SignIn("somchai.j", "not the password").status,
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  absl::StatusOr<std::unique_ptr<storage::Connection>> db =
      storage::Connect(service().db_url());
  ASSERT_TRUE(db.ok()) << db.status();
  auto count = [&](absl::string_view table) -> int64_t {
    absl::StatusOr<storage::Result> result =
        (*db)->Execute(absl::StrCat("SELECT COUNT(*) FROM ", table));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->rows.at(0).GetInt(0) : -1;
  };
  ASSERT_EQ(count("account_sessions"), 2);
  ASSERT_EQ(count("sign_in_failures"), 2);  // the login and the client
  clock_.Advance(absl::Hours(24 * 8));
  ASSERT_TRUE(service().host().CheckHealthNow());
  EXPECT_EQ(count("account_sessions"), 0);
  EXPECT_EQ(count("sign_in_failures"), 0);
  EXPECT_THAT(Refresh(session.session_token()),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountServiceTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace prongsai::testing
