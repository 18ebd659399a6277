// The import writer: ImportActionPlan validates a parsed plan document as
// the write paths would and stores what passes, findings included, in one
// transaction (see plan_store.h).
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_table.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "services/plan/plan_documents.h"
#include "services/plan/plan_figures.h"
#include "services/plan/plan_store.h"
#include "services/plan/plan_store_internal.h"

namespace prongsai::plan {
namespace {

using internal::kProjects;
using storage::Connection;

v1::Finding ImportError(absl::string_view location,
                        const absl::Status& status) {
  v1::Finding finding;
  finding.set_severity(v1::Finding::ERROR);
  finding.set_code("NOT_IMPORTED");
  finding.set_location(std::string(location));
  finding.set_message(absl::StrCat("not imported: ", status.message()));
  return finding;
}

// The response for a plan already stored: what it holds now.
absl::StatusOr<v1::ImportActionPlanResponse> ReadImported(
    Connection& db, absl::string_view organization, absl::string_view plan_id) {
  v1::ImportActionPlanResponse response;
  PRONGSAI_ASSIGN_OR_RETURN(*response.mutable_action_plan(),
                            GetActionPlan(db, organization, plan_id));
  PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Project> projects,
                            AllProjects(db, organization, plan_id));
  for (v1::Project& project : projects) {
    *response.add_projects() = std::move(project);
  }
  PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::Risk> risks,
                            AllRisks(db, organization, plan_id));
  for (v1::Risk& risk : risks) *response.add_risks() = std::move(risk);
  PRONGSAI_ASSIGN_OR_RETURN(std::vector<v1::AnnualPlan> annual_plans,
                            AllAnnualPlans(db, organization, plan_id));
  if (!annual_plans.empty()) {
    *response.mutable_annual_plan() = std::move(annual_plans.front());
  }
  *response.mutable_findings() = response.action_plan().import_findings();
  return response;
}

// What an import stores once validated: the plan (its findings included),
// the kept projects and risks under their new ids, and the annual plan when
// its year is inside the plan's.
struct PreparedImport {
  v1::ActionPlan plan;
  std::vector<std::pair<std::string, v1::Project>> projects;
  std::vector<std::pair<std::string, v1::Risk>> risks;
  std::optional<v1::AnnualPlan> annual;
};

// One import being validated: where its rows go, what is kept so far, and
// what was refused (the findings).
struct ImportState {
  std::string organization;
  std::string plan_id;
  std::string plan_name;
  PreparedImport prepared;
  std::vector<v1::Finding> findings;
  // The resource name each kept project's sequence number gets.
  absl::flat_hash_map<int, std::string> name_of_sequence;
};

// The plan itself, with the organization's registered fields. A broken tree
// or target list is reported and left out, so that the plan and its
// projects still come in; INVALID_ARGUMENT when no usable plan is left.
absl::Status PreparePlan(const common::v1::OrganizationRef& organization,
                         v1::ActionPlan parsed, ImportState& state) {
  v1::ActionPlan& plan = state.prepared.plan;
  plan = std::move(parsed);
  *plan.mutable_organization() = organization;
  if (plan.title().empty()) {
    plan.set_title("แผนปฏิบัติการป้องกันการทุจริต");
  }
  absl::Status plan_status = ValidateNewActionPlan(plan);
  if (!plan_status.ok() && plan.has_fiscal_years()) {
    if (absl::Status tree = ValidateDimensions("action_plan.dimensions", plan);
        !tree.ok()) {
      state.findings.push_back(ImportError("dimensions", tree));
      plan.clear_dimensions();
    }
    if (absl::Status targets = ValidateTargets("action_plan.targets", plan);
        !targets.ok()) {
      state.findings.push_back(ImportError("targets", targets));
      plan.clear_targets();
    }
    plan_status = ValidateNewActionPlan(plan);
  }
  if (!plan_status.ok()) {
    return InvalidField(
        "text", absl::StrCat("the document does not give a usable plan (",
                             plan_status.message(), ")"));
  }
  return absl::OkStatus();
}

// Keeps each valid project with a sequence number not seen before.
void PrepareProjects(std::vector<v1::Project>& projects, ImportState& state) {
  for (v1::Project& project : projects) {
    absl::Status status =
        ValidateProject("project", project, state.prepared.plan);
    if (status.ok() && state.name_of_sequence.contains(project.sequence())) {
      status = absl::AlreadyExistsError("the sequence number repeats");
    }
    if (!status.ok()) {
      state.findings.push_back(
          ImportError(absl::StrCat("ลำดับที่ ", project.sequence()), status));
      continue;
    }
    std::string id = NewResourceId();
    state.name_of_sequence[project.sequence()] =
        FormatPlanChildName(state.organization, state.plan_id, kProjects, id);
    state.prepared.projects.emplace_back(std::move(id), std::move(project));
  }
}

