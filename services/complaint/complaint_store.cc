#include "services/complaint/complaint_store.h"

#include "absl/strings/str_cat.h"
#include "common/api/api_fields.h"
#include "common/api/resource_table.h"
#include "common/base/status_macros.h"
#include "services/complaint/complaint_domain.h"

namespace prongsai::complaint {
namespace {

constexpr absl::string_view kComplaints = "complaints";

constexpr absl::string_view kMigration1 = R"sql(
CREATE TABLE complaints (
  id TEXT NOT NULL PRIMARY KEY,
  organization_code TEXT NOT NULL,
  organization_name TEXT NOT NULL,
  organization_kind BIGINT NOT NULL,
  province TEXT NOT NULL,
  district TEXT NOT NULL,
  kind BIGINT NOT NULL,
  channel BIGINT NOT NULL,
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  state BIGINT NOT NULL,
  receive_time_us BIGINT NOT NULL,
  due_time_us BIGINT NOT NULL,
  create_time_us BIGINT NOT NULL,
  creator TEXT NOT NULL,
  update_time_us BIGINT NOT NULL,
  updater TEXT NOT NULL,
  request_id TEXT,
  UNIQUE (organization_code, request_id)
);
CREATE INDEX complaints_by_organization
  ON complaints (organization_code, receive_time_us, id);
)sql";

// Column order shared by every SELECT below and by ComplaintFromRow.
const std::string& SelectColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "id, ", api::kOrganizationColumns,
      ", kind, channel, subject, description, state, receive_time_us, "
      "due_time_us, ",
      api::kAuditColumns));
  return *columns;
}

v1::Complaint ComplaintFromRow(const storage::Row& row) {
  v1::Complaint complaint;
  *complaint.mutable_organization() = api::OrganizationFromRow(row, 1);
  complaint.set_name(FormatChildName(complaint.organization().code(),
                                     kComplaints, row.GetText(0)));
  complaint.set_kind(static_cast<v1::Complaint::Kind>(row.GetInt(6)));
  complaint.set_channel(static_cast<v1::Complaint::Channel>(row.GetInt(7)));
  complaint.set_subject(row.GetText(8));
  complaint.set_description(row.GetText(9));
  complaint.set_state(static_cast<v1::Complaint::State>(row.GetInt(10)));
  *complaint.mutable_receive_time() =
      api::ToProtoTime(absl::FromUnixMicros(row.GetInt(11)));
  *complaint.mutable_due_time() =
      api::ToProtoTime(absl::FromUnixMicros(row.GetInt(12)));
  *complaint.mutable_audit() = api::AuditFromRow(row, 13);
  return complaint;
}

}  // namespace

std::vector<storage::Migration> Migrations() {
  return {{1, "complaint register", kMigration1}};
}

absl::StatusOr<v1::Complaint> CreateComplaint(storage::Connection& db,
                                              absl::string_view organization,
                                              const v1::Complaint& complaint,
                                              absl::string_view request_id,
                                              absl::string_view creator,
                                              absl::Time now) {
  auto insert = [&](storage::Connection& tx) -> absl::StatusOr<std::string> {
    std::string id = NewResourceId();
    std::vector<storage::Value> values = {id};
    api::AppendOrganizationValues(organization, complaint.organization(),
                                  values);
    values.emplace_back(int64_t{complaint.kind()});
    values.emplace_back(int64_t{complaint.channel()});
    values.emplace_back(complaint.subject());
    values.emplace_back(complaint.description());
    values.emplace_back(int64_t{v1::Complaint::RECEIVED});
    values.emplace_back(absl::ToUnixMicros(now));
    values.emplace_back(absl::ToUnixMicros(DueTime(now)));
    api::AppendCreationAuditValues(creator, now, values);
    api::AppendRequestId(request_id, values);
    PRONGSAI_RETURN_IF_ERROR(
        tx.Execute(
              api::InsertStatement(
                  "complaints", absl::StrCat(SelectColumns(), ", request_id"),
                  values.size()),
              values)
            .status());
    return id;
  };
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string id,
      api::CreateOnce(db, "complaints", organization, request_id, insert));
  return GetComplaint(db, organization, id);
}

absl::StatusOr<v1::Complaint> GetComplaint(storage::Connection& db,
                                           absl::string_view organization,
                                           absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", SelectColumns(),
                              " FROM complaints WHERE organization_code = ? "
                              "AND id = ?"),
                 {std::string(organization), std::string(id)}));
  if (result.rows.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no complaint ", FormatChildName(organization, kComplaints, id)));
  }
  return ComplaintFromRow(result.rows[0]);
}

absl::StatusOr<ComplaintPage> ListComplaints(storage::Connection& db,
                                             absl::string_view organization,
                                             const PageRequest& page) {
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows, api::ListPage(db, "complaints", SelectColumns(),
                                       "receive_time_us", organization, page));
  ComplaintPage out;
  for (const storage::Row& row : rows.rows) {
    out.complaints.push_back(ComplaintFromRow(row));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

}  // namespace prongsai::complaint
