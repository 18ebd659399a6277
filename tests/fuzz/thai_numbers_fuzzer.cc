// The Thai number parsers (common/thai) on any text: integers, B.E. fiscal
// years and baht amounts in Thai or ASCII digits. No crash; what parses
// formats back to the same value; a fiscal year is in 2500-2700; an error
// is INVALID_ARGUMENT and does not echo the text; digit conversion touches
// digits only.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/thai/thai.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_input.h"

namespace thai = ::prongsai::thai;

namespace {

// Longer than any reason the parsers give: an error that grows with the
// text is echoing it. (A substring test would not do: the fuzzer soon
// learns to type the messages themselves.)
constexpr size_t kMaxMessageBytes = 200;

void CheckError(const absl::Status& status) {
  FUZZ_CHECK(absl::IsInvalidArgument(status), "errors are INVALID_ARGUMENT");
  FUZZ_CHECK(absl::StartsWith(status.message(), "value: "),
             "errors start with the field path");
  FUZZ_CHECK(status.message().size() <= kMaxMessageBytes,
             "errors do not echo the text");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text = prongsai::fuzz::Text(data, size);

  const absl::StatusOr<int64_t> integer = thai::ParseInteger(text);
  if (integer.ok()) {
    const absl::StatusOr<int64_t> again =
        thai::ParseInteger(absl::StrCat(*integer));
    FUZZ_CHECK(again.ok() && *again == *integer, "an integer formats back");
  } else {
    CheckError(integer.status());
  }

  const absl::StatusOr<int> year = thai::ParseFiscalYear(text);
  if (year.ok()) {
    FUZZ_CHECK(*year >= 2500 && *year <= 2700, "a fiscal year is 2500-2700");
  } else {
    CheckError(year.status());
  }

  const absl::StatusOr<std::optional<int64_t>> baht = thai::ParseBaht(text);
  if (baht.ok()) {
    const absl::StatusOr<std::optional<int64_t>> again =
        thai::ParseBaht(thai::FormatBahtOrDash(*baht));
    FUZZ_CHECK(again.ok() && *again == *baht, "an amount formats back");
    FUZZ_CHECK(!baht->has_value() || **baht >= 0, "amounts are not negative");
  } else {
    CheckError(baht.status());
  }

  // Digits both ways: Thai digits of any text read back as its ASCII ones.
  FUZZ_CHECK(thai::ThaiDigitsToAscii(thai::AsciiDigitsToThai(text)) ==
                 thai::ThaiDigitsToAscii(text),
             "digit conversion touches digits only");
  if (prongsai::fuzz::IsUtf8(text)) {
    FUZZ_CHECK(thai::DisplayWidth(text) >= 0, "a width is never negative");
    FUZZ_CHECK(thai::DisplayWidth(thai::PadToWidth(text, 40)) >=
                   std::min(40, thai::DisplayWidth(text)),
               "padding never narrows");
  }
  return 0;
}
