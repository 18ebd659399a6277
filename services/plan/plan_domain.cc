#include "services/plan/plan_domain.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/fields.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/thai/thai.h"
#include "google/protobuf/util/field_mask_util.h"

namespace prongsai::plan {
namespace {

using google::protobuf::RepeatedPtrField;

constexpr int kMaxItemChars = 2000;
constexpr int kMaxUris = 50;

// A positive decimal number written with digits only: SimpleAtoi alone
// would accept surrounding blanks ("1.2 " would pass as a new code).
bool IsPositiveNumber(absl::string_view text) {
  int number = 0;
  return !text.empty() && text.size() <= 4 &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return absl::ascii_isdigit(c); }) &&
         absl::SimpleAtoi(text, &number) && number > 0;
}

absl::Status ValidateTextList(absl::string_view path,
                              const RepeatedPtrField<std::string>& items,
                              int max_chars = kMaxItemChars) {
  if (items.size() > kMaxListItems) {
    return InvalidField(path,
                        absl::StrCat("at most ", kMaxListItems, " items"));
  }
  for (int i = 0; i < items.size(); ++i) {
    PRONGSAI_RETURN_IF_ERROR(ValidateText(IndexedPath(path, i), items[i],
                                          max_chars, /*required=*/true));
  }
  return absl::OkStatus();
}

absl::Status ValidateMoney(absl::string_view path,
                           const common::v1::Money& money) {
  if (money.satang() < 0) return InvalidField(path, "must not be negative");
  if (money.satang() > kMaxSatang) {
    return InvalidField(path, "is larger than any organization's budget");
  }
  return absl::OkStatus();
}

// Percent-like figures: finite, 0..100.
absl::Status ValidatePercent(absl::string_view path, double value) {
  if (!std::isfinite(value) || value < 0 || value > 100) {
    return InvalidField(path, "must be a number from 0 to 100");
  }
  return absl::OkStatus();
}

// "9", "9.1", "o12", "i3", "e4" (case-insensitive; stored lower-case).
absl::Status ValidateItaRefs(absl::string_view path,
                             RepeatedPtrField<std::string>& refs) {
  if (refs.size() > kMaxListItems) {
    return InvalidField(path,
                        absl::StrCat("at most ", kMaxListItems, " items"));
  }
  for (int i = 0; i < refs.size(); ++i) {
    std::string& ref = refs[i];
    absl::AsciiStrToLower(&ref);
    absl::string_view rest = ref;
    if (!rest.empty() && (rest[0] == 'i' || rest[0] == 'e' || rest[0] == 'o')) {
      rest.remove_prefix(1);
    }
    bool ok = !rest.empty() && ref.size() <= 16;
    for (absl::string_view part : absl::StrSplit(rest, '.')) {
      ok = ok && IsPositiveNumber(part);
    }
    if (!ok) {
      return InvalidField(IndexedPath(path, i),
                          "must be an ITA indicator or item such as \"9\", "
                          "\"9.1\", \"i3\" or \"o12\"");
    }
  }
  return absl::OkStatus();
}

// The dimension number a mission code ("2.1", "2.1.3") starts with, or 0
// when the code is not numbers joined by dots.
int DimensionOfCode(absl::string_view code) {
  std::vector<absl::string_view> parts = absl::StrSplit(code, '.');
  if (parts.size() < 2 ||
      !std::all_of(parts.begin(), parts.end(), IsPositiveNumber)) {
    return 0;
  }
  int number = 0;
  (void)absl::SimpleAtoi(parts[0], &number);
  return number;
}

absl::Status ValidateMission(absl::string_view path, const v1::Mission& mission,
                             absl::string_view parent_code,
                             absl::flat_hash_set<std::string>& codes) {
  bool ok = absl::StartsWith(mission.code(), absl::StrCat(parent_code, "."));
  absl::string_view rest = mission.code();
  rest.remove_prefix(std::min(rest.size(), parent_code.size() + 1));
  ok = ok && IsPositiveNumber(rest);
  if (!ok) {
    return InvalidField(FieldPath(path, "code"),
                        absl::StrCat("must be ", parent_code, ".<number>"));
  }
  if (!codes.insert(mission.code()).second) {
    return InvalidField(FieldPath(path, "code"),
                        absl::StrCat("repeats ", mission.code()));
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(path, "title"),
                                        mission.title(), kMaxTitleChars,
                                        /*required=*/true));
  for (int i = 0; i < mission.sub_missions_size(); ++i) {
    PRONGSAI_RETURN_IF_ERROR(
        ValidateMission(IndexedPath(FieldPath(path, "sub_missions"), i),
                        mission.sub_missions(i), mission.code(), codes));
  }
  return absl::OkStatus();
}

