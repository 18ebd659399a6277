// Which OIT items an organization's own Prongsai records already evidence
// (AgencyAnalysis.oit_evidence): the framework marks the items that ask for
// a record Prongsai holds (Item.evidence_source); this judges, from the
// records the plan and complaint services returned, whether each was
// published by the time the year's OIT check closed. Pure: no I/O.
#ifndef PRONGSAI_SERVICES_ITA_ITA_OIT_EVIDENCE_H_
#define PRONGSAI_SERVICES_ITA_ITA_OIT_EVIDENCE_H_

#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "prongsai/ita/v1/ita.pb.h"
#include "prongsai/plan/v1/plan.pb.h"

namespace prongsai::ita {

// The records of one organization the OIT items ask for. nullopt: the
// service holding them did not answer (the items are then UNKNOWN).
struct OrganizationRecords {
  // Every action plan of the organization (the one covering the year is
  // chosen here).
  std::optional<std::vector<plan::v1::ActionPlan>> action_plans;
  // Progress reports of the year and of the year before.
  std::optional<std::vector<plan::v1::ProgressReport>> reports;
  std::optional<std::vector<plan::v1::ProgressReport>> previous_reports;
  // The year's integrity measures.
  std::optional<std::vector<plan::v1::IntegrityMeasure>> measures;
  // The risk register of the plan covering the year (empty without one).
  std::optional<std::vector<plan::v1::Risk>> risks;
  // How many complaint categories the organization has set up.
  std::optional<int> complaint_categories;
  // Whether the complaint service gave the year's statistics.
  bool complaint_statistics = false;
};

// 1 July of `be_year` (C.E. be_year - 543), 00:00 in Bangkok: the NACC's
// OIT check runs 1 January - 30 June of the fiscal year.
absl::Time OitCheckCloses(int be_year);

// The action plan covering `be_year` that is furthest along (announced,
// then approved, then draft; the first listed among equals), or nullptr.
const plan::v1::ActionPlan* PlanCovering(
    const std::vector<plan::v1::ActionPlan>& plans, int be_year);

// The evidence of every OIT item of `framework` that has an evidence
// source, in framework order, the codes of the others in `not_held`, and
// the OIT score ceiling (see ita.proto OitEvidenceSummary). Unset
// (nullopt) when the framework marks no item.
std::optional<v1::OitEvidenceSummary> EvidenceOitItems(
    const v1::Framework& framework, absl::string_view organization, int be_year,
    const OrganizationRecords& records);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_OIT_EVIDENCE_H_
