#include "common/base/random_text.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace prongsai {
namespace {

TEST(RandomBase32Test, HasTheLengthAskedForInTheAlphabetGiven) {
  for (int symbols : {0, 1, 7, 8, 16, 52}) {
    const std::string text = RandomBase32(symbols, kLowerBase32);
    EXPECT_EQ(text.size(), static_cast<size_t>(symbols));
    for (char c : text) {
      EXPECT_TRUE(absl::StrContains(kLowerBase32, c)) << text;
    }
  }
  constexpr absl::string_view kDigitsFirst = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (char c : RandomBase32(64, kDigitsFirst)) {
    EXPECT_TRUE(absl::StrContains(kDigitsFirst, c));
  }
}

TEST(RandomBase32Test, UsesEverySymbolAndDoesNotRepeat) {
  // 2,000 identifiers of 16 symbols: 32,000 symbols hit all 32 values (a
  // missing one has probability about 32 * (31/32)^32000), and 80-bit
  // identifiers never collide at this count.
  std::set<std::string> seen;
  std::set<char> symbols;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = RandomBase32(16, kLowerBase32);
    EXPECT_TRUE(seen.insert(id).second) << "repeated identifier";
    symbols.insert(id.begin(), id.end());
  }
  EXPECT_EQ(symbols.size(), 32u);
}

}  // namespace
}  // namespace prongsai