// Keeps each valid risk, its controls pointed at the kept projects of the
// sequence numbers the document gave.
void PrepareRisks(ImportedPlan& imported, ImportState& state) {
  for (size_t i = 0; i < imported.risks.size(); ++i) {
    v1::Risk& risk = imported.risks[i];
    if (i < imported.risk_control_sequences.size()) {
      for (int sequence : imported.risk_control_sequences[i]) {
        auto found = state.name_of_sequence.find(sequence);
        if (found != state.name_of_sequence.end()) {
          risk.add_control_projects(found->second);
        }
      }
    }
    absl::Status status = ValidateRisk("risk", risk, state.plan_name);
    if (!status.ok()) {
      state.findings.push_back(
          ImportError(absl::StrCat("risk ", risk.sequence()), status));
      continue;
    }
    state.prepared.risks.emplace_back(NewResourceId(), std::move(risk));
  }
}

// Row `i` of the parsed annual plan as an entry of `annual` (pointing at the
// kept project of its sequence number), unless it fails validation, which
// is a finding.
void PrepareAnnualEntry(const ImportedPlan& imported, int i,
                        absl::Span<const std::string> project_names,
                        absl::flat_hash_set<std::string>& scheduled,
                        v1::AnnualPlan& annual, ImportState& state) {
  google::protobuf::RepeatedPtrField<v1::AnnualPlanEntry> one;
  v1::AnnualPlanEntry& entry = *one.Add();
  entry = imported.annual_plan->entries(i);
  if (static_cast<size_t>(i) < imported.annual_entry_sequences.size()) {
    auto found =
        state.name_of_sequence.find(imported.annual_entry_sequences[i]);
    if (found != state.name_of_sequence.end()) entry.set_project(found->second);
  }
  // Two rows may match one sheet: the second keeps its title only.
  if (scheduled.contains(entry.project())) entry.clear_project();
  absl::Status status =
      ValidateAnnualEntries("entry", one, state.plan_name, project_names);
  if (!status.ok()) {
    state.findings.push_back(
        ImportError(absl::StrCat("annual plan row ", i + 1), status));
    return;
  }
  if (!entry.project().empty()) scheduled.insert(entry.project());
  *annual.add_entries() = std::move(entry);
}

// The annual plan's note and rows (at most kMaxAnnualEntries, the limit
// UpdateAnnualPlan enforces: a longer one could be neither updated nor
// exported; the rows past it are refused in one finding). It is kept only
// when its year is one of the plan's.
void PrepareAnnualPlan(const ImportedPlan& imported, ImportState& state) {
  const v1::AnnualPlan& parsed = *imported.annual_plan;
  v1::AnnualPlan annual;
  annual.set_be_year(parsed.be_year());
  if (absl::Status status =
          ValidateText("annual_plan.note", parsed.note(), kMaxTextChars, false);
      status.ok()) {
    annual.set_note(parsed.note());
  } else {
    state.findings.push_back(ImportError("annual plan note", status));
  }
  std::vector<std::string> names;
  for (const auto& [sequence, name] : state.name_of_sequence) {
    names.push_back(name);
  }
  absl::flat_hash_set<std::string> scheduled;
  for (int i = 0; i < parsed.entries_size(); ++i) {
    if (annual.entries_size() == kMaxAnnualEntries) {
      state.findings.push_back(ImportError(
          absl::StrCat("annual plan rows ", i + 1, "-", parsed.entries_size()),
          absl::InvalidArgumentError(
              absl::StrCat("an annual plan holds at most ", kMaxAnnualEntries,
                           " entries"))));
      break;
    }
    PrepareAnnualEntry(imported, i, names, scheduled, annual, state);
  }
  const v1::ActionPlan& plan = state.prepared.plan;
  if (!IsInPlanYears(annual.be_year(), plan)) {
    const common::v1::FiscalYearSpan& span = plan.fiscal_years();
    state.findings.push_back(ImportError(
        "annual plan",
        absl::InvalidArgumentError(absl::StrCat(
            "its year ", annual.be_year(), " is outside the plan's ",
            span.first_be_year(), "-", span.last_be_year()))));
    return;
  }
  state.prepared.annual = std::move(annual);
}

