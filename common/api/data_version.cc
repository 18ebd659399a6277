#include "common/api/data_version.h"

#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"

namespace prongsai::api {
namespace {

// Added to every connection's stripe, so that two processes writing one
// database (replicas) do not share their writers' stripes in the same order.
int ProcessStripeOffset() {
  static const int kOffset = [] {
    absl::BitGen random;
    return absl::Uniform(random, 0, kDataVersionStripes);
  }();
  return kOffset;
}

// Joins one key's tokens, read in stripe order, into its version.
void AppendToken(std::string& version, absl::string_view token) {
  if (!version.empty()) version.push_back('.');
  absl::StrAppend(&version, token);
}

}  // namespace

std::string StripesTableSql(const DataVersionTable& versions,
                            absl::string_view key_type) {
  const absl::string_view key = versions.key_column;
  return absl::StrCat("CREATE TABLE ", versions.table, "_stripes (", key, " ",
                      key_type,
                      " NOT NULL, stripe BIGINT NOT NULL, token TEXT NOT NULL, "
                      "PRIMARY KEY (",
                      key, ", stripe));\n");
}

absl::Status ReplaceDataVersion(storage::Connection& tx,
                                const DataVersionTable& versions,
                                const storage::Value& key) {
  const int64_t stripe =
      (tx.write_stripe() + ProcessStripeOffset()) % kDataVersionStripes;
  const absl::string_view column = versions.key_column;
  if (stripe == 0) {
    return tx
        .Execute(absl::StrCat("INSERT INTO ", versions.table, " (", column,
                              ", token) VALUES (?, ?) ON CONFLICT (", column,
                              ") DO UPDATE SET token = excluded.token"),
                 {key, NewResourceId()})
        .status();
  }
  return tx
      .Execute(absl::StrCat(
                   "INSERT INTO ", versions.table, "_stripes (", column,
                   ", stripe, token) VALUES (?, ?, ?) ON CONFLICT (", column,
                   ", stripe) DO UPDATE SET token = excluded.token"),
               {key, stripe, NewResourceId()})
      .status();
}

absl::StatusOr<std::string> ReadDataVersion(storage::Connection& db,
                                            const DataVersionTable& versions,
                                            const storage::Value& key) {
  const absl::string_view column = versions.key_column;
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(
          absl::StrCat("SELECT 0, token FROM ", versions.table, " WHERE ",
                       column, " = ? UNION ALL SELECT stripe, token FROM ",
                       versions.table, "_stripes WHERE ", column,
                       " = ? ORDER BY 1"),
          {key, key}));
  if (result.rows.empty()) return std::string("0");
  std::string version;
  for (const storage::Row& row : result.rows) {
    AppendToken(version, row.GetText(1));
  }
  return version;
}

absl::StatusOr<absl::flat_hash_map<std::string, std::string>>
ReadDataVersionsOf(storage::Connection& db, const DataVersionTable& versions,
                   absl::string_view keys_sql,
                   absl::Span<const storage::Value> params) {
  const absl::string_view column = versions.key_column;
  std::vector<storage::Value> both(params.begin(), params.end());
  both.insert(both.end(), params.begin(), params.end());
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(
          absl::StrCat("SELECT ", column, ", 0, token FROM ", versions.table,
                       " WHERE ", column, " IN (", keys_sql,
                       ") UNION ALL SELECT ", column, ", stripe, token FROM ",
                       versions.table, "_stripes WHERE ", column, " IN (",
                       keys_sql, ") ORDER BY 1, 2"),
          both));
  absl::flat_hash_map<std::string, std::string> found;
  for (const storage::Row& row : result.rows) {
    AppendToken(found[row.GetText(0)], row.GetText(2));
  }
  return found;
}

}  // namespace prongsai::api
