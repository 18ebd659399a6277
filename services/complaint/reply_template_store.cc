#include "services/complaint/reply_template_store.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/fields.h"
#include "common/base/status_macros.h"
#include "services/complaint/reply_templates.h"

namespace prongsai::complaint {
namespace {

constexpr absl::string_view kTable = "complaint_reply_templates";
constexpr absl::string_view kColumns =
    "id, display_name, text, parameters, category_id, states, visibility, "
    "update_time_us";

// ",4,5," for states 4 and 5; "" for any state.
std::string StatesColumn(const v1::ReplyTemplate& reply_template) {
  if (reply_template.states().empty()) return "";
  return absl::StrCat(",", absl::StrJoin(reply_template.states(), ","), ",");
}

v1::ReplyTemplate FromRow(absl::string_view organization,
                          const storage::Row& row) {
  v1::ReplyTemplate out;
  out.set_name(FormatChildName(organization, kReplyTemplates, row.GetText(0)));
  out.set_display_name(row.GetText(1));
  out.set_text(row.GetText(2));
  for (absl::string_view parameter :
       absl::StrSplit(row.GetText(3), ',', absl::SkipEmpty())) {
    out.add_parameters(std::string(parameter));
  }
  if (!row.GetText(4).empty()) {
    out.set_category(
        FormatChildName(organization, "categories", row.GetText(4)));
  }
  for (absl::string_view state :
       absl::StrSplit(row.GetText(5), ',', absl::SkipEmpty())) {
    int number = 0;
    if (absl::SimpleAtoi(state, &number)) {
      out.add_states(static_cast<v1::Complaint::State>(number));
    }
  }
  out.set_visibility(static_cast<v1::Reply::Visibility>(row.GetInt(6)));
  *out.mutable_update_time() =
      api::ToProtoTime(absl::FromUnixMicros(row.GetInt(7)));
  return out;
}

}  // namespace

absl::StatusOr<v1::ReplyTemplate> UpsertReplyTemplate(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id, const v1::ReplyTemplate& reply_template,
    absl::Time now) {
  std::string category_id;
  if (!reply_template.category().empty()) {
    category_id = reply_template.category().substr(
        reply_template.category().rfind('/') + 1);
  }
  const int visibility =
      reply_template.visibility() == v1::Reply::VISIBILITY_UNSPECIFIED
          ? v1::Reply::PUBLIC
          : reply_template.visibility();
  PRONGSAI_RETURN_IF_ERROR(
      db.Execute(
            "INSERT INTO complaint_reply_templates (organization_code, id, "
            "display_name, text, parameters, category_id, states, "
            "visibility, create_time_us, update_time_us) VALUES (?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?) ON CONFLICT (organization_code, id) DO UPDATE "
            "SET display_name = excluded.display_name, text = excluded.text, "
            "parameters = excluded.parameters, category_id = "
            "excluded.category_id, states = excluded.states, visibility = "
            "excluded.visibility, update_time_us = excluded.update_time_us",
            {std::string(organization), std::string(id),
             reply_template.display_name(), reply_template.text(),
             absl::StrJoin(reply_template.parameters(), ","), category_id,
             StatesColumn(reply_template), int64_t{visibility},
             absl::ToUnixMicros(now), absl::ToUnixMicros(now)})
          .status());
  return GetReplyTemplate(db, organization, id);
}

absl::StatusOr<v1::ReplyTemplate> GetReplyTemplate(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kColumns, " FROM ", kTable,
                              " WHERE organization_code = ? AND id = ?"),
                 {std::string(organization), std::string(id)}));
  if (result.rows.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no reply template ",
                     FormatChildName(organization, kReplyTemplates, id)));
  }
  return FromRow(organization, result.rows[0]);
}

absl::StatusOr<api::Page<v1::ReplyTemplate>> ListReplyTemplates(
    storage::Connection& db, absl::string_view organization,
    absl::string_view category_id, v1::Complaint::State state,
    const PageRequest& page) {
  api::RowFilter filter;
  std::vector<std::string> conditions;
  if (!category_id.empty()) {
    conditions.push_back("category_id = '' OR category_id = ?");
    filter.params.emplace_back(std::string(category_id));
  }
  if (state != v1::Complaint::STATE_UNSPECIFIED) {
    conditions.push_back("states = '' OR states LIKE ?");
    filter.params.emplace_back(
        absl::StrCat("%,", static_cast<int>(state), ",%"));
  }
  if (!conditions.empty()) {
    filter.sql = absl::StrCat("(", absl::StrJoin(conditions, ") AND ("), ")");
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows, api::ListPage(db, kTable, kColumns, "create_time_us",
                                       organization, page, filter));
  api::Page<v1::ReplyTemplate> out;
  out.items.reserve(rows.rows.size());
  for (const storage::Row& row : rows.rows) {
    out.items.push_back(FromRow(organization, row));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::Status DeleteReplyTemplate(storage::Connection& db,
                                 absl::string_view organization,
                                 absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("DELETE FROM complaint_reply_templates WHERE "
                 "organization_code = ? AND id = ?",
                 {std::string(organization), std::string(id)}));
  if (result.affected_rows == 0) {
    return absl::NotFoundError(
        absl::StrCat("no reply template ",
                     FormatChildName(organization, kReplyTemplates, id)));
  }
  return absl::OkStatus();
}

}  // namespace prongsai::complaint
