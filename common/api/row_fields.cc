#include "common/api/row_fields.h"

#include <cstdint>
#include <string>

#include "common/api/fields.h"

namespace prongsai::api {

void AppendOrganizationValues(absl::string_view code,
                              const common::v1::OrganizationRef& ref,
                              std::vector<storage::Value>& values) {
  values.emplace_back(std::string(code));
  values.emplace_back(ref.name());
  values.emplace_back(static_cast<int64_t>(ref.kind()));
  values.emplace_back(ref.province());
  values.emplace_back(ref.district());
}

common::v1::OrganizationRef OrganizationFromRow(const storage::Row& row,
                                                size_t first_column) {
  common::v1::OrganizationRef ref;
  ref.set_code(row.GetText(first_column));
  ref.set_name(row.GetText(first_column + 1));
  ref.set_kind(
      static_cast<common::v1::OrganizationKind>(row.GetInt(first_column + 2)));
  ref.set_province(row.GetText(first_column + 3));
  ref.set_district(row.GetText(first_column + 4));
  return ref;
}

void AppendCreationAuditValues(absl::string_view principal, absl::Time now,
                               std::vector<storage::Value>& values) {
  const int64_t micros = absl::ToUnixMicros(now);
  values.emplace_back(micros);
  values.emplace_back(std::string(principal));
  values.emplace_back(micros);
  values.emplace_back(std::string(principal));
}

common::v1::AuditStamp AuditFromRow(const storage::Row& row,
                                    size_t first_column) {
  common::v1::AuditStamp audit;
  *audit.mutable_create_time() =
      ToProtoTime(absl::FromUnixMicros(row.GetInt(first_column)));
  audit.set_creator(row.GetText(first_column + 1));
  *audit.mutable_update_time() =
      ToProtoTime(absl::FromUnixMicros(row.GetInt(first_column + 2)));
  audit.set_updater(row.GetText(first_column + 3));
  return audit;
}

}  // namespace prongsai::api