bool TreeHasMission(const RepeatedPtrField<v1::Mission>& missions,
                    absl::string_view code) {
  for (const v1::Mission& mission : missions) {
    if (mission.code() == code ||
        TreeHasMission(mission.sub_missions(), code)) {
      return true;
    }
  }
  return false;
}

// One year's target figures: percentages, the base year a reduction is
// measured from, and case counts.
absl::Status ValidateTargetFigures(absl::string_view path,
                                   const v1::YearTarget& target) {
  if (target.has_ita_score_target()) {
    PRONGSAI_RETURN_IF_ERROR(ValidatePercent(
        FieldPath(path, "ita_score_target"), target.ita_score_target()));
  }
  if (target.has_actual_ita_score()) {
    PRONGSAI_RETURN_IF_ERROR(ValidatePercent(
        FieldPath(path, "actual_ita_score"), target.actual_ita_score()));
  }
  if (target.has_corruption_case_reduction_percent()) {
    PRONGSAI_RETURN_IF_ERROR(
        ValidatePercent(FieldPath(path, "corruption_case_reduction_percent"),
                        target.corruption_case_reduction_percent()));
    if (target.base_be_year() == 0) {
      return InvalidField(FieldPath(path, "base_be_year"),
                          "is required with a reduction target");
    }
  }
  if (target.base_be_year() != 0) {
    PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(
        FieldPath(path, "base_be_year"), target.base_be_year()));
    if (target.base_be_year() >= target.be_year()) {
      return InvalidField(FieldPath(path, "base_be_year"),
                          "must be before the target's year");
    }
  }
  if (target.base_corruption_cases() < 0) {
    return InvalidField(FieldPath(path, "base_corruption_cases"),
                        "must not be negative");
  }
  if (target.actual_corruption_cases() < 0) {
    return InvalidField(FieldPath(path, "actual_corruption_cases"),
                        "must not be negative");
  }
  return absl::OkStatus();
}

// A project's texts and lists (title, rationale, objectives, ...) and its
// ITA references, which are normalized to lower case.
absl::Status ValidateProjectTexts(absl::string_view field_path,
                                  v1::Project& project) {
  PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(field_path, "title"),
                                        project.title(), kMaxTitleChars,
                                        /*required=*/true));
  for (auto [name, text] : {std::pair{"rationale", &project.rationale()},
                            std::pair{"target_group", &project.target_group()},
                            std::pair{"owner_unit", &project.owner_unit()}}) {
    PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(field_path, name), *text,
                                          kMaxTextChars, /*required=*/false));
  }
  for (auto [name, list] : {std::pair{"objectives", &project.objectives()},
                            std::pair{"method_steps", &project.method_steps()},
                            std::pair{"outputs", &project.outputs()},
                            std::pair{"outcomes", &project.outcomes()}}) {
    PRONGSAI_RETURN_IF_ERROR(
        ValidateTextList(FieldPath(field_path, name), *list));
  }
  return ValidateItaRefs(FieldPath(field_path, "ita_indicators"),
                         *project.mutable_ita_indicators());
}

// Where a project sits in the plan's tree: its mission (which gives the
// dimension when set) and its dimension.
absl::Status ValidateProjectPlace(absl::string_view field_path,
                                  v1::Project& project,
                                  const v1::ActionPlan& plan) {
  if (!project.mission_code().empty()) {
    const int from_code = DimensionOfCode(project.mission_code());
    bool known = false;
    for (const v1::Dimension& dimension : plan.dimensions()) {
      known =
          known || TreeHasMission(dimension.missions(), project.mission_code());
    }
    if (from_code == 0 || (plan.dimensions_size() > 0 && !known)) {
      return InvalidField(FieldPath(field_path, "mission_code"),
                          absl::StrCat("\"", project.mission_code(),
                                       "\" is not a mission of the plan"));
    }
    if (project.dimension() != 0 && project.dimension() != from_code) {
      return InvalidField(
          FieldPath(field_path, "dimension"),
          absl::StrCat("is ", project.dimension(), " but mission ",
                       project.mission_code(), " is of dimension ", from_code));
    }
    project.set_dimension(from_code);
  }
  if (project.dimension() < 1 || project.dimension() > 9) {
    return InvalidField(FieldPath(field_path, "dimension"),
                        "is required (1-9) unless mission_code gives it");
  }
  if (plan.dimensions_size() > 0 &&
      std::none_of(plan.dimensions().begin(), plan.dimensions().end(),
                   [&](const v1::Dimension& d) {
                     return d.number() == project.dimension();
                   })) {
    return InvalidField(
        FieldPath(field_path, "dimension"),
        absl::StrCat(project.dimension(), " is not a dimension of the plan"));
  }
  return absl::OkStatus();
}

