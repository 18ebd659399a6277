#include "services/plan/plan_documents.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/api/resource_table.h"
#include "common/api/row_fields.h"

namespace prongsai::plan {

using storage::Connection;
using storage::Value;

Document DocumentFromRow(const storage::Row& row) {
  Document doc;
  doc.parent_id = row.GetText(0);
  doc.id = row.GetText(1);
  doc.version = row.GetInt(2);
  doc.body = row.GetText(3);
  doc.audit = api::AuditFromRow(row, 4);
  return doc;
}

std::string Etag(int64_t version) { return absl::StrCat("v", version); }

int64_t VersionOf(absl::string_view etag) {
  int64_t version = 0;
  if (etag.size() > 1) (void)absl::SimpleAtoi(etag.substr(1), &version);
  return version;
}

absl::Status BumpVersion(Connection& tx, absl::string_view organization) {
  return api::ReplaceDataVersion(tx, kPlanVersions, std::string(organization));
}

absl::Status InsertDocument(Connection& tx, absl::string_view table,
                            absl::string_view organization,
                            absl::string_view parent_id, absl::string_view id,
                            const DocumentKeys& keys,
                            const google::protobuf::Message& body,
                            absl::string_view request_id,
                            const api::AuditWriter& writer) {
  std::vector<Value> values = {std::string(organization),
                               std::string(parent_id),
                               std::string(id),
                               keys.sort_key,
                               keys.be_year,
                               keys.subject,
                               api::ToStoredJson(body),
                               int64_t{1}};
  api::AppendCreationAuditValues(writer.principal, writer.now, values);
  api::AppendRequestId(request_id, values);
  PRONGSAI_RETURN_IF_ERROR(
      tx.Execute(api::InsertStatement(
                     table,
                     "organization_code, parent_id, id, sort_key, be_year, "
                     "subject, body, version, create_time_us, creator, "
                     "update_time_us, updater, request_id",
                     values.size()),
                 values)
          .status());
  return BumpVersion(tx, organization);
}

absl::StatusOr<std::optional<Document>> FindDocument(
    Connection& db, absl::string_view table, absl::string_view organization,
    absl::string_view parent_id, absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kDocumentColumns, " FROM ", table,
                              " WHERE organization_code = ? AND parent_id = ? "
                              "AND id = ?"),
                 {std::string(organization), std::string(parent_id),
                  std::string(id)}));
  if (result.rows.empty()) return std::nullopt;
  return DocumentFromRow(result.rows[0]);
}

absl::StatusOr<Document> GetDocument(Connection& db, absl::string_view table,
                                     absl::string_view organization,
                                     absl::string_view parent_id,
                                     absl::string_view id,
                                     absl::string_view resource_name) {
  PRONGSAI_ASSIGN_OR_RETURN(
      std::optional<Document> doc,
      FindDocument(db, table, organization, parent_id, id));
  if (!doc.has_value()) {
    return absl::NotFoundError(absl::StrCat("no ", resource_name));
  }
  return *std::move(doc);
}

absl::StatusOr<std::vector<Document>> AllDocuments(
    Connection& db, absl::string_view table, absl::string_view organization,
    absl::string_view parent_id, std::optional<int64_t> be_year) {
  std::string sql =
      absl::StrCat("SELECT ", kDocumentColumns, " FROM ", table,
                   " WHERE organization_code = ? AND parent_id = ?");
  std::vector<Value> params = {std::string(organization),
                               std::string(parent_id)};
  if (be_year.has_value()) {
    absl::StrAppend(&sql, " AND be_year = ?");
    params.emplace_back(*be_year);
  }
  absl::StrAppend(&sql, " ORDER BY sort_key, id");
  PRONGSAI_ASSIGN_OR_RETURN(storage::Result result, db.Execute(sql, params));
  std::vector<Document> docs;
  docs.reserve(result.rows.size());
  for (const storage::Row& row : result.rows) {
    docs.push_back(DocumentFromRow(row));
  }
  return docs;
}

absl::Status UpdateDocument(Connection& tx, absl::string_view table,
                            absl::string_view organization, const Document& doc,
                            const DocumentKeys& keys,
                            const google::protobuf::Message& body,
                            const api::AuditWriter& writer) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      tx.Execute(
          absl::StrCat("UPDATE ", table,
                       " SET body = ?, sort_key = ?, be_year = ?, "
                       "subject = ?, version = version + 1, "
                       "update_time_us = ?, updater = ? WHERE "
                       "organization_code = ? AND parent_id = ? AND "
                       "id = ? AND version = ?"),
          {api::ToStoredJson(body), keys.sort_key, keys.be_year, keys.subject,
           absl::ToUnixMicros(writer.now), writer.principal,
           std::string(organization), doc.parent_id, doc.id, doc.version}));
  if (result.affected_rows != 1) {
    return absl::AbortedError(
        "the resource changed while this call ran; read it again and retry");
  }
  return BumpVersion(tx, organization);
}

}  // namespace prongsai::plan
