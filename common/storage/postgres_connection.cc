#include "common/storage/postgres_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"
#include "common/storage/sql_text.h"

namespace prongsai::storage::internal {
namespace {

// Type OIDs from PostgreSQL's catalog/pg_type.h (stable across versions;
// libpq-dev does not ship that header).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

absl::Status DeadlineExceeded() {
  return absl::DeadlineExceededError("postgres: deadline exceeded");
}

// libpq's messages end in a newline and may add hint lines; keep the first.
std::string FirstLine(const char* message) {
  absl::string_view text = message != nullptr ? message : "";
  return std::string(text.substr(0, text.find('\n')));
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  // Shortest text that reads back to the same double.
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

Value ColumnValue(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::monostate();
  const char* text = PQgetvalue(result, row, column);
  const int length = PQgetlength(result, row, column);
  switch (PQftype(result, column)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      int64_t integer;
      if (absl::SimpleAtoi(absl::string_view(text, length), &integer)) {
        return integer;
      }
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      double real;
      if (absl::SimpleAtod(absl::string_view(text, length), &real)) {
        return real;
      }
      break;
    }
    case kBoolOid:
      return int64_t{text[0] == 't' ? 1 : 0};
    default:
      break;
  }
  return std::string(text, length);
}

Result ToResult(const PGresult* pg_result) {
  Result result;
  const int columns = PQnfields(pg_result);
  const int rows = PQntuples(pg_result);
  result.columns.reserve(columns);
  for (int c = 0; c < columns; ++c) {
    result.columns.emplace_back(PQfname(pg_result, c));
  }
  result.rows.reserve(rows);
  for (int r = 0; r < rows; ++r) {
    std::vector<Value> values;
    values.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      values.push_back(ColumnValue(pg_result, r, c));
    }
    result.rows.emplace_back(std::move(values));
  }
  // Empty for statements other than INSERT, UPDATE, DELETE and the like.
  absl::string_view affected = PQcmdTuples(const_cast<PGresult*>(pg_result));
  if (!affected.empty() && !absl::SimpleAtoi(affected, &result.affected_rows)) {
    result.affected_rows = 0;
  }
  return result;
}

// The status for a failed statement. Only the SQLSTATE and the primary
// message are used: the DETAIL field carries row values ("Key (x)=(...)
// already exists"), and data exceptions (class 22) quote the offending value
// even in the primary message, so those get a fixed text.
absl::Status StatementError(const PGresult* result) {
  const char* sqlstate_field = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string sqlstate = sqlstate_field != nullptr ? sqlstate_field : "";
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string message =
      absl::StartsWith(sqlstate, "22")
          ? "postgres: invalid value for a column or parameter"
          : absl::StrCat("postgres: ",
                         primary != nullptr ? primary : "statement failed");
  absl::StrAppend(&message, " (SQLSTATE ", sqlstate, ")");
  if (sqlstate == "23505") return absl::AlreadyExistsError(message);
  if (absl::StartsWith(sqlstate, "23")) {
    return absl::FailedPreconditionError(message);
  }
  // Serialization failure, deadlock, lock timeout, failed transaction:
  // retrying the whole transaction is the remedy.
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03" ||
      sqlstate == "25P02") {
    return absl::AbortedError(message);
  }
  if (sqlstate == "57014") return absl::DeadlineExceededError(message);
  // Connection exceptions, server shutting down or starting, too many
  // connections: all pass when the server is back.
  if (absl::StartsWith(sqlstate, "08") || sqlstate == "57P01" ||
      sqlstate == "57P02" || sqlstate == "57P03" || sqlstate == "53300") {
    return absl::UnavailableError(message);
  }
  // Disk full (53100), out of memory (53200): the database refuses writes
  // until an operator frees space; reads go on.
  if (sqlstate == "53100" || sqlstate == "53200") {
    return absl::ResourceExhaustedError(message);
  }
  return absl::InternalError(message);
}

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(PGconn* conn, absl::string_view url,
                     const ConnectOptions& options)
      : conn_(conn), url_(url), options_(options) {}

  ~PostgresConnection() override { PQfinish(conn_); }

  absl::StatusOr<Result> Execute(absl::string_view sql,
                                 absl::Span<const Value> params) override {
    PRONGSAI_ASSIGN_OR_RETURN(RewrittenSql rewritten, RewritePlaceholders(sql));
    PRONGSAI_RETURN_IF_ERROR(CheckParams(params, rewritten.placeholders));
    // Integers and reals are typed so that the server never guesses them
    // as text; text goes as `unknown` (0) and takes the type its use needs.
    std::vector<Oid> types(params.size(), 0);
    std::vector<std::string> formatted(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* integer = std::get_if<int64_t>(&params[i])) {
        types[i] = kInt8Oid;
        formatted[i] = absl::StrCat(*integer);
        values[i] = formatted[i].c_str();
      } else if (const auto* real = std::get_if<double>(&params[i])) {
        types[i] = kFloat8Oid;
        formatted[i] = FormatDouble(*real);
        values[i] = formatted[i].c_str();
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        values[i] = text->c_str();
      }
    }
    PRONGSAI_ASSIGN_OR_RETURN(
        std::vector<ResultPtr> results,
        Run(
            [&] {
              return PQsendQueryParams(
                  conn_, rewritten.sql.c_str(), static_cast<int>(params.size()),
                  types.data(), values.data(), nullptr, nullptr, 0);
            },
            /*honor_deadline=*/true));
    if (results.empty()) return Result();
    return ToResult(results.back().get());
  }

  absl::Status ExecuteScript(absl::string_view sql) override {
    const std::string script(sql);
    return Run([&] { return PQsendQuery(conn_, script.c_str()); },
               /*honor_deadline=*/true)
        .status();
  }

  absl::Status Begin() override {
    return Simple("BEGIN", /*honor_deadline=*/true);
  }

  absl::Status Commit() override {
    if (Broken()) {
      const bool was_in_transaction = in_transaction_;
      in_transaction_ = false;
      if (was_in_transaction) {
        return absl::UnavailableError(
            "postgres: connection lost during the transaction; it was rolled "
            "back");
      }
    }
    switch (PQtransactionStatus(conn_)) {
      case PQTRANS_INTRANS:
        return Simple("COMMIT", /*honor_deadline=*/true);
      case PQTRANS_INERROR:
        // COMMIT of a failed transaction would "succeed" as a ROLLBACK.
        Rollback().IgnoreError();
        return absl::AbortedError(
            "postgres: the transaction was rolled back after an earlier "
            "error");
      default:
        return absl::AbortedError("postgres: no transaction is open");
    }
  }

  absl::Status Rollback() override {
    if (Broken() || PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      // The server ends the transaction of a lost connection itself.
      in_transaction_ = false;
      return absl::OkStatus();
    }
    absl::Status status = Simple("ROLLBACK", /*honor_deadline=*/false);
    in_transaction_ = false;
    return status;
  }

  absl::Status RollbackToSavepoint(absl::string_view name) override {
    const std::string sql = absl::StrCat("ROLLBACK TO SAVEPOINT ", name);
    return Simple(sql.c_str(), /*honor_deadline=*/false);
  }

  void SetDeadline(absl::Time deadline) override { deadline_ = deadline; }

  absl::Status Ping() override {
    return Simple("SELECT 1", /*honor_deadline=*/true);
  }

  Backend backend() const override { return Backend::kPostgres; }

 private:
  enum class Wait { kReady, kTimedOut, kFailed };

  bool Broken() const {
    return must_reset_ || PQstatus(conn_) != CONNECTION_OK;
  }

  absl::Status Simple(const char* sql, bool honor_deadline) {
    return Run([&] { return PQsendQuery(conn_, sql); }, honor_deadline)
        .status();
  }

  absl::Status ConnectionError() {
    must_reset_ = true;
    return absl::UnavailableError(
        ScrubPassword(absl::StrCat("postgres: connection lost: ",
                                   FirstLine(PQerrorMessage(conn_))),
                      url_));
  }

  // True when the server closed this connection while it was idle (it was
  // restarted, or ended idle sessions): its socket then has end-of-file or
  // the server's goodbye to read, which a poll sees without waiting. Such a
  // connection is made again before the next statement instead of failing
  // it; a worker idle through an outage would otherwise fail one call.
  bool ClosedWhileIdle() {
    if (in_transaction_) return false;
    pollfd socket = {PQsocket(conn_), POLLIN | POLLRDHUP, 0};
    if (poll(&socket, 1, /*timeout=*/0) <= 0) return false;
    return (socket.revents & (POLLHUP | POLLERR | POLLRDHUP)) != 0 ||
           PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK;
  }

  // Re-establishes a lost connection, but never inside a transaction: the
  // statements before the loss are gone and the caller must start over.
  absl::Status EnsureConnected() {
    if (!Broken() && !ClosedWhileIdle()) return absl::OkStatus();
    if (in_transaction_) {
      return absl::UnavailableError(
          "postgres: connection lost during the transaction; roll back and "
          "retry");
    }
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return absl::UnavailableError(
          ScrubPassword(absl::StrCat("postgres: cannot reconnect: ",
                                     FirstLine(PQerrorMessage(conn_))),
                        url_));
    }
    must_reset_ = false;
    log::Info("storage_reconnected", {{"url", RedactUrl(url_)}});
    return absl::OkStatus();
  }

  Wait WaitReadable(absl::Time deadline) {
    while (true) {
      int timeout_ms = -1;
      if (deadline != absl::InfiniteFuture()) {
        const absl::Duration remaining = deadline - absl::Now();
        if (remaining <= absl::ZeroDuration()) return Wait::kTimedOut;
        // poll takes int milliseconds; a long wait just loops.
        timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(absl::Ceil(
            std::min(remaining, absl::Minutes(1)), absl::Milliseconds(1))));
      }
      pollfd socket = {PQsocket(conn_), POLLIN, 0};
      const int ready = poll(&socket, 1, timeout_ms);
      if (ready > 0) return Wait::kReady;
      if (ready < 0 && errno != EINTR) return Wait::kFailed;
    }
  }

  // Reads every result of the statement sent last, or gives up at
  // `deadline` (returns false, results so far kept).
  absl::StatusOr<bool> Collect(absl::Time deadline,
                               std::vector<ResultPtr>& results) {
    while (true) {
      while (PQisBusy(conn_)) {
        switch (WaitReadable(deadline)) {
          case Wait::kTimedOut:
            return false;
          case Wait::kFailed:
            return ConnectionError();
          case Wait::kReady:
            break;
        }
        if (!PQconsumeInput(conn_)) return ConnectionError();
      }
      PGresult* result = PQgetResult(conn_);
      if (result == nullptr) return true;
      results.emplace_back(result);
    }
  }

  // Asks the server to stop the running statement and drains its results so
  // the connection can take the next one. A server that does not answer
  // within connect_timeout gets a fresh connection on the next call.
  void Cancel() {
    if (PGcancel* cancel = PQgetCancel(conn_); cancel != nullptr) {
      char error[256];
      PQcancel(cancel, error, sizeof(error));
      PQfreeCancel(cancel);
    }
    std::vector<ResultPtr> ignored;
    absl::StatusOr<bool> drained =
        Collect(absl::Now() + options_.connect_timeout, ignored);
    if (!drained.ok() || !*drained) must_reset_ = true;
  }

  // Sends one request with `send` and waits for all its results, applying
  // the deadline. The first failed result decides the status.
  absl::StatusOr<std::vector<ResultPtr>> Run(absl::FunctionRef<int()> send,
                                             bool honor_deadline) {
    PRONGSAI_RETURN_IF_ERROR(EnsureConnected());
    const absl::Time deadline =
        honor_deadline ? deadline_ : absl::InfiniteFuture();
    if (absl::Now() >= deadline) return DeadlineExceeded();
    if (!send()) return ConnectionError();
    std::vector<ResultPtr> results;
    PRONGSAI_ASSIGN_OR_RETURN(bool complete, Collect(deadline, results));
    if (!complete) {
      Cancel();
      TrackTransaction();
      return DeadlineExceeded();
    }
    TrackTransaction();
    for (const ResultPtr& result : results) {
      const ExecStatusType status = PQresultStatus(result.get());
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
          status == PGRES_EMPTY_QUERY) {
        continue;
      }
      if (PQstatus(conn_) != CONNECTION_OK) return ConnectionError();
      return StatementError(result.get());
    }
    if (PQstatus(conn_) != CONNECTION_OK) return ConnectionError();
    return results;
  }

  void TrackTransaction() {
    if (Broken()) return;  // Remember the transaction that was lost.
    in_transaction_ = PQtransactionStatus(conn_) != PQTRANS_IDLE;
  }

  PGconn* const conn_;
  const std::string url_;  // For reconnect messages; never logged unredacted.
  const ConnectOptions options_;
  absl::Time deadline_ = absl::InfiniteFuture();
  bool in_transaction_ = false;
  // Set when the connection is in an unknown state (e.g. a cancel that was
  // not answered): the next call outside a transaction reconnects.
  bool must_reset_ = false;
};