// Validates the imported plan as it would be stored under `plan_id`, without
// touching the database: every limit the write paths enforce applies here
// too, and what fails one becomes a NOT_IMPORTED finding. INVALID_ARGUMENT
// when the document gives no usable plan at all.
absl::StatusOr<PreparedImport> PrepareImport(
    const common::v1::OrganizationRef& organization, absl::string_view plan_id,
    ImportedPlan& imported) {
  ImportState state;
  state.organization = organization.code();
  state.plan_id = std::string(plan_id);
  state.plan_name = FormatActionPlanName(state.organization, plan_id);
  state.findings = std::move(imported.findings);
  PRONGSAI_RETURN_IF_ERROR(
      PreparePlan(organization, std::move(imported.plan), state));
  PrepareProjects(imported.projects, state);
  PrepareRisks(imported, state);
  if (imported.annual_plan.has_value()) PrepareAnnualPlan(imported, state);
  for (v1::Finding& finding : state.findings) {
    *state.prepared.plan.add_import_findings() = std::move(finding);
  }
  return std::move(state.prepared);
}

// Writes a prepared import under `plan_id` inside `tx`.
absl::Status StoreImport(Connection& tx, absl::string_view organization,
                         absl::string_view plan_id,
                         const PreparedImport& prepared,
                         absl::string_view request_id,
                         const api::AuditWriter& writer) {
  for (const auto& [id, project] : prepared.projects) {
    PRONGSAI_RETURN_IF_ERROR(InsertDocument(
        tx, "projects", organization, plan_id, id,
        internal::ProjectKeys(project), Body(project), "", writer));
  }
  for (const auto& [id, risk] : prepared.risks) {
    PRONGSAI_RETURN_IF_ERROR(InsertDocument(tx, "risks", organization, plan_id,
                                            id, internal::RiskKeys(risk),
                                            Body(risk), "", writer));
  }
  if (prepared.annual.has_value()) {
    const v1::AnnualPlan& annual = *prepared.annual;
    PRONGSAI_RETURN_IF_ERROR(
        InsertDocument(tx, "annual_plans", organization, plan_id,
                       absl::StrCat(annual.be_year()),
                       internal::AnnualPlanKeys(annual), annual, "", writer));
  }
  return internal::InsertPlan(tx, organization, plan_id, prepared.plan,
                              request_id, writer);
}

// What a dry run answers: what ReadImported would read back after the
// import, without the names, etags and audit stamps nothing was given.
v1::ImportActionPlanResponse DryRunResponse(PreparedImport prepared) {
  v1::ImportActionPlanResponse response;
  *response.mutable_findings() = prepared.plan.import_findings();
  // Read back in sort-key (sequence) order.
  auto by_sequence = [](const auto& a, const auto& b) {
    return a.second.sequence() < b.second.sequence();
  };
  std::stable_sort(prepared.projects.begin(), prepared.projects.end(),
                   by_sequence);
  for (auto& [id, project] : prepared.projects) {
    *response.add_projects() = Body(std::move(project));
  }
  std::stable_sort(prepared.risks.begin(), prepared.risks.end(), by_sequence);
  for (auto& [id, risk] : prepared.risks) {
    v1::Risk& out = *response.add_risks() = Body(std::move(risk));
    out.clear_control_projects();
  }
  if (prepared.annual.has_value()) {
    v1::AnnualPlan& annual = *response.mutable_annual_plan() =
        Body(*std::move(prepared.annual));
    for (v1::AnnualPlanEntry& entry : *annual.mutable_entries()) {
      entry.clear_project();
    }
    *annual.mutable_totals() = ComputeTotals(annual.entries());
  }
  return response;
}

}  // namespace

absl::StatusOr<v1::ImportActionPlanResponse> ImportActionPlan(
    Connection& db, const common::v1::OrganizationRef& organization,
    ImportedPlan imported, absl::string_view request_id, bool commit,
    const api::AuditWriter& writer) {
  const std::string& org = organization.code();
  const std::string plan_id = NewResourceId();
  PRONGSAI_ASSIGN_OR_RETURN(PreparedImport prepared,
                            PrepareImport(organization, plan_id, imported));
  if (!commit) {
    // Validation reads nothing from the database, so a dry run opens no
    // transaction at all: it never holds SQLite's write lock, and other
    // writers never wait for it.
    return DryRunResponse(std::move(prepared));
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string stored_id,
      api::CreateOnce(db, "action_plans", org, request_id,
                      [&](Connection& tx) -> absl::StatusOr<std::string> {
                        PRONGSAI_RETURN_IF_ERROR(StoreImport(
                            tx, org, plan_id, prepared, request_id, writer));
                        return plan_id;
                      }));
  return ReadImported(db, org, stored_id);
}

}  // namespace prongsai::plan
