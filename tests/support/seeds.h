// The seed documents: real action plans and reports of Thai local
// governments that some tests and the benchmarks read. They are not ours to
// copy into the repository, so they stay in ../shared/seeds beside it (the
// build passes that directory as PRONGSAI_SEEDS_DIR) and may be absent; a
// test that needs one skips, saying so, when it is. The tests that always
// run use our own documents in tests/testdata/.
//
//   TEST_F(CycleTest, FullCycle) {
//     PRONGSAI_REQUIRE_SEED(PRONGSAI_SEEDS_DIR, "002_da2eef7f943bd544.txt");
//     ...
//   }
#ifndef PRONGSAI_TESTS_SUPPORT_SEEDS_H_
#define PRONGSAI_TESTS_SUPPORT_SEEDS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace prongsai::testing {

// Whether `dir`/`file` can be read.
bool SeedPresent(absl::string_view dir, absl::string_view file);

// "seed document 002_....txt is not beside the repository (looked for
// <dir>/<file>; the seeds live in ../shared/seeds next to the checkout)".
std::string SeedMissing(absl::string_view dir, absl::string_view file);

}  // namespace prongsai::testing

// Skips the current test (at the top of a TEST body) when the seed document
// is absent. Never a failure: the seeds are not part of the repository.
#define PRONGSAI_REQUIRE_SEED(dir, file)                           \
  do {                                                             \
    if (!::prongsai::testing::SeedPresent((dir), (file))) {        \
      GTEST_SKIP() << ::prongsai::testing::SeedMissing(dir, file); \
    }                                                              \
  } while (false)

#endif  // PRONGSAI_TESTS_SUPPORT_SEEDS_H_
