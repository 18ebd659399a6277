// The SQL columns of the shared prongsai.common.v1 fields. Every resource row
// starts with the same organization columns and ends with the same audit
// columns, so the three stores read and write them here, once.
//
//   std::vector<storage::Value> values;
//   AppendOrganizationValues(code, ref, values);
//   AppendCreationAuditValues(writer.principal, writer.now, values);
//   ...
//   *plan.mutable_audit() = AuditFromRow(row, 7);
#ifndef PRONGSAI_COMMON_API_ROW_FIELDS_H_
#define PRONGSAI_COMMON_API_ROW_FIELDS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/storage/storage.h"
#include "prongsai/common/v1/common.pb.h"

namespace prongsai::api {

// Columns `organization_code, organization_name, organization_kind,
// province, district`, in that order.
inline constexpr absl::string_view kOrganizationColumns =
    "organization_code, organization_name, organization_kind, province, "
    "district";
// Column definitions for CREATE TABLE.
inline constexpr absl::string_view kOrganizationColumnsDdl =
    "organization_code TEXT NOT NULL, organization_name TEXT NOT NULL, "
    "organization_kind BIGINT NOT NULL, province TEXT NOT NULL, "
    "district TEXT NOT NULL";
void AppendOrganizationValues(absl::string_view code,
                              const common::v1::OrganizationRef& ref,
                              std::vector<storage::Value>& values);
common::v1::OrganizationRef OrganizationFromRow(const storage::Row& row,
                                                size_t first_column);

// Columns `create_time_us, creator, update_time_us, updater`.
inline constexpr absl::string_view kAuditColumns =
    "create_time_us, creator, update_time_us, updater";
inline constexpr absl::string_view kAuditColumnsDdl =
    "create_time_us BIGINT NOT NULL, creator TEXT NOT NULL, "
    "update_time_us BIGINT NOT NULL, updater TEXT NOT NULL";
// Values for a new row created by `principal` at `now`.
void AppendCreationAuditValues(absl::string_view principal, absl::Time now,
                               std::vector<storage::Value>& values);
common::v1::AuditStamp AuditFromRow(const storage::Row& row,
                                    size_t first_column);

}  // namespace prongsai::api

#endif  // PRONGSAI_COMMON_API_ROW_FIELDS_H_
