#include "services/complaint/protection.h"

#include <sodium.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/log.h"
#include "common/base/status_macros.h"

namespace prongsai::complaint {
namespace {

constexpr size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr absl::string_view kVersion = "v1";

bool ValidKeyId(absl::string_view id) {
  if (id.empty() || id.size() > 16) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

void InitSodiumOrDie() {
  // Without libsodium's randomness nothing can be sealed safely.
  if (sodium_init() < 0) {
    log::Error("libsodium_init_failed", {});
    std::abort();
  }
}

std::string RandomKey() {
  InitSodiumOrDie();
  std::string key(kKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  return key;
}

// Decodes a key; false unless it is the base64 of exactly 32 bytes. Leaves
// no copy of a rejected key behind.
bool DecodeKey(absl::string_view encoded, std::string& key) {
  if (absl::Base64Unescape(encoded, &key) && key.size() == kKeyBytes) {
    return true;
  }
  sodium_memzero(key.data(), key.size());
  return false;
}

const unsigned char* Bytes(absl::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

constexpr absl::string_view kOwnKeyPrefix = "c1.";

// nonce || ciphertext of `plaintext` under `key`, `context` authenticated.
std::string SealBytes(absl::string_view key, absl::string_view plaintext,
                      absl::string_view context) {
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, kNonceBytes);
  unsigned long long length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonceBytes, &length, Bytes(plaintext), plaintext.size(),
      Bytes(context), context.size(), nullptr, nonce, Bytes(key));
  out.resize(kNonceBytes + length);
  return out;
}

// The inverse of SealBytes; DATA_LOSS when `bytes` did not come from it
// with this key and context.
absl::StatusOr<std::string> OpenBytes(absl::string_view key,
                                      absl::string_view bytes,
                                      absl::string_view context) {
  if (bytes.size() < kNonceBytes + kTagBytes) {
    return absl::DataLossError("a sealed value is malformed");
  }
  std::string plaintext(bytes.size() - kNonceBytes - kTagBytes, '\0');
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &length, nullptr,
          Bytes(bytes) + kNonceBytes, bytes.size() - kNonceBytes,
          Bytes(context), context.size(), Bytes(bytes), Bytes(key)) != 0) {
    return absl::DataLossError(
        "a sealed value failed authentication (altered or misplaced)");
  }
  plaintext.resize(length);
  return plaintext;
}

// What a wrapped complaint key is sealed against: not the name alone, so
// that no other value of the complaint can pass for its key.
std::string WrapContext(absl::string_view name) {
  return absl::StrCat(name, "#key");
}

}  // namespace

absl::StatusOr<ProtectionKeys> ProtectionKeys::Parse(absl::string_view text) {
  InitSodiumOrDie();
  ProtectionKeys keys;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    auto error = [line_number](absl::string_view reason) {
      return absl::InvalidArgumentError(
          absl::StrCat("protection key file line ", line_number, ": ", reason));
    };
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    const bool seal = fields[0] == "seal" && fields.size() == 3;
    const bool tracking = fields[0] == "tracking" && fields.size() == 2;
    if (!seal && !tracking) {
      return error("expected \"seal <id> <key>\" or \"tracking <key>\"");
    }
    if (seal && !ValidKeyId(fields[1])) {
      return error("a key id is 1-16 letters, digits, '_' or '-'");
    }
    std::string key;
    if (!DecodeKey(fields.back(), key)) {
      return error("a key is the base64 of 32 bytes");
    }
    if (seal) {
      for (const auto& [id, unused] : keys.seal_keys_) {
        if (id == fields[1]) return error("duplicate seal key id");
      }
      keys.seal_keys_.emplace_back(std::string(fields[1]), std::move(key));
    } else {
      if (!keys.tracking_key_.empty()) return error("a second tracking key");
      keys.tracking_key_ = std::move(key);
    }
  }
  if (keys.seal_keys_.empty()) {
    return absl::InvalidArgumentError(
        "protection key file: no seal key (\"seal <id> <key>\")");
  }
  if (keys.tracking_key_.empty()) {
    return absl::InvalidArgumentError(
        "protection key file: no tracking key (\"tracking <key>\")");
  }
  return keys;
}

std::string ProtectionKeys::GenerateFileText(absl::string_view seal_key_id) {
  return absl::StrCat(
      "# Prongsai reporter-protection keys. Keep this file secret and backed "
      "up:\n# without it, sealed identities cannot be read.\n"
      "# To rotate, add a new first seal line and keep the old ones.\n",
      "seal ", seal_key_id, " ", absl::Base64Escape(RandomKey()), "\n",
      "tracking ", absl::Base64Escape(RandomKey()), "\n");
}

std::string ProtectionKeys::Seal(absl::string_view plaintext,
                                 absl::string_view context) const {
  if (seal_keys_.empty()) {
    log::Error("seal_without_protection_keys", {});
    std::abort();
  }
  const auto& [id, key] = seal_keys_.front();
  const std::string out = SealBytes(key, plaintext, context);
  return absl::StrCat(kVersion, ".", id, ".", absl::WebSafeBase64Escape(out));
}

absl::StatusOr<std::string> ProtectionKeys::Open(
    absl::string_view sealed, absl::string_view context) const {
  const std::vector<absl::string_view> parts = absl::StrSplit(sealed, '.');
  std::string bytes;
  // The key id is checked before it may appear in an error: a malformed
  // value could be anything, even plaintext.
  if (parts.size() != 3 || parts[0] != kVersion || !ValidKeyId(parts[1]) ||
      !absl::WebSafeBase64Unescape(parts[2], &bytes)) {
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
  return OpenBytes(*key, bytes, context);
}

const std::string& ProtectionKeys::current_key_id() const {
  static const std::string* const kNone = new std::string();
  return seal_keys_.empty() ? *kNone : seal_keys_.front().first;
}

ComplaintKey ComplaintKey::Generate() { return ComplaintKey(RandomKey()); }

ComplaintKey::~ComplaintKey() { sodium_memzero(key_.data(), key_.size()); }

std::string ComplaintKey::Wrap(const ProtectionKeys& keys,
                               absl::string_view name) const {
  return keys.Seal(key_, WrapContext(name));
}

absl::StatusOr<ComplaintKey> ComplaintKey::Unwrap(const ProtectionKeys& keys,
                                                  absl::string_view wrapped,
                                                  absl::string_view name) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string key,
                            keys.Open(wrapped, WrapContext(name)));
  if (key.size() != kKeyBytes) {
    sodium_memzero(key.data(), key.size());
    return absl::DataLossError("a complaint's key is malformed");
  }
  return ComplaintKey(std::move(key));
}

std::string ComplaintKey::Seal(absl::string_view plaintext,
                               absl::string_view context) const {
  return absl::StrCat(kOwnKeyPrefix, absl::WebSafeBase64Escape(
                                         SealBytes(key_, plaintext, context)));
}

absl::StatusOr<std::string> ComplaintKey::Open(
    absl::string_view sealed, absl::string_view context) const {
  std::string bytes;
  if (!SealsUnderOwnKey(sealed) ||
      !absl::WebSafeBase64Unescape(sealed.substr(kOwnKeyPrefix.size()),
                                   &bytes)) {
    return absl::DataLossError("a sealed value is malformed");
  }
  return OpenBytes(key_, bytes, context);
}

bool ComplaintKey::SealsUnderOwnKey(absl::string_view sealed) {
  return absl::StartsWith(sealed, kOwnKeyPrefix);
}

}  // namespace prongsai::complaint
