// Pure rules of the plan service: what valid plans, projects, annual plans,
// measures, reports and risks are, which fields an update may change, and
// how a plan advances from DRAFT to ANNOUNCED. The figures derived from
// them are in plan_figures.h. No I/O, so they are unit-tested on their own.
//
//   PRONGSAI_RETURN_IF_ERROR(ValidateProject("project", project, plan));
//   PRONGSAI_RETURN_IF_ERROR(ApplyFieldMask(mask, kProjectUpdatableFields,
//                                           patch, project));
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_DOMAIN_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_DOMAIN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/api/fields.h"
#include "common/base/resource_name.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "prongsai/plan/v1/plan.pb.h"

namespace prongsai::plan {

// The longest plan the template knows is 5 years; 10 leaves room for
// extended plans without admitting typos such as 2566-2670.
inline constexpr int kMaxPlanYears = 10;
inline constexpr int kMaxTitleChars = 500;
inline constexpr int kMaxTextChars = 20000;
inline constexpr int kMaxListItems = 200;
inline constexpr int kMaxSequence = 9999;
// Rows of one annual plan, on every path that stores one (update, create
// from the 5-year plan, import): seed 002's table has 15; a longer one could
// not be updated, exported or reconciled within one message.
inline constexpr int kMaxAnnualEntries = 2000;
// 10 billion baht: far above any LAO's whole budget, below int64 overflow
// when summed.
inline constexpr int64_t kMaxSatang = 1'000'000'000'000;
// How far ahead an announcement may be dated: a year, leap day included.
inline constexpr absl::Duration kMaxAnnounceAhead = absl::Hours(24 * 366);

// The paths each Update RPC's update_mask may name (ApplyFieldMask refuses
// any other); output-only and identifying fields are never among them.
inline constexpr absl::string_view kOrganizationUpdatableFields[] = {
    "organization.name", "organization.kind", "organization.province",
    "organization.district"};
inline constexpr absl::string_view kActionPlanUpdatableFields[] = {
    "title", "dimensions", "targets"};
inline constexpr absl::string_view kProjectUpdatableFields[] = {
    "sequence",     "mission_code", "dimension",      "kind",
    "title",        "rationale",    "objectives",     "target_group",
    "method_steps", "fiscal_years", "owner_unit",     "outputs",
    "outcomes",     "kpis",         "ita_indicators", "budgets"};
inline constexpr absl::string_view kAnnualPlanUpdatableFields[] = {"entries",
                                                                   "note"};
inline constexpr absl::string_view kIntegrityMeasureUpdatableFields[] = {
    "be_year",        "title",     "guideline",   "steps",
    "owner",          "quarters",  "period_text", "follow_up",
    "ita_indicators", "ita_issue", "source"};
inline constexpr absl::string_view kRiskUpdatableFields[] = {
    "sequence",   "process_step", "issues",           "level",
    "likelihood", "impact",       "control_projects", "control_texts"};

// ---------------------------------------------------------------- names

// `organizations/{o}/actionPlans/{p}/{collection}/{id}`.
struct PlanChildName {
  std::string organization;
  std::string plan_id;
  std::string id;
};
absl::StatusOr<PlanChildName> ParsePlanChildName(absl::string_view field_path,
                                                 absl::string_view name,
                                                 absl::string_view collection);
std::string FormatPlanChildName(absl::string_view organization,
                                absl::string_view plan_id,
                                absl::string_view collection,
                                absl::string_view id);
std::string FormatActionPlanName(absl::string_view organization,
                                 absl::string_view plan_id);

// ------------------------------------------------------ organization search

// The public directory (SearchOrganizations) pages by 20, at most 100: a
// citizen's list, smaller than the staff listings' 50/1000.
inline constexpr int kSearchDefaultPageSize = 20;
inline constexpr int kSearchMaxPageSize = 100;
inline constexpr int kMaxSearchQueryChars = 100;

// A position in the search order (name, then code).
struct SearchPosition {
  std::string name;
  std::string code;
};

// A SearchOrganizations request, checked and normalized.
struct OrganizationSearch {
  // What the name must contain: trimmed, inner white space runs made one
  // space, Thai digits as ASCII ones, ASCII letters lower-case. Empty
  // matches every name.
  std::string query;
  // Exact province, or empty for all.
  std::string province;
  // ORGANIZATION_KIND_UNSPECIFIED for all.
  common::v1::OrganizationKind kind = common::v1::ORGANIZATION_KIND_UNSPECIFIED;
  // The page size; `page.cursor` is the token's cursor, parsed into `after`.
  PageRequest page;
  // Where the page starts (exclusive); nullopt for the first page.
  std::optional<SearchPosition> after;
};

// Validates and normalizes `request` (INVALID_ARGUMENT naming `query`,
// `province`, `kind`, `page_size` or `page_token`). The page token must have
// been issued for the same normalized filters (SearchScope), and its cursor
// must be one SearchCursor made.
absl::StatusOr<OrganizationSearch> ParseOrganizationSearch(
    const v1::SearchOrganizationsRequest& request);

// What a search's page tokens are bound to: its normalized filters, each
// length-prefixed so that no two searches share one.
std::string SearchScope(const OrganizationSearch& search);

// The page cursor after an organization in the search order, and back.
std::string SearchCursor(absl::string_view name, absl::string_view code);
// INVALID_ARGUMENT `page_token` for a cursor SearchCursor did not make.
absl::StatusOr<SearchPosition> ParseSearchCursor(absl::string_view cursor);

// ---------------------------------------------------------------- writes

absl::Status ValidateOrganization(absl::string_view field_path,
                                  const common::v1::OrganizationRef& ref);

// Checks the caller-settable fields of a plan to create; errors name the
// field as `action_plan.<path>`.
absl::Status ValidateNewActionPlan(const v1::ActionPlan& plan);
// The tree and targets of `plan` (already inside its span).
absl::Status ValidateDimensions(absl::string_view field_path,
                                const v1::ActionPlan& plan);
absl::Status ValidateTargets(absl::string_view field_path,
                             const v1::ActionPlan& plan);

// The kind a title's first word names (โครงการ, กิจกรรม, มาตรการ), or
// KIND_UNSPECIFIED.
v1::Project::Kind KindFromTitle(absl::string_view title);

// A project of `plan`: text limits, years inside the span, budgets of
// scheduled years only and >= 0, the mission in the plan's tree. Fills the
// dimension from the mission and the kind from the title when unset.
absl::Status ValidateProject(absl::string_view field_path, v1::Project& project,
                             const v1::ActionPlan& plan);

absl::Status ValidateQuarters(absl::string_view field_path,
                              absl::Span<const int32_t> quarters);

// Entries of an annual plan of `plan`; every non-empty `project` must be in
// `project_names` (the plan's projects).
absl::Status ValidateAnnualEntries(
    absl::string_view field_path,
    const google::protobuf::RepeatedPtrField<v1::AnnualPlanEntry>& entries,
    absl::string_view plan_name, absl::Span<const std::string> project_names);

absl::Status ValidateIntegrityMeasure(absl::string_view field_path,
                                      v1::IntegrityMeasure& measure);

// `subject` must name a project or integrity measure of `organization`.
absl::Status ValidateProgressReport(absl::string_view field_path,
                                    const v1::ProgressReport& report,
                                    absl::string_view organization);

// Fills the overall level from the issues when unset.
absl::Status ValidateRisk(absl::string_view field_path, v1::Risk& risk,
                          absl::string_view plan_name);

// Applies `mask` (paths must be in `allowed`; INVALID_ARGUMENT naming
// `update_mask.paths[i]` otherwise, and an empty mask is refused) from
// `patch` onto `target`; repeated fields are replaced, not appended.
absl::Status ApplyFieldMask(const google::protobuf::FieldMask& mask,
                            absl::Span<const absl::string_view> allowed,
                            const google::protobuf::Message& patch,
                            google::protobuf::Message& target);

// ABORTED when `requested` is set and differs from `current`.
absl::Status CheckEtag(absl::string_view requested, absl::string_view current);

// ---------------------------------------------------------------- rules

// Whether `be_year` is one of the plan's fiscal years.
bool IsInPlanYears(int be_year, const v1::ActionPlan& plan);
// INVALID_ARGUMENT at `field_path` ("2575 is outside the plan's fiscal years
// 2566-2570") unless IsInPlanYears.
absl::Status ValidateYearInPlan(absl::string_view field_path, int be_year,
                                const v1::ActionPlan& plan);

// The plan's life: DRAFT → APPROVED → ANNOUNCED, one step at a time.
// FAILED_PRECONDITION (naming the plan's state) unless `plan` may become
// `to` now.
absl::Status CheckAdvance(const v1::ActionPlan& plan, v1::ActionPlan::State to);
// CheckAdvance, then moves `plan` to `to`: an approval records its approver
// and time (`writer`), an announcement `announce_time`.
absl::Status AdvancePlan(v1::ActionPlan& plan, v1::ActionPlan::State to,
                         const api::AuditWriter& writer,
                         absl::Time announce_time);
// An announcement may be dated back, but not more than kMaxAnnounceAhead
// after `now`.
absl::Status ValidateAnnounceTime(absl::Time announce_time, absl::Time now);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_DOMAIN_H_
