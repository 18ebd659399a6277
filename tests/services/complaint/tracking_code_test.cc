// Tracking codes: their shape, Crockford's check symbol against typing
// mistakes, the forgiving reading of what a complainant types, and the keyed
// hash stored instead of the code.
#include "services/complaint/tracking_code.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/base/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;

constexpr absl::string_view kDataSymbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr absl::string_view kCheckSymbols =
    "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
constexpr absl::string_view kMistyped =
    "tracking_code: is mistyped: its check character does not match";
constexpr absl::string_view kWrongLength =
    "tracking_code: must be 17 characters (dashes and spaces aside)";

std::string Canonical(absl::string_view code) {
  return absl::StrReplaceAll(code, {{"-", ""}});
}

TEST(TrackingCodeTest, NewCodesHaveTheDocumentedShape) {
  std::set<std::string> codes;
  for (int i = 0; i < 1000; ++i) {
    const std::string code = NewTrackingCode();
    ASSERT_EQ(code.size(), 21u) << code;
    for (size_t position = 0; position < code.size(); ++position) {
      if (position % 5 == 4) {
        EXPECT_EQ(code[position], '-') << code;
      } else if (position < 19) {
        EXPECT_NE(kDataSymbols.find(code[position]), absl::string_view::npos)
            << code;
      } else {
        EXPECT_NE(kCheckSymbols.find(code[position]), absl::string_view::npos)
            << code;
      }
    }
    // Round trip: the canonical form is the code without its dashes.
    absl::StatusOr<std::string> canonical = NormalizeTrackingCode(code);
    ASSERT_THAT(canonical, IsOk()) << code;
    EXPECT_EQ(*canonical, Canonical(code));
    codes.insert(*canonical);
  }
  EXPECT_EQ(codes.size(), 1000u);
}

