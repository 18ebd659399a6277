#include "services/plan/account_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/fields.h"
#include "common/base/random_text.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/server/list_scope.h"
#include "common/server/method_list.h"
#include "common/thai/thai.h"
#include "prongsai/plan/v1/accounts.grpc.pb.h"
#include "services/plan/account_domain.h"
#include "services/plan/account_store.h"
#include "services/plan/plan_store.h"

namespace prongsai::plan {
namespace {

using server::CallContext;
using storage::Connection;

constexpr absl::string_view kWrongLogin = "login or password is wrong";
constexpr absl::string_view kSessionTokenPrefix = "pst_";
// UTF-8 takes at most four bytes a character: longer input is wrong unread.
constexpr size_t kMaxPasswordBytes = size_t{kMaxPasswordLength} * 4;

// The UNAUTHENTICATED answer to an unknown login, a wrong password and a
// disabled account alike.
absl::Status WrongLogin() { return absl::UnauthenticatedError(kWrongLogin); }

absl::Status SessionInvalid() {
  return absl::UnauthenticatedError("the session is not valid; sign in again");
}

bool IsSystem(const CallContext& call) {
  return call.principal.HasRole(common::v1::SYSTEM);
}

bool IsSelf(const CallContext& call, absl::string_view login) {
  return call.principal.is_session() && call.principal.name() == login;
}

absl::Status Denied(const CallContext& call, absl::string_view login) {
  return absl::PermissionDeniedError(absl::StrCat(
      "principal ", call.principal.name(), " may not act on account ", login));
}

// OK for the account's own person, and for SYSTEM when `system_may` (but
// not a SYSTEM person still on a one-time password: the methods open to
// them are for their own account only).
absl::Status CheckSelf(const CallContext& call, absl::string_view login,
                       bool system_may) {
  if (IsSelf(call, login) || (system_may && IsSystem(call) &&
                              !call.principal.password_must_change())) {
    return absl::OkStatus();
  }
  return Denied(call, login);
}

// The login of `name` (`accounts/{login}`, field "name") once CheckSelf
// admits the caller for it.
absl::StatusOr<std::string> SelfLogin(const CallContext& call,
                                      absl::string_view name, bool system_may) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string login, ParseAccountName("name", name));
  PRONGSAI_RETURN_IF_ERROR(CheckSelf(call, login, system_may));
  return login;
}

// Every organization of `account` is registered.
absl::Status CheckOrganizationsRegistered(Connection& db,
                                          const v1::Account& account,
                                          absl::string_view field_path) {
  for (int i = 0; i < account.organizations_size(); ++i) {
    absl::StatusOr<v1::Organization> found =
        GetOrganization(db, account.organizations(i));
    if (absl::IsNotFound(found.status())) {
      return absl::FailedPreconditionError(absl::StrCat(
          IndexedPath(FieldPath(field_path, "organizations"), i),
          ": organization ", account.organizations(i), " is not registered"));
    }
    PRONGSAI_RETURN_IF_ERROR(found.status());
  }
  return absl::OkStatus();
}

std::string LoginSubject(absl::string_view login) {
  return absl::StrCat("login:", login);
}
std::string ClientSubject(absl::string_view client) {
  return absl::StrCat("client:", client);
}

absl::Status LockedOut(absl::Duration remaining) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "too many failed sign-ins; retry in ",
      absl::ToInt64Seconds(absl::Ceil(remaining, absl::Seconds(1))),
      " seconds"));
}

void FillSession(const SessionRecord& record, bool must_change,
                 v1::Session& session) {
  session.set_name(FormatSessionName(record.login, record.id));
  *session.mutable_expire_time() = api::ToProtoTime(record.expire_time);
  *session.mutable_idle_expire_time() = api::ToProtoTime(std::min(
      record.expire_time, record.last_refresh_time + kSessionIdleTimeout));
  *session.mutable_create_time() = api::ToProtoTime(record.create_time);
  *session.mutable_last_refresh_time() =
      api::ToProtoTime(record.last_refresh_time);
  session.set_client(record.client);
  session.set_password_must_change(must_change);
}