// A project's fiscal years (inside the plan's span, once each) and its
// budgets (of scheduled years only, once each, amounts in range); both are
// sorted by year.
absl::Status ValidateProjectYears(absl::string_view field_path,
                                  v1::Project& project,
                                  const v1::ActionPlan& plan) {
  absl::flat_hash_set<int> years;
  for (int i = 0; i < project.fiscal_years_size(); ++i) {
    const std::string path =
        IndexedPath(FieldPath(field_path, "fiscal_years"), i);
    PRONGSAI_RETURN_IF_ERROR(
        ValidateYearInPlan(path, project.fiscal_years(i), plan));
    if (!years.insert(project.fiscal_years(i)).second) {
      return InvalidField(path,
                          absl::StrCat("repeats ", project.fiscal_years(i)));
    }
  }
  std::sort(project.mutable_fiscal_years()->begin(),
            project.mutable_fiscal_years()->end());
  absl::flat_hash_set<int> budget_years;
  for (int i = 0; i < project.budgets_size(); ++i) {
    const v1::YearBudget& budget = project.budgets(i);
    const std::string path = IndexedPath(FieldPath(field_path, "budgets"), i);
    if (!years.contains(budget.be_year())) {
      return InvalidField(
          FieldPath(path, "be_year"),
          absl::StrCat(budget.be_year(),
                       " is not one of the project's fiscal_years (a year "
                       "without a budget row is not scheduled)"));
    }
    if (!budget_years.insert(budget.be_year()).second) {
      return InvalidField(FieldPath(path, "be_year"),
                          absl::StrCat("repeats ", budget.be_year()));
    }
    for (auto [name, money] : {std::pair{"planned", &budget.planned()},
                               std::pair{"approved", &budget.approved()},
                               std::pair{"revised", &budget.revised()},
                               std::pair{"spent", &budget.spent()}}) {
      PRONGSAI_RETURN_IF_ERROR(ValidateMoney(FieldPath(path, name), *money));
    }
  }
  std::sort(project.mutable_budgets()->begin(),
            project.mutable_budgets()->end(),
            [](const v1::YearBudget& a, const v1::YearBudget& b) {
              return a.be_year() < b.be_year();
            });
  return absl::OkStatus();
}

// One KPI: its texts, a finite baseline, finite targets of the plan's years
// and finite actuals of named rounds.
absl::Status ValidateKpi(absl::string_view path, const v1::Kpi& kpi,
                         const v1::ActionPlan& plan) {
  PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(path, "indicator"),
                                        kpi.indicator(), kMaxTitleChars,
                                        /*required=*/true));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText(FieldPath(path, "unit"), kpi.unit(), 100, false));
  if (kpi.has_baseline() && !std::isfinite(kpi.baseline())) {
    return InvalidField(FieldPath(path, "baseline"), "must be a finite number");
  }
  for (const auto& [year, value] : kpi.targets_by_year()) {
    const std::string key =
        IndexedPath(FieldPath(path, "targets_by_year"), year);
    PRONGSAI_RETURN_IF_ERROR(ValidateYearInPlan(key, year, plan));
    if (!std::isfinite(value)) {
      return InvalidField(key, "must be a finite number");
    }
  }
  for (const auto& [round, value] : kpi.actuals_by_round()) {
    const std::string key =
        absl::StrCat(FieldPath(path, "actuals_by_round"), "[", round, "]");
    PRONGSAI_RETURN_IF_ERROR(ValidateText(key, round, 32, true));
    if (!std::isfinite(value)) {
      return InvalidField(key, "must be a finite number");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateKpis(absl::string_view path,
                          const RepeatedPtrField<v1::Kpi>& kpis,
                          const v1::ActionPlan& plan) {
  if (kpis.size() > kMaxListItems) return InvalidField(path, "too many");
  for (int i = 0; i < kpis.size(); ++i) {
    PRONGSAI_RETURN_IF_ERROR(ValidateKpi(IndexedPath(path, i), kpis[i], plan));
  }
  return absl::OkStatus();
}

}  // namespace

// ---------------------------------------------------------------- names

absl::StatusOr<PlanChildName> ParsePlanChildName(absl::string_view field_path,
                                                 absl::string_view name,
                                                 absl::string_view collection) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  auto valid_id = [](absl::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
      if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c)) return false;
    }
    return true;
  };
  if (parts.size() != 6 || parts[0] != "organizations" ||
      parts[2] != "actionPlans" || parts[4] != collection ||
      !valid_id(parts[3]) || !valid_id(parts[5])) {
    return InvalidField(
        field_path,
        absl::StrCat("must be organizations/{organization}/actionPlans/"
                     "{action_plan}/",
                     collection, "/{id}"));
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateOrganizationCode(field_path, parts[1]));
  return PlanChildName{std::string(parts[1]), std::string(parts[3]),
                       std::string(parts[5])};
}

