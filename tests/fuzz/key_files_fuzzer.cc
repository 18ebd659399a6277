// The two key files a service reads at start-up, on any text: the API key
// file (KeyRing::Parse) and the complaint service's protection key file
// (ProtectionKeys::Parse). No crash; an error is INVALID_ARGUMENT and holds
// no long token of the file (a key hash or a key); parsed protection keys
// seal and open a value, and refuse it under another context.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/auth/key_ring.h"
#include "services/complaint/protection.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

// Whether `message` holds a token of `text` long enough to be key material.
bool EchoesKeyMaterial(absl::string_view message, absl::string_view text) {
  for (absl::string_view token :
       absl::StrSplit(text, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty())) {
    if (token.size() >= 20 && absl::StrContains(message, token)) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text = prongsai::fuzz::Text(data, size);

  const absl::StatusOr<prongsai::auth::KeyRing> ring =
      prongsai::auth::KeyRing::Parse(text);
  if (ring.ok()) {
    FUZZ_CHECK(ring->Authenticate(std::nullopt).ok(), "no header is PUBLIC");
    // No key is admitted unless its hash is in the file (the fuzzer can
    // learn a key's hash from the lookup and write it there).
    if (!absl::StrContains(text, prongsai::auth::HashKey("not-a-key"))) {
      FUZZ_CHECK(absl::IsUnauthenticated(
                     ring->Authenticate("Bearer not-a-key").status()),
                 "an unknown key is UNAUTHENTICATED");
    }
  } else {
    FUZZ_CHECK(absl::IsInvalidArgument(ring.status()),
               "errors are INVALID_ARGUMENT");
    FUZZ_CHECK(!EchoesKeyMaterial(ring.status().message(), text),
               "errors hold no key hash");
  }

  const absl::StatusOr<prongsai::complaint::ProtectionKeys> keys =
      prongsai::complaint::ProtectionKeys::Parse(text);
  if (keys.ok()) {
    FUZZ_CHECK(!keys->current_key_id().empty(), "a seal key is current");
    FUZZ_CHECK(keys->tracking_key().size() == 32, "a 32-byte tracking key");
    const std::string sealed = keys->Seal("ชื่อผู้ร้อง", "organizations/1/c/1");
    const absl::StatusOr<std::string> opened =
        keys->Open(sealed, "organizations/1/c/1");
    FUZZ_CHECK(opened.ok() && *opened == "ชื่อผู้ร้อง", "sealed opens");
    FUZZ_CHECK(!keys->Open(sealed, "organizations/1/c/2").ok(),
               "sealed is bound to its context");
  } else {
    FUZZ_CHECK(absl::IsInvalidArgument(keys.status()),
               "errors are INVALID_ARGUMENT");
    FUZZ_CHECK(!EchoesKeyMaterial(keys.status().message(), text),
               "errors hold no key");
  }
  return 0;
}
