#include "common/auth/session_token.h"

#include <sodium.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/random_text.h"

namespace prongsai::auth {
namespace {

constexpr absl::string_view kVersion = "2";
constexpr int kPayloadFields = 9;
// Tokens issued before the password flag; they live 10 minutes, so only
// across an upgrade.
constexpr absl::string_view kVersion1 = "1";
constexpr int kVersion1PayloadFields = 8;
// Longer tokens are refused before any decoding: a person's payload is a
// few hundred bytes even with many organizations.
constexpr size_t kMaxTokenBytes = 8192;

std::string Base64Url(absl::string_view bytes) {
  std::string text(sodium_base64_encoded_len(
                       bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                   '\0');
  sodium_bin2base64(text.data(), text.size(),
                    reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(text.size() - 1);  // the terminating NUL
  return text;
}

bool FromBase64Url(absl::string_view text, std::string& bytes) {
  bytes.assign(text.size(), '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()),
                        bytes.size(), text.data(), text.size(), nullptr,
                        &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return false;
  }
  bytes.resize(length);
  return true;
}

bool IsKeyId(absl::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

// "<key id> <base64url key>" lines of `text` with keys of `key_bytes`.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseKeyLines(
    absl::string_view text, size_t key_bytes, absl::string_view what) {
  std::vector<std::pair<std::string, std::string>> keys;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto error = [&](absl::string_view reason) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " line ", line_number, ": ", reason));
    };
    if (fields.size() != 2) return error("expected: key-id base64url-key");
    if (!IsKeyId(fields[0])) {
      return error("the key id must be 1-32 letters, digits, '-' or '_'");
    }
    std::string key;
    if (!FromBase64Url(fields[1], key) || key.size() != key_bytes) {
      return error(absl::StrCat("the key must be ", key_bytes,
                                " bytes in base64url without padding"));
    }
    keys.emplace_back(std::string(fields[0]), std::move(key));
  }
  return keys;
}

absl::Status Invalid() {
  return absl::UnauthenticatedError("access token is not valid");
}

}  // namespace

Principal AccessClaims::ToPrincipal() const {
  Principal principal(login, roles, organizations, all_organizations);
  principal.set_session_id(session_id);
  principal.set_password_must_change(password_must_change);
  return principal;
}

bool IsAccessToken(absl::string_view token) {
  return absl::StartsWith(token, kAccessTokenPrefix);
}

absl::StatusOr<SessionSigner> SessionSigner::Parse(absl::string_view text) {
  if (sodium_init() < 0) std::abort();
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> keys =
      ParseKeyLines(text, crypto_sign_SECRETKEYBYTES, "session signing key");
  if (!keys.ok()) return keys.status();
  if (keys->size() != 1) {
    return absl::InvalidArgumentError(
        "the session signing key file must hold exactly one key");
  }
  SessionSigner signer;
  signer.key_id_ = std::move(keys->front().first);
  signer.secret_key_ = std::move(keys->front().second);
  return signer;
}

std::string SessionSigner::GenerateFileText() {
  if (sodium_init() < 0) std::abort();
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(public_key, secret_key);
  std::string text = absl::StrCat(
      "# Prongsai session signing key: key-id base64url-secret-key. Keep it "
      "secret.\n",
      RandomBase32(8, kLowerBase32), " ",
      Base64Url(absl::string_view(reinterpret_cast<const char*>(secret_key),
                                  sizeof(secret_key))),
      "\n");
  sodium_memzero(secret_key, sizeof(secret_key));
  return text;
}

std::string SessionSigner::Issue(const AccessClaims& claims) const {
  std::vector<std::string> roles;
  for (Role role : claims.roles) roles.push_back(common::v1::Role_Name(role));
  const std::string payload = absl::StrJoin(
      {std::string(kVersion), key_id_, claims.session_id, claims.login,
       absl::StrJoin(roles, ","),
       claims.all_organizations ? std::string("*")
                                : absl::StrJoin(claims.organizations, ","),
       absl::StrCat(absl::ToUnixSeconds(claims.issue_time)),
       absl::StrCat(absl::ToUnixSeconds(claims.expire_time)),
       std::string(claims.password_must_change ? "1" : "0")},
      "|");
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(
      signature, nullptr,
      reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
      reinterpret_cast<const unsigned char*>(secret_key_.data()));
  return absl::StrCat(
      kAccessTokenPrefix, Base64Url(payload), ".",
      Base64Url(absl::string_view(reinterpret_cast<const char*>(signature),
                                  sizeof(signature))));
}

std::string SessionSigner::VerifyKeyLine() const {
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(
      public_key, reinterpret_cast<const unsigned char*>(secret_key_.data()));
  return absl::StrCat(
      key_id_, " ",
      Base64Url(absl::string_view(reinterpret_cast<const char*>(public_key),
                                  sizeof(public_key))));
}

