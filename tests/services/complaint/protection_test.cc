// The keys that seal reporters' identities: round trips, tampering, moved
// values, rotation, and key files that are refused without their keys
// appearing in the error. Reading the file from disk: key_file_test.cc.
#include "services/complaint/protection.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kContext = "organizations/x/complaints/a";
const std::string kName = "นายสมชาย ใจกล้า โทร 081-234-5678";

// The base64 of a 32-byte key made of `fill` (distinct per test key).
std::string Key(char fill) { return absl::Base64Escape(std::string(32, fill)); }

std::string SealLine(absl::string_view id, char fill) {
  return absl::StrCat("seal ", id, " ", Key(fill), "\n");
}
std::string TrackingLine(char fill) {
  return absl::StrCat("tracking ", Key(fill), "\n");
}

ProtectionKeys MustParse(absl::string_view text) {
  absl::StatusOr<ProtectionKeys> keys = ProtectionKeys::Parse(text);
  EXPECT_THAT(keys, IsOk());
  return keys.ok() ? *std::move(keys) : ProtectionKeys();
}

// The sealed value's nonce and ciphertext, decoded.
std::string Payload(absl::string_view sealed) {
  std::vector<std::string> parts = absl::StrSplit(sealed, '.');
  std::string bytes;
  EXPECT_EQ(parts.size(), 3u);
  EXPECT_TRUE(absl::WebSafeBase64Unescape(parts.back(), &bytes));
  return bytes;
}

TEST(ProtectionKeysTest, SealsAndOpensThaiText) {
  ProtectionKeys keys = MustParse(SealLine("k1", 'a') + TrackingLine('t'));
  const std::string sealed = keys.Seal(kName, kContext);
  EXPECT_TRUE(absl::StartsWith(sealed, "v1.k1.")) << sealed;
  EXPECT_THAT(keys.Open(sealed, kContext), IsOk());
  EXPECT_EQ(keys.Open(sealed, kContext).value_or(""), kName);
  // Random nonces: sealing the same value twice gives different texts.
  EXPECT_NE(sealed, keys.Seal(kName, kContext));
  // Empty and binary values survive too.
  EXPECT_EQ(keys.Open(keys.Seal("", kContext), kContext).value_or("x"), "");
  const std::string binary("\0\xff\x01.", 4);
  EXPECT_EQ(keys.Open(keys.Seal(binary, kContext), kContext).value_or(""),
            binary);
}

TEST(ProtectionKeysTest, SealedTextIsAsciiAndRevealsNothing) {
  ProtectionKeys keys = MustParse(SealLine("k1", 'a') + TrackingLine('t'));
  const std::string sealed = keys.Seal(kName, kContext);
  for (char c : sealed) {
    EXPECT_TRUE(c > 0x20 && c < 0x7f) << "byte " << int{c};
  }
  EXPECT_THAT(sealed, Not(HasSubstr(kName)));
  EXPECT_THAT(sealed, Not(HasSubstr("สมชาย")));
  EXPECT_THAT(sealed, Not(HasSubstr(absl::Base64Escape(kName).substr(0, 12))));
  EXPECT_THAT(sealed,
              Not(HasSubstr(absl::WebSafeBase64Escape(kName).substr(0, 12))));
  EXPECT_THAT(Payload(sealed), Not(HasSubstr("สมชาย")));
  EXPECT_THAT(sealed, Not(HasSubstr(Key('a'))));
}

