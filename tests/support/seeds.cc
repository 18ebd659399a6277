#include "tests/support/seeds.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace prongsai::testing {

bool SeedPresent(absl::string_view dir, absl::string_view file) {
  return std::ifstream(absl::StrCat(dir, "/", file), std::ios::binary).good();
}

std::string SeedMissing(absl::string_view dir, absl::string_view file) {
  return absl::StrCat("seed document ", file,
                      " is not beside the repository (looked for ", dir, "/",
                      file,
                      "; the seeds live in ../shared/seeds next to the "
                      "checkout and are not part of it)");
}

}  // namespace prongsai::testing
