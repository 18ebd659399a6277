// Tracking-code normalization (services/complaint/tracking_code) on any
// text, as a citizen might type it: no crash; a code that normalizes is
// 17 symbols of the code alphabet (16 data symbols, then the check
// symbol) and normalizes to itself; an error is INVALID_ARGUMENT on
// tracking_code and never echoes what was typed; the keyed hash is 64 hex
// characters.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "services/complaint/tracking_code.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_input.h"

namespace complaint = ::prongsai::complaint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text = prongsai::fuzz::Text(data, size);
  const absl::StatusOr<std::string> code =
      complaint::NormalizeTrackingCode(text);
  if (!code.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(code.status()),
               "errors are INVALID_ARGUMENT");
    FUZZ_CHECK(absl::StartsWith(code.status().message(), "tracking_code"),
               "errors name the field");
    // Longer than any of its reasons: an error that grows with the text
    // is echoing it (the fuzzer soon learns to type the reasons themselves,
    // so a substring test would not do).
    FUZZ_CHECK(code.status().message().size() <= 80,
               "errors do not echo the code");
    return 0;
  }
  const absl::StatusOr<std::string> again =
      complaint::NormalizeTrackingCode(*code);
  FUZZ_CHECK(again.ok() && *again == *code, "normalization is idempotent");
  constexpr absl::string_view kSymbols =
      "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
  FUZZ_CHECK(code->size() == 17, "16 data symbols and the check symbol");
  for (size_t i = 0; i < code->size(); ++i) {
    const size_t symbol = kSymbols.find((*code)[i]);
    FUZZ_CHECK(symbol != absl::string_view::npos && (i == 16 || symbol < 32),
               "data symbols of Crockford's 32, a check symbol of 37");
  }
  const std::string key(complaint::kTrackingKeyBytes, 'k');
  FUZZ_CHECK(complaint::TrackingCodeHash(*code, key).size() == 64,
             "the hash is 64 hex characters");
  return 0;
}