TEST(ProtectionKeysTest, TamperedValuesAreDataLoss) {
  ProtectionKeys keys =
      MustParse(SealLine("k1", 'a') + SealLine("k2", 'b') + TrackingLine('t'));
  const std::string sealed = keys.Seal(kName, kContext);
  const std::string payload = Payload(sealed);
  // One flipped bit anywhere (nonce, ciphertext or tag) is caught.
  for (size_t i = 0; i < payload.size(); ++i) {
    std::string altered = payload;
    altered[i] ^= 0x01;
    const std::string tampered =
        absl::StrCat("v1.k1.", absl::WebSafeBase64Escape(altered));
    absl::StatusOr<std::string> opened = keys.Open(tampered, kContext);
    ASSERT_THAT(opened, StatusIs(absl::StatusCode::kDataLoss)) << "byte " << i;
    EXPECT_THAT(std::string(opened.status().message()),
                Not(HasSubstr("สมชาย")));
  }
  // Truncated, or relabelled with another loaded key.
  EXPECT_THAT(keys.Open(sealed.substr(0, sealed.size() - 4), kContext),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(
      keys.Open(absl::StrReplaceAll(sealed, {{"v1.k1.", "v1.k2."}}), kContext),
      StatusIs(absl::StatusCode::kDataLoss));
}

TEST(ProtectionKeysTest, ValueMovedToAnotherRowIsDataLoss) {
  ProtectionKeys keys = MustParse(SealLine("k1", 'a') + TrackingLine('t'));
  const std::string sealed = keys.Seal(kName, kContext);
  EXPECT_THAT(keys.Open(sealed, "organizations/x/complaints/b"),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(keys.Open(sealed, ""), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(ProtectionKeysTest, MalformedValuesAreDataLossAndNotEchoed) {
  ProtectionKeys keys = MustParse(SealLine("k1", 'a') + TrackingLine('t'));
  const std::string sealed = keys.Seal(kName, kContext);
  for (const std::string& value :
       {std::string(""), kName, absl::StrCat("v1.", kName, ".AAAA"),
        absl::StrCat("v2", sealed.substr(2)), absl::StrCat(sealed, ".x"),
        std::string("v1.k1.!!!!"), std::string("v1.k1.AAAA")}) {
    absl::StatusOr<std::string> opened = keys.Open(value, kContext);
    EXPECT_THAT(opened, StatusIs(absl::StatusCode::kDataLoss)) << value;
    EXPECT_THAT(std::string(opened.status().message()),
                Not(HasSubstr("สมชาย")));
  }
}

TEST(ProtectionKeysTest, UnknownKeyIdIsFailedPrecondition) {
  ProtectionKeys old_keys = MustParse(SealLine("k0", 'z') + TrackingLine('t'));
  ProtectionKeys keys = MustParse(SealLine("k1", 'a') + TrackingLine('t'));
  absl::StatusOr<std::string> opened =
      keys.Open(old_keys.Seal(kName, kContext), kContext);
  EXPECT_THAT(opened, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(std::string(opened.status().message()),
              HasSubstr("unknown protection key id k0"));
}

TEST(ProtectionKeysTest, RotationKeepsOldDataReadable) {
  ProtectionKeys before = MustParse(SealLine("k1", 'a') + TrackingLine('t'));
  const std::string old_value = before.Seal(kName, kContext);

  // k2 becomes current; k1 stays listed; the tracking key is unchanged.
  ProtectionKeys rotated =
      MustParse(absl::StrCat("# rotated\n", SealLine("k2", 'b'),
                             SealLine("k1", 'a'), TrackingLine('t')));
  EXPECT_EQ(rotated.current_key_id(), "k2");
  EXPECT_EQ(rotated.Open(old_value, kContext).value_or(""), kName);
  const std::string new_value = rotated.Seal("ใหม่", kContext);
  EXPECT_TRUE(absl::StartsWith(new_value, "v1.k2.")) << new_value;
  EXPECT_EQ(rotated.Open(new_value, kContext).value_or(""), "ใหม่");
  EXPECT_EQ(rotated.tracking_key(), before.tracking_key());
  // The old key set cannot open the new value, and says which key it lacks.
  EXPECT_THAT(before.Open(new_value, kContext),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(ProtectionKeysTest, AcceptsCommentsBlankLinesTabsAndCrlf) {
  ProtectionKeys keys = MustParse(absl::StrCat("# keys\r\n\r\n  seal\tk_1-A  ",
                                               Key('a'), "  \r\n# tracking\r\n",
                                               "tracking ", Key('t'), "\r\n"));
  EXPECT_EQ(keys.current_key_id(), "k_1-A");
  EXPECT_EQ(keys.tracking_key(), std::string(32, 't'));
}

struct BadFile {
  std::string name;
  std::string text;
  std::string expected;  // in the message
};

TEST(ProtectionKeysTest, BadKeyFilesNameTheLineAndNeverTheKeys) {
  const std::string good_seal = SealLine("k1", 'a');
  const std::string tracking = TrackingLine('t');
  const std::string short_key = absl::Base64Escape(std::string(16, 's'));
  const std::vector<BadFile> files = {
      {"bad base64", absl::StrCat(tracking, "seal k1 ", Key('a'), "%%\n"),
       "line 2: a key is the base64 of 32 bytes"},
      {"short key",
       absl::StrCat("# c\n", "seal k1 ", short_key, "\n", tracking),
       "line 2: a key is the base64 of 32 bytes"},
      {"long key",
       absl::StrCat(good_seal, "tracking ",
                    absl::Base64Escape(std::string(33, 'l')), "\n"),
       "line 2: a key is the base64 of 32 bytes"},
      {"duplicate id", absl::StrCat(good_seal, tracking, SealLine("k1", 'b')),
       "line 3: duplicate seal key id"},
      {"second tracking key",
       absl::StrCat(good_seal, tracking, TrackingLine('u')),
       "line 3: a second tracking key"},
      {"missing tracking key", good_seal, "no tracking key"},
      {"missing seal key", tracking, "no seal key"},
      {"empty", "# nothing\n", "no seal key"},
      {"bad id", absl::StrCat(tracking, "seal k/1 ", Key('a'), "\n"),
       "line 2: a key id is"},
      {"id too long",
       absl::StrCat(tracking, "seal abcdefghijklmnopq ", Key('a'), "\n"),
       "line 2: a key id is"},
      {"key without id", absl::StrCat(tracking, "seal ", Key('a'), "\n"),
       "line 2: expected"},
      {"unknown directive", absl::StrCat(tracking, "sael k1 ", Key('a'), "\n"),
       "line 2: expected"},
  };
  for (const BadFile& file : files) {
    SCOPED_TRACE(file.name);
    absl::StatusOr<ProtectionKeys> keys = ProtectionKeys::Parse(file.text);
    EXPECT_THAT(keys, StatusIs(absl::StatusCode::kInvalidArgument));
    const std::string message(keys.status().message());
    EXPECT_THAT(message, HasSubstr(file.expected));
    for (absl::string_view token :
         absl::StrSplit(file.text, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
      if (token.size() >= 20) {
        EXPECT_THAT(message, Not(HasSubstr(std::string(token))));
      }
    }
    for (char fill : {'a', 'b', 't', 'u', 's', 'l'}) {
      EXPECT_THAT(message, Not(HasSubstr(std::string(16, fill))));
    }
  }
}

TEST(ProtectionKeysTest, GeneratedFilesParseWithFreshKeys) {
  const std::string text = ProtectionKeys::GenerateFileText();
  ProtectionKeys keys = MustParse(text);
  EXPECT_EQ(keys.current_key_id(), "k1");
  EXPECT_EQ(keys.tracking_key().size(), 32u);
  EXPECT_EQ(keys.Open(keys.Seal(kName, kContext), kContext).value_or(""),
            kName);

  ProtectionKeys other = MustParse(ProtectionKeys::GenerateFileText("k7"));
  EXPECT_EQ(other.current_key_id(), "k7");
  EXPECT_NE(other.tracking_key(), keys.tracking_key());
  // Same id, different key: the other file cannot open this value.
  ProtectionKeys same_id = MustParse(ProtectionKeys::GenerateFileText());
  EXPECT_THAT(same_id.Open(keys.Seal(kName, kContext), kContext),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(ProtectionKeysTest, EmptyKeysOpenNothingAndRefuseToSeal) {
  ProtectionKeys none;
  EXPECT_EQ(none.current_key_id(), "");
  EXPECT_TRUE(none.tracking_key().empty());
  ProtectionKeys keys = MustParse(SealLine("k1", 'a') + TrackingLine('t'));
  EXPECT_THAT(none.Open(keys.Seal(kName, kContext), kContext),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_DEATH(none.Seal(kName, kContext), "seal_without_protection_keys");
}

TEST(ComplaintKeyTest, SealsUnderItsOwnKeyAndOpensOnlyWithIt) {
  ProtectionKeys keys = MustParse(SealLine("k1", 'a') + TrackingLine('t'));
  const ComplaintKey key = ComplaintKey::Generate();
  const std::string sealed = key.Seal(kName, kContext);
  EXPECT_TRUE(ComplaintKey::SealsUnderOwnKey(sealed)) << sealed;
  EXPECT_FALSE(ComplaintKey::SealsUnderOwnKey(keys.Seal(kName, kContext)));
  EXPECT_THAT(sealed, Not(HasSubstr("081")));
  EXPECT_EQ(key.Open(sealed, kContext).value_or(""), kName);
  EXPECT_THAT(key.Open(sealed, "organizations/x/complaints/b"),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(ComplaintKey::Generate().Open(sealed, kContext),
              StatusIs(absl::StatusCode::kDataLoss));
  // The protection keys alone open nothing sealed under it.
  EXPECT_THAT(keys.Open(sealed, kContext),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(key.Open(keys.Seal(kName, kContext), kContext),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(ComplaintKeyTest, AWrappedKeyOpensOnlyForItsComplaintAndKeys) {
  ProtectionKeys keys = MustParse(SealLine("k1", 'a') + TrackingLine('t'));
  const ComplaintKey key = ComplaintKey::Generate();
  const std::string sealed = key.Seal(kName, kContext);
  const std::string wrapped = key.Wrap(keys, kContext);
  EXPECT_TRUE(absl::StartsWith(wrapped, "v1.k1.")) << wrapped;
  absl::StatusOr<ComplaintKey> unwrapped =
      ComplaintKey::Unwrap(keys, wrapped, kContext);
  ASSERT_THAT(unwrapped, IsOk());
  EXPECT_EQ(unwrapped->Open(sealed, kContext).value_or(""), kName);
  EXPECT_THAT(
      ComplaintKey::Unwrap(keys, wrapped, "organizations/x/complaints/b"),
      StatusIs(absl::StatusCode::kDataLoss));
  ProtectionKeys other = MustParse(SealLine("k1", 'b') + TrackingLine('t'));
  EXPECT_THAT(ComplaintKey::Unwrap(other, wrapped, kContext),
              StatusIs(absl::StatusCode::kDataLoss));
  // A value sealed against the complaint's name is not a key.
  EXPECT_THAT(ComplaintKey::Unwrap(keys, keys.Seal(kName, kContext), kContext),
              StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace prongsai::complaint
