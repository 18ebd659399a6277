// Throw-away PostgreSQL databases for tests. ctest runs test binaries (and
// each test of a binary) in parallel against one server; giving each its own
// database means they never see each other's tables.
//
//   std::optional<std::string> admin = PostgresUrl();
//   PRONGSAI_REQUIRE_BACKEND(admin, "PostgreSQL");
//   absl::StatusOr<std::string> url = CreateScratchPostgresDatabase(*admin);
//   ASSERT_THAT(url, IsOk());
//   auto db = storage::Connect(*url);
#ifndef PRONGSAI_TESTS_SUPPORT_POSTGRES_SCRATCH_H_
#define PRONGSAI_TESTS_SUPPORT_POSTGRES_SCRATCH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prongsai::testing {

// Creates a new, uniquely named, empty database on the server of
// `admin_url` (whose user may CREATE DATABASE) and returns the URL of the
// new database: `admin_url` with its database name replaced. The database
// is dropped, best-effort, when the process exits.
absl::StatusOr<std::string> CreateScratchPostgresDatabase(
    absl::string_view admin_url);

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SUPPORT_POSTGRES_SCRATCH_H_
