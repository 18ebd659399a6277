#include "common/auth/key_ring.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::auth {
namespace {

using ::prongsai::testing::StatusIs;

TEST(KeyRingTest, AuthenticatesBearerKeysToTheirPrincipals) {
  const std::string operator_key = GenerateKey();
  const std::string system_key = GenerateKey();
  absl::StatusOr<KeyRing> ring = KeyRing::Parse(absl::StrCat(
      "# comment\n\n",
      FormatKeyLine(HashKey(operator_key), "op-a", "OPERATOR", "6340101,123"),
      FormatKeyLine(HashKey(system_key), "portal", "SYSTEM,AUDITOR", "*")));
  ASSERT_TRUE(ring.ok()) << ring.status();
  EXPECT_EQ(ring->size(), 2u);

  absl::StatusOr<Principal> op =
      ring->Authenticate(absl::StrCat("Bearer ", operator_key));
  ASSERT_TRUE(op.ok());
  EXPECT_EQ(op->name(), "op-a");
  EXPECT_FALSE(op->is_public());
  EXPECT_TRUE(op->HasRole(common::v1::OPERATOR));
  EXPECT_FALSE(op->HasRole(common::v1::SYSTEM));
  EXPECT_TRUE(op->CanAccessOrganization("6340101"));
  EXPECT_TRUE(op->CanAccessOrganization("123"));
  EXPECT_FALSE(op->CanAccessOrganization("12"));

  absl::StatusOr<Principal> portal =
      ring->Authenticate(absl::StrCat("Bearer ", system_key));
  ASSERT_TRUE(portal.ok());
  EXPECT_EQ(portal->RolesString(), "SYSTEM,AUDITOR");
  EXPECT_TRUE(portal->CanAccessOrganization("anything"));
}

TEST(KeyRingTest, NoHeaderIsPublicButBadHeadersAreRejected) {
  absl::StatusOr<KeyRing> ring = KeyRing::Parse("");
  ASSERT_TRUE(ring.ok());
  absl::StatusOr<Principal> anonymous = ring->Authenticate(std::nullopt);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_TRUE(anonymous->is_public());
  EXPECT_TRUE(anonymous->HasRole(common::v1::PUBLIC));
  EXPECT_FALSE(anonymous->HasRole(common::v1::AUDITOR));

  const std::string key = GenerateKey();
  absl::StatusOr<Principal> unknown =
      ring->Authenticate(absl::StrCat("Bearer ", key));
  EXPECT_THAT(unknown, StatusIs(absl::StatusCode::kUnauthenticated));
  // The presented key never appears in the error.
  EXPECT_EQ(unknown.status().message().find(key), absl::string_view::npos);
  EXPECT_THAT(ring->Authenticate("Basic dXNlcjpwYXNz"),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(KeyRingTest, RejectsMalformedFiles) {
  const std::string hash = HashKey("k");
  for (const std::string& text : {
           std::string("nothex name SYSTEM *"),
           absl::StrCat(hash, " name SYSTEM"),
           absl::StrCat(hash, " name WIZARD *"),
           absl::StrCat(hash, " name PUBLIC *"),
           absl::StrCat(hash, " name OPERATOR ,"),
           absl::StrCat(hash, " a SYSTEM *\n", hash, " b SYSTEM *"),
       }) {
    EXPECT_THAT(KeyRing::Parse(text),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << text;
  }
  EXPECT_THAT(KeyRing::LoadFile("/nonexistent/keys"),
              StatusIs(absl::StatusCode::kNotFound));
}

// Found by key_files_fuzzer: a roles column that held key material was
// repeated in the error, which the service logs at start-up. A role name
// still is, so that a typo can be seen.
TEST(KeyRingTest, UnknownRolesAreNamedOnlyWhenTheyLookLikeRoles) {
  const std::string hash = HashKey("k");
  const std::string key = GenerateKey();
  const absl::StatusOr<KeyRing> pasted =
      KeyRing::Parse(absl::StrCat(hash, " desk ", key, " *"));
  ASSERT_THAT(pasted, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(pasted.status().message().find(key.substr(0, 12)),
            absl::string_view::npos);
  EXPECT_NE(pasted.status().message().find("unknown role (roles are names"),
            absl::string_view::npos);
  const absl::StatusOr<KeyRing> typo =
      KeyRing::Parse(absl::StrCat(hash, " desk AUDITORS *"));
  EXPECT_NE(typo.status().message().find("unknown role \"AUDITORS\""),
            absl::string_view::npos)
      << typo.status();
}

TEST(KeyRingTest, GeneratedKeysAreLongDistinctAndHashStable) {
  std::set<std::string> keys;
  for (int i = 0; i < 200; ++i) keys.insert(GenerateKey());
  EXPECT_EQ(keys.size(), 200u);
  const std::string& key = *keys.begin();
  EXPECT_EQ(key.size(), 4u + 52u);
  EXPECT_EQ(key.substr(0, 4), "psk_");
  // SHA-256 of "abc", a published test vector.
  EXPECT_EQ(HashKey("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace prongsai::auth
