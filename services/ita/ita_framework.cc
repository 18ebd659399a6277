#include "services/ita/ita_framework.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace prongsai::ita {
namespace {

// Text limits: generous, only to keep stored frameworks sane.
constexpr int kMaxCodeChars = 16;
constexpr int kMaxNameChars = 300;
constexpr int kMaxTextChars = 2000;

bool IsToolCode(absl::string_view code) {
  if (code.empty() || code.size() > kMaxCodeChars) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return absl::ascii_isupper(c) || absl::ascii_isdigit(c);
  });
}

// One lower-case ASCII letter then digits: "i1", "e12", "o43".
bool IsItemCode(absl::string_view code) {
  if (code.size() < 2 || code.size() > kMaxCodeChars) return false;
  if (!absl::ascii_islower(code[0])) return false;
  return std::all_of(code.begin() + 1, code.end(),
                     [](char c) { return absl::ascii_isdigit(c); });
}

// A positive decimal integer without sign or leading zeros.
bool IsPositiveNumber(absl::string_view text) {
  if (text.empty() || text.size() > 3 || text[0] == '0') return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return absl::ascii_isdigit(c); });
}

absl::Status ValidateTools(absl::string_view base,
                           const v1::Framework& framework) {
  if (framework.tools().empty()) {
    return InvalidField(FieldPath(base, "tools"), "must not be empty");
  }
  absl::flat_hash_set<std::string> codes;
  double weight_sum = 0;
  for (int i = 0; i < framework.tools_size(); ++i) {
    const v1::Tool& tool = framework.tools(i);
    const std::string path = IndexedPath(FieldPath(base, "tools"), i);
    if (tool.code().empty()) {
      return InvalidField(FieldPath(path, "code"), "is required");
    }
    if (!IsToolCode(tool.code())) {
      return InvalidField(FieldPath(path, "code"),
                          "must be 1-16 upper-case letters or digits");
    }
    if (!codes.insert(tool.code()).second) {
      return InvalidField(FieldPath(path, "code"),
                          absl::StrCat("duplicates tool ", tool.code()));
    }
    PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(path, "name"), tool.name(),
                                          kMaxNameChars, false));
    if (tool.kind() != v1::Tool::SURVEY && tool.kind() != v1::Tool::CHECKLIST) {
      return InvalidField(FieldPath(path, "kind"),
                          "must be SURVEY or CHECKLIST");
    }
    if (!std::isfinite(tool.weight()) || tool.weight() < 0) {
      return InvalidField(FieldPath(path, "weight"),
                          "must be a finite number >= 0");
    }
    weight_sum += tool.weight();
  }
  // Weights are percent of the overall score; allow for decimal fractions
  // such as 33.33 + 33.33 + 33.34.
  if (std::abs(weight_sum - 100) > 0.01) {
    return InvalidField(
        FieldPath(base, "tools"),
        absl::StrCat("weights must sum to 100 (they sum to ", weight_sum, ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateIndicators(absl::string_view base,
                                const v1::Framework& framework) {
  absl::flat_hash_set<std::string> tools;
  for (const v1::Tool& tool : framework.tools()) tools.insert(tool.code());
  absl::flat_hash_set<int> numbers;
  absl::flat_hash_set<std::string> sub_codes;
  for (int i = 0; i < framework.indicators_size(); ++i) {
    const v1::Indicator& indicator = framework.indicators(i);
    const std::string path = IndexedPath(FieldPath(base, "indicators"), i);
    if (indicator.number() < 1 || indicator.number() > 99) {
      return InvalidField(FieldPath(path, "number"), "must be 1-99");
    }
    if (!numbers.insert(indicator.number()).second) {
      return InvalidField(
          FieldPath(path, "number"),
          absl::StrCat("duplicates indicator ", indicator.number()));
    }
    PRONGSAI_RETURN_IF_ERROR(ValidateText(
        FieldPath(path, "name"), indicator.name(), kMaxNameChars, false));
    if (!tools.contains(indicator.tool())) {
      return InvalidField(FieldPath(path, "tool"),
                          "must be the code of a tool of the framework");
    }
    if (!std::isfinite(indicator.weight()) || indicator.weight() < 0) {
      return InvalidField(FieldPath(path, "weight"),
                          "must be a finite number >= 0");
    }
    const std::string prefix = absl::StrCat(indicator.number(), ".");
    for (int j = 0; j < indicator.sub_indicators_size(); ++j) {
      const v1::SubIndicator& sub = indicator.sub_indicators(j);
      const std::string sub_path =
          IndexedPath(FieldPath(path, "sub_indicators"), j);
      absl::string_view rest = sub.code();
      if (!absl::ConsumePrefix(&rest, prefix) || !IsPositiveNumber(rest)) {
        return InvalidField(FieldPath(sub_path, "code"),
                            absl::StrCat("must be \"", prefix,
                                         "<n>\" with n a positive number"));
      }
      if (!sub_codes.insert(sub.code()).second) {
        return InvalidField(
            FieldPath(sub_path, "code"),
            absl::StrCat("duplicates sub-indicator ", sub.code()));
      }
      PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(sub_path, "name"),
                                            sub.name(), kMaxNameChars, false));
    }
  }
  return absl::OkStatus();
}

// Each earlier code names one item, and not an item of this version that
// keeps it (a score would have two places to go).
absl::Status ValidateRenames(absl::string_view base,
                             const v1::Framework& framework,
                             const absl::flat_hash_set<std::string>& codes) {
  absl::flat_hash_set<std::string> earlier;
  for (int i = 0; i < framework.items_size(); ++i) {
    const v1::Item& item = framework.items(i);
    const std::string path = IndexedPath(FieldPath(base, "items"), i);
    if (item.new_in_version() && !item.renamed_from().empty()) {
      return InvalidField(FieldPath(path, "new_in_version"),
                          "an item renamed from another code is not new");
    }
    for (int j = 0; j < item.renamed_from_size(); ++j) {
      const std::string& code = item.renamed_from(j);
      const std::string field = IndexedPath(FieldPath(path, "renamed_from"), j);
      if (!IsItemCode(code)) {
        return InvalidField(field,
                            "must be one lower-case letter followed by "
                            "digits, e.g. \"o4\"");
      }
      if (!earlier.insert(code).second) {
        return InvalidField(field,
                            absl::StrCat(code, " is renamed to two items"));
      }
      if (code == item.code()) {
        return InvalidField(field, "is the item's own code");
      }
      // Another item of this version with that code must say it is new,
      // or it would keep the score that moved here.
      if ((codes.contains(code) &&
           std::none_of(framework.items().begin(), framework.items().end(),
                        [&](const v1::Item& other) {
                          return other.code() == code &&
                                 (other.new_in_version() ||
                                  !other.renamed_from().empty());
                        }))) {
        return InvalidField(
            field, absl::StrCat("item ", code,
                                " of this version keeps its code: mark it "
                                "new_in_version or give it renamed_from"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateItems(absl::string_view base,
                           const v1::Framework& framework) {
  absl::flat_hash_map<std::string, v1::Tool::Kind> tool_kinds;
  for (const v1::Tool& tool : framework.tools()) {
    tool_kinds[tool.code()] = tool.kind();
  }
  absl::flat_hash_map<int, const v1::Indicator*> indicators;
  for (const v1::Indicator& indicator : framework.indicators()) {
    indicators[indicator.number()] = &indicator;
  }
  absl::flat_hash_set<std::string> codes;
  for (int i = 0; i < framework.items_size(); ++i) {
    const v1::Item& item = framework.items(i);
    const std::string path = IndexedPath(FieldPath(base, "items"), i);
    if (!IsItemCode(item.code())) {
      return InvalidField(
          FieldPath(path, "code"),
          "must be one lower-case letter followed by digits, e.g. \"i1\"");
    }
    if (!codes.insert(item.code()).second) {
      return InvalidField(FieldPath(path, "code"),
                          absl::StrCat("duplicates item ", item.code()));
    }
    PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(path, "text"), item.text(),
                                          kMaxTextChars, false));
    auto indicator = indicators.find(item.indicator());
    if (indicator == indicators.end()) {
      return InvalidField(FieldPath(path, "indicator"),
                          "must be the number of an indicator of the "
                          "framework");
    }
    if (!item.sub_indicator().empty()) {
      const auto& subs = indicator->second->sub_indicators();
      if (std::none_of(subs.begin(), subs.end(),
                       [&](const v1::SubIndicator& sub) {
                         return sub.code() == item.sub_indicator();
                       })) {
        return InvalidField(FieldPath(path, "sub_indicator"),
                            absl::StrCat("must be a sub-indicator of "
                                         "indicator ",
                                         item.indicator()));
      }
    }
    if (item.scale() != v1::FOUR_LEVEL && item.scale() != v1::YES_NO) {
      return InvalidField(FieldPath(path, "scale"),
                          "must be FOUR_LEVEL or YES_NO");
    }
    // A checklist records present/absent, so a graded answer cannot occur.
    if (tool_kinds[indicator->second->tool()] == v1::Tool::CHECKLIST &&
        item.scale() != v1::YES_NO) {
      return InvalidField(
          FieldPath(path, "scale"),
          absl::StrCat("must be YES_NO: tool ", indicator->second->tool(),
                       " is a CHECKLIST"));
    }
    if (item.evidence_source() != v1::EVIDENCE_SOURCE_UNSPECIFIED &&
        tool_kinds[indicator->second->tool()] != v1::Tool::CHECKLIST) {
      return InvalidField(FieldPath(path, "evidence_source"),
                          "only an item of a CHECKLIST tool (the OIT) is "
                          "evidenced by a record");
    }
    if (!v1::EvidenceSource_IsValid(item.evidence_source())) {
      return InvalidField(FieldPath(path, "evidence_source"),
                          "is not a known source");
    }
  }
  return ValidateRenames(base, framework, codes);
}

// Every indicator has an item and every tool an indicator: an empty one
// would have no score and silently drop out of the weighted means.
absl::Status ValidateCoverage(absl::string_view base,
                              const v1::Framework& framework) {
  absl::flat_hash_set<int> with_items;
  for (const v1::Item& item : framework.items()) {
    with_items.insert(item.indicator());
  }
  for (int i = 0; i < framework.indicators_size(); ++i) {
    if (!with_items.contains(framework.indicators(i).number())) {
      return InvalidField(IndexedPath(FieldPath(base, "indicators"), i),
                          "has no items");
    }
  }
  absl::flat_hash_set<std::string> with_indicators;
  for (const v1::Indicator& indicator : framework.indicators()) {
    with_indicators.insert(indicator.tool());
  }
  for (int i = 0; i < framework.tools_size(); ++i) {
    if (!with_indicators.contains(framework.tools(i).code())) {
      return InvalidField(IndexedPath(FieldPath(base, "tools"), i),
                          "has no indicators");
    }
  }
  return absl::OkStatus();
}

// Bands are half-open [min_score, previous band's min): strictly descending
// minimums with the last at 0 cover 0-100 exactly once. An equal minimum
// would be an empty (overlapping) band.
absl::Status ValidateBands(absl::string_view base,
                           const v1::Framework& framework) {
  if (framework.grade_bands().empty()) {
    return InvalidField(FieldPath(base, "grade_bands"), "must not be empty");
  }
  absl::flat_hash_set<std::string> labels;
  for (int i = 0; i < framework.grade_bands_size(); ++i) {
    const v1::GradeBand& band = framework.grade_bands(i);
    const std::string path = IndexedPath(FieldPath(base, "grade_bands"), i);
    PRONGSAI_RETURN_IF_ERROR(
        ValidateText(FieldPath(path, "label"), band.label(), 64, true));
    // Published grades are matched by label, so two bands may not share one.
    if (!labels.insert(band.label()).second) {
      return InvalidField(FieldPath(path, "label"),
                          absl::StrCat("duplicates band ", band.label()));
    }
    if (!std::isfinite(band.min_score()) || band.min_score() < 0 ||
        band.min_score() > 100) {
      return InvalidField(FieldPath(path, "min_score"),
                          "must be between 0 and 100");
    }
    if (i > 0 &&
        !(band.min_score() < framework.grade_bands(i - 1).min_score())) {
      return InvalidField(
          FieldPath(path, "min_score"),
          absl::StrCat("must be below the previous band's (",
                       framework.grade_bands(i - 1).min_score(),
                       "): bands are ordered by min_score descending and "
                       "must not overlap"));
    }
  }
  const int last = framework.grade_bands_size() - 1;
  if (framework.grade_bands(last).min_score() != 0) {
    return InvalidField(
        FieldPath(IndexedPath(FieldPath(base, "grade_bands"), last),
                  "min_score"),
        "the last band must start at 0, so that every score "
        "has a band");
  }
  return absl::OkStatus();
}

class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!first_.empty()) return;
    first_ = line >= 0 ? absl::StrCat("line ", line + 1, ", column ",
                                      column + 1, ": ", message)
                       : message;
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

// `status` with "`prefix`: " before its message, payloads kept.
absl::Status Prefixed(absl::string_view prefix, const absl::Status& status) {
  absl::Status result(status.code(),
                      absl::StrCat(prefix, ": ", status.message()));
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    result.SetPayload(url, payload);
  });
  return result;
}

// Item codes in natural order: letter, then number ("i2" before "i10").
bool ItemCodeLess(const std::string& a, const std::string& b) {
  auto key = [](const std::string& code) {
    long number = 0;
    for (size_t i = 1;
         i < code.size() && absl::ascii_isdigit(code[i]) && number < 1000000;
         ++i) {
      number = number * 10 + (code[i] - '0');
    }
    return std::make_tuple(code.empty() ? '\0' : code[0], number, code);
  };
  return key(a) < key(b);
}

std::string ListCodes(std::vector<std::string> codes) {
  constexpr size_t kShown = 8;
  std::sort(codes.begin(), codes.end(), ItemCodeLess);
  std::string text = absl::StrJoin(
      codes.begin(), codes.begin() + std::min(codes.size(), kShown), ", ");
  if (codes.size() > kShown) {
    absl::StrAppend(&text, " (+", codes.size() - kShown, " more)");
  }
  return text;
}

std::string DescribeTools(const v1::Framework& framework) {
  std::vector<std::string> parts;
  for (const v1::Tool& tool : framework.tools()) {
    parts.push_back(absl::StrCat(tool.code(), " ",
                                 v1::Tool::Kind_Name(tool.kind()), " ",
                                 tool.weight()));
  }
  return absl::StrJoin(parts, ", ");
}

std::string DescribeBands(const v1::Framework& framework) {
  std::vector<std::string> parts;
  for (const v1::GradeBand& band : framework.grade_bands()) {
    parts.push_back(absl::StrCat(band.label(), ">=", band.min_score(),
                                 band.passed() ? " pass" : ""));
  }
  return absl::StrJoin(parts, ", ");
}

// Weights equal as written: only a change in a weight is a new method.
constexpr double kWeightEpsilon = 1e-9;

// "<label>: <listed>" when `listed` is not empty.
void AddListed(absl::string_view label, const std::string& listed,
               std::vector<std::string>& differences) {
  if (!listed.empty()) differences.push_back(absl::StrCat(label, listed));
}

void AddToolDifference(const v1::Framework& before, const v1::Framework& after,
                       std::vector<std::string>& differences) {
  auto tool_key = [](const v1::Framework& framework) {
    std::map<std::string, std::pair<int, double>> tools;
    for (const v1::Tool& tool : framework.tools()) {
      tools[tool.code()] = {tool.kind(), tool.weight()};
    }
    return tools;
  };
  const auto tools_before = tool_key(before);
  const auto tools_after = tool_key(after);
  bool tools_differ = tools_before.size() != tools_after.size();
  for (const auto& [code, value] : tools_before) {
    auto it = tools_after.find(code);
    if (it == tools_after.end() || it->second.first != value.first ||
        std::abs(it->second.second - value.second) > kWeightEpsilon) {
      tools_differ = true;
    }
  }
  if (tools_differ) {
    differences.push_back(absl::StrCat("tools: ", DescribeTools(before), " -> ",
                                       DescribeTools(after)));
  }
}

void AddIndicatorDifferences(const v1::Framework& before,
                             const v1::Framework& after,
                             std::vector<std::string>& differences) {
  std::map<int, const v1::Indicator*> indicators_before;
  std::map<int, const v1::Indicator*> indicators_after;
  for (const auto& i : before.indicators()) indicators_before[i.number()] = &i;
  for (const auto& i : after.indicators()) indicators_after[i.number()] = &i;
  std::vector<std::string> added, removed, changed;
  for (const auto& [number, indicator] : indicators_before) {
    auto it = indicators_after.find(number);
    if (it == indicators_after.end()) {
      removed.push_back(absl::StrCat(number));
    } else if (it->second->tool() != indicator->tool() ||
               std::abs(it->second->weight() - indicator->weight()) >
                   kWeightEpsilon) {
      changed.push_back(absl::StrCat(
          number, " (", indicator->tool(), " ", indicator->weight(), " -> ",
          it->second->tool(), " ", it->second->weight(), ")"));
    }
  }
  for (const auto& [number, indicator] : indicators_after) {
    if (!indicators_before.contains(number)) {
      added.push_back(absl::StrCat(number));
    }
  }
  AddListed("indicators added: ", absl::StrJoin(added, ", "), differences);
  AddListed("indicators removed: ", absl::StrJoin(removed, ", "), differences);
  AddListed("indicators changed: ", absl::StrJoin(changed, ", "), differences);
}

void AddItemDifferences(const v1::Framework& before, const v1::Framework& after,
                        std::vector<std::string>& differences) {
  absl::flat_hash_map<std::string, const v1::Item*> items_before;
  absl::flat_hash_map<std::string, const v1::Item*> items_after;
  for (const auto& item : before.items()) items_before[item.code()] = &item;
  for (const auto& item : after.items()) items_after[item.code()] = &item;
  std::vector<std::string> added, removed, moved, rescaled;
  for (const auto& [code, item] : items_before) {
    auto it = items_after.find(code);
    if (it == items_after.end()) {
      removed.push_back(code);
      continue;
    }
    if (it->second->indicator() != item->indicator()) {
      moved.push_back(absl::StrCat(code, " ", item->indicator(), "->",
                                   it->second->indicator()));
    }
    if (it->second->scale() != item->scale()) rescaled.push_back(code);
  }
  for (const auto& [code, item] : items_after) {
    if (!items_before.contains(code)) added.push_back(code);
  }
  if (!added.empty()) AddListed("items added: ", ListCodes(added), differences);
  if (!removed.empty()) {
    AddListed("items removed: ", ListCodes(removed), differences);
  }
  if (!moved.empty()) AddListed("items moved: ", ListCodes(moved), differences);
  if (!rescaled.empty()) {
    AddListed("item scales changed: ", ListCodes(rescaled), differences);
  }
}

void AddBandDifference(const v1::Framework& before, const v1::Framework& after,
                       std::vector<std::string>& differences) {
  bool bands_differ = before.grade_bands_size() != after.grade_bands_size();
  for (int i = 0; !bands_differ && i < before.grade_bands_size(); ++i) {
    const v1::GradeBand& a = before.grade_bands(i);
    const v1::GradeBand& b = after.grade_bands(i);
    bands_differ = std::abs(a.min_score() - b.min_score()) > kWeightEpsilon ||
                   a.passed() != b.passed();
  }
  if (bands_differ) {
    differences.push_back(absl::StrCat("grade bands: ", DescribeBands(before),
                                       " -> ", DescribeBands(after)));
  }
}

}  // namespace

absl::Status ValidateFramework(absl::string_view field_path,
                               const v1::Framework& framework) {
  if (framework.be_year() < 2500 || framework.be_year() > 2700) {
    return InvalidField(FieldPath(field_path, "be_year"), "must be 2500-2700");
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateText(
      FieldPath(field_path, "title"), framework.title(), kMaxNameChars, false));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText(FieldPath(field_path, "provenance.source"),
                   framework.provenance().source(), kMaxTextChars, false));
  PRONGSAI_RETURN_IF_ERROR(ValidateTools(field_path, framework));
  PRONGSAI_RETURN_IF_ERROR(ValidateIndicators(field_path, framework));
  PRONGSAI_RETURN_IF_ERROR(ValidateItems(field_path, framework));
  PRONGSAI_RETURN_IF_ERROR(ValidateCoverage(field_path, framework));
  PRONGSAI_RETURN_IF_ERROR(ValidateBands(field_path, framework));
  if (framework.min_respondents() < 0) {
    return InvalidField(FieldPath(field_path, "min_respondents"),
                        "must be >= 0");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Framework> ParseFrameworkText(absl::string_view text) {
  FirstErrorCollector errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  v1::Framework framework;
  if (!parser.ParseFromString(std::string(text), &framework)) {
    return absl::InvalidArgumentError(errors.first().empty()
                                          ? "not a Framework in text format"
                                          : errors.first());
  }
  return framework;
}

absl::StatusOr<std::vector<v1::Framework>> DefaultFrameworks() {
  return FrameworksFromFiles(EmbeddedFrameworkFiles());
}

absl::StatusOr<std::vector<v1::Framework>> FrameworksFromFiles(
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<v1::Framework> frameworks;
  absl::flat_hash_set<int> years;
  for (const auto& [file, text] : files) {
    absl::string_view stem = file;
    int year = 0;
    if (!absl::ConsumeSuffix(&stem, ".textproto") ||
        !absl::SimpleAtoi(stem, &year)) {
      return absl::InvalidArgumentError(absl::StrCat(
          file, ": framework files must be named <be_year>.textproto"));
    }
    absl::StatusOr<v1::Framework> framework = ParseFrameworkText(text);
    if (!framework.ok()) return Prefixed(file, framework.status());
    if (framework->be_year() != year) {
      return Prefixed(
          file, InvalidField("framework.be_year", "must match the file name"));
    }
    if (!years.insert(year).second) {
      return Prefixed(file, InvalidField("framework.be_year",
                                         "repeats the year of another file"));
    }
    if (absl::Status status = ValidateFramework("framework", *framework);
        !status.ok()) {
      return Prefixed(file, status);
    }
    frameworks.push_back(*std::move(framework));
  }
  std::sort(frameworks.begin(), frameworks.end(),
            [](const v1::Framework& a, const v1::Framework& b) {
              return a.be_year() < b.be_year();
            });
  return frameworks;
}

const v1::GradeBand& BandOf(const v1::Framework& framework, double score) {
  if (framework.grade_bands().empty()) {
    return v1::GradeBand::default_instance();
  }
  const double clamped = std::isnan(score) ? 0 : std::clamp(score, 0.0, 100.0);
  for (const v1::GradeBand& band : framework.grade_bands()) {
    if (clamped >= band.min_score()) return band;
  }
  // Only for an invalid framework whose last band starts above 0.
  return framework.grade_bands(framework.grade_bands_size() - 1);
}

const v1::GradeBand* BandOrNull(const v1::Framework& framework, double score) {
  if (framework.grade_bands().empty()) return nullptr;
  return &BandOf(framework, score);
}

std::optional<std::string> MethodDifference(const v1::Framework& before,
                                            const v1::Framework& after) {
  std::vector<std::string> differences;
  AddToolDifference(before, after, differences);
  AddIndicatorDifferences(before, after, differences);
  AddItemDifferences(before, after, differences);
  AddBandDifference(before, after, differences);
  if (differences.empty()) return std::nullopt;
  return absl::StrJoin(differences, "; ");
}

namespace {

// Where each item code of `from` goes in `to` (MigrateScores); codes
// without an entry are dropped.
absl::flat_hash_map<std::string, std::string> SuccessorCodes(
    const v1::Framework& from, const v1::Framework& to) {
  // A rename or new meaning `from` already has (the same item with the
  // same marks, as when both descend from one corrected file) is not
  // applied again: that item keeps its code.
  absl::flat_hash_map<std::string, const v1::Item*> earlier_items;
  for (const v1::Item& item : from.items()) earlier_items[item.code()] = &item;
  auto already_applied = [&](const v1::Item& item) {
    auto found = earlier_items.find(item.code());
    if (found == earlier_items.end()) return false;
    const v1::Item& earlier = *found->second;
    return earlier.new_in_version() == item.new_in_version() &&
           std::equal(earlier.renamed_from().begin(),
                      earlier.renamed_from().end(), item.renamed_from().begin(),
                      item.renamed_from().end());
  };
  absl::flat_hash_map<std::string, std::string> successor;
  for (const v1::Item& item : to.items()) {
    if ((!item.new_in_version() && item.renamed_from().empty()) ||
        already_applied(item)) {
      successor.try_emplace(item.code(), item.code());
    }
  }
  // A rename wins over a same-code item (validation keeps them apart).
  for (const v1::Item& item : to.items()) {
    if (already_applied(item)) continue;
    for (const std::string& earlier : item.renamed_from()) {
      successor[earlier] = item.code();
    }
  }
  return successor;
}

}  // namespace

MigratedScores MigrateScores(const v1::Framework& from, const v1::Framework& to,
                             const v1::ScoreSet& scores) {
  const absl::flat_hash_map<std::string, std::string> successor =
      SuccessorCodes(from, to);
  absl::flat_hash_set<std::string> indicators;
  for (const v1::Indicator& indicator : to.indicators()) {
    indicators.insert(absl::StrCat(indicator.number()));
  }
  absl::flat_hash_set<std::string> tools;
  for (const v1::Tool& tool : to.tools()) tools.insert(tool.code());

  MigratedScores out;
  out.scores = scores;
  auto keep = [&](google::protobuf::RepeatedPtrField<v1::Score>& list,
                  const absl::flat_hash_set<std::string>& known) {
    google::protobuf::RepeatedPtrField<v1::Score> kept;
    for (v1::Score& score : list) {
      if (known.contains(score.code())) {
        *kept.Add() = std::move(score);
      } else {
        out.dropped.push_back(score.code());
      }
    }
    list.Swap(&kept);
  };
  keep(*out.scores.mutable_tools(), tools);
  keep(*out.scores.mutable_indicators(), indicators);
  google::protobuf::RepeatedPtrField<v1::Score> items;
  for (v1::Score& score : *out.scores.mutable_items()) {
    auto found = successor.find(score.code());
    if (found == successor.end()) {
      out.dropped.push_back(score.code());
      continue;
    }
    if (found->second != score.code()) {
      v1::CodeMove& move = out.moved.emplace_back();
      move.set_from(score.code());
      move.set_to(found->second);
      score.set_code(found->second);
    }
    *items.Add() = std::move(score);
  }
  out.scores.mutable_items()->Swap(&items);
  return out;
}

}  // namespace prongsai::ita