std::string FormatPlanChildName(absl::string_view organization,
                                absl::string_view plan_id,
                                absl::string_view collection,
                                absl::string_view id) {
  return absl::StrCat(FormatActionPlanName(organization, plan_id), "/",
                      collection, "/", id);
}

std::string FormatActionPlanName(absl::string_view organization,
                                 absl::string_view plan_id) {
  return FormatChildName(organization, "actionPlans", plan_id);
}

// ------------------------------------------------------ organization search

namespace {

// Trims `text`, makes each inner run of ASCII white space one space, reads
// Thai digits as ASCII ones and lower-cases ASCII letters.
std::string NormalizeQuery(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : absl::StripAsciiWhitespace(text)) {
    if (absl::ascii_isspace(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(absl::ascii_tolower(c));
  }
  return thai::ThaiDigitsToAscii(out);
}

}  // namespace

absl::StatusOr<OrganizationSearch> ParseOrganizationSearch(
    const v1::SearchOrganizationsRequest& request) {
  OrganizationSearch search;
  search.query = NormalizeQuery(request.query());
  PRONGSAI_RETURN_IF_ERROR(ValidateText("query", search.query,
                                        kMaxSearchQueryChars,
                                        /*required=*/false));
  // White space is one space by now; any other control character (which
  // no name holds) would also break the page token's scope line.
  if (std::any_of(search.query.begin(), search.query.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
      })) {
    return InvalidField("query", "must not hold control characters");
  }
  PRONGSAI_RETURN_IF_ERROR(
      ValidateText("province", request.province(), 100, /*required=*/false));
  search.province = request.province();
  if (!common::v1::OrganizationKind_IsValid(request.kind())) {
    return InvalidField("kind", "is not a known kind");
  }
  search.kind = request.kind();
  const int page_size = request.page_size() == 0
                            ? kSearchDefaultPageSize
                            : std::min(request.page_size(), kSearchMaxPageSize);
  PRONGSAI_ASSIGN_OR_RETURN(
      search.page,
      ParsePageRequest(page_size, request.page_token(), SearchScope(search)));
  if (!search.page.cursor.empty()) {
    PRONGSAI_ASSIGN_OR_RETURN(search.after,
                              ParseSearchCursor(search.page.cursor));
  }
  return search;
}

std::string SearchScope(const OrganizationSearch& search) {
  return absl::StrCat("organizations:search?", search.query.size(), ":",
                      search.query, "&", search.province.size(), ":",
                      search.province, "&", search.kind);
}

// The code first: it never holds the separator, the name may.
std::string SearchCursor(absl::string_view name, absl::string_view code) {
  return absl::StrCat(code, "\n", name);
}

absl::StatusOr<SearchPosition> ParseSearchCursor(absl::string_view cursor) {
  const size_t separator = cursor.find('\n');
  SearchPosition position;
  if (separator != absl::string_view::npos) {
    position.code = std::string(cursor.substr(0, separator));
    position.name = std::string(cursor.substr(separator + 1));
  }
  // Tokens are not signed: what comes back must still be a code and text
  // the database accepts as parameters.
  if (separator == absl::string_view::npos ||
      !ValidateOrganizationCode("page_token", position.code).ok() ||
      !ValidateText("page_token", position.name, 1000, /*required=*/false)
           .ok()) {
    return InvalidField("page_token", "is not a token this service issued");
  }
  return position;
}