using GrpcService = v1::AccountService;
#define PRONGSAI_ACCOUNT_METHODS(UNARY, STREAM)                  \
  UNARY(CreateAccount, CreateAccountRequest, Account)            \
  UNARY(GetAccount, GetAccountRequest, Account)                  \
  UNARY(ListAccounts, ListAccountsRequest, ListAccountsResponse) \
  UNARY(UpdateAccount, UpdateAccountRequest, Account)            \
  UNARY(ResetPassword, ResetPasswordRequest, Account)            \
  UNARY(ChangePassword, ChangePasswordRequest, Account)          \
  UNARY(EnrollTotp, EnrollTotpRequest, TotpEnrollment)           \
  UNARY(ConfirmTotp, ConfirmTotpRequest, Account)                \
  UNARY(DisableTotp, DisableTotpRequest, Account)                \
  UNARY(SignIn, SignInRequest, Session)                          \
  UNARY(RefreshSession, RefreshSessionRequest, Session)          \
  UNARY(EndSession, EndSessionRequest, EndSessionResponse)       \
  UNARY(ListSessions, ListSessionsRequest, ListSessionsResponse)

#define PRONGSAI_ACCOUNT_DO(method, Request, Response)                   \
  absl::Status Do##method(CallContext& call, const v1::Request& request, \
                          v1::Response& response);

using AccountRawService =
    server::RawCallbackService<GrpcService::Service PRONGSAI_ACCOUNT_METHODS(
        PRONGSAI_RAW_METHOD, PRONGSAI_RAW_METHOD)>;

class AccountGrpcService final : public AccountRawService {
 public:
  AccountGrpcService(server::ServiceRuntime& runtime, AccountOptions options)
      : runtime_(runtime), options_(std::move(options)) {
    // Made now, so that the first unknown login does not take a hash longer
    // than the others.
    DummyPasswordHash();
  }

  PRONGSAI_ACCOUNT_METHODS(PRONGSAI_UNARY_OVERRIDE, PRONGSAI_STREAM_OVERRIDE)

 private:
  PRONGSAI_ACCOUNT_METHODS(PRONGSAI_ACCOUNT_DO, PRONGSAI_ACCOUNT_DO)

  absl::Status RequireSigner() const {
    if (options_.signer == nullptr) {
      return absl::FailedPreconditionError(
          "this server has no session signing key; sign-in is off");
    }
    return absl::OkStatus();
  }

  // A new access token for the session, with the account as it is now.
  void IssueAccessToken(const CallContext& call, const AccountRecord& record,
                        absl::string_view session_id,
                        v1::Session& session) const {
    auth::AccessClaims claims;
    claims.session_id = std::string(session_id);
    claims.login =
        std::string(record.account.name().substr(sizeof("accounts/") - 1));
    for (int role : record.account.roles()) {
      claims.roles.push_back(static_cast<common::v1::Role>(role));
    }
    claims.organizations.assign(record.account.organizations().begin(),
                                record.account.organizations().end());
    claims.all_organizations = record.account.all_organizations();
    claims.password_must_change = record.account.password_must_change();
    claims.issue_time = call.now;
    claims.expire_time = call.now + auth::kAccessTokenLifetime;
    session.set_access_token(options_.signer->Issue(claims));
    *session.mutable_access_expire_time() =
        api::ToProtoTime(claims.expire_time);
  }

  // A new one-time password for the account; ends its sessions.
  absl::StatusOr<std::string> NewOneTimePassword(CallContext& call,
                                                 Connection& db,
                                                 absl::string_view login) {
    std::string password = GenerateOneTimePassword();
    PRONGSAI_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
    PRONGSAI_RETURN_IF_ERROR(
        storage::InTransaction(db, [&](Connection& tx) -> absl::Status {
          PRONGSAI_RETURN_IF_ERROR(SetPassword(
              tx, login, hash, /*must_change=*/true, call.writer()));
          return EndSessionsOf(tx, login, "", call.now);
        }));
    return password;
  }

  // One more failure of the client (the login's was counted by
  // ClaimAttempt). Nothing more is counted while it is locked already.
  static absl::Status RecordClientFailure(Connection& db, absl::Time now,
                                          absl::string_view client_subject) {
    return ClaimSignInAttempt(db, client_subject, now).status();
  }

