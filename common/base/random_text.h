// Random text for identifiers that must not be guessed: resource ids,
// complaint tracking codes, API keys. Every one of them is base-32 over a
// 32-symbol alphabet, 5 bits per symbol, from libsodium's CSPRNG.
//
//   std::string id = RandomBase32(16, kLowerBase32);  // 80 bits
//
// A process without safe randomness (sodium_init failing) aborts rather than
// hand out predictable identifiers.
#ifndef PRONGSAI_COMMON_BASE_RANDOM_TEXT_H_
#define PRONGSAI_COMMON_BASE_RANDOM_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace prongsai {

// RFC 4648 base-32 in lower case: what resource ids and keys use.
inline constexpr absl::string_view kLowerBase32 =
    "abcdefghijklmnopqrstuvwxyz234567";

// `symbols` random characters of `alphabet`, which must have exactly 32
// characters; each symbol carries 5 random bits.
std::string RandomBase32(int symbols, absl::string_view alphabet);

}  // namespace prongsai

#endif  // PRONGSAI_COMMON_BASE_RANDOM_TEXT_H_
