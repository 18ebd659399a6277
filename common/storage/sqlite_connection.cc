#include "common/storage/sqlite_connection.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/status_macros.h"
#include "common/storage/sql_text.h"

namespace prongsai::storage::internal {
namespace {

// Prepared statements kept per connection. The services use a few dozen
// distinct statements; when a caller builds SQL dynamically the cache is
// simply emptied when full.
constexpr size_t kStatementCacheSize = 64;

// How many virtual-machine steps run between two deadline checks.
constexpr int kProgressSteps = 1000;

absl::Status DeadlineExceeded() {
  return absl::DeadlineExceededError("sqlite: deadline exceeded");
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, const ConnectOptions& options)
      : db_(db), options_(options) {}

  ~SqliteConnection() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(db_);
  }

  absl::StatusOr<Result> Execute(absl::string_view sql,
                                 absl::Span<const Value> params) override {
    return Run(sql, params, /*honor_deadline=*/true);
  }

  absl::Status ExecuteScript(absl::string_view sql) override {
    PRONGSAI_RETURN_IF_ERROR(BeforeStatement(/*honor_deadline=*/true));
    const int code =
        sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, nullptr);
    if (code != SQLITE_OK) return Error(code);
    return absl::OkStatus();
  }

  absl::Status Begin() override {
    transaction_failed_ = false;
    return Run("BEGIN IMMEDIATE", {}, /*honor_deadline=*/true).status();
  }

  absl::Status Commit() override {
    if (sqlite3_get_autocommit(db_)) {
      return absl::AbortedError(
          "sqlite: no transaction is open (never begun, or rolled back by an "
          "earlier error)");
    }
    if (transaction_failed_) {
      Rollback().IgnoreError();
      return absl::AbortedError(
          "sqlite: the transaction was rolled back after an earlier error");
    }
    return Run("COMMIT", {}, /*honor_deadline=*/true).status();
  }

  absl::Status Rollback() override {
    transaction_failed_ = false;
    // SQLite itself rolls back on some errors (e.g. an interrupt).
    if (sqlite3_get_autocommit(db_)) return absl::OkStatus();
    return Run("ROLLBACK", {}, /*honor_deadline=*/false).status();
  }

  absl::Status RollbackToSavepoint(absl::string_view name) override {
    PRONGSAI_RETURN_IF_ERROR(Run(absl::StrCat("ROLLBACK TO ", name), {},
                                 /*honor_deadline=*/false)
                                 .status());
    transaction_failed_ = false;
    return absl::OkStatus();
  }

  void SetDeadline(absl::Time deadline) override {
    deadline_ = deadline;
    // The handler costs a clock read every kProgressSteps steps: install it
    // only while there is a deadline.
    if (deadline == absl::InfiniteFuture()) {
      sqlite3_progress_handler(db_, 0, nullptr, nullptr);
    } else {
      sqlite3_progress_handler(db_, kProgressSteps, &OnProgress, this);
    }
  }

  absl::Status Ping() override {
    return Run("SELECT 1", {}, /*honor_deadline=*/true).status();
  }

  Backend backend() const override { return Backend::kSqlite; }

  // Sets the connection up after open: the busy timeout first, because
  // switching to WAL needs a lock another connection may hold. Deleted and
  // overwritten content is zeroed (secure_delete): erased personal data, a
  // tracking code past its replay window say, must not linger in free pages.
  absl::Status Configure() {
    SetBusyTimeout(options_.busy_timeout);
    return ExecuteScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        " PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;");
  }

 private:
  static int OnProgress(void* self) {
    auto* connection = static_cast<SqliteConnection*>(self);
    // Non-zero interrupts the statement with SQLITE_INTERRUPT.
    return connection->deadline_enforced_ &&
           absl::Now() >= connection->deadline_;
  }

  // Checks the deadline and caps the lock wait so that a statement never
  // waits past it.
  absl::Status BeforeStatement(bool honor_deadline) {
    deadline_enforced_ = honor_deadline;
    if (!honor_deadline || deadline_ == absl::InfiniteFuture()) {
      SetBusyTimeout(options_.busy_timeout);
      return absl::OkStatus();
    }
    const absl::Duration remaining = deadline_ - absl::Now();
    if (remaining <= absl::ZeroDuration()) return DeadlineExceeded();
    SetBusyTimeout(std::min(options_.busy_timeout, remaining));
    return absl::OkStatus();
  }

  void SetBusyTimeout(absl::Duration timeout) {
    if (timeout == busy_timeout_) return;
    busy_timeout_ = timeout;
    // SQLite takes whole milliseconds; round up so a short wait stays > 0.
    sqlite3_busy_timeout(db_, static_cast<int>(absl::ToInt64Milliseconds(
                                  absl::Ceil(timeout, absl::Milliseconds(1)))));
  }

  // Maps the error `code` just returned by an API call on db_ to a status.
  // sqlite3_errmsg names tables, columns and constraints but never values.
  absl::Status Error(int code) {
    // Like PostgreSQL, a failed statement dooms its transaction, so code
    // tested on one backend behaves the same on the other.
    if (!sqlite3_get_autocommit(db_)) transaction_failed_ = true;
    std::string message = absl::StrCat("sqlite: ", sqlite3_errmsg(db_));
    const bool deadline_passed = deadline_enforced_ && absl::Now() >= deadline_;
    switch (code & 0xff) {
      case SQLITE_CONSTRAINT:
        if (code == SQLITE_CONSTRAINT_UNIQUE ||
            code == SQLITE_CONSTRAINT_PRIMARYKEY ||
            code == SQLITE_CONSTRAINT_ROWID) {
          return absl::AlreadyExistsError(message);
        }
        return absl::FailedPreconditionError(message);
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        if (deadline_passed) return DeadlineExceeded();
        return absl::AbortedError(message);
      case SQLITE_INTERRUPT:
        return DeadlineExceeded();
      case SQLITE_CANTOPEN:
      case SQLITE_IOERR:
        return absl::UnavailableError(message);
      case SQLITE_FULL:  // the disk: writes fail until space is freed
        return absl::ResourceExhaustedError(message);
      default:
        return absl::InternalError(message);
    }
  }

  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql) {
    if (auto it = statements_.find(sql); it != statements_.end()) {
      return it->second;
    }
    // Same one-statement rule, and so the same errors, as PostgreSQL.
    PRONGSAI_RETURN_IF_ERROR(RewritePlaceholders(sql).status());
    sqlite3_stmt* statement = nullptr;
    const int code =
        sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (code != SQLITE_OK) return Error(code);
    if (statement == nullptr) {
      return absl::InvalidArgumentError("sqlite: empty statement");
    }
    if (statements_.size() >= kStatementCacheSize) {
      for (auto& [cached_sql, cached] : statements_) sqlite3_finalize(cached);
      statements_.clear();
    }
    statements_.emplace(std::string(sql), statement);
    return statement;
  }

  absl::Status Bind(sqlite3_stmt* statement, absl::Span<const Value> params) {
    PRONGSAI_RETURN_IF_ERROR(
        CheckParams(params, sqlite3_bind_parameter_count(statement)));
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      const Value& param = params[i];
      int code = SQLITE_OK;
      if (const auto* integer = std::get_if<int64_t>(&param)) {
        code = sqlite3_bind_int64(statement, index, *integer);
      } else if (const auto* real = std::get_if<double>(&param)) {
        code = sqlite3_bind_double(statement, index, *real);
      } else if (const auto* text = std::get_if<std::string>(&param)) {
        // SQLITE_STATIC: `params` outlives the statement's use; Run clears
        // the bindings before returning.
        code = sqlite3_bind_text64(statement, index, text->data(), text->size(),
                                   SQLITE_STATIC, SQLITE_UTF8);
      } else {
        code = sqlite3_bind_null(statement, index);
      }
      if (code != SQLITE_OK) return Error(code);
    }
    return absl::OkStatus();
  }

  static Value ColumnValue(sqlite3_stmt* statement, int column) {
    switch (sqlite3_column_type(statement, column)) {
      case SQLITE_INTEGER:
        return sqlite3_column_int64(statement, column);
      case SQLITE_FLOAT:
        return sqlite3_column_double(statement, column);
      case SQLITE_NULL:
        return std::monostate();
      default: {  // SQLITE_TEXT, SQLITE_BLOB
        const void* bytes = sqlite3_column_blob(statement, column);
        const int size = sqlite3_column_bytes(statement, column);
        if (bytes == nullptr) return std::string();
        return std::string(static_cast<const char*>(bytes), size);
      }
    }
  }

  absl::StatusOr<Result> Run(absl::string_view sql,
                             absl::Span<const Value> params,
                             bool honor_deadline) {
    PRONGSAI_RETURN_IF_ERROR(BeforeStatement(honor_deadline));
    PRONGSAI_ASSIGN_OR_RETURN(sqlite3_stmt * statement, Prepare(sql));
    // Reset even on error: a statement left mid-way holds its read snapshot.
    absl::Cleanup reset = [statement] {
      sqlite3_reset(statement);
      sqlite3_clear_bindings(statement);
    };
    PRONGSAI_RETURN_IF_ERROR(Bind(statement, params));

    Result result;
    const int columns = sqlite3_column_count(statement);
    result.columns.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      result.columns.emplace_back(sqlite3_column_name(statement, c));
    }
    const int64_t changes_before = sqlite3_total_changes64(db_);
    while (true) {
      const int code = sqlite3_step(statement);
      if (code == SQLITE_DONE) break;
      if (code != SQLITE_ROW) return Error(code);
      std::vector<Value> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        values.push_back(ColumnValue(statement, c));
      }
      result.rows.emplace_back(std::move(values));
    }
    result.affected_rows = sqlite3_total_changes64(db_) - changes_before;
    return result;
  }

  sqlite3* db_;
  const ConnectOptions options_;
  absl::Time deadline_ = absl::InfiniteFuture();
  // False while running a statement that must ignore the deadline.
  bool deadline_enforced_ = true;
  // A statement failed inside the open transaction: Commit rolls back.
  bool transaction_failed_ = false;
  absl::Duration busy_timeout_ = absl::ZeroDuration();
  absl::flat_hash_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> OpenSqlite(
    absl::string_view path, const ConnectOptions& options) {
  if (path.empty()) {
    return absl::InvalidArgumentError("sqlite: the URL names no file");
  }
  std::filesystem::path directory =
      std::filesystem::path(std::string(path)).parent_path();
  if (directory.empty()) directory = ".";
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "sqlite: directory ", directory.string(), " does not exist"));
  }
  // Created owner-only before SQLite would create it world-readable (its
  // default 0644 under the usual umask): the file holds complaints and
  // sealed identities. SQLite gives the -wal and -shm files the database
  // file's mode. An existing file keeps the mode its operator chose.
  if (const int fd = open(std::string(path).c_str(),
                          O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
      fd >= 0) {
    close(fd);
  }
  sqlite3* db = nullptr;
  const int code =
      sqlite3_open_v2(std::string(path).c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                          SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                      nullptr);
  if (code != SQLITE_OK) {
    absl::Status status = absl::UnavailableError(absl::StrCat(
        "sqlite: cannot open ", path, ": ",
        db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code)));
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  auto connection = std::make_unique<SqliteConnection>(db, options);
  PRONGSAI_RETURN_IF_ERROR(connection->Configure());
  return connection;
}

}  // namespace prongsai::storage::internal
