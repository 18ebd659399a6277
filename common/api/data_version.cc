#include "common/api/data_version.h"

#include "absl/strings/str_cat.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"

namespace prongsai::api {

absl::Status ReplaceDataVersion(storage::Connection& tx,
                                const DataVersionTable& versions,
                                const storage::Value& key) {
  return tx
      .Execute(absl::StrCat(
                   "INSERT INTO ", versions.table, " (", versions.key_column,
                   ", token) VALUES (?, ?) ON CONFLICT (", versions.key_column,
                   ") DO UPDATE SET token = excluded.token"),
               {key, NewResourceId()})
      .status();
}

absl::StatusOr<std::string> ReadDataVersion(storage::Connection& db,
                                            const DataVersionTable& versions,
                                            const storage::Value& key) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT token FROM ", versions.table, " WHERE ",
                              versions.key_column, " = ?"),
                 {key}));
  return result.rows.empty() ? std::string("0") : result.rows[0].GetText(0);
}

}  // namespace prongsai::api
