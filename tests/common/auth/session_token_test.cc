#include "common/auth/session_token.h"

#include <sodium.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::auth {
namespace {

using ::prongsai::testing::StatusIs;

const absl::Time kNow = absl::FromUnixSeconds(1760000000);

AccessClaims Claims() {
  AccessClaims claims;
  claims.session_id = "abcdefghijklmnop";
  claims.login = "somchai.j";
  claims.roles = {common::v1::OPERATOR, common::v1::EXECUTIVE};
  claims.organizations = {"6340101", "6340102"};
  claims.issue_time = kNow;
  claims.expire_time = kNow + kAccessTokenLifetime;
  return claims;
}

struct Keys {
  SessionSigner signer;
  SessionVerifier verifier;
};

Keys NewKeys() {
  absl::StatusOr<SessionSigner> signer =
      SessionSigner::Parse(SessionSigner::GenerateFileText());
  EXPECT_TRUE(signer.ok()) << signer.status();
  absl::StatusOr<SessionVerifier> verifier =
      SessionVerifier::Parse(absl::StrCat("# keys\n", signer->VerifyKeyLine()));
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return {*std::move(signer), *std::move(verifier)};
}

TEST(SessionTokenTest, IssuedTokenVerifiesToItsClaimsAndPrincipal) {
  Keys keys = NewKeys();
  const std::string token = keys.signer.Issue(Claims());
  EXPECT_TRUE(IsAccessToken(token));
  absl::StatusOr<AccessClaims> claims = keys.verifier.Verify(token, kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->key_id, keys.signer.key_id());
  EXPECT_EQ(claims->session_id, "abcdefghijklmnop");
  EXPECT_EQ(claims->login, "somchai.j");
  EXPECT_EQ(claims->expire_time, kNow + absl::Minutes(10));
  const Principal principal = claims->ToPrincipal();
  EXPECT_EQ(principal.name(), "somchai.j");
  EXPECT_EQ(principal.session_id(), "abcdefghijklmnop");
  EXPECT_TRUE(principal.HasRole(common::v1::OPERATOR));
  EXPECT_TRUE(principal.HasRole(common::v1::EXECUTIVE));
  EXPECT_FALSE(principal.HasRole(common::v1::SYSTEM));
  EXPECT_TRUE(principal.CanAccessOrganization("6340102"));
  EXPECT_FALSE(principal.CanAccessOrganization("9999999"));
}

TEST(SessionTokenTest, AllOrganizationsRoundTrip) {
  Keys keys = NewKeys();
  AccessClaims all = Claims();
  all.organizations.clear();
  all.all_organizations = true;
  absl::StatusOr<AccessClaims> claims =
      keys.verifier.Verify(keys.signer.Issue(all), kNow);
  ASSERT_TRUE(claims.ok());
  EXPECT_TRUE(claims->ToPrincipal().CanAccessOrganization("9999999"));
}

TEST(SessionTokenTest, OneTimePasswordFlagRoundTrips) {
  Keys keys = NewKeys();
  AccessClaims restricted = Claims();
  restricted.password_must_change = true;
  absl::StatusOr<AccessClaims> claims =
      keys.verifier.Verify(keys.signer.Issue(restricted), kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_TRUE(claims->password_must_change);
  EXPECT_TRUE(claims->ToPrincipal().password_must_change());
  claims = keys.verifier.Verify(keys.signer.Issue(Claims()), kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_FALSE(claims->ToPrincipal().password_must_change());
}

// A token signed over `payload` with the key of a signing key file's text,
// as an older or a misbehaving signer would make it.
std::string SignedToken(absl::string_view key_file_text,
                        absl::string_view payload) {
  std::vector<std::string> lines = absl::StrSplit(key_file_text, '\n');
  std::vector<std::string> parts = absl::StrSplit(lines[1], ' ');
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  size_t length = 0;
  EXPECT_EQ(sodium_base642bin(secret, sizeof(secret), parts[1].data(),
                              parts[1].size(), nullptr, &length, nullptr,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0);
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr,
                       reinterpret_cast<const unsigned char*>(payload.data()),
                       payload.size(), secret);
  auto base64 = [](const unsigned char* bytes, size_t size) {
    std::string text(sodium_base64_encoded_len(
                         size, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     '\0');
    sodium_bin2base64(text.data(), text.size(), bytes, size,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    text.pop_back();
    return text;
  };
  return absl::StrCat(
      "pat_",
      base64(reinterpret_cast<const unsigned char*>(payload.data()),
             payload.size()),
      ".", base64(signature, sizeof(signature)));
}

TEST(SessionTokenTest, VersionOneTokensStillVerifyWithoutTheFlag) {
  const std::string key_file = SessionSigner::GenerateFileText();
  absl::StatusOr<SessionSigner> signer = SessionSigner::Parse(key_file);
  ASSERT_TRUE(signer.ok()) << signer.status();
  absl::StatusOr<SessionVerifier> verifier =
      SessionVerifier::Parse(signer->VerifyKeyLine());
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const std::string fields =
      absl::StrCat(signer->key_id(), "|abcdefghijklmnop|somchai.j|OPERATOR|",
                   "6340101|", absl::ToUnixSeconds(kNow), "|",
                   absl::ToUnixSeconds(kNow + kAccessTokenLifetime));
  absl::StatusOr<AccessClaims> claims =
      verifier->Verify(SignedToken(key_file, absl::StrCat("1|", fields)), kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->login, "somchai.j");
  EXPECT_FALSE(claims->password_must_change);
  // Version 2 must carry the flag, as 0 or 1; version 1 must not.
  for (const std::string& payload :
       {absl::StrCat("2|", fields), absl::StrCat("2|", fields, "|yes"),
        absl::StrCat("1|", fields, "|1"), absl::StrCat("3|", fields, "|0")}) {
    EXPECT_THAT(verifier->Verify(SignedToken(key_file, payload), kNow).status(),
                StatusIs(absl::StatusCode::kUnauthenticated))
        << payload;
  }
  EXPECT_TRUE(
      verifier
          ->Verify(SignedToken(key_file, absl::StrCat("2|", fields, "|1")),
                   kNow)
          .ok());
}

TEST(SessionTokenTest, ExpiredTokenSaysToRefresh) {
  Keys keys = NewKeys();
  const std::string token = keys.signer.Issue(Claims());
  EXPECT_TRUE(keys.verifier.Verify(token, kNow + absl::Minutes(9)).ok());
  absl::StatusOr<AccessClaims> expired =
      keys.verifier.Verify(token, kNow + absl::Minutes(10));
  EXPECT_THAT(expired.status(), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(expired.status().message(),
            "access token expired; refresh the session");
}

// A token seen before costs no second signature check, yet still expires,
// and a forgery of it made after it was seen is still checked and refused.
TEST(SessionTokenTest, ASeenTokenSkipsTheSignatureCheckButNotItsExpiry) {
  Keys keys = NewKeys();
  const std::string token = keys.signer.Issue(Claims());
  ASSERT_TRUE(keys.verifier.Verify(token, kNow).ok());
  EXPECT_EQ(keys.verifier.signature_checks(), 1);
  absl::StatusOr<AccessClaims> again =
      keys.verifier.Verify(token, kNow + absl::Minutes(5));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->login, "somchai.j");
  EXPECT_EQ(again->roles, Claims().roles);
  EXPECT_EQ(keys.verifier.signature_checks(), 1);
  EXPECT_EQ(
      keys.verifier.Verify(token, kNow + absl::Minutes(10)).status().message(),
      "access token expired; refresh the session");

  // A character of the signature changed.
  std::string flipped = token;
  char& changed = flipped[flipped.find('.') + 5];
  changed = changed == 'A' ? 'B' : 'A';
  EXPECT_THAT(keys.verifier.Verify(flipped, kNow).status(),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(keys.verifier.signature_checks(), 2);
  // Refusals are not remembered: the forgery is checked every time.
  EXPECT_FALSE(keys.verifier.Verify(flipped, kNow).ok());
  EXPECT_EQ(keys.verifier.signature_checks(), 3);
}

TEST(SessionTokenTest, TamperedPayloadIsRefused) {
  Keys keys = NewKeys();
  const std::string token = keys.signer.Issue(Claims());
  // The same token with SYSTEM among its roles, under the old signature.
  AccessClaims elevated = Claims();
  elevated.roles.push_back(common::v1::SYSTEM);
  const std::string other = keys.signer.Issue(elevated);
  const std::string forged = absl::StrCat(other.substr(0, other.find('.')),
                                          token.substr(token.find('.')));
  absl::StatusOr<AccessClaims> claims = keys.verifier.Verify(forged, kNow);
  EXPECT_THAT(claims.status(), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(claims.status().message(), "access token is not valid");
  // One character changed in the payload.
  std::string flipped = token;
  flipped[6] = flipped[6] == 'A' ? 'B' : 'A';
  EXPECT_THAT(keys.verifier.Verify(flipped, kNow).status(),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(SessionTokenTest, TokenOfAnotherKeyIsRefused) {
  Keys ours = NewKeys();
  Keys theirs = NewKeys();
  EXPECT_THAT(
      ours.verifier.Verify(theirs.signer.Issue(Claims()), kNow).status(),
      StatusIs(absl::StatusCode::kUnauthenticated));
  // A key with our id but another secret: the signature fails.
  const std::string their_text = SessionSigner::GenerateFileText();
  std::vector<std::string> lines = absl::StrSplit(their_text, '\n');
  std::vector<std::string> parts = absl::StrSplit(lines[1], ' ');
  absl::StatusOr<SessionSigner> impostor = SessionSigner::Parse(
      absl::StrCat(ours.signer.key_id(), " ", parts[1], "\n"));
  ASSERT_TRUE(impostor.ok()) << impostor.status();
  EXPECT_EQ(impostor->key_id(), ours.signer.key_id());
  EXPECT_THAT(ours.verifier.Verify(impostor->Issue(Claims()), kNow).status(),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(SessionTokenTest, VerifierAcceptsEveryListedKey) {
  Keys first = NewKeys();
  Keys second = NewKeys();
  absl::StatusOr<SessionVerifier> both =
      SessionVerifier::Parse(absl::StrCat(first.signer.VerifyKeyLine(), "\n\n",
                                          second.signer.VerifyKeyLine(), "\n"));
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ(both->size(), 2u);
  EXPECT_TRUE(both->Verify(first.signer.Issue(Claims()), kNow).ok());
  EXPECT_TRUE(both->Verify(second.signer.Issue(Claims()), kNow).ok());
  EXPECT_THAT(
      SessionVerifier().Verify(first.signer.Issue(Claims()), kNow).status(),
      StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(SessionTokenTest, MalformedTokensAreRefused) {
  Keys keys = NewKeys();
  const std::string token = keys.signer.Issue(Claims());
  for (const std::string& bad :
       {std::string("pat_"), std::string("pat_abc"), std::string("pat_.."),
        absl::StrCat(token, "x"), absl::StrCat("psk_", token.substr(4)),
        token.substr(0, token.find('.')), std::string(10000, 'a'),
        absl::StrCat(token.substr(0, token.find('.') + 1), "AAAA")}) {
    absl::StatusOr<AccessClaims> claims = keys.verifier.Verify(bad, kNow);
    EXPECT_THAT(claims.status(), StatusIs(absl::StatusCode::kUnauthenticated))
        << bad.substr(0, 20);
  }
}

TEST(SessionTokenTest, KeyFilesAreCheckedWithoutEchoingKeys) {
  EXPECT_THAT(SessionSigner::Parse("").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(SessionSigner::Parse("k1 c2VjcmV0\n").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  absl::StatusOr<SessionVerifier> bad = SessionVerifier::Parse("k1 c2VjcmV0\n");
  EXPECT_THAT(bad.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(bad.status().message().find("c2VjcmV0"), std::string::npos);
  Keys keys = NewKeys();
  const std::string line = keys.signer.VerifyKeyLine();
  EXPECT_THAT(
      SessionVerifier::Parse(absl::StrCat(line, "\n", line, "\n")).status(),
      StatusIs(absl::StatusCode::kInvalidArgument));
  // Two signing keys in one file are ambiguous.
  EXPECT_THAT(
      SessionSigner::Parse(absl::StrCat(SessionSigner::GenerateFileText(),
                                        SessionSigner::GenerateFileText()))
          .status(),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace prongsai::auth
