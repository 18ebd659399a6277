// One small SQL interface with two real backends chosen by URL: SQLite for a
// single node and development, PostgreSQL for replicated deployments. The
// services write one portable SQL subset (BIGINT, TEXT, DOUBLE PRECISION,
// PRIMARY KEY, UNIQUE, REFERENCES, CREATE INDEX, INSERT ... ON CONFLICT DO
// NOTHING, RETURNING, COALESCE, ORDER BY / LIMIT) with `?` placeholders, and
// get the same absl::Status codes from both backends. Versioned migrations
// create and evolve each service's tables.
//
//   PRONGSAI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Connection> db,
//                             storage::Connect("sqlite:///var/lib/plan.db"));
//   PRONGSAI_RETURN_IF_ERROR(storage::Migrate(*db, "plan", kPlanMigrations));
//   db->SetDeadline(rpc_deadline);
//   PRONGSAI_ASSIGN_OR_RETURN(
//       storage::Result result,
//       db->Execute("SELECT id, title FROM plans WHERE owner = ? LIMIT ?",
//                   {owner, int64_t{20}}));
//   for (const storage::Row& row : result.rows) {
//     Use(row.GetInt(0), row.GetText(1));
//   }
//
// Error codes: unique or primary-key violation -> ALREADY_EXISTS; any other
// constraint violation -> FAILED_PRECONDITION; database unreachable or
// connection lost -> UNAVAILABLE; lock wait timed out, serialization failure
// or deadlock -> ABORTED (retry the transaction); disk (or, PostgreSQL,
// memory) full -> RESOURCE_EXHAUSTED; deadline passed ->
// DEADLINE_EXCEEDED; a malformed call (placeholder count, several statements
// in Execute, text that is not UTF-8) -> INVALID_ARGUMENT; anything else ->
// INTERNAL. Messages never contain parameter values, row data or a URL's
// password, so they are safe to log.
#ifndef PRONGSAI_COMMON_STORAGE_STORAGE_H_
#define PRONGSAI_COMMON_STORAGE_STORAGE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace prongsai::storage {

// NULL, integer, real, text. Text is also used for bytes read from the
// database; text *parameters* must be valid UTF-8 without NUL bytes, because
// PostgreSQL TEXT cannot hold anything else (store raw bytes hex- or
// base64-encoded). `{1, "x", 2.5, Value()}` builds a parameter list.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

// One result row. A column index past the end reads as NULL.
class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  bool IsNull(size_t column) const;
  // 0 when NULL; a real is truncated; text is parsed (0 when not a number).
  // PostgreSQL NUMERIC (e.g. SUM of BIGINT) arrives as a real.
  int64_t GetInt(size_t column) const;
  // 0 when NULL; integers convert; text is parsed (0 when not a number).
  double GetDouble(size_t column) const;
  // "" when NULL or not text.
  const std::string& GetText(size_t column) const;
  // nullopt when NULL, otherwise as GetInt / GetDouble.
  std::optional<int64_t> GetOptionalInt(size_t column) const;
  std::optional<double> GetOptionalDouble(size_t column) const;
  const Value& Get(size_t column) const;

 private:
  std::vector<Value> values_;
};

struct Result {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  // Rows inserted, updated or deleted; 0 for SELECT.
  int64_t affected_rows = 0;
};

enum class Backend { kSqlite, kPostgres };

struct ConnectOptions {
  // PostgreSQL: how long to wait for the server (libpq rounds up to whole
  // seconds, minimum 2).
  absl::Duration connect_timeout = absl::Seconds(5);
  // SQLite: how long a statement waits for another connection's write lock
  // before failing with ABORTED.
  absl::Duration busy_timeout = absl::Seconds(5);
};

// A connection to one database. Use one per thread (e.g. one per worker of a
// pool); it is not thread-safe.
class Connection {
 public:
  virtual ~Connection() = default;

  // Runs one statement; `?` placeholders are bound from `params` in order
  // (the PostgreSQL backend rewrites them to $1.. outside string literals,
  // quoted identifiers and comments). Integers are sent as BIGINT, reals as
  // DOUBLE PRECISION, text as a literal whose type the server infers.
  virtual absl::StatusOr<Result> Execute(
      absl::string_view sql, absl::Span<const Value> params = {}) = 0;

