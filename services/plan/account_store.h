// The SQL side of accounts, sessions and sign-in failures (in the plan
// service's database, migration 3). Secrets are stored only as what is
// needed to check them: the password as an Argon2id hash, a session token
// as its SHA-256.
#ifndef PRONGSAI_SERVICES_PLAN_ACCOUNT_STORE_H_
#define PRONGSAI_SERVICES_PLAN_ACCOUNT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/fields.h"
#include "common/api/resource_table.h"
#include "common/base/resource_name.h"
#include "common/storage/storage.h"
#include "google/protobuf/field_mask.pb.h"
#include "prongsai/plan/v1/accounts.pb.h"
#include "services/plan/account_domain.h"

namespace prongsai::plan {

// The accounts, sessions and sign-in failure tables.
extern const storage::Migration kAccountsMigration;

// An account with what only the server sees.
struct AccountRecord {
  v1::Account account;  // without initial_password
  std::string password_hash;
  // Base32; empty when none. `totp_secret` is the enabled one.
  std::string totp_secret;
  std::string totp_pending_secret;
  int64_t totp_last_step = 0;
  int64_t version = 0;
};

// Creates the account; when `request_id` was used before for the same
// login, returns that account with `repeated` set instead (nothing
// changes), and for another login INVALID_ARGUMENT `request_id`.
// ALREADY_EXISTS when the login is taken.
struct CreatedAccount {
  AccountRecord record;
  bool repeated = false;
};
absl::StatusOr<CreatedAccount> CreateAccount(storage::Connection& db,
                                             absl::string_view login,
                                             const v1::Account& account,
                                             absl::string_view password_hash,
                                             absl::string_view request_id,
                                             const api::AuditWriter& writer);

// NOT_FOUND when there is no such account.
absl::StatusOr<AccountRecord> GetAccountRecord(storage::Connection& db,
                                               absl::string_view login);

absl::StatusOr<api::Page<v1::Account>> ListAccounts(storage::Connection& db,
                                                    const PageRequest& page);

// Applies `mask` to the account (validated by `validate` after), checking
// `patch.etag()`. Disabling ends the account's sessions.
absl::StatusOr<v1::Account> UpdateAccount(
    storage::Connection& db, absl::string_view login, const v1::Account& patch,
    const google::protobuf::FieldMask& mask,
    absl::FunctionRef<absl::Status(const v1::Account&)> validate,
    const api::AuditWriter& writer);

// Stores a new password hash and whether it must be changed.
absl::Status SetPassword(storage::Connection& db, absl::string_view login,
                         absl::string_view password_hash, bool must_change,
                         const api::AuditWriter& writer);

// Stores the TOTP state: the enabled secret ("" = off), the pending one and
// the last accepted step.
absl::Status SetTotp(storage::Connection& db, absl::string_view login,
                     absl::string_view secret, absl::string_view pending,
                     int64_t last_step, const api::AuditWriter& writer);
// Records `step` as used when it is later than the one stored; false when
// another call used it (or a later one) first.
absl::StatusOr<bool> UseTotpStep(storage::Connection& db,
                                 absl::string_view login, int64_t step);

// ---------------------------------------------------------------- sessions

struct SessionRecord {
  std::string id;
  std::string login;
  std::string client;
  absl::Time create_time;
  absl::Time last_refresh_time;
  absl::Time expire_time;
  std::optional<absl::Time> end_time;
};

inline constexpr absl::Duration kSessionLifetime = absl::Hours(12);
inline constexpr absl::Duration kSessionIdleTimeout = absl::Minutes(30);

// Whether the session is still open at `now`.
bool IsOpen(const SessionRecord& session, absl::Time now);

absl::Status CreateSession(storage::Connection& db,
                           const SessionRecord& session,
                           absl::string_view token_hash);
// NOT_FOUND when no session has this token hash.
absl::StatusOr<SessionRecord> FindSessionByToken(storage::Connection& db,
                                                 absl::string_view token_hash);
absl::StatusOr<SessionRecord> GetSession(storage::Connection& db,
                                         absl::string_view login,
                                         absl::string_view id);
// Sets the last refresh to `now` when the session is still open then;
// false when it is not.
absl::StatusOr<bool> TouchSession(storage::Connection& db, absl::string_view id,
                                  absl::Time now);
absl::Status EndSession(storage::Connection& db, absl::string_view id,
                        absl::Time now);
// Ends every open session of `login` but `except_id` (may be empty).
absl::Status EndSessionsOf(storage::Connection& db, absl::string_view login,
                           absl::string_view except_id, absl::Time now);
// The sessions of `login` open at `now`, newest first.
absl::StatusOr<api::Page<SessionRecord>> ListOpenSessions(
    storage::Connection& db, absl::string_view login, absl::Time now,
    const PageRequest& page);

// Deletes what no rule needs any more at `now`: sessions that ended (or
// expired) over a week ago, and failure records whose lock is over and whose
// last failure is a day old.
inline constexpr absl::Duration kEndedSessionRetention = absl::Hours(24 * 7);
absl::Status PruneAccountState(storage::Connection& db, absl::Time now);

// --------------------------------------------------------------- failures

// The record of `subject` ("login:somchai", "client:192.0.2.1"); an empty
// record when there is none.
absl::StatusOr<FailureRecord> GetFailures(storage::Connection& db,
                                          absl::string_view subject);
absl::Status ClearFailures(storage::Connection& db, absl::string_view subject);

// Counts a failure of `subject` at `now` (AfterFailure) *before* its
// password is checked, and returns zero; or, while it is locked, counts
// nothing and returns how long the lock lasts. Each claim is a
// compare-and-set on the record, so concurrent sign-ins, on any replica and
// any number of writer connections, are counted one by one: no more
// passwords are checked than the lockout admits, however many arrive at
// once. A right password then clears the record (ClearFailures). ABORTED
// when the record kept changing under 100 tries.
absl::StatusOr<absl::Duration> ClaimSignInAttempt(storage::Connection& db,
                                                  absl::string_view subject,
                                                  absl::Time now);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_ACCOUNT_STORE_H_
