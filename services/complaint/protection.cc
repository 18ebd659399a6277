#include "services/complaint/protection.h"

#include <sodium.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace prongsai::complaint {
namespace {

constexpr size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr absl::string_view kVersion = "v1";

bool ValidKeyId(absl::string_view id) {
  if (id.empty() || id.size() > 16) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

std::string RandomKey() {
  if (sodium_init() < 0) std::abort();  // No safe randomness: refuse to run.
  std::string key(kKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  return key;
}

const unsigned char* Bytes(absl::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

absl::StatusOr<ProtectionKeys> ProtectionKeys::Parse(absl::string_view text) {
  if (sodium_init() < 0) return absl::InternalError("libsodium unavailable");
  ProtectionKeys keys;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto error = [line_number](absl::string_view reason) {
      return absl::InvalidArgumentError(
          absl::StrCat("protection key file line ", line_number, ": ", reason));
    };
    std::string key;
    const absl::string_view encoded = fields.back();
    if (!absl::Base64Unescape(encoded, &key) || key.size() != kKeyBytes) {
      return error("the key must be the base64 of 32 bytes");
    }
    if (fields[0] == "seal" && fields.size() == 3) {
      if (!ValidKeyId(fields[1])) {
        return error("key ids are 1-16 letters, digits, '_' or '-'");
      }
      for (const auto& [id, unused] : keys.seal_keys_) {
        if (id == fields[1]) return error("duplicate seal key id");
      }
      keys.seal_keys_.emplace_back(std::string(fields[1]), std::move(key));
    } else if (fields[0] == "tracking" && fields.size() == 2) {
      if (!keys.tracking_key_.empty()) return error("second tracking key");
      keys.tracking_key_ = std::move(key);
    } else {
      return error("expected \"seal <id> <key>\" or \"tracking <key>\"");
    }
  }
  if (keys.seal_keys_.empty() || keys.tracking_key_.empty()) {
    return absl::InvalidArgumentError(
        "protection key file needs at least one seal key and one tracking "
        "key");
  }
  return keys;
}

absl::StatusOr<ProtectionKeys> ProtectionKeys::LoadFile(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read protection key file ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str());
}

std::string ProtectionKeys::GenerateFileText(absl::string_view seal_key_id) {
  return absl::StrCat(
      "# Prongsai reporter-protection keys. Keep this file secret and backed "
      "up:\n# without it, sealed identities cannot be read.\n",
      "seal ", seal_key_id, " ", absl::Base64Escape(RandomKey()), "\n",
      "tracking ", absl::Base64Escape(RandomKey()), "\n");
}

std::string ProtectionKeys::Seal(absl::string_view plaintext,
                                 absl::string_view context) const {
  const auto& [id, key] = seal_keys_.at(0);
  std::string out(kNonceBytes + plaintext.size() +
                      crypto_aead_xchacha20poly1305_ietf_ABYTES,
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonceBytes, &length, Bytes(plaintext), plaintext.size(),
      Bytes(context), context.size(), nullptr, nonce, Bytes(key));
  out.resize(kNonceBytes + length);
  return absl::StrCat(kVersion, ".", id, ".", absl::WebSafeBase64Escape(out));
}

absl::StatusOr<std::string> ProtectionKeys::Open(
    absl::string_view sealed, absl::string_view context) const {
  std::vector<absl::string_view> parts = absl::StrSplit(sealed, '.');
  std::string bytes;
  if (parts.size() != 3 || parts[0] != kVersion ||
      !absl::WebSafeBase64Unescape(parts[2], &bytes) ||
      bytes.size() < kNonceBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return absl::DataLossError("a sealed value is malformed");
  }
  const std::string* key = nullptr;
  for (const auto& [id, candidate] : seal_keys_) {
    if (id == parts[1]) key = &candidate;
  }
  if (key == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("unknown protection key id ", parts[1]));
  }
  std::string plaintext(bytes.size() - kNonceBytes, '\0');
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &length, nullptr,
          Bytes(bytes) + kNonceBytes, bytes.size() - kNonceBytes,
          Bytes(context), context.size(), Bytes(bytes), Bytes(*key)) != 0) {
    return absl::DataLossError(
        "a sealed value failed authentication (altered or misplaced)");
  }
  plaintext.resize(length);
  return plaintext;
}

}  // namespace prongsai::complaint
