#include "common/api/fields.h"

#include <cstdint>
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

}  // namespace prongsai::api
