// API keys and the principals they stand for.
//
// Callers authenticate with `authorization: Bearer <key>` metadata. The key
// file holds only SHA-256 hashes of keys, one key per line of four fields
// separated by spaces or tabs: the lower-case hex SHA-256 of the key (64
// characters, shortened below), the key's name, its roles (comma-separated)
// and its organizations (comma-separated codes, or `*` for all). Blank lines
// and lines starting with `#` are ignored.
//
// ```
// # sha256-hex  name         roles     organizations
// 3f1c...e9     plan-portal  SYSTEM    *
// a7d0...41     op-6340101   OPERATOR  6340101,6340102
// ```
//
// `prongsai keys add` generates a key, prints it once and appends its line.
//
//   PRONGSAI_ASSIGN_OR_RETURN(KeyRing keys, KeyRing::LoadFile(path));
//   PRONGSAI_ASSIGN_OR_RETURN(Principal who, keys.Authenticate(header));
#ifndef PRONGSAI_COMMON_AUTH_KEY_RING_H_
#define PRONGSAI_COMMON_AUTH_KEY_RING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "prongsai/common/v1/access.pb.h"

namespace prongsai::auth {

using Role = ::prongsai::common::v1::Role;

// Who is calling. A caller without a key is the anonymous PUBLIC principal.
class Principal {
 public:
  static Principal Public();
  Principal(std::string name, const std::vector<Role>& roles,
            std::vector<std::string> organizations, bool all_organizations);

  // The key's name ("public" for anonymous callers); safe to log.
  const std::string& name() const { return name_; }
  bool is_public() const { return !authenticated_; }
  bool HasRole(Role role) const;
  // Whether the principal's key is scoped to include organization `code`.
  bool CanAccessOrganization(absl::string_view code) const;
  // Roles as names, e.g. "OPERATOR,AUDITOR".
  std::string RolesString() const;
  // The roles one by one, and the organization scope, as given.
  std::vector<Role> roles() const;
  const std::vector<std::string>& organizations() const {
    return organizations_;
  }
  bool all_organizations() const { return all_organizations_; }

  // For a person signed in with an access token (session_token.h): the
  // session's id, and then name() is the account's login. Empty for API
  // keys and the PUBLIC.
  const std::string& session_id() const { return session_id_; }
  bool is_session() const { return !session_id_.empty(); }
  void set_session_id(std::string session_id) {
    session_id_ = std::move(session_id);
  }
  // A person who signed in with a one-time password and has not changed it
  // yet; never an API key.
  bool password_must_change() const { return password_must_change_; }
  void set_password_must_change(bool must_change) {
    password_must_change_ = must_change;
  }

 private:
  Principal() = default;

  std::string name_ = "public";
  uint32_t role_bits_ = 0;
  std::vector<std::string> organizations_;
  bool all_organizations_ = false;
  bool authenticated_ = false;
  std::string session_id_;
  bool password_must_change_ = false;
};

// An immutable set of API keys; safe to share between threads.
class KeyRing {
 public:
  // An empty ring: every caller is PUBLIC.
  KeyRing() = default;

  static absl::StatusOr<KeyRing> Parse(absl::string_view text);
  static absl::StatusOr<KeyRing> LoadFile(const std::string& path);

  // The principal for the value of the `authorization` header, or PUBLIC when
  // there is none. UNAUTHENTICATED for a malformed header or unknown key. The
  // key itself never appears in the error.
  absl::StatusOr<Principal> Authenticate(
      std::optional<absl::string_view> authorization) const;

  size_t size() const { return principals_.size(); }

 private:
  absl::flat_hash_map<std::string, Principal> principals_;  // by key hash
};

// Lower-case hex SHA-256 of `key`: what the key file stores.
std::string HashKey(absl::string_view key);

// A new random key: "psk_" followed by 52 base32 characters (256 bits).
std::string GenerateKey();

// Parses "OPERATOR,AUDITOR" into roles. INVALID_ARGUMENT for unknown names
// and for PUBLIC (which is the absence of a key, not a role a key can hold).
absl::StatusOr<std::vector<Role>> ParseRoles(absl::string_view text);

// One line of the key file for a key with this hash.
std::string FormatKeyLine(absl::string_view key_hash, absl::string_view name,
                          absl::string_view roles,
                          absl::string_view organizations);

}  // namespace prongsai::auth

#endif  // PRONGSAI_COMMON_AUTH_KEY_RING_H_
