// One fresh database per test on each backend the stores run on: a SQLite
// file in a scratch directory, and a scratch PostgreSQL database (skipped,
// or failed under scripts/test, when PRONGSAI_TEST_PG_URL is unset).
//
//   class ListPageTest : public DatabaseTest {};
//   INSTANTIATE_TEST_SUITE_P(Backends, ListPageTest, kBothBackends,
//                            BackendName);
//   TEST_P(ListPageTest, ...) { Exec("CREATE TABLE ..."); db().Execute(...); }
#ifndef PRONGSAI_TESTS_COMMON_API_DATABASE_FIXTURE_H_
#define PRONGSAI_TESTS_COMMON_API_DATABASE_FIXTURE_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/storage/storage.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_scratch.h"
#include "tests/support/test_env.h"

namespace prongsai::storage {

// Readable parameters in test output ("GetParam() = Postgres").
inline void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::kSqlite ? "Sqlite" : "Postgres");
}

}  // namespace prongsai::storage

namespace prongsai::api::testing {

inline const auto kBothBackends =
    ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres);

// "Sqlite" / "Postgres" in test names.
inline std::string BackendName(
    const ::testing::TestParamInfo<storage::Backend>& info) {
  return info.param == storage::Backend::kSqlite ? "Sqlite" : "Postgres";
}

class DatabaseTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == storage::Backend::kSqlite) {
      url_ = absl::StrCat("sqlite://", prongsai::testing::MakeScratchDir(),
                          "/api.db");
    } else {
      std::optional<std::string> admin_url = prongsai::testing::PostgresUrl();
      PRONGSAI_REQUIRE_BACKEND(admin_url, "PostgreSQL");
      absl::StatusOr<std::string> url =
          prongsai::testing::CreateScratchPostgresDatabase(*admin_url);
      ASSERT_THAT(url, prongsai::testing::IsOk());
      url_ = *url;
    }
    db_ = NewConnection();
    ASSERT_NE(db_, nullptr);
  }

  // Another connection to the same database.
  std::unique_ptr<storage::Connection> NewConnection() const {
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(url_);
    EXPECT_THAT(db, prongsai::testing::IsOk());
    return db.ok() ? *std::move(db) : nullptr;
  }

  storage::Connection& db() { return *db_; }

  // Runs a statement that must succeed.
  storage::Result Exec(absl::string_view sql,
                       const std::vector<storage::Value>& params = {}) {
    absl::StatusOr<storage::Result> result = db_->Execute(sql, params);
    EXPECT_THAT(result, prongsai::testing::IsOk()) << sql;
    return result.ok() ? *std::move(result) : storage::Result();
  }

 private:
  std::string url_;
  std::unique_ptr<storage::Connection> db_;
};

}  // namespace prongsai::api::testing

#endif  // PRONGSAI_TESTS_COMMON_API_DATABASE_FIXTURE_H_
