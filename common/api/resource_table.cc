#include "common/api/resource_table.h"

#include <cstdint>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace prongsai::api {
namespace {

absl::StatusOr<std::optional<std::string>> FindByRequestId(
    storage::Connection& db, absl::string_view table,
    absl::string_view organization, absl::string_view request_id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT id FROM ", table,
                              " WHERE organization_code = ? AND "
                              "request_id = ?"),
                 {std::string(organization), std::string(request_id)}));
  if (result.rows.empty()) return std::nullopt;
  return result.rows[0].GetText(0);
}

}  // namespace

absl::StatusOr<std::string> CreateOnce(
    storage::Connection& db, absl::string_view table,
    absl::string_view organization, absl::string_view request_id,
    absl::FunctionRef<absl::StatusOr<std::string>(storage::Connection&)>
        insert) {
  std::string id;
  absl::Status status =
      storage::InTransaction(db, [&](storage::Connection& tx) -> absl::Status {
        if (!request_id.empty()) {
          PRONGSAI_ASSIGN_OR_RETURN(
              std::optional<std::string> existing,
              FindByRequestId(tx, table, organization, request_id));
          if (existing.has_value()) {
            id = *std::move(existing);
            return absl::OkStatus();
          }
        }
        PRONGSAI_ASSIGN_OR_RETURN(id, insert(tx));
        return absl::OkStatus();
      });
  // Two concurrent creates with one request id: the loser of the race hits
  // the unique constraint and answers with the winner's row.
  if (absl::IsAlreadyExists(status) && !request_id.empty()) {
    PRONGSAI_ASSIGN_OR_RETURN(
        std::optional<std::string> existing,
        FindByRequestId(db, table, organization, request_id));
    if (existing.has_value()) return *std::move(existing);
  }
  PRONGSAI_RETURN_IF_ERROR(status);
  return id;
}

std::string InsertStatement(absl::string_view table, absl::string_view columns,
                            size_t count) {
  std::string sql =
      absl::StrCat("INSERT INTO ", table, " (", columns, ") VALUES (");
  for (size_t i = 0; i < count; ++i) absl::StrAppend(&sql, i ? ", ?" : "?");
  sql.push_back(')');
  return sql;
}

void AppendRequestId(absl::string_view request_id,
                     std::vector<storage::Value>& values) {
  if (request_id.empty()) {
    values.emplace_back(std::monostate());
  } else {
    values.emplace_back(std::string(request_id));
  }
}

absl::StatusOr<RowPage> ListPage(
    storage::Connection& db, absl::string_view table, absl::string_view columns,
    absl::string_view order_column, absl::string_view organization,
    const PageRequest& page, const RowFilter& filter) {
  std::string sql =
      absl::StrCat("SELECT ", columns, ", ", order_column, ", id FROM ", table,
                   " WHERE organization_code = ?");
  std::vector<storage::Value> params = {std::string(organization)};
  params.reserve(5 + filter.params.size());
  if (!filter.sql.empty()) {
    absl::StrAppend(&sql, " AND (", filter.sql, ")");
    params.insert(params.end(), filter.params.begin(), filter.params.end());
  }
  if (!page.cursor.empty()) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(page.cursor, absl::MaxSplits(':', 1));
    int64_t order_value;
    if (!absl::SimpleAtoi(parts.first, &order_value) || parts.second.empty()) {
      return InvalidField("page_token", "is not a token this service issued");
    }
    absl::StrAppend(&sql, " AND (", order_column, " > ? OR (", order_column,
                    " = ? AND id > ?))");
    params.emplace_back(order_value);
    params.emplace_back(order_value);
    params.emplace_back(std::string(parts.second));
  }
  // One extra row tells whether another page follows.
  absl::StrAppend(&sql, " ORDER BY ", order_column, ", id LIMIT ?");
  params.emplace_back(static_cast<int64_t>(page.limit) + 1);
  PRONGSAI_ASSIGN_OR_RETURN(storage::Result result, db.Execute(sql, params));

  RowPage out;
  const bool more = static_cast<int>(result.rows.size()) > page.limit;
  if (more) result.rows.resize(page.limit);
  if (more && !result.rows.empty()) {
    const storage::Row& last = result.rows.back();
    const size_t n = last.size();
    out.next_cursor =
        absl::StrCat(last.GetInt(n - 2), ":", last.GetText(n - 1));
  }
  out.rows = std::move(result.rows);
  return out;
}

}  // namespace prongsai::api
