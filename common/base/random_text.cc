#include "common/base/random_text.h"

#include <sodium.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace prongsai {

std::string RandomBase32(int symbols, absl::string_view alphabet) {
  if (alphabet.size() != 32 || symbols < 0) std::abort();  // A caller's bug.
  if (sodium_init() < 0) std::abort();  // No safe randomness: refuse to run.
  std::vector<unsigned char> bytes((static_cast<size_t>(symbols) * 5 + 7) / 8);
  if (bytes.empty()) return "";  // randombytes_buf takes no null buffer.
  randombytes_buf(bytes.data(), bytes.size());
  std::string text;
  text.reserve(symbols);
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && static_cast<int>(text.size()) < symbols) {
      text.push_back(alphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return text;
}

}  // namespace prongsai