// Server notices ("relation already exists, skipping") are not errors and
// must not reach stderr unformatted.
void IgnoreNotice(void*, const char*) {}

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> OpenPostgres(
    absl::string_view url, const ConnectOptions& options) {
  const std::string url_text(url);
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url_text.c_str(), &parse_error);
  if (parsed == nullptr) {
    absl::Status status = absl::InvalidArgumentError(
        ScrubPassword(absl::StrCat("postgres: malformed URL ", RedactUrl(url),
                                   ": ", FirstLine(parse_error)),
                      url));
    PQfreemem(parse_error);
    return status;
  }
  PQconninfoFree(parsed);

  // libpq counts whole seconds (and treats 1 as 2).
  const std::string connect_timeout = absl::StrCat(
      std::max<int64_t>(1, absl::ToInt64Seconds(absl::Ceil(
                               options.connect_timeout, absl::Seconds(1)))));
  // Keywords after "dbname" override what the URL says.
  const char* const keywords[] = {"dbname", "connect_timeout",
                                  "client_encoding", nullptr};
  const char* const values[] = {url_text.c_str(), connect_timeout.c_str(),
                                "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return absl::ResourceExhaustedError("postgres: out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    absl::Status status = absl::UnavailableError(ScrubPassword(
        absl::StrCat("postgres: cannot connect to ", RedactUrl(url), ": ",
                     FirstLine(PQerrorMessage(conn))),
        url));
    PQfinish(conn);
    return status;
  }
  PQsetNoticeProcessor(conn, &IgnoreNotice, nullptr);
  return std::make_unique<PostgresConnection>(conn, url, options);
}

}  // namespace prongsai::storage::internal