absl::StatusOr<SessionVerifier> SessionVerifier::Parse(absl::string_view text) {
  if (sodium_init() < 0) std::abort();
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> keys =
      ParseKeyLines(text, crypto_sign_PUBLICKEYBYTES, "session verify keys");
  if (!keys.ok()) return keys.status();
  SessionVerifier verifier;
  for (auto& [id, key] : *keys) {
    if (!verifier.public_keys_.try_emplace(id, std::move(key)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("session verify keys: key id ", id, " appears twice"));
    }
  }
  return verifier;
}

absl::StatusOr<SessionVerifier> SessionVerifier::LoadFile(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read session verify keys file ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str());
}

absl::StatusOr<AccessClaims> SessionVerifier::Verify(absl::string_view token,
                                                     absl::Time now) const {
  if (token.size() > kMaxTokenBytes || !IsAccessToken(token)) return Invalid();
  const std::string hash = HashKey(token);
  std::optional<AccessClaims> claims;
  {
    absl::MutexLock lock(&verified_->mu);
    auto found = verified_->by_hash.find(hash);
    if (found != verified_->by_hash.end()) claims = found->second;
  }
  if (!claims.has_value()) {
    absl::StatusOr<AccessClaims> checked = CheckSignature(token);
    if (!checked.ok()) return checked.status();
    claims = *std::move(checked);
    absl::MutexLock lock(&verified_->mu);
    if (verified_->by_hash.size() >= VerifiedTokens::kCapacity) {
      verified_->by_hash.clear();
    }
    verified_->by_hash.insert_or_assign(hash, *claims);
  }
  if (now >= claims->expire_time) {
    return absl::UnauthenticatedError(
        "access token expired; refresh the session");
  }
  return *std::move(claims);
}

int64_t SessionVerifier::signature_checks() const {
  absl::MutexLock lock(&verified_->mu);
  return verified_->signature_checks;
}

absl::StatusOr<AccessClaims> SessionVerifier::CheckSignature(
    absl::string_view token) const {
  token.remove_prefix(kAccessTokenPrefix.size());
  const size_t dot = token.find('.');
  if (dot == token.npos) return Invalid();
  std::string payload;
  std::string signature;
  if (!FromBase64Url(token.substr(0, dot), payload) ||
      !FromBase64Url(token.substr(dot + 1), signature) ||
      signature.size() != crypto_sign_BYTES) {
    return Invalid();
  }
  std::vector<absl::string_view> fields = absl::StrSplit(payload, '|');
  const bool version1 =
      fields.size() == kVersion1PayloadFields && fields[0] == kVersion1;
  if (!version1 && (fields.size() != kPayloadFields || fields[0] != kVersion ||
                    (fields[8] != "0" && fields[8] != "1"))) {
    return Invalid();
  }
  auto key = public_keys_.find(fields[1]);
  if (key == public_keys_.end()) return Invalid();
  {
    absl::MutexLock lock(&verified_->mu);
    ++verified_->signature_checks;
  }
  if (crypto_sign_verify_detached(
          reinterpret_cast<const unsigned char*>(signature.data()),
          reinterpret_cast<const unsigned char*>(payload.data()),
          payload.size(),
          reinterpret_cast<const unsigned char*>(key->second.data())) != 0) {
    return Invalid();
  }
  // Signed by us: the fields are well formed unless the key was misused.
  AccessClaims claims;
  claims.key_id = std::string(fields[1]);
  claims.session_id = std::string(fields[2]);
  claims.login = std::string(fields[3]);
  for (absl::string_view name :
       absl::StrSplit(fields[4], ',', absl::SkipEmpty())) {
    Role role;
    if (!common::v1::Role_Parse(std::string(name), &role) ||
        role == common::v1::PUBLIC || role == common::v1::ROLE_UNSPECIFIED) {
      return Invalid();
    }
    claims.roles.push_back(role);
  }
  if (fields[5] == "*") {
    claims.all_organizations = true;
  } else {
    for (absl::string_view code :
         absl::StrSplit(fields[5], ',', absl::SkipEmpty())) {
      claims.organizations.emplace_back(code);
    }
  }
  int64_t issued = 0;
  int64_t expires = 0;
  if (claims.session_id.empty() || claims.login.empty() ||
      !absl::SimpleAtoi(fields[6], &issued) ||
      !absl::SimpleAtoi(fields[7], &expires)) {
    return Invalid();
  }
  claims.issue_time = absl::FromUnixSeconds(issued);
  claims.expire_time = absl::FromUnixSeconds(expires);
  claims.password_must_change = !version1 && fields[8] == "1";
  return claims;
}

}  // namespace prongsai::auth
