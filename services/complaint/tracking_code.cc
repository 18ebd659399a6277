#include "services/complaint/tracking_code.h"

#include <sodium.h>

#include <cstdint>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/random_text.h"
#include "common/base/validation.h"

namespace prongsai::complaint {
namespace {

// Crockford's base 32, and the five extra symbols of its mod-37 check.
constexpr char kSymbols[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
constexpr int kDataSymbols = 16;  // 80 bits
// Far more than a code with generous spacing; longer text is refused before
// it is scanned.
constexpr size_t kMaxTypedChars = 64;

int SymbolValue(char c) {
  switch (c) {
    case 'O':
      return 0;
    case 'I':
    case 'L':
      return 1;
    default:
      break;
  }
  for (int i = 0; i < 37; ++i) {
    if (kSymbols[i] == c) return i;
  }
  return -1;
}

// The value of the 80-bit number modulo 37, from its base-32 digits.
int CheckValue(absl::string_view data) {
  int remainder = 0;
  for (char c : data) remainder = (remainder * 32 + SymbolValue(c)) % 37;
  return remainder;
}

}  // namespace

std::string NewTrackingCode() {
  // The first 32 symbols carry data; the last 5 serve only as check symbols.
  const std::string data =
      RandomBase32(kDataSymbols, absl::string_view(kSymbols, 32));
  std::string code;
  for (int i = 0; i < kDataSymbols; ++i) {
    if (i > 0 && i % 4 == 0) code.push_back('-');
    code.push_back(data[i]);
  }
  code.push_back('-');
  code.push_back(kSymbols[CheckValue(data)]);
  return code;
}

absl::StatusOr<std::string> NormalizeTrackingCode(absl::string_view text) {
  if (text.size() > kMaxTypedChars) {
    return InvalidField("tracking_code",
                        "must be 17 characters (dashes and spaces aside)");
  }
  std::string canonical;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    c = absl::ascii_toupper(c);
    const int value = SymbolValue(c);
    const bool is_check_position =
        static_cast<int>(canonical.size()) == kDataSymbols;
    if (value < 0 || (value >= 32 && !is_check_position)) {
      return InvalidField("tracking_code",
                          "holds a character that is not in tracking codes");
    }
    canonical.push_back(kSymbols[value]);
  }
  if (static_cast<int>(canonical.size()) != kDataSymbols + 1) {
    return InvalidField("tracking_code",
                        "must be 17 characters (dashes and spaces aside)");
  }
  if (kSymbols[CheckValue(canonical.substr(0, kDataSymbols))] !=
      canonical.back()) {
    return InvalidField("tracking_code",
                        "is mistyped: its check character does not match");
  }
  return canonical;
}

std::string TrackingCodeHash(absl::string_view canonical_code,
                             absl::string_view key) {
  // An empty key would silently give an unkeyed hash that anyone can
  // recompute from a guessed code: refuse, as sealing without keys does.
  if (key.size() != kTrackingKeyBytes) {
    log::Error("tracking_hash_without_key",
               {{"key_bytes", absl::StrCat(key.size())}});
    std::abort();
  }
  unsigned char digest[crypto_generichash_BYTES];
  if (crypto_generichash(
          digest, sizeof(digest),
          reinterpret_cast<const unsigned char*>(canonical_code.data()),
          canonical_code.size(),
          reinterpret_cast<const unsigned char*>(key.data()),
          key.size()) != 0) {
    std::abort();  // Unreachable with a 32-byte key.
  }
  char hex[sizeof(digest) * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return std::string(hex, sizeof(digest) * 2);
}

std::string ScopedRequestId(absl::string_view principal,
                            absl::string_view request_id,
                            absl::string_view replay_secret,
                            absl::string_view key) {
  if (request_id.empty()) return "";
  // Length-prefixed parts: no two different triples hash the same input.
  return TrackingCodeHash(
      absl::StrCat("request id\n", principal.size(), ":", principal,
                   request_id.size(), ":", request_id, replay_secret.size(),
                   ":", replay_secret),
      key);
}

}  // namespace prongsai::complaint
