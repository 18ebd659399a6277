#include "tests/support/scratch_database.h"

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "tests/support/postgres_scratch.h"
#include "tests/support/test_env.h"

namespace prongsai::testing {

void PrintTo(Backend backend, std::ostream* os) {
  *os << (backend == Backend::kSqlite ? "Sqlite" : "Postgres");
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

void NewScratchDatabase(Backend backend, absl::string_view name,
                        std::string* url) {
  url->clear();
  if (backend == Backend::kSqlite) {
    *url = absl::StrCat("sqlite://", MakeScratchDir(), "/", name, ".db");
    return;
  }
  const std::optional<std::string> admin = PostgresUrl();
  PRONGSAI_REQUIRE_BACKEND(admin, "PostgreSQL");
  absl::StatusOr<std::string> scratch = CreateScratchPostgresDatabase(*admin);
  ASSERT_TRUE(scratch.ok()) << scratch.status();
  *url = *std::move(scratch);
}

}  // namespace prongsai::testing