  // RESOURCE_EXHAUSTED while the client or the login is locked out.
  // Otherwise the login's attempt is counted as a failure before its
  // password is checked (ClaimSignInAttempt), so that sign-ins started at
  // once cannot each get a check before any failure is written; a right
  // password clears the count again, a wrong one adds the client's
  // (RecordClientFailure).
  static absl::Status ClaimAttempt(Connection& db, absl::Time now,
                                   absl::string_view login_subject,
                                   absl::string_view client_subject) {
    PRONGSAI_ASSIGN_OR_RETURN(FailureRecord client,
                              GetFailures(db, client_subject));
    if (absl::Duration remaining = LockoutRemaining(client, now);
        remaining > absl::ZeroDuration()) {
      return LockedOut(remaining);
    }
    PRONGSAI_ASSIGN_OR_RETURN(absl::Duration remaining,
                              ClaimSignInAttempt(db, login_subject, now));
    if (remaining > absl::ZeroDuration()) return LockedOut(remaining);
    return absl::OkStatus();
  }

  // The signed-in person's password, proved again (ChangePassword,
  // DisableTotp). A wrong one counts as a sign-in failure, so that a stolen
  // access token guesses no faster than SignIn allows.
  absl::Status CheckPassword(CallContext& call, Connection& db,
                             absl::string_view login,
                             const AccountRecord& record,
                             absl::string_view password,
                             absl::string_view field) {
    const std::string login_subject = LoginSubject(login);
    const std::string client_subject = ClientSubject(call.client_address);
    PRONGSAI_RETURN_IF_ERROR(
        ClaimAttempt(db, call.now, login_subject, client_subject));
    if (password.size() > kMaxPasswordBytes ||
        !VerifyPassword(record.password_hash, password)) {
      PRONGSAI_RETURN_IF_ERROR(
          RecordClientFailure(db, call.now, client_subject));
      return absl::UnauthenticatedError(absl::StrCat(field, ": is wrong"));
    }
    return ClearFailures(db, login_subject);
  }

  server::ServiceRuntime& runtime_;
  const AccountOptions options_;
};

