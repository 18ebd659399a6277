// The published-results CSV (ParseResultsCsv, ImportPublishedResults) on any
// bytes: no crash or hang; a refusal or row names a record of the file
// (after the header); rows are distinct by organization code; scores kept
// are 0-100; a file-level error is INVALID_ARGUMENT on `content`.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "services/ita/ita_results_csv.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_input.h"

namespace ita = ::prongsai::ita;

namespace {

bool InRange(const prongsai::ita::v1::Score& score) {
  return score.score() >= 0 && score.score() <= 100;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text = prongsai::fuzz::Text(data, size);
  const std::vector<ita::CsvRecord> records = ita::SplitCsv(text);
  const int last = records.empty() ? 0 : records.back().number;
  const absl::StatusOr<ita::ParsedResults> parsed = ita::ParseResultsCsv(text);
  if (!parsed.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(parsed.status()),
               "file errors are INVALID_ARGUMENT");
    FUZZ_CHECK(absl::StartsWith(parsed.status().message(), "content"),
               "file errors name `content`");
    return 0;
  }
  absl::flat_hash_set<std::string> codes;
  for (const ita::ResultRow& row : parsed->rows) {
    FUZZ_CHECK(row.row >= 2 && row.row <= last,
               "a row is a record after the header");
    FUZZ_CHECK(codes.insert(row.organization.code()).second,
               "rows are distinct by organization");
    const auto& published = row.published;
    FUZZ_CHECK(!published.has_overall() || InRange(published.overall()),
               "the overall is 0-100");
    for (const auto& score : published.tools()) {
      FUZZ_CHECK(InRange(score), "tool scores are 0-100");
    }
    for (const auto& score : published.indicators()) {
      FUZZ_CHECK(InRange(score), "indicator scores are 0-100");
    }
  }
  for (const ita::RowRefusal& refusal : parsed->refused) {
    FUZZ_CHECK(refusal.row >= 2 && refusal.row <= last,
               "a refusal is of a record after the header");
  }
  return 0;
}
