#include "common/storage/instrumented.h"

#include <utility>

#include "absl/time/clock.h"
#include "common/metrics/metrics.h"

namespace prongsai::storage {
namespace {

class InstrumentedConnection final : public Connection {
 public:
  explicit InstrumentedConnection(std::unique_ptr<Connection> inner)
      : inner_(std::move(inner)),
        backend_(inner_->backend() == Backend::kSqlite ? "sqlite"
                                                       : "postgres") {}

  absl::StatusOr<Result> Execute(absl::string_view sql,
                                 absl::Span<const Value> params) override {
    const absl::Time start = absl::Now();
    absl::StatusOr<Result> result = inner_->Execute(sql, params);
    Observe("execute", start, result.ok());
    return result;
  }
  absl::Status ExecuteScript(absl::string_view sql) override {
    return Timed("script", [&] { return inner_->ExecuteScript(sql); });
  }
  absl::Status Begin() override {
    return Timed("begin", [&] { return inner_->Begin(); });
  }
  absl::Status Commit() override {
    return Timed("commit", [&] { return inner_->Commit(); });
  }
  absl::Status Rollback() override {
    return Timed("rollback", [&] { return inner_->Rollback(); });
  }
  absl::Status RollbackToSavepoint(absl::string_view name) override {
    return Timed("rollback", [&] { return inner_->RollbackToSavepoint(name); });
  }
  void SetDeadline(absl::Time deadline) override {
    inner_->SetDeadline(deadline);
  }
  absl::Status Ping() override { return inner_->Ping(); }
  Backend backend() const override { return inner_->backend(); }

 private:
  template <typename F>
  absl::Status Timed(absl::string_view operation, F call) {
    const absl::Time start = absl::Now();
    absl::Status status = call();
    Observe(operation, start, status.ok());
    return status;
  }
  void Observe(absl::string_view operation, absl::Time start, bool ok) {
    metrics::Db().Observe(backend_, operation, absl::Now() - start, !ok);
  }

  std::unique_ptr<Connection> inner_;
  const absl::string_view backend_;
};

}  // namespace

std::unique_ptr<Connection> Instrumented(std::unique_ptr<Connection> inner) {
  return std::make_unique<InstrumentedConnection>(std::move(inner));
}

}  // namespace prongsai::storage