// ---------------------------------------------------------------- writes

absl::Status ValidateOrganization(absl::string_view field_path,
                                  const common::v1::OrganizationRef& ref) {
  PRONGSAI_RETURN_IF_ERROR(
      ValidateOrganizationCode(FieldPath(field_path, "code"), ref.code()));
  PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(field_path, "name"),
                                        ref.name(), 300, /*required=*/true));
  if (ref.kind() == common::v1::ORGANIZATION_KIND_UNSPECIFIED ||
      !common::v1::OrganizationKind_IsValid(ref.kind())) {
    return InvalidField(FieldPath(field_path, "kind"), "is required");
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(field_path, "province"),
                                        ref.province(), 100,
                                        /*required=*/true));
  return ValidateText(FieldPath(field_path, "district"), ref.district(), 100,
                      /*required=*/true);
}

absl::Status ValidateNewActionPlan(const v1::ActionPlan& plan) {
  PRONGSAI_RETURN_IF_ERROR(ValidateText("action_plan.title", plan.title(),
                                        kMaxTitleChars, /*required=*/true));
  PRONGSAI_RETURN_IF_ERROR(api::ValidateOrganizationRef(
      "action_plan.organization", plan.organization()));
  if (!plan.has_fiscal_years()) {
    return InvalidField("action_plan.fiscal_years", "is required");
  }
  const common::v1::FiscalYearSpan& years = plan.fiscal_years();
  PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(
      "action_plan.fiscal_years.first_be_year", years.first_be_year()));
  PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(
      "action_plan.fiscal_years.last_be_year", years.last_be_year()));
  if (years.last_be_year() < years.first_be_year()) {
    return InvalidField("action_plan.fiscal_years.last_be_year",
                        "must not be before first_be_year");
  }
  if (years.last_be_year() - years.first_be_year() + 1 > kMaxPlanYears) {
    return InvalidField(
        "action_plan.fiscal_years",
        absl::StrCat("a plan spans at most ", kMaxPlanYears, " fiscal years"));
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateDimensions("action_plan.dimensions", plan));
  return ValidateTargets("action_plan.targets", plan);
}

