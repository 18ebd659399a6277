#include "services/plan/account_store.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/row_fields.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "services/plan/plan_documents.h"
#include "services/plan/plan_domain.h"

namespace prongsai::plan {
namespace {

using storage::Connection;
using storage::Value;

constexpr absl::string_view kMigrationSql = R"sql(
CREATE TABLE accounts (
  login TEXT NOT NULL PRIMARY KEY,
  display_name TEXT NOT NULL,
  roles TEXT NOT NULL,
  organizations TEXT NOT NULL,
  all_organizations BIGINT NOT NULL,
  disabled BIGINT NOT NULL,
  password_hash TEXT NOT NULL,
  password_must_change BIGINT NOT NULL,
  totp_secret TEXT NOT NULL,
  totp_pending_secret TEXT NOT NULL,
  totp_last_step BIGINT NOT NULL,
  request_id TEXT UNIQUE,
  version BIGINT NOT NULL,
  create_time_us BIGINT NOT NULL,
  creator TEXT NOT NULL,
  update_time_us BIGINT NOT NULL,
  updater TEXT NOT NULL
);
CREATE TABLE account_sessions (
  id TEXT NOT NULL PRIMARY KEY,
  login TEXT NOT NULL REFERENCES accounts (login),
  token_hash TEXT NOT NULL UNIQUE,
  client TEXT NOT NULL,
  create_time_us BIGINT NOT NULL,
  last_refresh_time_us BIGINT NOT NULL,
  expire_time_us BIGINT NOT NULL,
  end_time_us BIGINT
);
CREATE INDEX account_sessions_by_login ON account_sessions (login, create_time_us);
CREATE TABLE sign_in_failures (
  subject TEXT NOT NULL PRIMARY KEY,
  failures BIGINT NOT NULL,
  last_failure_us BIGINT NOT NULL,
  locked_until_us BIGINT NOT NULL
);
)sql";

constexpr absl::string_view kAccountColumns =
    "login, display_name, roles, organizations, all_organizations, disabled, "
    "password_hash, password_must_change, totp_secret, totp_pending_secret, "
    "totp_last_step, version, create_time_us, creator, update_time_us, "
    "updater";

constexpr absl::string_view kSessionColumns =
    "id, login, client, create_time_us, last_refresh_time_us, "
    "expire_time_us, end_time_us";

std::string RolesText(const v1::Account& account) {
  std::vector<std::string> names;
  for (int role : account.roles()) {
    names.push_back(common::v1::Role_Name(static_cast<common::v1::Role>(role)));
  }
  return absl::StrJoin(names, ",");
}

AccountRecord AccountFromRow(const storage::Row& row) {
  AccountRecord record;
  v1::Account& account = record.account;
  account.set_name(AccountName(row.GetText(0)));
  account.set_display_name(row.GetText(1));
  for (absl::string_view name :
       absl::StrSplit(row.GetText(2), ',', absl::SkipEmpty())) {
    common::v1::Role role;
    if (common::v1::Role_Parse(std::string(name), &role)) {
      account.add_roles(role);
    }
  }
  for (absl::string_view code :
       absl::StrSplit(row.GetText(3), ',', absl::SkipEmpty())) {
    account.add_organizations(std::string(code));
  }
  account.set_all_organizations(row.GetInt(4) != 0);
  account.set_disabled(row.GetInt(5) != 0);
  record.password_hash = row.GetText(6);
  account.set_password_must_change(row.GetInt(7) != 0);
  record.totp_secret = row.GetText(8);
  record.totp_pending_secret = row.GetText(9);
  record.totp_last_step = row.GetInt(10);
  account.set_totp_enabled(!record.totp_secret.empty());
  record.version = row.GetInt(11);
  account.set_etag(Etag(record.version));
  *account.mutable_audit() = api::AuditFromRow(row, 12);
  return record;
}

SessionRecord SessionFromRow(const storage::Row& row) {
  SessionRecord session;
  session.id = row.GetText(0);
  session.login = row.GetText(1);
  session.client = row.GetText(2);
  session.create_time = absl::FromUnixMicros(row.GetInt(3));
  session.last_refresh_time = absl::FromUnixMicros(row.GetInt(4));
  session.expire_time = absl::FromUnixMicros(row.GetInt(5));
  if (std::optional<int64_t> end = row.GetOptionalInt(6); end.has_value()) {
    session.end_time = absl::FromUnixMicros(*end);
  }
  return session;
}

absl::StatusOr<AccountRecord> AccountByRequestId(Connection& db,
                                                 absl::string_view request_id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kAccountColumns,
                              " FROM accounts WHERE request_id = ?"),
                 {std::string(request_id)}));
  if (result.rows.empty()) return absl::NotFoundError("no such request");
  return AccountFromRow(result.rows.front());
}

