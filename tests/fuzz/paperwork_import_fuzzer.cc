// The integrity-measures table and the progress-report importers
// (ParseIntegrityMeasures, ParseProgressReport) on any text, the report
// matched against the measures read from the same text: no crash or hang;
// measures distinct by their title key and of the year asked; reports of
// the measures given, in the document's round; quarters of
// a period sorted, distinct, 1-4; from UTF-8 text, only UTF-8 kept.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/plan/plan_import/measures_import.h"
#include "services/plan/plan_import/progress_import.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_input.h"

namespace pi = ::prongsai::plan::plan_import;
using ::prongsai::fuzz::RoundTrips;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text = prongsai::fuzz::Text(data, size);
  const bool utf8 = prongsai::fuzz::IsUtf8(text);
  const pi::ImportedMeasures measures = pi::ParseIntegrityMeasures(text, 2568);
  absl::flat_hash_set<std::string> keys;
  std::vector<pi::MeasureRef> refs;
  for (const auto& measure : measures.measures) {
    FUZZ_CHECK(measure.be_year() == 2568, "measures are of the year asked");
    FUZZ_CHECK(keys.insert(pi::MeasureTitleKey(measure.title())).second,
               "measures are distinct by title key");
    if (utf8) FUZZ_CHECK(RoundTrips(measure), "each measure is UTF-8");
    refs.push_back({absl::StrCat("m", refs.size()), measure.title()});
  }

  for (prongsai::plan::v1::Round round :
       {prongsai::plan::v1::ROUND_UNSPECIFIED, prongsai::plan::v1::HALF_YEAR}) {
    const pi::ImportedProgress progress =
        pi::ParseProgressReport(text, 2568, round, refs);
    if (round == prongsai::plan::v1::HALF_YEAR) {
      FUZZ_CHECK(progress.round == prongsai::plan::v1::HALF_YEAR,
                 "the caller's round overrides the document's");
    }
    absl::flat_hash_set<std::string> subjects;
    for (const pi::MeasureRef& ref : refs) subjects.insert(ref.name);
    for (const auto& report : progress.reports) {
      FUZZ_CHECK(subjects.contains(report.subject()),
                 "a report is of a measure given");
      FUZZ_CHECK(report.round() == progress.round,
                 "a report is of the document's round");
      if (utf8) FUZZ_CHECK(RoundTrips(report), "each report is UTF-8");
    }
    if (!utf8) continue;
    for (const auto& finding : progress.findings) {
      FUZZ_CHECK(RoundTrips(finding), "each finding is UTF-8");
    }
  }

  const std::vector<int> quarters = pi::QuartersOfPeriod(text);
  for (size_t i = 0; i < quarters.size(); ++i) {
    FUZZ_CHECK(quarters[i] >= 1 && quarters[i] <= 4, "a quarter is 1-4");
    FUZZ_CHECK(i == 0 || quarters[i - 1] < quarters[i],
               "quarters sorted and distinct");
  }
  return 0;
}