absl::Status ValidateDimensions(absl::string_view field_path,
                                const v1::ActionPlan& plan) {
  absl::flat_hash_set<int> numbers;
  absl::flat_hash_set<std::string> codes;
  if (plan.dimensions_size() > 9) {
    return InvalidField(field_path, "at most 9 dimensions");
  }
  for (int i = 0; i < plan.dimensions_size(); ++i) {
    const v1::Dimension& dimension = plan.dimensions(i);
    const std::string path = IndexedPath(field_path, i);
    if (dimension.number() < 1 || dimension.number() > 9) {
      return InvalidField(FieldPath(path, "number"), "must be 1-9");
    }
    if (!numbers.insert(dimension.number()).second) {
      return InvalidField(
          FieldPath(path, "number"),
          absl::StrCat("repeats dimension ", dimension.number()));
    }
    PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(path, "title"),
                                          dimension.title(), kMaxTitleChars,
                                          /*required=*/true));
    for (int j = 0; j < dimension.missions_size(); ++j) {
      PRONGSAI_RETURN_IF_ERROR(ValidateMission(
          IndexedPath(FieldPath(path, "missions"), j), dimension.missions(j),
          absl::StrCat(dimension.number()), codes));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateTargets(absl::string_view field_path,
                             const v1::ActionPlan& plan) {
  absl::flat_hash_set<int> years;
  for (int i = 0; i < plan.targets_size(); ++i) {
    const v1::YearTarget& target = plan.targets(i);
    const std::string path = IndexedPath(field_path, i);
    PRONGSAI_RETURN_IF_ERROR(
        ValidateYearInPlan(FieldPath(path, "be_year"), target.be_year(), plan));
    if (!years.insert(target.be_year()).second) {
      return InvalidField(FieldPath(path, "be_year"),
                          absl::StrCat("repeats ", target.be_year()));
    }
    PRONGSAI_RETURN_IF_ERROR(ValidateTargetFigures(path, target));
  }
  return absl::OkStatus();
}

v1::Project::Kind KindFromTitle(absl::string_view title) {
  title = absl::StripLeadingAsciiWhitespace(title);
  for (absl::string_view quote : {"\"", "“", "‘", "'"}) {
    if (absl::ConsumePrefix(&title, quote)) break;
  }
  if (absl::StartsWith(title, "โครงการ")) return v1::Project::PROJECT;
  if (absl::StartsWith(title, "กิจกรรม")) return v1::Project::ACTIVITY;
  if (absl::StartsWith(title, "มาตรการ")) return v1::Project::MEASURE;
  return v1::Project::KIND_UNSPECIFIED;
}

absl::Status ValidateProject(absl::string_view field_path, v1::Project& project,
                             const v1::ActionPlan& plan) {
  if (project.sequence() < 1 || project.sequence() > kMaxSequence) {
    return InvalidField(FieldPath(field_path, "sequence"),
                        absl::StrCat("must be 1-", kMaxSequence));
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateProjectTexts(field_path, project));
  if (!v1::Project::Kind_IsValid(project.kind())) {
    return InvalidField(FieldPath(field_path, "kind"), "is not a known kind");
  }
  if (project.kind() == v1::Project::KIND_UNSPECIFIED) {
    project.set_kind(KindFromTitle(project.title()));
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateProjectPlace(field_path, project, plan));
  PRONGSAI_RETURN_IF_ERROR(ValidateProjectYears(field_path, project, plan));
  return ValidateKpis(FieldPath(field_path, "kpis"), project.kpis(), plan);
}

absl::Status ValidateQuarters(absl::string_view field_path,
                              absl::Span<const int32_t> quarters) {
  bool seen[5] = {};
  for (size_t i = 0; i < quarters.size(); ++i) {
    const int quarter = quarters[i];
    if (quarter < 1 || quarter > 4) {
      return InvalidField(IndexedPath(field_path, static_cast<int>(i)),
                          "a quarter is 1-4");
    }
    if (seen[quarter]) {
      return InvalidField(IndexedPath(field_path, static_cast<int>(i)),
                          absl::StrCat("repeats quarter ", quarter));
    }
    seen[quarter] = true;
  }
  return absl::OkStatus();
}

absl::Status ValidateAnnualEntries(
    absl::string_view field_path,
    const RepeatedPtrField<v1::AnnualPlanEntry>& entries,
    absl::string_view plan_name, absl::Span<const std::string> project_names) {
  if (entries.size() > kMaxAnnualEntries) {
    return InvalidField(
        field_path, absl::StrCat("at most ", kMaxAnnualEntries, " entries"));
  }
  absl::flat_hash_set<absl::string_view> known(project_names.begin(),
                                               project_names.end());
  absl::flat_hash_set<absl::string_view> used;
  for (int i = 0; i < entries.size(); ++i) {
    const v1::AnnualPlanEntry& entry = entries[i];
    const std::string path = IndexedPath(field_path, i);
    if (!entry.project().empty()) {
      if (!absl::StartsWith(entry.project(),
                            absl::StrCat(plan_name, "/projects/")) ||
          !known.contains(entry.project())) {
        return InvalidField(FieldPath(path, "project"),
                            "is not a project of this action plan");
      }
      if (!used.insert(entry.project()).second) {
        return InvalidField(FieldPath(path, "project"),
                            "is already scheduled by another entry");
      }
    }
    PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(path, "title"),
                                          entry.title(), kMaxTitleChars,
                                          /*required=*/true));
    if (entry.dimension() < 1 || entry.dimension() > 9) {
      return InvalidField(FieldPath(path, "dimension"), "must be 1-9");
    }
    PRONGSAI_RETURN_IF_ERROR(
        ValidateMoney(FieldPath(path, "budget"), entry.budget()));
    PRONGSAI_RETURN_IF_ERROR(
        ValidateQuarters(FieldPath(path, "quarters"), entry.quarters()));
    PRONGSAI_RETURN_IF_ERROR(ValidateText(
        FieldPath(path, "remark"), entry.remark(), kMaxItemChars, false));
  }
  return absl::OkStatus();
}

