// SQL for reply templates (reply_templates.h), the same statements on
// SQLite and PostgreSQL.
//
//   PRONGSAI_ASSIGN_OR_RETURN(v1::ReplyTemplate stored,
//       UpsertReplyTemplate(db, "6340101", "acknowledge", validated, now));
#ifndef PRONGSAI_SERVICES_COMPLAINT_REPLY_TEMPLATE_STORE_H_
#define PRONGSAI_SERVICES_COMPLAINT_REPLY_TEMPLATE_STORE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/resource_table.h"
#include "common/base/resource_name.h"
#include "common/storage/storage.h"
#include "prongsai/complaint/v1/complaint.pb.h"

namespace prongsai::complaint {

// Creates or replaces the template `id` (validated) in one statement.
absl::StatusOr<v1::ReplyTemplate> UpsertReplyTemplate(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id, const v1::ReplyTemplate& reply_template,
    absl::Time now);

// NOT_FOUND when there is none.
absl::StatusOr<v1::ReplyTemplate> GetReplyTemplate(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id);

// In creation order. `category_id` (empty: any) and `state`
// (STATE_UNSPECIFIED: any) keep the templates for them or for any.
absl::StatusOr<api::Page<v1::ReplyTemplate>> ListReplyTemplates(
    storage::Connection& db, absl::string_view organization,
    absl::string_view category_id, v1::Complaint::State state,
    const PageRequest& page);

// NOT_FOUND when there is none.
absl::Status DeleteReplyTemplate(storage::Connection& db,
                                 absl::string_view organization,
                                 absl::string_view id);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_REPLY_TEMPLATE_STORE_H_
