// The rules of human accounts, without I/O: logins, the password policy and
// hashing (Argon2id), one-time passwords, the schedule that slows down
// repeated sign-in failures, and TOTP (RFC 6238).
//
//   PRONGSAI_RETURN_IF_ERROR(ValidatePassword("new_password", login, text));
//   PRONGSAI_ASSIGN_OR_RETURN(std::string hash, HashPassword(text));
//   if (VerifyPassword(hash, text)) ...
#ifndef PRONGSAI_SERVICES_PLAN_ACCOUNT_DOMAIN_H_
#define PRONGSAI_SERVICES_PLAN_ACCOUNT_DOMAIN_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "prongsai/plan/v1/accounts.pb.h"

namespace prongsai::plan {

// ------------------------------------------------------------------ names

// A login: 3-64 characters of a-z, 0-9, '.', '_', '-'.
absl::Status ValidateLogin(absl::string_view field_path,
                           absl::string_view login);
// "accounts/somchai" -> "somchai".
absl::StatusOr<std::string> ParseAccountName(absl::string_view field_path,
                                             absl::string_view name);
std::string AccountName(absl::string_view login);
struct SessionName {
  std::string login;
  std::string id;
};
absl::StatusOr<SessionName> ParseSessionName(absl::string_view field_path,
                                             absl::string_view name);
std::string FormatSessionName(absl::string_view login, absl::string_view id);

// display_name, roles (at least one, not PUBLIC, no repeats) and the
// organization scope (codes, or all_organizations, not both) of `account`
// under `field_path` ("account").
absl::Status ValidateAccountFields(absl::string_view field_path,
                                   const v1::Account& account);

// -------------------------------------------------------------- passwords

inline constexpr int kMinPasswordLength = 12;
// Longer inputs are refused before hashing: nobody types 1024 characters,
// and the bound keeps a request's cost known.
inline constexpr int kMaxPasswordLength = 1024;

// A new password: 12-1024 characters (code points) and not the login,
// whatever its case.
absl::Status ValidatePassword(absl::string_view field_path,
                              absl::string_view login,
                              absl::string_view password);

// An Argon2id hash string (libsodium crypto_pwhash_str, OPSLIMIT and
// MEMLIMIT _INTERACTIVE). RESOURCE_EXHAUSTED when memory for it is lacking.
absl::StatusOr<std::string> HashPassword(absl::string_view password);
// Whether `password` matches `hash`; false for a malformed hash.
bool VerifyPassword(absl::string_view hash, absl::string_view password);
// Whether `hash` was made with other parameters than HashPassword uses now.
bool PasswordNeedsRehash(absl::string_view hash);
// A hash of a random password, to verify against when the login is
// unknown, so that the answer takes as long as for a known one.
const std::string& DummyPasswordHash();

// A one-time password for a new or reset account: 16 characters of an
// alphabet without look-alikes (80 bits).
std::string GenerateOneTimePassword();

// ---------------------------------------------------------------- lockout

// What is remembered of recent sign-in failures of one login or one client.
struct FailureRecord {
  int64_t failures = 0;
  absl::Time last_failure = absl::InfinitePast();
  absl::Time locked_until = absl::InfinitePast();
};

inline constexpr int kFailuresBeforeLockout = 5;
inline constexpr absl::Duration kFailureWindow = absl::Minutes(15);
inline constexpr absl::Duration kFirstLockout = absl::Seconds(30);
inline constexpr absl::Duration kMaxLockout = absl::Minutes(15);

// How long sign-ins stay refused at `now`; zero when they are not.
absl::Duration LockoutRemaining(const FailureRecord& record, absl::Time now);

// The record after one more failure at `now`: failures more than
// kFailureWindow after the last one start a new count; from the 5th failure
// within the window on, each locks for 30 s, doubling with every further
// failure, at most 15 minutes.
FailureRecord AfterFailure(FailureRecord record, absl::Time now);

// ------------------------------------------------------------------ TOTP

inline constexpr absl::Duration kTotpStep = absl::Seconds(30);
inline constexpr int kTotpSecretBytes = 20;  // 160 bits, as RFC 4226 advises

// RFC 4648 base32 without padding, upper case: what authenticator apps take.
std::string Base32Encode(absl::string_view bytes);
// Case-insensitive, spaces and padding ignored; nullopt for other symbols.
std::optional<std::string> Base32Decode(absl::string_view text);

// A new random secret, in base32.
std::string GenerateTotpSecret();
// otpauth://totp/Prongsai:<login>?secret=...&issuer=Prongsai&...
std::string TotpUri(absl::string_view login, absl::string_view secret_base32);

// The time step of `time`: floor(unix seconds / 30).
int64_t TotpStepAt(absl::Time time);
// The code of `secret` (raw bytes) for `step`: HOTP (RFC 4226) with
// HMAC-SHA-1, `digits` long (6 for apps; the RFC 6238 vectors use 8).
std::string TotpCode(absl::string_view secret, int64_t step, int digits = 6);

// The step `code` belongs to when it is the code of the step at `now` or of
// the one before or after it (clocks drift), and that step is later than
// `last_used_step` (a code is good once). nullopt otherwise.
std::optional<int64_t> AcceptTotp(absl::string_view secret,
                                  absl::string_view code, absl::Time now,
                                  int64_t last_used_step);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_ACCOUNT_DOMAIN_H_