absl::Status AccountGrpcService::DoCreateAccount(
    CallContext& call, const v1::CreateAccountRequest& request,
    v1::Account& response) {
  PRONGSAI_RETURN_IF_ERROR(ValidateLogin("account_id", request.account_id()));
  PRONGSAI_RETURN_IF_ERROR(ValidateAccountFields("account", request.account()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateRequestId("request_id", request.request_id()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_RETURN_IF_ERROR(
      CheckOrganizationsRegistered(*db, request.account(), "account"));
  std::string password = GenerateOneTimePassword();
  PRONGSAI_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  PRONGSAI_ASSIGN_OR_RETURN(
      CreatedAccount created,
      plan::CreateAccount(*db, request.account_id(), request.account(), hash,
                          request.request_id(), call.writer()));
  if (created.repeated) {
    if (!created.record.account.password_must_change()) {
      response = std::move(created.record.account);
      return absl::OkStatus();
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        password, NewOneTimePassword(call, *db, request.account_id()));
    PRONGSAI_ASSIGN_OR_RETURN(created.record,
                              GetAccountRecord(*db, request.account_id()));
  }
  response = std::move(created.record.account);
  response.set_initial_password(password);
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoGetAccount(
    CallContext& call, const v1::GetAccountRequest& request,
    v1::Account& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string login, SelfLogin(call, request.name(), /*system_may=*/true));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(AccountRecord record, GetAccountRecord(*db, login));
  response = std::move(record.account);
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoListAccounts(
    CallContext& call, const v1::ListAccountsRequest& request,
    v1::ListAccountsResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      PageRequest page,
      ParsePageRequest(request.page_size(), request.page_token(), "accounts"));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(api::Page<v1::Account> found,
                            plan::ListAccounts(*db, page));
  server::FinishPage(found.items, found.next_cursor, "accounts",
                     response.mutable_accounts(), response);
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoUpdateAccount(
    CallContext& call, const v1::UpdateAccountRequest& request,
    v1::Account& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string login,
      ParseAccountName("account.name", request.account().name()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(
      response,
      plan::UpdateAccount(
          *db, login, request.account(), request.update_mask(),
          [&](const v1::Account& updated) -> absl::Status {
            PRONGSAI_RETURN_IF_ERROR(ValidateAccountFields("account", updated));
            return CheckOrganizationsRegistered(*db, updated, "account");
          },
          call.writer()));
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoResetPassword(
    CallContext& call, const v1::ResetPasswordRequest& request,
    v1::Account& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string login,
                            ParseAccountName("name", request.name()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_RETURN_IF_ERROR(GetAccountRecord(*db, login).status());
  PRONGSAI_ASSIGN_OR_RETURN(std::string password,
                            NewOneTimePassword(call, *db, login));
  PRONGSAI_ASSIGN_OR_RETURN(AccountRecord record, GetAccountRecord(*db, login));
  response = std::move(record.account);
  response.set_initial_password(password);
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoChangePassword(
    CallContext& call, const v1::ChangePasswordRequest& request,
    v1::Account& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string login, SelfLogin(call, request.name(), /*system_may=*/false));
  PRONGSAI_RETURN_IF_ERROR(
      ValidatePassword("new_password", login, request.new_password()));
  if (request.new_password() == request.current_password()) {
    return InvalidField("new_password", "must differ from the current one");
  }
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(AccountRecord record, GetAccountRecord(*db, login));
  PRONGSAI_RETURN_IF_ERROR(CheckPassword(call, *db, login, record,
                                         request.current_password(),
                                         "current_password"));
  PRONGSAI_ASSIGN_OR_RETURN(std::string hash,
                            HashPassword(request.new_password()));
  PRONGSAI_RETURN_IF_ERROR(
      storage::InTransaction(*db, [&](Connection& tx) -> absl::Status {
        PRONGSAI_RETURN_IF_ERROR(
            SetPassword(tx, login, hash, /*must_change=*/false, call.writer()));
        return EndSessionsOf(tx, login, call.principal.session_id(), call.now);
      }));
  PRONGSAI_ASSIGN_OR_RETURN(record, GetAccountRecord(*db, login));
  response = std::move(record.account);
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoEnrollTotp(
    CallContext& call, const v1::EnrollTotpRequest& request,
    v1::TotpEnrollment& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string login, SelfLogin(call, request.name(), /*system_may=*/false));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(AccountRecord record, GetAccountRecord(*db, login));
  if (!record.totp_secret.empty()) {
    return absl::FailedPreconditionError(
        "TOTP is enabled already; disable it first to enroll a new app");
  }
  const std::string secret = GenerateTotpSecret();
  PRONGSAI_RETURN_IF_ERROR(
      SetTotp(*db, login, "", secret, record.totp_last_step, call.writer()));
  response.set_secret(secret);
  response.set_uri(TotpUri(login, secret));
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoConfirmTotp(
    CallContext& call, const v1::ConfirmTotpRequest& request,
    v1::Account& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string login, SelfLogin(call, request.name(), /*system_may=*/false));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(AccountRecord record, GetAccountRecord(*db, login));
  if (record.totp_pending_secret.empty()) {
    return absl::FailedPreconditionError(
        "no TOTP enrollment is pending; call EnrollTotp first");
  }
  const std::optional<std::string> secret =
      Base32Decode(record.totp_pending_secret);
  const std::optional<int64_t> step =
      secret.has_value()
          ? AcceptTotp(*secret, thai::ThaiDigitsToAscii(request.code()),
                       call.now, record.totp_last_step)
          : std::nullopt;
  if (!step.has_value()) {
    return InvalidField("code", "is not a current code of the new secret");
  }
  PRONGSAI_RETURN_IF_ERROR(SetTotp(*db, login, record.totp_pending_secret, "",
                                   *step, call.writer()));
  PRONGSAI_ASSIGN_OR_RETURN(record, GetAccountRecord(*db, login));
  response = std::move(record.account);
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoDisableTotp(
    CallContext& call, const v1::DisableTotpRequest& request,
    v1::Account& response) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string login, SelfLogin(call, request.name(), /*system_may=*/true));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(AccountRecord record, GetAccountRecord(*db, login));
  // A person turning off their own second factor proves the first again;
  // SYSTEM (an administrator, for a lost phone) does not need it.
  if (!IsSystem(call)) {
    PRONGSAI_RETURN_IF_ERROR(CheckPassword(call, *db, login, record,
                                           request.password(), "password"));
  }
  PRONGSAI_RETURN_IF_ERROR(
      SetTotp(*db, login, "", "", record.totp_last_step, call.writer()));
  PRONGSAI_ASSIGN_OR_RETURN(record, GetAccountRecord(*db, login));
  response = std::move(record.account);
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoSignIn(CallContext& call,
                                          const v1::SignInRequest& request,
                                          v1::Session& response) {
  PRONGSAI_RETURN_IF_ERROR(RequireSigner());
  if (request.password().empty()) {
    return InvalidField("password", "is required");
  }
  if (request.password().size() > kMaxPasswordBytes) return WrongLogin();
  const std::string& login = request.login();
  const bool login_valid = ValidateLogin("login", login).ok();
  const std::string login_subject =
      LoginSubject(login_valid ? login : "(invalid)");
  const std::string client_subject = ClientSubject(call.client_address);
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  // Locked: refused before the password is looked at. Not locked: this
  // attempt counts as a failure until the password proves right.
  PRONGSAI_RETURN_IF_ERROR(
      ClaimAttempt(*db, call.now, login_subject, client_subject));
  absl::StatusOr<AccountRecord> found =
      login_valid ? GetAccountRecord(*db, login)
                  : absl::NotFoundError("no such account");
  if (!found.ok() && !absl::IsNotFound(found.status())) return found.status();
  // An unknown login costs the same hash as a known one.
  const bool password_right =
      VerifyPassword(found.ok() ? found->password_hash : DummyPasswordHash(),
                     request.password());
  if (!found.ok() || !password_right || found->account.disabled()) {
    PRONGSAI_RETURN_IF_ERROR(
        RecordClientFailure(*db, call.now, client_subject));
    return WrongLogin();
  }
  AccountRecord& record = *found;
  if (!record.totp_secret.empty()) {
    if (request.totp_code().empty()) {
      absl::Status status = absl::FailedPreconditionError(
          "totp_code: this account needs the code of its authenticator app");
      status.SetPayload(kFieldPathPayload, absl::Cord("totp_code"));
      return status;
    }
    const std::optional<std::string> secret = Base32Decode(record.totp_secret);
    const std::optional<int64_t> step =
        secret.has_value()
            ? AcceptTotp(*secret, thai::ThaiDigitsToAscii(request.totp_code()),
                         call.now, record.totp_last_step)
            : std::nullopt;
    bool used = false;
    if (step.has_value()) {
      PRONGSAI_ASSIGN_OR_RETURN(used, UseTotpStep(*db, login, *step));
    }
    if (!used) {
      PRONGSAI_RETURN_IF_ERROR(
          RecordClientFailure(*db, call.now, client_subject));
      return absl::UnauthenticatedError(
          "totp_code: is wrong or was used already");
    }
  }
  PRONGSAI_RETURN_IF_ERROR(ClearFailures(*db, login_subject));
  if (PasswordNeedsRehash(record.password_hash)) {
    PRONGSAI_ASSIGN_OR_RETURN(std::string hash,
                              HashPassword(request.password()));
    PRONGSAI_RETURN_IF_ERROR(SetPassword(*db, login, hash,
                                         record.account.password_must_change(),
                                         {login, call.now}));
  }
  SessionRecord session;
  session.id = NewResourceId();
  session.login = login;
  session.client = call.client_address;
  session.create_time = call.now;
  session.last_refresh_time = call.now;
  session.expire_time = call.now + kSessionLifetime;
  const std::string session_token =
      absl::StrCat(kSessionTokenPrefix, RandomBase32(52, kLowerBase32));
  PRONGSAI_RETURN_IF_ERROR(
      CreateSession(*db, session, auth::HashKey(session_token)));
  FillSession(session, record.account.password_must_change(), response);
  response.set_session_token(session_token);
  IssueAccessToken(call, record, session.id, response);
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoRefreshSession(
    CallContext& call, const v1::RefreshSessionRequest& request,
    v1::Session& response) {
  PRONGSAI_RETURN_IF_ERROR(RequireSigner());
  if (request.session_token().empty()) {
    return InvalidField("session_token", "is required");
  }
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  absl::StatusOr<SessionRecord> session =
      FindSessionByToken(*db, auth::HashKey(request.session_token()));
  if (absl::IsNotFound(session.status())) return SessionInvalid();
  PRONGSAI_RETURN_IF_ERROR(session.status());
  if (!IsOpen(*session, call.now)) {
    return absl::UnauthenticatedError("the session ended; sign in again");
  }
  PRONGSAI_ASSIGN_OR_RETURN(AccountRecord record,
                            GetAccountRecord(*db, session->login));
  if (record.account.disabled()) {
    PRONGSAI_RETURN_IF_ERROR(plan::EndSession(*db, session->id, call.now));
    return absl::UnauthenticatedError("the session ended; sign in again");
  }
  PRONGSAI_ASSIGN_OR_RETURN(bool touched,
                            TouchSession(*db, session->id, call.now));
  if (!touched) {
    return absl::UnauthenticatedError("the session ended; sign in again");
  }
  session->last_refresh_time = call.now;
  FillSession(*session, record.account.password_must_change(), response);
  IssueAccessToken(call, record, session->id, response);
  return absl::OkStatus();
}

absl::Status AccountGrpcService::DoEndSession(
    CallContext& call, const v1::EndSessionRequest& request,
    v1::EndSessionResponse& /*response*/) {
  if (request.session_token().empty() == request.name().empty()) {
    return InvalidField("session_token",
                        "give either session_token or name, not both");
  }
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  if (!request.session_token().empty()) {
    absl::StatusOr<SessionRecord> session =
        FindSessionByToken(*db, auth::HashKey(request.session_token()));
    if (absl::IsNotFound(session.status())) return SessionInvalid();
    PRONGSAI_RETURN_IF_ERROR(session.status());
    return plan::EndSession(*db, session->id, call.now);
  }
  PRONGSAI_ASSIGN_OR_RETURN(SessionName name,
                            ParseSessionName("name", request.name()));
  if (call.principal.is_public()) {
    return absl::UnauthenticatedError(
        "ending a session by name needs an access token or API key");
  }
  PRONGSAI_RETURN_IF_ERROR(CheckSelf(call, name.login, /*system_may=*/true));
  PRONGSAI_ASSIGN_OR_RETURN(SessionRecord session,
                            GetSession(*db, name.login, name.id));
  return plan::EndSession(*db, session.id, call.now);
}

absl::Status AccountGrpcService::DoListSessions(
    CallContext& call, const v1::ListSessionsRequest& request,
    v1::ListSessionsResponse& response) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string login,
                            ParseAccountName("parent", request.parent()));
  PRONGSAI_RETURN_IF_ERROR(CheckSelf(call, login, /*system_may=*/true));
  PRONGSAI_ASSIGN_OR_RETURN(
      PageRequest page,
      ParsePageRequest(request.page_size(), request.page_token(),
                       request.parent()));
  PRONGSAI_ASSIGN_OR_RETURN(Connection * db, call.worker.Db());
  PRONGSAI_ASSIGN_OR_RETURN(AccountRecord record, GetAccountRecord(*db, login));
  PRONGSAI_ASSIGN_OR_RETURN(api::Page<SessionRecord> found,
                            ListOpenSessions(*db, login, call.now, page));
  for (const SessionRecord& session : found.items) {
    FillSession(session, record.account.password_must_change(),
                *response.add_sessions());
  }
  if (!found.next_cursor.empty()) {
    response.set_next_page_token(
        MakePageToken(request.parent(), found.next_cursor));
  }
  return absl::OkStatus();
}

#undef PRONGSAI_ACCOUNT_METHODS
#undef PRONGSAI_ACCOUNT_DO

}  // namespace

server::AdditionalService AccountServiceDefinition(AccountOptions options) {
  return {std::string(v1::AccountService::service_full_name()),
          [options = std::move(options)](server::ServiceRuntime& runtime) {
            return std::make_unique<AccountGrpcService>(runtime, options);
          }};
}

}  // namespace prongsai::plan
