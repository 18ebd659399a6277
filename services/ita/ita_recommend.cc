#include "services/ita/ita_recommend.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "common/base/status_macros.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "services/ita/ita_analysis.h"

namespace prongsai::ita {
namespace {

// The catalogue's placeholder for the year a measure is recommended for.
constexpr absl::string_view kBeYearPlaceholder = "{be_year}";

struct Catalogue {
  v1::RecommendMeasuresResponse entries;
  // Key (indicator number or item code) -> entry positions, in file order.
  absl::flat_hash_map<std::string, std::vector<int>> by_key;
};

class CatalogueErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!first_.empty()) return;
    // Zero-based in the interface; editors count from 1.
    first_ =
        absl::StrCat("line ", line + 1, " column ", column + 1, ": ", message);
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

// A key is an indicator number or an item code: a lower-case letter then
// digits ("i10", "o33").
bool IsCatalogueKey(absl::string_view key) {
  if (IndicatorNumber(key).has_value()) return true;
  if (key.size() < 2 ||
      !absl::ascii_islower(static_cast<unsigned char>(key[0]))) {
    return false;
  }
  return std::all_of(key.begin() + 1, key.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

absl::StatusOr<Catalogue> ParseCatalogue(absl::string_view text) {
  Catalogue catalogue;
  google::protobuf::TextFormat::Parser parser;
  CatalogueErrors errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &catalogue.entries)) {
    return absl::InternalError(
        absl::StrCat("measure catalogue: does not parse: ", errors.first()));
  }
  absl::flat_hash_set<std::string> titles;
  for (int i = 0; i < catalogue.entries.measures_size(); ++i) {
    const v1::RecommendedMeasure& entry = catalogue.entries.measures(i);
    const std::string where = absl::StrCat("measure catalogue: measures[", i,
                                           "] (", entry.measure().title(), ")");
    if (entry.measure().title().empty()) {
      return absl::InternalError(absl::StrCat(where, ": has no title"));
    }
    // Recommend() removes duplicates by entry; unique titles make that the
    // same as removing them by what an officer reads.
    if (!titles.insert(entry.measure().title()).second) {
      return absl::InternalError(absl::StrCat(where, ": title repeated"));
    }
    std::vector<std::string> keys = {entry.answers()};
    keys.insert(keys.end(), entry.measure().ita_indicators().begin(),
                entry.measure().ita_indicators().end());
    for (const std::string& key : keys) {
      if (!IsCatalogueKey(key)) {
        return absl::InternalError(absl::StrCat(
            where, ": \"", key, "\" is not an indicator number or item code"));
      }
      std::vector<int>& positions = catalogue.by_key[key];
      if (positions.empty() || positions.back() != i) positions.push_back(i);
    }
  }
  return catalogue;
}

absl::StatusOr<const Catalogue*> LoadedCatalogue() {
  // Parsed once, on first use, and kept for the life of the process.
  static const absl::StatusOr<Catalogue>* const kCatalogue =
      new absl::StatusOr<Catalogue>(
          ParseCatalogue(internal::EmbeddedCatalogueFiles().at(0).second));
  if (!kCatalogue->ok()) return kCatalogue->status();
  return &**kCatalogue;
}

std::string WithYear(absl::string_view text, absl::string_view be_year) {
  return absl::StrReplaceAll(text, {{kBeYearPlaceholder, be_year}});
}

// A catalogue measure made concrete for one year and one analysis.
plan::v1::IntegrityMeasure Instantiate(const plan::v1::IntegrityMeasure& from,
                                       int be_year, const std::string& key,
                                       const std::string& source) {
  const std::string year = absl::StrCat(be_year);
  plan::v1::IntegrityMeasure measure;
  measure.set_be_year(be_year);
  measure.set_title(WithYear(from.title(), year));
  measure.set_guideline(WithYear(from.guideline(), year));
  for (const std::string& step : from.steps()) {
    measure.add_steps(WithYear(step, year));
  }
  measure.set_owner(WithYear(from.owner(), year));
  *measure.mutable_quarters() = from.quarters();
  measure.set_period_text(WithYear(from.period_text(), year));
  measure.set_follow_up(WithYear(from.follow_up(), year));
  measure.add_ita_indicators(key);
  measure.set_ita_issue(WithYear(from.ita_issue(), year));
  measure.set_source(source);
  return measure;
}

}  // namespace

absl::StatusOr<v1::RecommendMeasuresResponse> ParseMeasureCatalogue(
    absl::string_view text) {
  PRONGSAI_ASSIGN_OR_RETURN(Catalogue catalogue, ParseCatalogue(text));
  return std::move(catalogue.entries);
}

absl::StatusOr<const v1::RecommendMeasuresResponse*> MeasureCatalogue() {
  PRONGSAI_ASSIGN_OR_RETURN(const Catalogue* catalogue, LoadedCatalogue());
  return &catalogue->entries;
}

absl::StatusOr<std::vector<v1::RecommendedMeasure>> Recommend(
    const v1::AgencyAnalysis& analysis) {
  PRONGSAI_ASSIGN_OR_RETURN(const Catalogue* catalogue, LoadedCatalogue());
  const int be_year = analysis.be_year() + 1;
  std::vector<v1::RecommendedMeasure> out;
  // Catalogue entry -> its position in `out`.
  absl::flat_hash_map<int, size_t> recommended;
  auto add = [&](const std::string& key) {
    auto it = catalogue->by_key.find(key);
    if (it == catalogue->by_key.end()) return;
    for (const int entry : it->second) {
      auto [at, inserted] = recommended.try_emplace(entry, out.size());
      if (!inserted) {
        plan::v1::IntegrityMeasure* measure = out[at->second].mutable_measure();
        if (std::find(measure->ita_indicators().begin(),
                      measure->ita_indicators().end(),
                      key) == measure->ita_indicators().end()) {
          measure->add_ita_indicators(key);
        }
        continue;
      }
      v1::RecommendedMeasure measure;
      measure.set_answers(key);
      *measure.mutable_measure() =
          Instantiate(catalogue->entries.measures(entry).measure(), be_year,
                      key, analysis.assessment());
      out.push_back(std::move(measure));
    }
  };
  for (const v1::IndicatorResult& weakness : analysis.weaknesses()) {
    add(absl::StrCat(weakness.number()));
  }
  for (const v1::ItemToImprove& item : analysis.items_to_improve()) {
    if (catalogue->by_key.contains(absl::StrCat(item.indicator()))) continue;
    add(absl::AsciiStrToLower(item.code()));
  }
  return out;
}

}  // namespace prongsai::ita
