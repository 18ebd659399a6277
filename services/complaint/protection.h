// Keys that protect reporters: identities of complainants and of the accused
// are sealed (XChaCha20-Poly1305) before they reach the database, and
// tracking codes are stored only as keyed hashes. The key file, one key per
// line, '#' for comments:
//
//   seal k2 <base64 of 32 random bytes>      # the first seal key seals new
//   data seal k1 <base64 of 32 random bytes>      # older keys still open old
//   data tracking <base64 of 32 random bytes>     # exactly one; never rotates
//
//   PRONGSAI_ASSIGN_OR_RETURN(ProtectionKeys keys,
//   ProtectionKeys::LoadFile(p)); std::string sealed = keys.Seal(name_bytes,
//   "organizations/x/complaints/y");
//
// Each sealed value carries its key id ("v1.k2.<base64url>"), so rotating
// means adding a new first seal line and keeping the old ones.
#ifndef PRONGSAI_SERVICES_COMPLAINT_PROTECTION_H_
#define PRONGSAI_SERVICES_COMPLAINT_PROTECTION_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prongsai::complaint {

class ProtectionKeys {
 public:
  // No keys: Seal and Open fail. Only useful as a placeholder.
  ProtectionKeys() = default;

  // INVALID_ARGUMENT with the line number; never echoes key material.
  static absl::StatusOr<ProtectionKeys> Parse(absl::string_view text);
  static absl::StatusOr<ProtectionKeys> LoadFile(const std::string& path);

  // The text of a new key file with one fresh seal key and a tracking key.
  static std::string GenerateFileText(absl::string_view seal_key_id = "k1");

  // Encrypts with the current key and a random nonce; `context` (the
  // complaint's name) is authenticated, so a sealed value cannot be moved to
  // another row. The result is ASCII: "v1.<key id>.<base64url>".
  std::string Seal(absl::string_view plaintext,
                   absl::string_view context) const;

  // DATA_LOSS when the value was altered or belongs to another context;
  // FAILED_PRECONDITION when its key is not loaded.
  absl::StatusOr<std::string> Open(absl::string_view sealed,
                                   absl::string_view context) const;

  const std::string& current_key_id() const { return seal_keys_[0].first; }
  // 32 raw bytes.
  absl::string_view tracking_key() const { return tracking_key_; }

 private:
  // (id, 32-byte key), current first.
  std::vector<std::pair<std::string, std::string>> seal_keys_;
  std::string tracking_key_;
};

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_PROTECTION_H_
