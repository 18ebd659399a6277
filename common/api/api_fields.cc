#include "common/api/api_fields.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace prongsai::api {

absl::Status ValidateOrganizationRef(absl::string_view field_path,
                                     const common::v1::OrganizationRef& ref) {
  PRONGSAI_RETURN_IF_ERROR(ValidateText(absl::StrCat(field_path, ".name"),
                                        ref.name(), 300, /*required=*/false));
  PRONGSAI_RETURN_IF_ERROR(ValidateText(absl::StrCat(field_path, ".province"),
                                        ref.province(), 100, false));
  PRONGSAI_RETURN_IF_ERROR(ValidateText(absl::StrCat(field_path, ".district"),
                                        ref.district(), 100, false));
  if (!common::v1::OrganizationKind_IsValid(ref.kind())) {
    return InvalidField(absl::StrCat(field_path, ".kind"),
                        "is not a known organization kind");
  }
  return absl::OkStatus();
}

absl::Status ValidateFiscalYear(absl::string_view field_path, int be_year) {
  if (be_year >= kMinFiscalYear && be_year <= kMaxFiscalYear) {
    return absl::OkStatus();
  }
  if (be_year >= kMinFiscalYear - 543 && be_year <= kMaxFiscalYear - 543) {
    return InvalidField(
        field_path, absl::StrCat(be_year,
                                 " looks like a C.E. year; fiscal years are "
                                 "B.E. (C.E. + 543), e.g. ",
                                 be_year + 543));
  }
  return InvalidField(
      field_path, absl::StrCat("must be a B.E. year between ", kMinFiscalYear,
                               " and ", kMaxFiscalYear));
}

google::protobuf::Timestamp ToProtoTime(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1000000;
  int64_t remainder = micros % 1000000;
  if (remainder < 0) {
    remainder += 1000000;
    --seconds;
  }
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(remainder * 1000));
  return timestamp;
}

absl::Time FromProtoTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

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
