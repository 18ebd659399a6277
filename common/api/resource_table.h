// The storage patterns every resource of the three services shares: an
// idempotent create keyed by (organization, request_id), and keyset paging
// ordered by an integer column then the id.
//
//   PRONGSAI_ASSIGN_OR_RETURN(std::string id,
//       CreateOnce(db, "action_plans", org, request_id, [&](auto& tx) {
//         return InsertPlan(tx, ...);  // returns the new id
//       }));
#ifndef PRONGSAI_COMMON_API_RESOURCE_TABLE_H_
#define PRONGSAI_COMMON_API_RESOURCE_TABLE_H_

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/resource_name.h"
#include "common/storage/storage.h"

namespace prongsai::api {

// Runs `insert` (which returns the new row's id) in a transaction, unless a
// row of `table` already has this organization and non-empty `request_id`:
// then that row's id is returned and nothing is written. The table must have
// `id`, `organization_code` and `request_id` columns with
// UNIQUE (organization_code, request_id).
absl::StatusOr<std::string> CreateOnce(
    storage::Connection& db, absl::string_view table,
    absl::string_view organization, absl::string_view request_id,
    absl::FunctionRef<absl::StatusOr<std::string>(storage::Connection&)>
        insert);

// "INSERT INTO table (columns) VALUES (?, ?, ...)" with `count` placeholders.
std::string InsertStatement(absl::string_view table, absl::string_view columns,
                            size_t count);

// Appends the request id, or NULL when there is none (NULLs never collide
// in the UNIQUE (organization_code, request_id) constraint).
void AppendRequestId(absl::string_view request_id,
                     std::vector<storage::Value>& values);

// One page of a List: the items, and the cursor after the last one (empty
// when it is the last page), which the service turns into next_page_token.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;
};

// One page of rows and the cursor after its last row (empty when it is the
// last page).
struct RowPage {
  std::vector<storage::Row> rows;
  std::string next_cursor;
};

// An extra condition ANDed to a listing's WHERE clause, e.g.
// {"complaint_id = ?", {id}}. The SQL is the caller's constant; values go
// only through the parameters.
struct RowFilter {
  std::string sql;
  std::vector<storage::Value> params;
};

// Selects `columns` from `table` for `organization` (and `filter`), ordered
// by (`order_column`, id), resuming after `page.cursor`. `order_column` must
// be an integer column and the names constants of the caller, never input.
absl::StatusOr<RowPage> ListPage(
    storage::Connection& db, absl::string_view table, absl::string_view columns,
    absl::string_view order_column, absl::string_view organization,
    const PageRequest& page, const RowFilter& filter = {});

}  // namespace prongsai::api

#endif  // PRONGSAI_COMMON_API_RESOURCE_TABLE_H_
