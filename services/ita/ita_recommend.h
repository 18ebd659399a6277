// The integrity measures recommended for an analysis' weaknesses, from a
// catalogue of measures keyed by indicator number or item code
// (measure_catalogue.textproto, embedded at build time). No I/O.
//
//   PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::RecommendedMeasure> measures,
//                             Recommend(analysis));
#ifndef PRONGSAI_SERVICES_ITA_ITA_RECOMMEND_H_
#define PRONGSAI_SERVICES_ITA_ITA_RECOMMEND_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {
namespace internal {
// Generated at build time (cmake/embed_files.cmake) from
// services/ita/measure_catalogue.textproto: one (file name, text) pair.
std::vector<std::pair<std::string, std::string>> EmbeddedCatalogueFiles();
}  // namespace internal

// Parses and checks a measure catalogue: a RecommendMeasuresResponse text
// proto whose entries each have a title (unique) and keys (`answers` and
// `measure.ita_indicators`) that are indicator numbers or item codes such as
// "i10". INTERNAL naming the line or entry otherwise: a catalogue is shipped
// data, so a bad one is a defect of the build.
absl::StatusOr<v1::RecommendMeasuresResponse> ParseMeasureCatalogue(
    absl::string_view text);

// The catalogue embedded at build time (services/ita/measure_catalogue
// .textproto), parsed once on first use. Errors: ParseMeasureCatalogue's.
absl::StatusOr<const v1::RecommendMeasuresResponse*> MeasureCatalogue();

// Integrity measures for the next fiscal year: for each weakness in order,
// the catalogue entries keyed by its indicator number; then, for each item
// to improve whose indicator has no catalogue entry, the entries keyed by
// its item code. Each measure gets be_year = analysis.be_year + 1 (also
// replacing "{be_year}" in its text), ita_indicators = the keys it answers,
// source = analysis.assessment. A measure met again for another key is not
// repeated: the key is added to its ita_indicators. Errors: those of
// MeasureCatalogue().
absl::StatusOr<std::vector<v1::RecommendedMeasure>> Recommend(
    const v1::AgencyAnalysis& analysis);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_RECOMMEND_H_
