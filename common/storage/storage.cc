#include "common/storage/storage.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/storage/postgres_connection.h"
#include "common/storage/sqlite_connection.h"

namespace prongsai::storage {
namespace {

// Serialises migrations across replicas on PostgreSQL (SQLite's BEGIN
// IMMEDIATE already does). Any fixed number works; this one spells "prongsai".
constexpr int64_t kMigrationLockKey = 0x70726f6e67736169;

constexpr absl::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS prongsai_schema_migrations ("
    " schema TEXT NOT NULL,"
    " version BIGINT NOT NULL,"
    " description TEXT NOT NULL,"
    " applied_at TEXT NOT NULL,"
    " PRIMARY KEY (schema, version))";

int64_t ClampToInt(double value) {
  if (std::isnan(value)) return 0;
  // 2^63 is exactly representable; anything at or past it saturates.
  constexpr double kLimit = 9223372036854775808.0;
  if (value >= kLimit) return std::numeric_limits<int64_t>::max();
  if (value < -kLimit) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(value);
}

absl::StatusOr<int64_t> RecordedVersion(Connection& db,
                                        absl::string_view schema) {
  PRONGSAI_ASSIGN_OR_RETURN(
      Result result, db.Execute("SELECT COALESCE(MAX(version), 0) FROM "
                                "prongsai_schema_migrations WHERE schema = ?",
                                {std::string(schema)}));
  return result.rows.empty() ? 0 : result.rows[0].GetInt(0);
}

}  // namespace

bool Row::IsNull(size_t column) const {
  return std::holds_alternative<std::monostate>(Get(column));
}

int64_t Row::GetInt(size_t column) const {
  const Value& value = Get(column);
  if (const auto* integer = std::get_if<int64_t>(&value)) return *integer;
  if (const auto* real = std::get_if<double>(&value)) return ClampToInt(*real);
  if (const auto* text = std::get_if<std::string>(&value)) {
    int64_t parsed;
    if (absl::SimpleAtoi(*text, &parsed)) return parsed;
    double real;
    if (absl::SimpleAtod(*text, &real)) return ClampToInt(real);
  }
  return 0;
}

double Row::GetDouble(size_t column) const {
  const Value& value = Get(column);
  if (const auto* real = std::get_if<double>(&value)) return *real;
  if (const auto* integer = std::get_if<int64_t>(&value)) {
    return static_cast<double>(*integer);
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    double parsed;
    if (absl::SimpleAtod(*text, &parsed)) return parsed;
  }
  return 0;
}

const std::string& Row::GetText(size_t column) const {
  static const std::string* const kEmpty = new std::string();
  const auto* text = std::get_if<std::string>(&Get(column));
  return text != nullptr ? *text : *kEmpty;
}

std::optional<int64_t> Row::GetOptionalInt(size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return GetInt(column);
}

std::optional<double> Row::GetOptionalDouble(size_t column) const {
  if (IsNull(column)) return std::nullopt;
  return GetDouble(column);
}

const Value& Row::Get(size_t column) const {
  static const Value* const kNull = new Value();
  return column < values_.size() ? values_[column] : *kNull;
}

absl::StatusOr<std::unique_ptr<Connection>> Connect(
    absl::string_view url, const ConnectOptions& options) {
  if (absl::ConsumePrefix(&url, "sqlite:")) {
    // "sqlite:///abs.db" -> "/abs.db", "sqlite://rel.db" -> "rel.db".
    absl::ConsumePrefix(&url, "//");
    return internal::OpenSqlite(url, options);
  }
  if (absl::StartsWith(url, "postgresql://") ||
      absl::StartsWith(url, "postgres://")) {
    return internal::OpenPostgres(url, options);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("storage: unsupported database URL ", RedactUrl(url),
                   "; expected sqlite:<path> or postgresql://..."));
}

absl::Status Connection::RunTransaction(
    absl::FunctionRef<absl::Status(Connection&)> body) {
  PRONGSAI_RETURN_IF_ERROR(Begin());
  absl::Status status = body(*this);
  if (status.ok()) {
    status = Commit();
    if (status.ok()) return status;
  }
  // The original error is what the caller needs; a failed rollback leaves
  // nothing behind on either backend (the transaction dies with the
  // connection or with the next BEGIN's error).
  Rollback().IgnoreError();
  return status;
}

absl::Status InTransaction(Connection& db,
                           absl::FunctionRef<absl::Status(Connection&)> body) {
  return db.RunTransaction(body);
}

absl::Status Migrate(Connection& db, absl::string_view schema,
                     absl::Span<const Migration> migrations) {
  if (schema.empty()) {
    return absl::InvalidArgumentError("storage: migration schema is empty");
  }
  int previous = 0;
  for (const Migration& migration : migrations) {
    if (migration.version <= previous) {
      return absl::InvalidArgumentError(
          absl::StrCat("storage: migrations of ", schema,
                       " must have positive, strictly increasing versions; ",
                       migration.version, " follows ", previous));
    }
    previous = migration.version;
  }
  for (const Migration& migration : migrations) {
    bool applied = false;
    absl::Status status = InTransaction(db, [&](Connection& tx) {
      if (tx.backend() == Backend::kPostgres) {
        // Held until commit, so replicas apply each migration once, one
        // after the other; taken before CREATE TABLE, which races otherwise.
        PRONGSAI_RETURN_IF_ERROR(
            tx.Execute("SELECT pg_advisory_xact_lock(?)", {kMigrationLockKey})
                .status());
      }
      PRONGSAI_RETURN_IF_ERROR(tx.Execute(kCreateMigrationsTable).status());
      PRONGSAI_ASSIGN_OR_RETURN(int64_t recorded, RecordedVersion(tx, schema));
      if (migration.version <= recorded) return absl::OkStatus();
      PRONGSAI_RETURN_IF_ERROR(tx.ExecuteScript(migration.sql));
      PRONGSAI_RETURN_IF_ERROR(
          tx.Execute("INSERT INTO prongsai_schema_migrations"
                     " (schema, version, description, applied_at)"
                     " VALUES (?, ?, ?, ?)",
                     {std::string(schema), int64_t{migration.version},
                      std::string(migration.description),
                      absl::FormatTime(absl::RFC3339_sec, absl::Now(),
                                       absl::UTCTimeZone())})
              .status());
      applied = true;
      return absl::OkStatus();
    });
    if (!status.ok()) {
      return absl::Status(
          status.code(),
          absl::StrCat("migration ", schema, " v", migration.version, " (",
                       migration.description, "): ", status.message()));
    }
    if (applied) {
      log::Info("schema_migrated",
                {{"schema", std::string(schema)},
                 {"version", absl::StrCat(migration.version)},
                 {"description", std::string(migration.description)}});
    }
  }
  return absl::OkStatus();
}

}  // namespace prongsai::storage