// The condition under which a session is open at a time given twice.
constexpr absl::string_view kOpenAt =
    "end_time_us IS NULL AND expire_time_us > ? AND last_refresh_time_us > ?";

std::vector<Value> OpenAtParams(absl::Time now) {
  return {absl::ToUnixMicros(now),
          absl::ToUnixMicros(now - kSessionIdleTimeout)};
}

}  // namespace

const storage::Migration kAccountsMigration = {
    3, "accounts, sessions and sign-in failures", kMigrationSql};

absl::StatusOr<CreatedAccount> CreateAccount(Connection& db,
                                             absl::string_view login,
                                             const v1::Account& account,
                                             absl::string_view password_hash,
                                             absl::string_view request_id,
                                             const api::AuditWriter& writer) {
  return Transact<CreatedAccount>(
      db, [&](Connection& tx) -> absl::StatusOr<CreatedAccount> {
        if (!request_id.empty()) {
          absl::StatusOr<AccountRecord> earlier =
              AccountByRequestId(tx, request_id);
          if (earlier.ok()) {
            if (earlier->account.name() != AccountName(login)) {
              return InvalidField("request_id", "was used for another account");
            }
            return CreatedAccount{*std::move(earlier), true};
          }
          if (!absl::IsNotFound(earlier.status())) return earlier.status();
        }
        const int64_t now = absl::ToUnixMicros(writer.now);
        PRONGSAI_RETURN_IF_ERROR(
            tx.Execute(
                  absl::StrCat("INSERT INTO accounts (", kAccountColumns,
                               ", request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                               "?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                  {std::string(login), account.display_name(),
                   RolesText(account),
                   absl::StrJoin(account.organizations(), ","),
                   int64_t{account.all_organizations()},
                   int64_t{account.disabled()}, std::string(password_hash),
                   int64_t{1}, std::string(), std::string(), int64_t{0},
                   int64_t{1}, now, writer.principal, now, writer.principal,
                   request_id.empty() ? Value()
                                      : Value(std::string(request_id))})
                .status());
        PRONGSAI_ASSIGN_OR_RETURN(AccountRecord created,
                                  GetAccountRecord(tx, login));
        return CreatedAccount{std::move(created), false};
      });
}

absl::StatusOr<AccountRecord> GetAccountRecord(Connection& db,
                                               absl::string_view login) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kAccountColumns,
                              " FROM accounts WHERE login = ?"),
                 {std::string(login)}));
  if (result.rows.empty()) {
    return absl::NotFoundError(absl::StrCat("account ", login, " not found"));
  }
  return AccountFromRow(result.rows.front());
}

absl::StatusOr<api::Page<v1::Account>> ListAccounts(Connection& db,
                                                    const PageRequest& page) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kAccountColumns,
                              " FROM accounts WHERE login > ? ORDER BY login "
                              "LIMIT ?"),
                 {page.cursor, int64_t{page.limit} + 1}));
  api::Page<v1::Account> out;
  for (const storage::Row& row : result.rows) {
    if (static_cast<int>(out.items.size()) == page.limit) {
      // The cursor is the last login returned.
      out.next_cursor = out.items.back().name().substr(sizeof("accounts/") - 1);
      break;
    }
    out.items.push_back(AccountFromRow(row).account);
  }
  return out;
}