absl::Status ValidateIntegrityMeasure(absl::string_view field_path,
                                      v1::IntegrityMeasure& measure) {
  PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(
      FieldPath(field_path, "be_year"), measure.be_year()));
  PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(field_path, "title"),
                                        measure.title(), kMaxTitleChars,
                                        /*required=*/true));
  for (auto [name, text, limit] :
       {std::tuple{"guideline", &measure.guideline(), kMaxTextChars},
        std::tuple{"owner", &measure.owner(), kMaxTitleChars},
        std::tuple{"period_text", &measure.period_text(), kMaxTitleChars},
        std::tuple{"follow_up", &measure.follow_up(), kMaxTextChars},
        std::tuple{"ita_issue", &measure.ita_issue(), kMaxTitleChars},
        std::tuple{"source", &measure.source(), kMaxTitleChars}}) {
    PRONGSAI_RETURN_IF_ERROR(
        ValidateText(FieldPath(field_path, name), *text, limit, false));
  }
  PRONGSAI_RETURN_IF_ERROR(
      ValidateTextList(FieldPath(field_path, "steps"), measure.steps()));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateQuarters(FieldPath(field_path, "quarters"), measure.quarters()));
  return ValidateItaRefs(FieldPath(field_path, "ita_indicators"),
                         *measure.mutable_ita_indicators());
}