  // Runs several ;-separated statements without parameters (migrations).
  virtual absl::Status ExecuteScript(absl::string_view sql) = 0;

  // Starts a write transaction (SQLite: BEGIN IMMEDIATE, so writers queue
  // for the lock up front instead of failing at their first write).
  virtual absl::Status Begin() = 0;
  // ABORTED, rolling back, when a statement inside the transaction failed:
  // both backends treat the transaction as doomed, as PostgreSQL does.
  virtual absl::Status Commit() = 0;
  // OK when no transaction is open (e.g. the connection was lost). Ignores
  // the deadline so that a timed-out transaction can always be ended.
  virtual absl::Status Rollback() = 0;
  // Undoes what ran since `SAVEPOINT name` (an Execute) in the open
  // transaction, which stays open and is no longer doomed by a statement
  // that failed after the savepoint. Group commit runs each caller's writes
  // after a savepoint, so that one caller's failure leaves the others'.
  virtual absl::Status RollbackToSavepoint(absl::string_view name) = 0;

  // Runs `body` between Begin and Commit; see InTransaction, which calls it.
  // The group-commit connection overrides it to hand `body` to a writer that
  // commits it together with concurrent callers' transactions.
  virtual absl::Status RunTransaction(
      absl::FunctionRef<absl::Status(Connection&)> body);

  // Every later statement fails with DEADLINE_EXCEEDED once `deadline`
  // passes; a running statement is interrupted (SQLite) or cancelled
  // (PostgreSQL). absl::InfiniteFuture() = no deadline. Carries the RPC
  // deadline into SQL.
  virtual void SetDeadline(absl::Time deadline) = 0;

  // A cheap round trip; UNAVAILABLE when the database is unreachable.
  virtual absl::Status Ping() = 0;

  virtual Backend backend() const = 0;

  // Which row of a striped value (api::ReplaceDataVersion) this
  // connection's transactions write. Connections that write at the same
  // time are given different stripes by whoever made them (the worker pool,
  // the group committer's writers), so that on PostgreSQL they never wait
  // for each other's row lock on one organization's version.
  int write_stripe() const { return write_stripe_; }
  void set_write_stripe(int stripe) { write_stripe_ = stripe; }

 private:
  int write_stripe_ = 0;
};

// Opens a connection.
//   "sqlite:///abs/path.db", "sqlite://relative/path.db", "sqlite:relative.db"
//     The directory must exist (FAILED_PRECONDITION otherwise); the file is
//     created. WAL journal, synchronous=FULL, foreign keys on.
//   "postgresql://..." or "postgres://..." is passed to libpq as is; a
//     connection lost later is re-established by the next call made outside
//     a transaction, so a worker survives a database restart.
absl::StatusOr<std::unique_ptr<Connection>> Connect(
    absl::string_view url, const ConnectOptions& options = {});

// Runs `body` between Begin and Commit. Rolls back when `body` or Commit
// fails and returns that error. `body` must make its statements on the
// connection it is given, which need not be `db` (group commit).
absl::Status InTransaction(Connection& db,
                           absl::FunctionRef<absl::Status(Connection&)> body);

// One schema change. `sql` may hold several ;-separated statements of the
// portable subset; it runs in one transaction together with recording it.
struct Migration {
  int version;
  absl::string_view description;
  absl::string_view sql;
};

// Applies, in order and each in its own transaction, the migrations of
// `schema` (e.g. "plan") newer than the version recorded in table
// prongsai_schema_migrations(schema, version, description, applied_at).
// Safe when several replicas start at once (PostgreSQL: one advisory
// transaction lock; SQLite: BEGIN IMMEDIATE). INVALID_ARGUMENT when versions
// are not positive and strictly increasing. A failing migration is rolled
// back entirely; the ones before it stay applied.
absl::Status Migrate(Connection& db, absl::string_view schema,
                     absl::Span<const Migration> migrations);

// `url` with its password (in the user-info part or a `password=` query
// parameter) replaced by "***", safe to log.
std::string RedactUrl(absl::string_view url);

}  // namespace prongsai::storage

#endif  // PRONGSAI_COMMON_STORAGE_STORAGE_H_