absl::StatusOr<v1::Account> UpdateAccount(
    Connection& db, absl::string_view login, const v1::Account& patch,
    const google::protobuf::FieldMask& mask,
    absl::FunctionRef<absl::Status(const v1::Account&)> validate,
    const api::AuditWriter& writer) {
  static constexpr absl::string_view kUpdatable[] = {
      "display_name", "roles", "organizations", "all_organizations",
      "disabled"};
  return Transact<v1::Account>(
      db, [&](Connection& tx) -> absl::StatusOr<v1::Account> {
        PRONGSAI_ASSIGN_OR_RETURN(AccountRecord current,
                                  GetAccountRecord(tx, login));
        PRONGSAI_RETURN_IF_ERROR(
            CheckEtag(patch.etag(), current.account.etag()));
        v1::Account updated = current.account;
        PRONGSAI_RETURN_IF_ERROR(
            ApplyFieldMask(mask, kUpdatable, patch, updated));
        PRONGSAI_RETURN_IF_ERROR(validate(updated));
        PRONGSAI_ASSIGN_OR_RETURN(
            storage::Result result,
            tx.Execute(
                "UPDATE accounts SET display_name = ?, roles = ?, "
                "organizations = ?, all_organizations = ?, "
                "disabled = ?, version = version + 1, "
                "update_time_us = ?, updater = ? WHERE login = ? AND "
                "version = ?",
                {updated.display_name(), RolesText(updated),
                 absl::StrJoin(updated.organizations(), ","),
                 int64_t{updated.all_organizations()},
                 int64_t{updated.disabled()}, absl::ToUnixMicros(writer.now),
                 writer.principal, std::string(login), current.version}));
        if (result.affected_rows != 1) {
          return absl::AbortedError(
              "the account changed while this call ran; retry");
        }
        if (updated.disabled()) {
          PRONGSAI_RETURN_IF_ERROR(EndSessionsOf(tx, login, "", writer.now));
        }
        PRONGSAI_ASSIGN_OR_RETURN(AccountRecord stored,
                                  GetAccountRecord(tx, login));
        return std::move(stored.account);
      });
}

absl::Status SetPassword(Connection& db, absl::string_view login,
                         absl::string_view password_hash, bool must_change,
                         const api::AuditWriter& writer) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("UPDATE accounts SET password_hash = ?, "
                 "password_must_change = ?, version = version + 1, "
                 "update_time_us = ?, updater = ? WHERE login = ?",
                 {std::string(password_hash), int64_t{must_change},
                  absl::ToUnixMicros(writer.now), writer.principal,
                  std::string(login)}));
  if (result.affected_rows != 1) {
    return absl::NotFoundError(absl::StrCat("account ", login, " not found"));
  }
  return absl::OkStatus();
}

absl::Status SetTotp(Connection& db, absl::string_view login,
                     absl::string_view secret, absl::string_view pending,
                     int64_t last_step, const api::AuditWriter& writer) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("UPDATE accounts SET totp_secret = ?, totp_pending_secret = "
                 "?, totp_last_step = ?, version = version + 1, "
                 "update_time_us = ?, updater = ? WHERE login = ?",
                 {std::string(secret), std::string(pending), last_step,
                  absl::ToUnixMicros(writer.now), writer.principal,
                  std::string(login)}));
  if (result.affected_rows != 1) {
    return absl::NotFoundError(absl::StrCat("account ", login, " not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> UseTotpStep(Connection& db, absl::string_view login,
                                 int64_t step) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("UPDATE accounts SET totp_last_step = ? WHERE login = ? AND "
                 "totp_last_step < ?",
                 {step, std::string(login), step}));
  return result.affected_rows == 1;
}

bool IsOpen(const SessionRecord& session, absl::Time now) {
  return !session.end_time.has_value() && now < session.expire_time &&
         now - session.last_refresh_time < kSessionIdleTimeout;
}

