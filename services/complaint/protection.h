// Keys that protect reporters: identities of complainants and of the accused
// are sealed (XChaCha20-Poly1305, libsodium) before they reach the database,
// and tracking codes are stored only as hashes keyed with the tracking key.
//
// The key file has one key per line; '#' starts a comment line:
//
//   # The first seal key seals new data; the others still open old data.
//   seal k2 <base64 of 32 random bytes>
//   seal k1 <base64 of 32 random bytes>
//   # Exactly one. It never rotates: codes are looked up by their hash.
//   tracking <base64 of 32 random bytes>
//
// Key ids are 1-16 of [A-Za-z0-9_-]. A sealed value names its key
// ("v1.k2.<base64url>"), so rotating means adding a new first seal line and
// keeping the old ones for as long as data sealed with them exists.
//
// Pure: the file itself is read and created by key_file.h.
//
//   PRONGSAI_ASSIGN_OR_RETURN(ProtectionKeys keys,
//                             ProtectionKeys::Parse(file_text));
//   std::string sealed = keys.Seal(name, "organizations/x/complaints/y");
//   PRONGSAI_ASSIGN_OR_RETURN(
//       std::string opened, keys.Open(sealed, "organizations/x/complaints/y"));
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
  // No keys: a placeholder to be assigned a parsed value. Open fails with
  // FAILED_PRECONDITION; Seal aborts the process (sealing must never
  // silently store a value unprotected).
  ProtectionKeys() = default;

  // INVALID_ARGUMENT naming the line; never echoes key material.
  static absl::StatusOr<ProtectionKeys> Parse(absl::string_view text);

  // The text of a new key file with one fresh seal key and a tracking key.
  static std::string GenerateFileText(absl::string_view seal_key_id = "k1");

  // Encrypts with the current key and a random nonce; `context` (the
  // complaint's resource name) is authenticated, so a sealed value cannot be
  // moved to another row. The result is ASCII: "v1.<key id>.<base64url of
  // nonce || ciphertext>".
  std::string Seal(absl::string_view plaintext,
                   absl::string_view context) const;

  // DATA_LOSS when the value is malformed, was altered or belongs to another
  // context; FAILED_PRECONDITION "unknown protection key id <id>" when its
  // key is not loaded. Errors never hold the plaintext or a key.
  absl::StatusOr<std::string> Open(absl::string_view sealed,
                                   absl::string_view context) const;

  // The id new values are sealed with; empty when there are no keys.
  const std::string& current_key_id() const;
  // 32 raw bytes; empty when there are no keys.
  absl::string_view tracking_key() const { return tracking_key_; }

 private:
  // (id, 32-byte key), current first.
  std::vector<std::pair<std::string, std::string>> seal_keys_;
  std::string tracking_key_;
};

// A complaint's own key: 32 random bytes that its identities and its sealed
// tracking code are sealed under. The key itself is stored wrapped (sealed
// under the protection keys) in a table of its own, apart from the
// complaint's row, and erasing the identities deletes it: a copy of the row
// from a backup taken before the erasure then no longer opens, even with the
// protection key file (docs/security.md). Values sealed under it read
// "c1.<base64url of nonce || ciphertext>"; those of complaints filed before
// complaints had keys are sealed under the protection keys ("v1.…").
//
//   ComplaintKey key = ComplaintKey::Generate();
//   std::string wrapped = key.Wrap(keys, name);  // kept in complaint_keys
//   std::string sealed = key.Seal(bytes, context);
//   PRONGSAI_ASSIGN_OR_RETURN(ComplaintKey again,
//                             ComplaintKey::Unwrap(keys, wrapped, name));
//   PRONGSAI_ASSIGN_OR_RETURN(std::string opened, again.Open(sealed, context));
class ComplaintKey {
 public:
  static ComplaintKey Generate();

  // The key sealed under `keys`' current seal key against the complaint's
  // resource name `name`, so that it opens only for that complaint.
  std::string Wrap(const ProtectionKeys& keys, absl::string_view name) const;
  // As ProtectionKeys::Open; DATA_LOSS when it does not hold a key.
  static absl::StatusOr<ComplaintKey> Unwrap(const ProtectionKeys& keys,
                                             absl::string_view wrapped,
                                             absl::string_view name);

  // As ProtectionKeys::Seal and Open, under this key.
  std::string Seal(absl::string_view plaintext,
                   absl::string_view context) const;
  absl::StatusOr<std::string> Open(absl::string_view sealed,
                                   absl::string_view context) const;

  // Whether `sealed` was sealed under a complaint's own key.
  static bool SealsUnderOwnKey(absl::string_view sealed);

  ComplaintKey(const ComplaintKey&) = default;
  ComplaintKey& operator=(const ComplaintKey&) = default;
  ~ComplaintKey();

 private:
  explicit ComplaintKey(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_PROTECTION_H_
