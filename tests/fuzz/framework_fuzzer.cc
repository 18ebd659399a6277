// Framework files (ParseFrameworkText, ValidateFramework) on any text, as an
// operator's LoadFramework file or a shipped year: no crash; a framework
// that validates bands every score, including out-of-range and NaN ones, to
// a band whose floor it reaches (or the lowest band); measures the same way
// as itself; and moves a score set of its own items to itself unchanged.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "absl/status/statusor.h"
#include "services/ita/ita_framework.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_input.h"

namespace ita = ::prongsai::ita;
namespace v1 = ::prongsai::ita::v1;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::StatusOr<v1::Framework> framework =
      ita::ParseFrameworkText(prongsai::fuzz::Text(data, size));
  if (!framework.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(framework.status()),
               "syntax errors are INVALID_ARGUMENT");
    return 0;
  }
  const absl::Status valid = ita::ValidateFramework("framework", *framework);
  if (!valid.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(valid), "refusals are INVALID_ARGUMENT");
    return 0;
  }
  const auto& bands = framework->grade_bands();
  for (double score : {-1.0, 0.0, 49.99, 85.0, 94.999, 100.0, 250.0,
                       std::numeric_limits<double>::quiet_NaN(),
                       std::numeric_limits<double>::infinity()}) {
    const v1::GradeBand& band = ita::BandOf(*framework, score);
    const double clamped =
        std::isnan(score) ? 0.0 : std::fmin(100.0, std::fmax(0.0, score));
    FUZZ_CHECK(band.min_score() <= clamped, "a band's floor is reached");
    // Bands are descending: every band above the one given starts higher.
    for (const v1::GradeBand& above : bands) {
      if (&above == &band) break;
      FUZZ_CHECK(clamped < above.min_score(), "the highest band reached");
    }
  }
  FUZZ_CHECK(!ita::MethodDifference(*framework, *framework).has_value(),
             "a framework measures as itself");
  v1::ScoreSet scores;
  for (const v1::Item& item : framework->items()) {
    v1::Score& score = *scores.add_items();
    score.set_code(item.code());
    score.set_score(50);
  }
  const ita::MigratedScores moved =
      ita::MigrateScores(*framework, *framework, scores);
  FUZZ_CHECK(moved.moved.empty() && moved.dropped.empty(),
             "a move to the same version moves nothing");
  FUZZ_CHECK(moved.scores.items_size() == scores.items_size(),
             "a move to the same version keeps every item");
  return 0;
}