absl::Status CreateSession(Connection& db, const SessionRecord& session,
                           absl::string_view token_hash) {
  return db
      .Execute(
          absl::StrCat("INSERT INTO account_sessions (", kSessionColumns,
                       ", token_hash) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)"),
          {session.id, session.login, session.client,
           absl::ToUnixMicros(session.create_time),
           absl::ToUnixMicros(session.last_refresh_time),
           absl::ToUnixMicros(session.expire_time), std::string(token_hash)})
      .status();
}

absl::StatusOr<SessionRecord> FindSessionByToken(Connection& db,
                                                 absl::string_view token_hash) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kSessionColumns,
                              " FROM account_sessions WHERE token_hash = ?"),
                 {std::string(token_hash)}));
  if (result.rows.empty()) return absl::NotFoundError("no such session");
  return SessionFromRow(result.rows.front());
}

absl::StatusOr<SessionRecord> GetSession(Connection& db,
                                         absl::string_view login,
                                         absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kSessionColumns,
                              " FROM account_sessions WHERE id = ? AND "
                              "login = ?"),
                 {std::string(id), std::string(login)}));
  if (result.rows.empty()) return absl::NotFoundError("session not found");
  return SessionFromRow(result.rows.front());
}

absl::StatusOr<bool> TouchSession(Connection& db, absl::string_view id,
                                  absl::Time now) {
  std::vector<Value> params = {absl::ToUnixMicros(now), std::string(id)};
  for (Value& value : OpenAtParams(now)) params.push_back(std::move(value));
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("UPDATE account_sessions SET "
                              "last_refresh_time_us = ? WHERE id = ? AND ",
                              kOpenAt),
                 params));
  return result.affected_rows == 1;
}

absl::Status EndSession(Connection& db, absl::string_view id, absl::Time now) {
  return db
      .Execute(
          "UPDATE account_sessions SET end_time_us = ? WHERE id = ? AND "
          "end_time_us IS NULL",
          {absl::ToUnixMicros(now), std::string(id)})
      .status();
}

absl::Status EndSessionsOf(Connection& db, absl::string_view login,
                           absl::string_view except_id, absl::Time now) {
  return db
      .Execute(
          "UPDATE account_sessions SET end_time_us = ? WHERE login = ? "
          "AND id <> ? AND end_time_us IS NULL",
          {absl::ToUnixMicros(now), std::string(login), std::string(except_id)})
      .status();
}

absl::StatusOr<api::Page<SessionRecord>> ListOpenSessions(
    Connection& db, absl::string_view login, absl::Time now,
    const PageRequest& page) {
  // Newest first; the cursor is "<create_time_us>/<id>" of the last one.
  std::vector<Value> params = {std::string(login)};
  for (Value& value : OpenAtParams(now)) params.push_back(std::move(value));
  std::string sql =
      absl::StrCat("SELECT ", kSessionColumns,
                   " FROM account_sessions WHERE login = ? AND ", kOpenAt);
  if (!page.cursor.empty()) {
    std::vector<std::string> parts = absl::StrSplit(page.cursor, '/');
    int64_t time = 0;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &time)) {
      return InvalidField("page_token", "is not a token of this listing");
    }
    absl::StrAppend(&sql,
                    " AND (create_time_us < ? OR (create_time_us = ? AND id "
                    "< ?))");
    params.insert(params.end(), {time, time, parts[1]});
  }
  absl::StrAppend(&sql, " ORDER BY create_time_us DESC, id DESC LIMIT ?");
  params.emplace_back(int64_t{page.limit} + 1);
  PRONGSAI_ASSIGN_OR_RETURN(storage::Result result, db.Execute(sql, params));
  api::Page<SessionRecord> out;
  for (const storage::Row& row : result.rows) {
    if (static_cast<int>(out.items.size()) == page.limit) {
      const SessionRecord& last = out.items.back();
      out.next_cursor =
          absl::StrCat(absl::ToUnixMicros(last.create_time), "/", last.id);
      break;
    }
    out.items.push_back(SessionFromRow(row));
  }
  return out;
}

