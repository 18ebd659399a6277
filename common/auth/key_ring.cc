#include "common/auth/key_ring.h"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/random_text.h"
#include "common/base/status_macros.h"

namespace prongsai::auth {
namespace {

constexpr absl::string_view kBearerPrefix = "Bearer ";
constexpr absl::string_view kKeyPrefix = "psk_";

uint32_t Bit(Role role) { return uint32_t{1} << static_cast<int>(role); }

bool IsHexSha256(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
  }
  return true;
}

}  // namespace

Principal Principal::Public() { return Principal(); }

Principal::Principal(std::string name, const std::vector<Role>& roles,
                     std::vector<std::string> organizations,
                     bool all_organizations)
    : name_(std::move(name)),
      organizations_(std::move(organizations)),
      all_organizations_(all_organizations),
      authenticated_(true) {
  for (Role role : roles) role_bits_ |= Bit(role);
}

bool Principal::HasRole(Role role) const {
  if (role == common::v1::PUBLIC) return true;
  return (role_bits_ & Bit(role)) != 0;
}

bool Principal::CanAccessOrganization(absl::string_view code) const {
  if (all_organizations_) return true;
  for (const std::string& organization : organizations_) {
    if (organization == code) return true;
  }
  return false;
}

std::string Principal::RolesString() const {
  std::vector<std::string> names;
  for (int value = common::v1::Role_MIN; value <= common::v1::Role_MAX;
       ++value) {
    if (value != common::v1::PUBLIC && common::v1::Role_IsValid(value) &&
        (role_bits_ & Bit(static_cast<Role>(value))) != 0) {
      names.push_back(common::v1::Role_Name(static_cast<Role>(value)));
    }
  }
  return names.empty() ? "PUBLIC" : absl::StrJoin(names, ",");
}

std::vector<Role> Principal::roles() const {
  std::vector<Role> roles;
  for (int value = common::v1::Role_MIN; value <= common::v1::Role_MAX;
       ++value) {
    if (value != common::v1::PUBLIC && common::v1::Role_IsValid(value) &&
        (role_bits_ & Bit(static_cast<Role>(value))) != 0) {
      roles.push_back(static_cast<Role>(value));
    }
  }
  return roles;
}

// Longer than any role name (the longest, INTEGRITY_OFFICER, has 17) and
// shorter than any key or key hash.
constexpr size_t kMaxRoleNameLength = 19;

absl::StatusOr<std::vector<Role>> ParseRoles(absl::string_view text) {
  std::vector<Role> roles;
  for (absl::string_view name :
       absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    name = absl::StripAsciiWhitespace(name);
    Role role;
    if (!common::v1::Role_Parse(std::string(name), &role) ||
        role == common::v1::ROLE_UNSPECIFIED) {
      // Only what looks like a role name is repeated: a key pasted into the
      // roles column must not reach a log.
      const bool role_like = name.size() <= kMaxRoleNameLength &&
                             std::all_of(name.begin(), name.end(), [](char c) {
                               return absl::ascii_isupper(c) || c == '_';
                             });
      return absl::InvalidArgumentError(
          role_like ? absl::StrCat("unknown role \"", name, "\"")
                    : "unknown role (roles are names such as AUDITOR)");
    }
    if (role == common::v1::PUBLIC) {
      return absl::InvalidArgumentError(
          "PUBLIC is what callers without a key are; a key cannot hold it");
    }
    roles.push_back(role);
  }
  if (roles.empty()) return absl::InvalidArgumentError("no roles given");
  return roles;
}

absl::StatusOr<KeyRing> KeyRing::Parse(absl::string_view text) {
  KeyRing ring;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto error = [line_number](absl::string_view reason) {
      return absl::InvalidArgumentError(
          absl::StrCat("api key file line ", line_number, ": ", reason));
    };
    if (fields.size() != 4) {
      return error("expected: sha256-hex name roles organizations");
    }
    if (!IsHexSha256(fields[0])) {
      return error("first field must be a lower-case hex SHA-256");
    }
    absl::StatusOr<std::vector<Role>> roles = ParseRoles(fields[2]);
    if (!roles.ok()) return error(roles.status().message());
    std::vector<std::string> organizations;
    bool all_organizations = false;
    for (absl::string_view code : absl::StrSplit(fields[3], ',')) {
      if (code == "*") {
        all_organizations = true;
      } else if (!code.empty()) {
        organizations.emplace_back(code);
      }
    }
    if (!all_organizations && organizations.empty()) {
      return error("organizations must be * or a list of codes");
    }
    auto [it, inserted] = ring.principals_.try_emplace(
        std::string(fields[0]),
        Principal(std::string(fields[1]), *roles, std::move(organizations),
                  all_organizations));
    if (!inserted) return error("duplicate key hash");
  }
  return ring;
}

absl::StatusOr<KeyRing> KeyRing::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read api key file ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str());
}

absl::StatusOr<Principal> KeyRing::Authenticate(
    std::optional<absl::string_view> authorization) const {
  if (!authorization.has_value()) return Principal::Public();
  if (!absl::StartsWith(*authorization, kBearerPrefix)) {
    return absl::UnauthenticatedError(
        "authorization metadata must be \"Bearer <api key>\"");
  }
  absl::string_view key = authorization->substr(kBearerPrefix.size());
  auto it = principals_.find(HashKey(key));
  if (it == principals_.end()) {
    return absl::UnauthenticatedError("unknown API key");
  }
  return it->second;
}

std::string HashKey(absl::string_view key) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(key.data()),
                     key.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

std::string GenerateKey() {
  // 52 symbols: 260 random bits.
  return absl::StrCat(kKeyPrefix, RandomBase32(52, kLowerBase32));
}

std::string FormatKeyLine(absl::string_view key_hash, absl::string_view name,
                          absl::string_view roles,
                          absl::string_view organizations) {
  return absl::StrCat(key_hash, " ", name, " ", roles, " ", organizations,
                      "\n");
}

}  // namespace prongsai::auth