TEST(TrackingCodeTest, CheckSymbolIsTheValueModulo37) {
  // Computed independently (Python: int in base 32, % 37, Crockford's
  // alphabet of 37).
  const std::vector<std::pair<std::string, char>> known = {
      {"0000000000000000", '0'}, {"0000000000000001", '1'},
      {"00000000000000Z0", 'Y'},                             // 992 % 37 = 30
      {"K7QM4XDP9TRAHW2E", 'A'}, {"ZZZZZZZZZZZZZZZZ", '~'},  // 2^80 - 1 ≡ 33
  };
  for (const auto& [data, check] : known) {
    const std::string code = data + check;
    EXPECT_EQ(NormalizeTrackingCode(code).value_or(""), code) << code;
    for (char other : kCheckSymbols) {
      if (other == check) continue;
      EXPECT_EQ(NormalizeTrackingCode(data + other).status().message(),
                kMistyped)
          << data << other;
    }
  }
  // The example in the API documentation is illustrative, not valid.
  EXPECT_THAT(NormalizeTrackingCode("K7QM-4XDP-9TRA-HW2E-C"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TrackingCodeTest, CaseSpacesDashesAndLookAlikesDoNotMatter) {
  const std::string code = NewTrackingCode();
  const std::string canonical = Canonical(code);
  for (const std::string& typed : std::vector<std::string>{
           absl::AsciiStrToLower(code),
           absl::StrReplaceAll(code, {{"-", " "}}),
           canonical,
           absl::StrCat("  ", absl::StrReplaceAll(code, {{"-", " - "}}), " "),
       }) {
    EXPECT_EQ(NormalizeTrackingCode(typed).value_or(""), canonical) << typed;
  }
  // O and o read as 0; I, i, L and l as 1, wherever they appear.
  EXPECT_EQ(NormalizeTrackingCode("OOOO-oooo-0000-0000-O").value_or(""),
            "00000000000000000");
  EXPECT_EQ(NormalizeTrackingCode("0000-0000-0000-000I-1").value_or(""),
            "00000000000000011");
  EXPECT_EQ(NormalizeTrackingCode("0000-0000-0000-000l-L").value_or(""),
            "00000000000000011");
  EXPECT_EQ(NormalizeTrackingCode("0000-0000-0000-000i-l").value_or(""),
            "00000000000000011");
  EXPECT_EQ(NormalizeTrackingCode("k7qm-4xdp-9tra-hw2e-a").value_or(""),
            "K7QM4XDP9TRAHW2EA");
  EXPECT_EQ(NormalizeTrackingCode("zzzz zzzz zzzz zzzz ~").value_or(""),
            "ZZZZZZZZZZZZZZZZ~");
}

TEST(TrackingCodeTest, EverySingleSymbolSubstitutionIsCaught) {
  std::vector<std::string> codes = {"K7QM4XDP9TRAHW2EA", "00000000000000000",
                                    "ZZZZZZZZZZZZZZZZ~"};
  for (int i = 0; i < 20; ++i) codes.push_back(Canonical(NewTrackingCode()));
  for (const std::string& canonical : codes) {
    int tried = 0;
    for (size_t position = 0; position < canonical.size(); ++position) {
      const absl::string_view symbols =
          position < 16 ? kDataSymbols : kCheckSymbols;
      for (char symbol : symbols) {
        if (symbol == canonical[position]) continue;
        std::string typo = canonical;
        typo[position] = symbol;
        ++tried;
        EXPECT_EQ(NormalizeTrackingCode(typo).status().message(), kMistyped)
            << canonical << " at " << position << ": " << symbol;
      }
    }
    EXPECT_EQ(tried, 16 * 31 + 36);
  }
}

TEST(TrackingCodeTest, SwappedSymbolsAreCaught) {
  // 32 has order 36 modulo 37, so swapping any two different data symbols
  // (adjacent or not) changes the value modulo 37.
  std::vector<std::string> codes = {"K7QM4XDP9TRAHW2EA"};
  for (int i = 0; i < 20; ++i) codes.push_back(Canonical(NewTrackingCode()));
  for (const std::string& canonical : codes) {
    for (size_t i = 0; i < 16; ++i) {
      for (size_t j = i + 1; j < 16; ++j) {
        if (canonical[i] == canonical[j]) continue;
        std::string swapped = canonical;
        std::swap(swapped[i], swapped[j]);
        EXPECT_EQ(NormalizeTrackingCode(swapped).status().message(), kMistyped)
            << canonical << " swapping " << i << " and " << j;
      }
    }
  }
}

TEST(TrackingCodeTest, WrongLengthsAreRejected) {
  const std::string canonical = Canonical(NewTrackingCode());
  for (const std::string& text : std::vector<std::string>{
           "", "----", "    ", "A", canonical.substr(0, 16), canonical + "0",
           "0000-0000-0000-0000-00", std::string(65, '-') + canonical,
           std::string(100000, '0')}) {
    const absl::Status status = NormalizeTrackingCode(text).status();
    EXPECT_EQ(status.message(), kWrongLength) << text.size();
    EXPECT_EQ(FieldPathOf(status).value_or(""), "tracking_code");
  }
}

TEST(TrackingCodeTest, SymbolsOutsideTheAlphabetAreRejectedUnechoed) {
  for (const std::string& text : std::vector<std::string>{
           "U000-0000-0000-0000-0",  // U is a check symbol only
           "0000-0000-0000-000*-0",  // so are * ~ $ =
           "0000-0000-0000-000~-0", "0000-0000-0000-000$-0",
           "0000-0000-0000-000=-0", "0000-0000-0000-000!-0",
           "0000_0000_0000_0000_0",  // only dashes and spaces are ignored
           "0000-0000-0000-0000-\t0", "๐๐๐๐-0000-0000-0000-0",
           "0000-0000-0000-0000-é"}) {
    const absl::Status status = NormalizeTrackingCode(text).status();
    EXPECT_EQ(status.message(),
              "tracking_code: holds a character that is not in tracking codes")
        << text;
    EXPECT_EQ(FieldPathOf(status).value_or(""), "tracking_code");
  }
}

TEST(TrackingCodeTest, HashIsKeyedLowerHexBlake2b) {
  std::string key(kTrackingKeyBytes, '\0');
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<char>(i);
  // Python: hashlib.blake2b(b"0" * 17, key=bytes(range(32)),
  // digest_size=32).hexdigest()
  EXPECT_EQ(TrackingCodeHash("00000000000000000", key),
            "f49d7bc3f1ffcaf001d64075a2e9188ea5c0354665ce4bd0511c94841f13c877");

  const std::string code = Canonical(NewTrackingCode());
  const std::string hash = TrackingCodeHash(code, key);
  ASSERT_EQ(hash.size(), 64u);
  for (char c : hash) {
    EXPECT_TRUE(absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f')) << hash;
  }
  EXPECT_EQ(hash, TrackingCodeHash(code, key));
  std::string other_key = key;
  other_key[31] ^= 1;
  EXPECT_NE(hash, TrackingCodeHash(code, other_key));
  std::string other_code = code;
  other_code[0] = other_code[0] == '0' ? '1' : '0';
  EXPECT_NE(hash, TrackingCodeHash(other_code, key));
  EXPECT_EQ(hash.find(code), std::string::npos);
}

TEST(TrackingCodeDeathTest, HashWithoutAProperKeyRefusesToRun) {
  EXPECT_DEATH(TrackingCodeHash("00000000000000000", ""),
               "tracking_hash_without_key");
  EXPECT_DEATH(TrackingCodeHash("00000000000000000", std::string(16, 'k')),
               "tracking_hash_without_key");
}

}  // namespace
}  // namespace prongsai::complaint
