// Internal to common/storage: the SQLite backend behind storage::Connect.
//
//   OpenSqlite("/var/lib/prongsai/plan.db", {});
#ifndef PRONGSAI_COMMON_STORAGE_SQLITE_CONNECTION_H_
#define PRONGSAI_COMMON_STORAGE_SQLITE_CONNECTION_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/storage.h"

namespace prongsai::storage::internal {

// Opens (creating if needed) the database file at `path`, whose directory
// must exist.
absl::StatusOr<std::unique_ptr<Connection>> OpenSqlite(
    absl::string_view path, const ConnectOptions& options);

}  // namespace prongsai::storage::internal

#endif  // PRONGSAI_COMMON_STORAGE_SQLITE_CONNECTION_H_
