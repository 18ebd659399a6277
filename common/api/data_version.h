// The data versions that key cached reads. Every write the key covers
// replaces, in its own transaction, the token of one of the key's stripes
// (its connection's) by a new random one, and a key's version is its
// stripes' tokens joined. A cache key holding the version is never served
// after a write, nor after a restore from backup (a restored token names
// exactly the restored data), nor across databases sharing one Redis.
//
// Why stripes: a single row per key would be locked by every write of one
// organization until its commit, so that on PostgreSQL concurrent writers
// of one organization (group commit's writer connections, replicas) would
// queue behind each other on it. Writers with different stripes do not.
// Stripe 0 is the row of `table` (key_column PRIMARY KEY, token), as it was
// before stripes; the others are rows of `{table}_stripes` (key_column,
// stripe, token), a table StripesTableSql adds.
//
//   PRONGSAI_RETURN_IF_ERROR(ReplaceDataVersion(
//       tx, {"plan_versions", "organization_code"}, organization));
//   PRONGSAI_ASSIGN_OR_RETURN(std::string version, ReadDataVersion(
//       db, {"plan_versions", "organization_code"}, organization));
#ifndef PRONGSAI_COMMON_API_DATA_VERSION_H_
#define PRONGSAI_COMMON_API_DATA_VERSION_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/storage/storage.h"

namespace prongsai::api {

// The tables `table` and `{table}_stripes`. Names are the caller's
// constants, never input.
struct DataVersionTable {
  absl::string_view table;
  absl::string_view key_column;
};

// How many stripes a key's version is spread over, at most.
inline constexpr int kDataVersionStripes = 8;

// The migration that adds `{table}_stripes` next to an existing `table`,
// whose key column has SQL type `key_type`. Existing tokens stay as they
// are (stripe 0), and so do cached entries keyed by them.
std::string StripesTableSql(const DataVersionTable& versions,
                            absl::string_view key_type);

// Gives `key` a new random token in `tx`'s stripe; call inside the write's
// transaction.
absl::Status ReplaceDataVersion(storage::Connection& tx,
                                const DataVersionTable& versions,
                                const storage::Value& key);

// The version of `key`, "0" before its first write.
absl::StatusOr<std::string> ReadDataVersion(storage::Connection& db,
                                            const DataVersionTable& versions,
                                            const storage::Value& key);

// The versions of the text keys that `keys_sql`, a SELECT of one column
// with `params`, returns; a key never written is absent (version "0").
absl::StatusOr<absl::flat_hash_map<std::string, std::string>>
ReadDataVersionsOf(storage::Connection& db, const DataVersionTable& versions,
                   absl::string_view keys_sql,
                   absl::Span<const storage::Value> params);

}  // namespace prongsai::api

#endif  // PRONGSAI_COMMON_API_DATA_VERSION_H_