absl::Status ValidateProgressReport(absl::string_view field_path,
                                    const v1::ProgressReport& report,
                                    absl::string_view organization) {
  const std::string subject_path = FieldPath(field_path, "subject");
  absl::StatusOr<PlanChildName> project =
      ParsePlanChildName(subject_path, report.subject(), "projects");
  absl::StatusOr<ChildName> measure =
      ParseChildName(subject_path, report.subject(), "integrityMeasures");
  if (!project.ok() && !measure.ok()) {
    return InvalidField(subject_path,
                        "must name a project or an integrity measure");
  }
  if ((project.ok() ? project->organization : measure->organization) !=
      organization) {
    return InvalidField(subject_path,
                        "belongs to another organization than the report");
  }
  PRONGSAI_RETURN_IF_ERROR(api::ValidateFiscalYear(
      FieldPath(field_path, "be_year"), report.be_year()));
  if (report.round() == v1::ROUND_UNSPECIFIED ||
      !v1::Round_IsValid(report.round())) {
    return InvalidField(FieldPath(field_path, "round"), "is required");
  }
  if (report.status() == v1::ProgressReport::STATUS_UNSPECIFIED ||
      !v1::ProgressReport::Status_IsValid(report.status())) {
    return InvalidField(FieldPath(field_path, "status"), "is required");
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(field_path, "output"),
                                        report.output(), kMaxTextChars, false));
  PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(field_path, "outcome"),
                                        report.outcome(), kMaxTextChars,
                                        false));
  PRONGSAI_RETURN_IF_ERROR(
      ValidateMoney(FieldPath(field_path, "spent"), report.spent()));
  if (report.evidence_uris_size() > kMaxUris) {
    return InvalidField(FieldPath(field_path, "evidence_uris"),
                        absl::StrCat("at most ", kMaxUris));
  }
  for (int i = 0; i < report.evidence_uris_size(); ++i) {
    const std::string& uri = report.evidence_uris(i);
    const std::string path =
        IndexedPath(FieldPath(field_path, "evidence_uris"), i);
    PRONGSAI_RETURN_IF_ERROR(ValidateText(path, uri, kMaxItemChars, true));
    if (!absl::StartsWith(uri, "https://") &&
        !absl::StartsWith(uri, "http://")) {
      return InvalidField(path, "must be an http(s) URI");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRisk(absl::string_view field_path, v1::Risk& risk,
                          absl::string_view plan_name) {
  if (risk.sequence() < 1 || risk.sequence() > kMaxSequence) {
    return InvalidField(FieldPath(field_path, "sequence"),
                        absl::StrCat("must be 1-", kMaxSequence));
  }
  PRONGSAI_RETURN_IF_ERROR(ValidateText(FieldPath(field_path, "process_step"),
                                        risk.process_step(), kMaxItemChars,
                                        /*required=*/true));
  if (!v1::Risk::Level_IsValid(risk.level())) {
    return InvalidField(FieldPath(field_path, "level"), "is not a known level");
  }
  v1::Risk::Level highest = v1::Risk::LEVEL_UNSPECIFIED;
  if (risk.issues_size() > kMaxListItems) {
    return InvalidField(FieldPath(field_path, "issues"), "too many");
  }
  for (int i = 0; i < risk.issues_size(); ++i) {
    const std::string path = IndexedPath(FieldPath(field_path, "issues"), i);
    PRONGSAI_RETURN_IF_ERROR(ValidateText(
        FieldPath(path, "text"), risk.issues(i).text(), kMaxItemChars, true));
    if (!v1::Risk::Level_IsValid(risk.issues(i).level())) {
      return InvalidField(FieldPath(path, "level"), "is not a known level");
    }
    highest = std::max(highest, risk.issues(i).level());
  }
  if (risk.level() == v1::Risk::LEVEL_UNSPECIFIED) risk.set_level(highest);
  for (auto [name, value] : {std::pair{"likelihood", risk.likelihood()},
                             std::pair{"impact", risk.impact()}}) {
    if (value < 0 || value > 5) {
      return InvalidField(FieldPath(field_path, name),
                          "must be 1-5 (0 = unset)");
    }
  }
  const std::string prefix = absl::StrCat(plan_name, "/projects/");
  for (int i = 0; i < risk.control_projects_size(); ++i) {
    if (!absl::StartsWith(risk.control_projects(i), prefix)) {
      return InvalidField(
          IndexedPath(FieldPath(field_path, "control_projects"), i),
          "is not a project of this action plan");
    }
  }
  return ValidateTextList(FieldPath(field_path, "control_texts"),
                          risk.control_texts());
}

absl::Status ApplyFieldMask(const google::protobuf::FieldMask& mask,
                            absl::Span<const absl::string_view> allowed,
                            const google::protobuf::Message& patch,
                            google::protobuf::Message& target) {
  if (mask.paths_size() == 0) {
    return InvalidField("update_mask", "names no field to update");
  }
  for (int i = 0; i < mask.paths_size(); ++i) {
    if (std::find(allowed.begin(), allowed.end(), mask.paths(i)) ==
        allowed.end()) {
      return InvalidField(
          absl::StrCat("update_mask.paths[", i, "]"),
          absl::StrCat("\"", mask.paths(i), "\" cannot be updated"));
    }
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(patch, mask, options,
                                                        &target);
  return absl::OkStatus();
}

absl::Status CheckEtag(absl::string_view requested, absl::string_view current) {
  if (!requested.empty() && requested != current) {
    return absl::AbortedError(
        "etag is stale: the resource changed since it was read; read it "
        "again and retry");
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- rules

bool IsInPlanYears(int be_year, const v1::ActionPlan& plan) {
  const common::v1::FiscalYearSpan& span = plan.fiscal_years();
  return be_year >= span.first_be_year() && be_year <= span.last_be_year();
}

absl::Status ValidateYearInPlan(absl::string_view field_path, int be_year,
                                const v1::ActionPlan& plan) {
  if (IsInPlanYears(be_year, plan)) return absl::OkStatus();
  const common::v1::FiscalYearSpan& span = plan.fiscal_years();
  return InvalidField(
      field_path, absl::StrCat(be_year, " is outside the plan's fiscal years ",
                               span.first_be_year(), "-", span.last_be_year()));
}

absl::Status CheckAdvance(const v1::ActionPlan& plan,
                          v1::ActionPlan::State to) {
  if (to != v1::ActionPlan::APPROVED && to != v1::ActionPlan::ANNOUNCED) {
    return absl::FailedPreconditionError(
        "a plan only advances to APPROVED or ANNOUNCED");
  }
  const v1::ActionPlan::State from = to == v1::ActionPlan::APPROVED
                                         ? v1::ActionPlan::DRAFT
                                         : v1::ActionPlan::APPROVED;
  if (plan.state() != from) {
    return absl::FailedPreconditionError(
        absl::StrCat("the plan is ", v1::ActionPlan::State_Name(plan.state()),
                     "; only a ", v1::ActionPlan::State_Name(from),
                     " plan becomes ", v1::ActionPlan::State_Name(to)));
  }
  return absl::OkStatus();
}

absl::Status AdvancePlan(v1::ActionPlan& plan, v1::ActionPlan::State to,
                         const api::AuditWriter& writer,
                         absl::Time announce_time) {
  PRONGSAI_RETURN_IF_ERROR(CheckAdvance(plan, to));
  plan.set_state(to);
  if (to == v1::ActionPlan::APPROVED) {
    plan.set_approver(writer.principal);
    *plan.mutable_approve_time() = api::ToProtoTime(writer.now);
  } else {
    *plan.mutable_announce_time() = api::ToProtoTime(announce_time);
  }
  return absl::OkStatus();
}

absl::Status ValidateAnnounceTime(absl::Time announce_time, absl::Time now) {
  if (announce_time > now + kMaxAnnounceAhead) {
    return InvalidField("announce_time", "is more than a year ahead");
  }
  return absl::OkStatus();
}

}  // namespace prongsai::plan
