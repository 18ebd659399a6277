// The plan store's "document tables": every sub-resource of a plan
// (projects, risks, annual plans, integrity measures, progress reports) is a
// row of one table shape, with key columns for lookups and ordering and the
// resource itself as protobuf JSON in `body`. These functions read and write
// such rows, keep the organization's data version current on every write,
// and turn rows into messages and back. Only the plan store uses them.
//
//   PRONGSAI_ASSIGN_OR_RETURN(Document doc,
//       GetDocument(tx, "projects", org, plan_id, id, resource_name));
//   PRONGSAI_ASSIGN_OR_RETURN(v1::Project project,
//       Decode<v1::Project>(doc, resource_name));
//   ... change project ...
//   PRONGSAI_RETURN_IF_ERROR(UpdateDocument(tx, "projects", org, doc,
//       {project.sequence(), 0, ""}, Body(project), writer));
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_DOCUMENTS_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_DOCUMENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/api/data_version.h"
#include "common/api/fields.h"
#include "common/api/json_body.h"
#include "common/base/status_macros.h"
#include "common/storage/storage.h"
#include "google/protobuf/message.h"
#include "prongsai/common/v1/common.pb.h"

namespace prongsai::plan {

// One row of a document table. `parent_id` is the action plan's id, or ''
// for organization-level resources.
struct Document {
  std::string parent_id;
  std::string id;
  int64_t version = 0;
  std::string body;
  common::v1::AuditStamp audit;
};

// The columns DocumentFromRow reads, in its order.
inline constexpr absl::string_view kDocumentColumns =
    "parent_id, id, version, body, create_time_us, creator, update_time_us, "
    "updater";
Document DocumentFromRow(const storage::Row& row);

// Key columns of a document row besides its identity: `sort_key` orders
// listings (sequence or creation time); `subject` is what a progress report
// is about.
struct DocumentKeys {
  int64_t sort_key = 0;
  int64_t be_year = 0;
  std::string subject;
};

// "v<version>", the etag of a row at `version`, and back (0 when `etag`
// is not one).
std::string Etag(int64_t version);
int64_t VersionOf(absl::string_view etag);

// The organizations' data versions (see DataVersion in plan_store.h).
inline constexpr api::DataVersionTable kPlanVersions = {"plan_versions",
                                                        "organization_code"};
// Replaces the organization's data version: every write calls it in its
// transaction.
absl::Status BumpVersion(storage::Connection& tx,
                         absl::string_view organization);

absl::Status InsertDocument(storage::Connection& tx, absl::string_view table,
                            absl::string_view organization,
                            absl::string_view parent_id, absl::string_view id,
                            const DocumentKeys& keys,
                            const google::protobuf::Message& body,
                            absl::string_view request_id,
                            const api::AuditWriter& writer);

// The row, or nullopt when there is none.
absl::StatusOr<std::optional<Document>> FindDocument(
    storage::Connection& db, absl::string_view table,
    absl::string_view organization, absl::string_view parent_id,
    absl::string_view id);
// The row, or NOT_FOUND "no <resource_name>".
absl::StatusOr<Document> GetDocument(storage::Connection& db,
                                     absl::string_view table,
                                     absl::string_view organization,
                                     absl::string_view parent_id,
                                     absl::string_view id,
                                     absl::string_view resource_name);

// Every document of a parent (of `be_year` only, when given), ordered by
// sort key: bounded by what one plan or one organization-year holds.
absl::StatusOr<std::vector<Document>> AllDocuments(
    storage::Connection& db, absl::string_view table,
    absl::string_view organization, absl::string_view parent_id,
    std::optional<int64_t> be_year);

// Writes `body` and `keys` over `doc` if the row is still at doc.version;
// ABORTED when a concurrent write got there first.
absl::Status UpdateDocument(storage::Connection& tx, absl::string_view table,
                            absl::string_view organization, const Document& doc,
                            const DocumentKeys& keys,
                            const google::protobuf::Message& body,
                            const api::AuditWriter& writer);

// Decodes a document into `M` and sets its output-only fields (name, etag,
// and the audit stamp when `M` has one).
template <typename M>
absl::StatusOr<M> Decode(const Document& doc, std::string name) {
  M message;
  PRONGSAI_RETURN_IF_ERROR(api::FromStoredJson(doc.body, message));
  message.set_name(std::move(name));
  message.set_etag(Etag(doc.version));
  if constexpr (requires { message.mutable_audit(); }) {
    *message.mutable_audit() = doc.audit;
  }
  return message;
}

// The body to store: the message without its output-only fields.
template <typename M>
M Body(M message) {
  message.clear_name();
  message.clear_etag();
  if constexpr (requires { message.clear_audit(); }) message.clear_audit();
  return message;
}

// Runs `body` in a transaction and returns what it produced.
template <typename T>
absl::StatusOr<T> Transact(
    storage::Connection& db,
    absl::FunctionRef<absl::StatusOr<T>(storage::Connection&)> body) {
  std::optional<T> out;
  PRONGSAI_RETURN_IF_ERROR(
      storage::InTransaction(db, [&](storage::Connection& tx) -> absl::Status {
        PRONGSAI_ASSIGN_OR_RETURN(T value, body(tx));
        out = std::move(value);
        return absl::OkStatus();
      }));
  return *std::move(out);
}

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_DOCUMENTS_H_
