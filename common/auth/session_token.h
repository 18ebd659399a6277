// Access tokens of signed-in people: short-lived, signed by the plan service
// (which runs the account service) and verified by every service on its own,
// with no call to the plan service, so a token costs one Ed25519 check.
//
// Format: `pat_<payload>.<signature>`, both base64url without padding. The
// payload is text, fields separated by '|':
//
//   2|<key id>|<session id>|<login>|<roles>|<organizations>|<iat>|<exp>|<m>
//
// version 2; the signing key's id; the session's id; the account's login;
// the roles as names joined by ','; the organization codes joined by ',' or
// `*` for all; issued-at and expiry in Unix seconds; `1` when the account's
// one-time password is not changed yet, else `0`. Version 1 tokens (the
// same without the last field, issued before it existed) are still
// accepted, as tokens of a changed password. The signature is Ed25519
// (libsodium crypto_sign_detached) over the payload's bytes.
//
// Key files, so keys can rotate: the signing key file (plan only, mode 0600)
// holds one line `<key id> <base64url 64-byte secret key>`; the verify keys
// file holds one line `<key id> <base64url 32-byte public key>` per key that
// is accepted. Blank lines and lines starting with '#' are ignored. To
// rotate: add the new public key to every service's verify file, switch the
// plan's signing key, and remove the old public key 10 minutes later.
//
//   PRONGSAI_ASSIGN_OR_RETURN(SessionSigner signer, SessionSigner::Parse(t));
//   std::string token = signer.Issue(claims);
//   PRONGSAI_ASSIGN_OR_RETURN(AccessClaims claims,
//                             verifier.Verify(token, absl::Now()));
#ifndef PRONGSAI_COMMON_AUTH_SESSION_TOKEN_H_
#define PRONGSAI_COMMON_AUTH_SESSION_TOKEN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/key_ring.h"

namespace prongsai::auth {

inline constexpr absl::string_view kAccessTokenPrefix = "pat_";
inline constexpr absl::Duration kAccessTokenLifetime = absl::Minutes(10);

// What an access token says about its bearer.
struct AccessClaims {
  std::string key_id;  // set by Issue
  std::string session_id;
  std::string login;
  std::vector<Role> roles;
  std::vector<std::string> organizations;
  bool all_organizations = false;
  absl::Time issue_time;
  absl::Time expire_time;
  // The person signed in with a one-time password and has not changed it:
  // the services admit only the methods that allow it (AccessPolicy).
  bool password_must_change = false;

  // The principal the claims stand for, named by the login.
  Principal ToPrincipal() const;
};

// Whether `token` looks like an access token (rather than an API key).
bool IsAccessToken(absl::string_view token);

class SessionSigner {
 public:
  // The signing key file's text. INVALID_ARGUMENT, never echoing key
  // material, for anything but exactly one well-formed key line.
  static absl::StatusOr<SessionSigner> Parse(absl::string_view text);
  // The text of a new signing key file with a fresh key and a random id.
  static std::string GenerateFileText();

  // A token for `claims` (its key_id is this key's); `claims` must be valid
  // (a login without '|', codes without ',' or '|').
  std::string Issue(const AccessClaims& claims) const;

  const std::string& key_id() const { return key_id_; }
  // The verify keys file line of this key's public half.
  std::string VerifyKeyLine() const;

 private:
  std::string key_id_;
  std::string secret_key_;  // crypto_sign_SECRETKEYBYTES
};

// The public keys a service accepts; safe to share between threads.
class SessionVerifier {
 public:
  // No keys: every access token is refused.
  SessionVerifier() = default;
  static absl::StatusOr<SessionVerifier> Parse(absl::string_view text);
  static absl::StatusOr<SessionVerifier> LoadFile(const std::string& path);

  // The claims of a token signed by one of the keys, not yet expired at
  // `now`. UNAUTHENTICATED otherwise: "access token expired; refresh the
  // session" once expired, "access token is not valid" for anything else
  // (malformed, unknown key id, bad signature). Never echoes the token.
  // A token seen before skips the signature check: its claims are
  // remembered (by the token's SHA-256, never the token itself), since a
  // person sends the same token with every call of its 10 minutes.
  absl::StatusOr<AccessClaims> Verify(absl::string_view token,
                                      absl::Time now) const;

  size_t size() const { return public_keys_.size(); }

  // How many Ed25519 checks Verify made (for tests).
  int64_t signature_checks() const;

 private:
  // Tokens whose signature checked out. Shared by copies of the verifier;
  // emptied when full, which costs each person one check again.
  struct VerifiedTokens {
    static constexpr size_t kCapacity = 10000;
    absl::Mutex mu;
    absl::flat_hash_map<std::string, AccessClaims> by_hash ABSL_GUARDED_BY(mu);
    int64_t signature_checks ABSL_GUARDED_BY(mu) = 0;
  };

  // Verify without the expiry check and without the remembered tokens.
  absl::StatusOr<AccessClaims> CheckSignature(absl::string_view token) const;

  absl::flat_hash_map<std::string, std::string> public_keys_;  // by key id
  std::shared_ptr<VerifiedTokens> verified_ =
      std::make_shared<VerifiedTokens>();
};

}  // namespace prongsai::auth

#endif  // PRONGSAI_COMMON_AUTH_SESSION_TOKEN_H_