absl::Status PruneAccountState(Connection& db, absl::Time now) {
  const int64_t before = absl::ToUnixMicros(now - kEndedSessionRetention);
  PRONGSAI_RETURN_IF_ERROR(
      db.Execute("DELETE FROM account_sessions WHERE end_time_us < ? OR "
                 "expire_time_us < ? OR last_refresh_time_us < ?",
                 {before, before,
                  absl::ToUnixMicros(now - kEndedSessionRetention -
                                     kSessionIdleTimeout)})
          .status());
  return db
      .Execute(
          "DELETE FROM sign_in_failures WHERE last_failure_us < ? AND "
          "locked_until_us < ?",
          {absl::ToUnixMicros(now - absl::Hours(24)), absl::ToUnixMicros(now)})
      .status();
}

namespace {

// The record of `subject`; nullopt when there is none.
absl::StatusOr<std::optional<FailureRecord>> FindFailures(
    Connection& db, absl::string_view subject) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("SELECT failures, last_failure_us, locked_until_us FROM "
                 "sign_in_failures WHERE subject = ?",
                 {std::string(subject)}));
  if (result.rows.empty()) return std::nullopt;
  const storage::Row& row = result.rows.front();
  FailureRecord record;
  record.failures = row.GetInt(0);
  record.last_failure = absl::FromUnixMicros(row.GetInt(1));
  record.locked_until = absl::FromUnixMicros(row.GetInt(2));
  return record;
}

std::vector<Value> FailureValues(const FailureRecord& record) {
  return {record.failures, absl::ToUnixMicros(record.last_failure),
          absl::ToUnixMicros(record.locked_until)};
}

}  // namespace

absl::StatusOr<FailureRecord> GetFailures(Connection& db,
                                          absl::string_view subject) {
  PRONGSAI_ASSIGN_OR_RETURN(std::optional<FailureRecord> record,
                            FindFailures(db, subject));
  return record.value_or(FailureRecord());
}

absl::Status ClearFailures(Connection& db, absl::string_view subject) {
  return db
      .Execute("DELETE FROM sign_in_failures WHERE subject = ?",
               {std::string(subject)})
      .status();
}

absl::StatusOr<absl::Duration> ClaimSignInAttempt(Connection& db,
                                                  absl::string_view subject,
                                                  absl::Time now) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    PRONGSAI_ASSIGN_OR_RETURN(std::optional<FailureRecord> found,
                              FindFailures(db, subject));
    const FailureRecord record = found.value_or(FailureRecord());
    if (const absl::Duration remaining = LockoutRemaining(record, now);
        remaining > absl::ZeroDuration()) {
      return remaining;
    }
    std::vector<Value> values = FailureValues(AfterFailure(record, now));
    values.emplace_back(std::string(subject));
    absl::StatusOr<storage::Result> written;
    if (!found.has_value()) {
      written = db.Execute(
          "INSERT INTO sign_in_failures (failures, last_failure_us, "
          "locked_until_us, subject) VALUES (?, ?, ?, ?) ON CONFLICT DO "
          "NOTHING",
          values);
    } else {
      const std::vector<Value> before = FailureValues(record);
      values.insert(values.end(), before.begin(), before.end());
      written = db.Execute(
          "UPDATE sign_in_failures SET failures = ?, last_failure_us = ?, "
          "locked_until_us = ? WHERE subject = ? AND failures = ? AND "
          "last_failure_us = ? AND locked_until_us = ?",
          values);
    }
    PRONGSAI_RETURN_IF_ERROR(written.status());
    if (written->affected_rows == 1) return absl::ZeroDuration();
    // Another sign-in counted first: count again on top of it.
  }
  return absl::AbortedError("too many sign-ins of this account at once; retry");
}

}  // namespace prongsai::plan
