#include "tests/services/complaint/complaint_test_util.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace prongsai::testing {

complaint::ComplaintOptions ComplaintOptionsForTest() {
  complaint::ComplaintOptions options;
  options.keys = *complaint::ProtectionKeys::Parse(
      complaint::ProtectionKeys::GenerateFileText());
  options.public_filing_limit =
      complaint::PublicLimit(1000, 100000, absl::StrCat("filing-", getpid()));
  options.public_tracking_limit =
      complaint::PublicLimit(1000, 100000, absl::StrCat("tracking-", getpid()));
  options.public_tracking_global_limit = complaint::PublicLimit(
      1000, 100000, absl::StrCat("tracking-all-", getpid()));
  options.staff_filing_limit = complaint::PublicLimit(
      1000, 100000, absl::StrCat("staff-filing-", getpid()));
  return options;
}

server::ServiceDefinition ComplaintDefinitionForTest() {
  return complaint::ComplaintServiceDefinition(ComplaintOptionsForTest());
}

}  // namespace prongsai::testing
