#include "tools/cli/account_commands.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/auth/key_ring.h"
#include "common/auth/session_token.h"
#include "common/base/private_file.h"
#include "prongsai/plan/v1/accounts.grpc.pb.h"
#include "tools/cli/table.h"

namespace prongsai::cli {
namespace {

namespace cv1 = ::prongsai::common::v1;
namespace pv1 = ::prongsai::plan::v1;

using AccountClient = Client<pv1::AccountService>;
using Stub = AccountClient::Stub;

std::string RolesOf(const pv1::Account& account) {
  std::vector<std::string> names;
  for (int role : account.roles()) {
    names.push_back(cv1::Role_Name(static_cast<cv1::Role>(role)));
  }
  return absl::StrJoin(names, ",");
}

std::string OrganizationsOf(const pv1::Account& account) {
  return account.all_organizations()
             ? "*"
             : absl::StrJoin(account.organizations(), ",");
}

// The account, and its one-time password (the only time it is shown) when
// the response has one.
void PrintAccount(const pv1::Account& account) {
  Fields fields = {
      {"name", account.name()},
      {"display name", account.display_name()},
      {"roles", RolesOf(account)},
      {"organizations", OrganizationsOf(account)},
      {"disabled", account.disabled() ? "yes" : "no"},
      {"totp", account.totp_enabled() ? "on" : "off"},
      {"must change password", account.password_must_change() ? "yes" : "no"}};
  if (!account.initial_password().empty()) {
    fields.emplace_back("one-time password", account.initial_password());
  }
  PrintFields(fields);
}

void PrintAccounts(const pv1::ListAccountsResponse& list) {
  Table table({"LOGIN", "ROLES", "ORGANIZATIONS", "DISABLED", "NAME"});
  for (const pv1::Account& account : list.accounts()) {
    table.AddRow({account.name().substr(sizeof("accounts/") - 1),
                  RolesOf(account), OrganizationsOf(account),
                  account.disabled() ? "yes" : "no", account.display_name()});
  }
  std::cout << table.Render();
  PrintNextPage(list.next_page_token());
}

}  // namespace

int AccountsAdd(const CliOptions& options, const Args& args) {
  AccountClient client(options, kPlanPort);
  const std::string login =
      Argument(args,
               "accounts add LOGIN --display_name NAME --roles ROLE[,ROLE] "
               "--organizations *|CODE,...");
  pv1::CreateAccountRequest request;
  request.set_account_id(login);
  request.set_request_id(options.request_id);
  pv1::Account* account = request.mutable_account();
  account->set_display_name(Require(options.display_name, "display_name"));
  absl::StatusOr<std::vector<auth::Role>> roles =
      auth::ParseRoles(Require(options.roles, "roles"));
  if (!roles.ok()) UsageError(std::string(roles.status().message()));
  for (auth::Role role : *roles) account->add_roles(role);
  const std::string organizations =
      Require(options.organizations, "organizations");
  if (organizations == "*") {
    account->set_all_organizations(true);
  } else {
    for (absl::string_view code :
         absl::StrSplit(organizations, ',', absl::SkipWhitespace())) {
      account->add_organizations(std::string(code));
    }
  }
  return client.CallAndPrint(&Stub::CreateAccount, request, PrintAccount);
}

int AccountsList(const CliOptions& options, const Args& /*args*/) {
  AccountClient client(options, kPlanPort);
  pv1::ListAccountsRequest request;
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  return client.CallAndPrint(&Stub::ListAccounts, request, PrintAccounts);
}

int AccountsResetPassword(const CliOptions& options, const Args& args) {
  AccountClient client(options, kPlanPort);
  pv1::ResetPasswordRequest request;
  request.set_name(absl::StrCat(
      "accounts/", Argument(args, "accounts reset-password LOGIN")));
  return client.CallAndPrint(&Stub::ResetPassword, request, PrintAccount);
}

int SessionsKeygen(const CliOptions& options, const Args& /*args*/) {
  const std::string signing =
      Require(options.signing_key_file, "signing_key_file");
  const std::string verify =
      Require(options.verify_keys_file, "verify_keys_file");
  if (std::filesystem::exists(signing)) {
    return Fail(absl::AlreadyExistsError(
        absl::StrCat(signing, " exists; keep it, or move it away to rotate")));
  }
  std::string text;
  if (absl::Status created = CreatePrivateFileIfMissing(
          signing,
          [&] {
            text = auth::SessionSigner::GenerateFileText();
            return text;
          },
          "session signing key file");
      !created.ok()) {
    return Fail(created);
  }
  absl::StatusOr<auth::SessionSigner> signer = auth::SessionSigner::Parse(text);
  if (!signer.ok()) return Fail(signer.status());
  // Public keys: readable by the services' users, written by us only.
  const mode_t previous = umask(022);
  std::ofstream out(verify, std::ios::app);
  umask(previous);
  out << signer->VerifyKeyLine() << "\n";
  if (!out) return Fail(absl::UnavailableError("cannot write " + verify));
  std::cout << "key " << signer->key_id() << ": signing key in " << signing
            << ", public key appended to " << verify << "\n";
  return 0;
}

}  // namespace prongsai::cli
