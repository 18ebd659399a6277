// The data versions that key cached reads: a table of (key, token) rows
// whose token is replaced by a new random one in the same transaction as
// every write the key covers. A cache key holding the token is never served
// after a write, nor after a restore from backup (a restored token names
// exactly the restored data), nor across databases sharing one Redis.
//
//   PRONGSAI_RETURN_IF_ERROR(ReplaceDataVersion(
//       tx, {"plan_versions", "organization_code"}, organization));
//   PRONGSAI_ASSIGN_OR_RETURN(std::string version, ReadDataVersion(
//       db, {"plan_versions", "organization_code"}, organization));
#ifndef PRONGSAI_COMMON_API_DATA_VERSION_H_
#define PRONGSAI_COMMON_API_DATA_VERSION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/storage.h"

namespace prongsai::api {

// A table `table` (key_column PRIMARY KEY, token TEXT NOT NULL). Names are
// the caller's constants, never input.
struct DataVersionTable {
  absl::string_view table;
  absl::string_view key_column;
};

// Gives `key` a new random token; call inside the write's transaction.
absl::Status ReplaceDataVersion(storage::Connection& tx,
                                const DataVersionTable& versions,
                                const storage::Value& key);

// The token of `key`, "0" before its first write.
absl::StatusOr<std::string> ReadDataVersion(storage::Connection& db,
                                            const DataVersionTable& versions,
                                            const storage::Value& key);

}  // namespace prongsai::api

#endif  // PRONGSAI_COMMON_API_DATA_VERSION_H_
