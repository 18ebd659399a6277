#include "tests/support/postgres_scratch.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/status_macros.h"
#include "common/storage/storage.h"

namespace prongsai::testing {
namespace {

struct ScratchDatabase {
  std::string admin_url;
  std::string name;
};

std::mutex scratch_mu;
std::vector<ScratchDatabase>* scratch_databases = nullptr;

void DropScratchDatabases() {
  std::lock_guard<std::mutex> lock(scratch_mu);
  if (scratch_databases == nullptr) return;
  for (const ScratchDatabase& database : *scratch_databases) {
    auto admin = storage::Connect(database.admin_url);
    if (!admin.ok()) continue;
    // FORCE: a test that failed may have left a connection open.
    (*admin)
        ->Execute(absl::StrCat("DROP DATABASE IF EXISTS ", database.name,
                               " WITH (FORCE)"))
        .IgnoreError();
  }
}

// `url` with its database name (the path) replaced by `name`.
std::string WithDatabase(absl::string_view url, absl::string_view name) {
  const size_t scheme_end = url.find("://");
  const size_t authority =
      scheme_end == absl::string_view::npos ? 0 : scheme_end + 3;
  size_t query = url.find('?', authority);
  if (query == absl::string_view::npos) query = url.size();
  // Skip the user info, whose password may hold a '/'.
  const size_t at = url.substr(0, query).rfind('@');
  const size_t host =
      at != absl::string_view::npos && at >= authority ? at + 1 : authority;
  size_t path = url.find('/', host);
  if (path == absl::string_view::npos || path > query) path = query;
  return absl::StrCat(url.substr(0, path), "/", name, url.substr(query));
}

}  // namespace

absl::StatusOr<std::string> CreateScratchPostgresDatabase(
    absl::string_view admin_url) {
  static std::atomic<int> counter{0};
  // Unique across the processes ctest runs at once (pid) and across reruns
  // that reuse a pid after a crash left a database behind (time).
  const std::string name =
      absl::StrCat("prongsai_test_", getpid(), "_", counter.fetch_add(1), "_",
                   absl::Hex(absl::ToUnixMicros(absl::Now()) & 0xffffffff));
  PRONGSAI_ASSIGN_OR_RETURN(std::unique_ptr<storage::Connection> admin,
                            storage::Connect(admin_url));
  PRONGSAI_RETURN_IF_ERROR(
      admin->Execute(absl::StrCat("CREATE DATABASE ", name)).status());
  {
    std::lock_guard<std::mutex> lock(scratch_mu);
    if (scratch_databases == nullptr) {
      scratch_databases = new std::vector<ScratchDatabase>();
      std::atexit(DropScratchDatabases);
    }
    scratch_databases->push_back({std::string(admin_url), name});
  }
  return WithDatabase(admin_url, name);
}

}  // namespace prongsai::testing
