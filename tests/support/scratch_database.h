// The two storage backends the store and service tests run on, and a new
// empty database of either for each test: a SQLite file in a scratch
// directory, or a scratch database on the PostgreSQL server that
// scripts/test starts (PRONGSAI_TEST_PG_URL; skipped when it is not set).
//
//   INSTANTIATE_TEST_SUITE_P(Backends, PlanStoreTest,
//                            ::testing::Values(Backend::kSqlite,
//                                              Backend::kPostgres),
//                            BackendName);
//   void SetUp() override {
//     std::string url;
//     NewScratchDatabase(GetParam(), "plan", &url);
//     if (url.empty()) return;  // skipped, or failed
//     auto db = storage::Connect(url);
//   }
#ifndef PRONGSAI_TESTS_SUPPORT_SCRATCH_DATABASE_H_
#define PRONGSAI_TESTS_SUPPORT_SCRATCH_DATABASE_H_

#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace prongsai::testing {

enum class Backend { kSqlite, kPostgres };
void PrintTo(Backend backend, std::ostream* os);
// "Sqlite" or "Postgres", the suffix of a parameterized test's name.
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// Sets `*url` to a new empty database on `backend`: `name`.db in a new
// scratch directory, or a new scratch PostgreSQL database. Leaves it empty
// after skipping the test (PostgreSQL not configured) or recording a
// failure.
void NewScratchDatabase(Backend backend, absl::string_view name,
                        std::string* url);

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SUPPORT_SCRATCH_DATABASE_H_
