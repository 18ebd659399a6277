// The rules of the oversight standings (oversight.proto), without I/O: what
// counts as an LPA requirement met, which measures answer a weakness, the
// order, the ranks and the totals of a group, and its CSV table.
//
//   PRONGSAI_ASSIGN_OR_RETURN(std::vector<StandingOrder> order,
//                             ParseStandingOrder(query.order_by()));
//   RankByItaScore(standings);
//   SortStandings(order, standings);
//   v1::StandingTotals totals = ComputeStandingTotals(standings);
#ifndef PRONGSAI_SERVICES_PLAN_OVERSIGHT_DOMAIN_H_
#define PRONGSAI_SERVICES_PLAN_OVERSIGHT_DOMAIN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/render/document.h"
#include "prongsai/plan/v1/oversight.pb.h"

namespace prongsai::plan {

// What the store knows of one measure of the year.
struct MeasureFacts {
  std::vector<std::string> ita_indicators;
  bool late = false;
};

// One organization's plan figures as the store reads them: `standing` has
// the plan, annual plan and report fields, `measures` the year's measures.
struct PlanFacts {
  v1::PlanStanding standing;
  std::vector<MeasureFacts> measures;
};

// The standing's plan part: `facts` with the measure counts, the measures
// answering `weaknesses` (the previous year's weak indicators and items; a
// measure answers when one of its ita_indicators is among them) and the
// LPA count.
v1::PlanStanding FinishPlanStanding(const PlanFacts& facts,
                                    absl::Span<const std::string> weaknesses);

// A plan covering the year that is ANNOUNCED, an annual plan, a 6-month
// report, a 12-month report: how many of the four.
int LpaRequirementsMet(const v1::PlanStanding& plan);

// An order_by of StandingQuery (AIP-132).
enum class StandingField {
  kCode,
  kName,
  kProvince,
  kDistrict,
  kLpaRequirementsMet,
  kLateMeasures,
  kItaScore,
  kItaRank,
  kComplaintsReceived,
  kComplaintsOverdue,
};
struct StandingOrder {
  StandingField field = StandingField::kCode;
  bool descending = false;
};

// "ita_score desc, code" → its fields; "" → code. INVALID_ARGUMENT
// "query.order_by: ..." for an unknown field or direction.
absl::StatusOr<std::vector<StandingOrder>> ParseStandingOrder(
    absl::string_view order_by);
// The canonical text of an order (binds page tokens).
std::string FormatStandingOrder(absl::Span<const StandingOrder> order);

// Sets each scored standing's ITA rank within `standings`: competition
// ranking, 1 the highest (1, 2, 2, 4); 0 without a score.
void RankByItaScore(std::vector<v1::OrganizationStanding>& standings);

// Sorts by `order`; a standing without the figure (no ITA part, no score,
// no complaint part, no plan part) comes last whatever the direction; ties
// by code.
void SortStandings(absl::Span<const StandingOrder> order,
                   std::vector<v1::OrganizationStanding>& standings);

// The pass mark StandingTotals.ita_passed counts.
inline constexpr double kItaPassMark = 85;

v1::StandingTotals ComputeStandingTotals(
    absl::Span<const v1::OrganizationStanding> standings);

// The CSV table: one row per standing in its order, then the totals row;
// Thai headings.
render::Document StandingsDocument(
    int be_year, absl::Span<const v1::OrganizationStanding> standings,
    const v1::StandingTotals& totals);

}  // namespace prongsai::plan

#endif  // PRONGSAI_SERVICES_PLAN_OVERSIGHT_DOMAIN_H_
