#include "services/plan/oversight_domain.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/api/fields.h"
#include "common/base/validation.h"
#include "common/thai/thai.h"

namespace prongsai::plan {
namespace {

using v1::OrganizationStanding;

struct FieldName {
  absl::string_view name;
  StandingField field;
};
constexpr FieldName kFields[] = {
    {"code", StandingField::kCode},
    {"name", StandingField::kName},
    {"province", StandingField::kProvince},
    {"district", StandingField::kDistrict},
    {"lpa_requirements_met", StandingField::kLpaRequirementsMet},
    {"late_measures", StandingField::kLateMeasures},
    {"ita_score", StandingField::kItaScore},
    {"ita_rank", StandingField::kItaRank},
    {"complaints_received", StandingField::kComplaintsReceived},
    {"complaints_overdue", StandingField::kComplaintsOverdue},
};

absl::StatusOr<StandingOrder> ParseOrderTerm(absl::string_view term) {
  std::vector<absl::string_view> words =
      absl::StrSplit(term, ' ', absl::SkipWhitespace());
  if (words.empty() || words.size() > 2) {
    return InvalidField("query.order_by",
                        absl::StrCat("\"", term,
                                     "\" is not a field optionally followed "
                                     "by \" desc\""));
  }
  StandingOrder order;
  if (words.size() == 2) {
    if (words[1] != "desc" && words[1] != "asc") {
      return InvalidField("query.order_by",
                          absl::StrCat("unknown direction \"", words[1],
                                       "\"; use \"desc\" or nothing"));
    }
    order.descending = words[1] == "desc";
  }
  for (const FieldName& known : kFields) {
    if (known.name == words[0]) {
      order.field = known.field;
      return order;
    }
  }
  return InvalidField("query.order_by",
                      absl::StrCat("unknown field \"", words[0], "\""));
}

absl::string_view NameOf(StandingField field) {
  for (const FieldName& known : kFields) {
    if (known.field == field) return known.name;
  }
  return "code";
}

const std::string& TextOf(const OrganizationStanding& standing,
                          StandingField field) {
  const common::v1::OrganizationRef& organization = standing.organization();
  switch (field) {
    case StandingField::kName:
      return organization.name();
    case StandingField::kProvince:
      return organization.province();
    case StandingField::kDistrict:
      return organization.district();
    default:
      return organization.code();
  }
}

// The figure `field` orders by; nullopt when the standing lacks it.
std::optional<double> FigureOf(const OrganizationStanding& standing,
                               StandingField field) {
  switch (field) {
    case StandingField::kLpaRequirementsMet:
      if (!standing.has_plan()) return std::nullopt;
      return standing.plan().lpa_requirements_met();
    case StandingField::kLateMeasures:
      if (!standing.has_plan()) return std::nullopt;
      return standing.plan().late_measures();
    case StandingField::kItaScore:
      if (!standing.ita().has_score()) return std::nullopt;
      return standing.ita().score();
    case StandingField::kItaRank:
      if (standing.ita().rank() == 0) return std::nullopt;
      return standing.ita().rank();
    case StandingField::kComplaintsReceived:
      if (!standing.has_complaints()) return std::nullopt;
      return static_cast<double>(standing.complaints().received());
    case StandingField::kComplaintsOverdue:
      if (!standing.has_complaints()) return std::nullopt;
      return static_cast<double>(standing.complaints().overdue());
    default:
      return std::nullopt;
  }
}

bool IsText(StandingField field) {
  return field == StandingField::kCode || field == StandingField::kName ||
         field == StandingField::kProvince || field == StandingField::kDistrict;
}

// <0, 0, >0 as `a` comes before, with, after `b` by one term.
int CompareBy(const StandingOrder& order, const OrganizationStanding& a,
              const OrganizationStanding& b) {
  if (IsText(order.field)) {
    const int c = TextOf(a, order.field).compare(TextOf(b, order.field));
    return order.descending ? -c : c;
  }
  const std::optional<double> x = FigureOf(a, order.field);
  const std::optional<double> y = FigureOf(b, order.field);
  // Without the figure: last, whatever the direction.
  if (!x.has_value() || !y.has_value()) {
    return static_cast<int>(!x.has_value()) - static_cast<int>(!y.has_value());
  }
  if (*x == *y) return 0;
  const int c = *x < *y ? -1 : 1;
  return order.descending ? -c : c;
}

std::string DayText(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%Y-%m-%d", api::FromProtoTime(time),
                          thai::BangkokTimeZone());
}

std::string StateText(const v1::PlanStanding& plan) {
  switch (plan.action_plan_state()) {
    case v1::ActionPlan::ANNOUNCED:
      return "ประกาศแล้ว";
    case v1::ActionPlan::APPROVED:
      return "อนุมัติแล้ว";
    case v1::ActionPlan::DRAFT:
      return "ร่าง";
    default:
      return "ไม่มี";
  }
}

std::string Percent(bool has, double value) {
  return has ? absl::StrFormat("%.2f", value) : "";
}

std::vector<render::Cell> PlanCells(const v1::PlanStanding& plan) {
  return {render::Made(StateText(plan)),
          render::Made(plan.has_announce_time() ? DayText(plan.announce_time())
                                                : ""),
          render::Made(plan.annual_plan().empty() ? "ไม่มี" : "มี"),
          render::Made(plan.has_half_year_report_time()
                           ? DayText(plan.half_year_report_time())
                           : ""),
          render::Made(plan.has_full_year_report_time()
                           ? DayText(plan.full_year_report_time())
                           : ""),
          render::Made(absl::StrCat(plan.lpa_requirements_met())),
          render::Made(absl::StrCat(plan.measures())),
          render::Made(absl::StrCat(plan.measures_answering_weaknesses())),
          render::Made(absl::StrCat(plan.late_measures()))};
}

std::vector<render::Cell> ItaCells(const OrganizationStanding& standing) {
  const v1::ItaStanding& ita = standing.ita();
  return {
      render::Made(ita.has_score() ? absl::StrFormat("%.2f", ita.score()) : ""),
      render::User(ita.grade()),
      render::Made(ita.rank() > 0 ? absl::StrCat(ita.rank()) : "")};
}

std::vector<render::Cell> ComplaintCells(const OrganizationStanding& standing) {
  if (!standing.has_complaints()) return {};
  const v1::ComplaintStanding& c = standing.complaints();
  return {
      render::Made(absl::StrCat(c.received())),
      render::Made(absl::StrCat(c.open())),
      render::Made(absl::StrCat(c.overdue())),
      render::Made(Percent(c.has_percent_resolved_within_sla(),
                           c.percent_resolved_within_sla())),
      render::Made(Percent(c.has_percent_satisfied(), c.percent_satisfied()))};
}

void Append(std::vector<render::Cell>& row, std::vector<render::Cell> cells,
            size_t width) {
  cells.resize(width);
  for (render::Cell& cell : cells) row.push_back(std::move(cell));
}

std::vector<render::Cell> StandingRow(const OrganizationStanding& standing) {
  const common::v1::OrganizationRef& o = standing.organization();
  std::vector<render::Cell> row = {
      render::User(o.code()), render::User(o.name()),
      render::User(o.province()), render::User(o.district())};
  Append(row,
         standing.has_plan() ? PlanCells(standing.plan())
                             : std::vector<render::Cell>{},
         9);
  Append(row,
         standing.has_ita() ? ItaCells(standing) : std::vector<render::Cell>{},
         3);
  Append(row, ComplaintCells(standing), 5);
  return row;
}

std::vector<render::Cell> TotalsRow(const v1::StandingTotals& t) {
  auto n = [](int64_t value) { return render::Made(absl::StrCat(value)); };
  return {render::Made("รวม"),
          render::Made(absl::StrCat(t.organizations(), " แห่ง")),
          render::Made(""),
          render::Made(""),
          n(t.plan_announced()),
          render::Made(""),
          n(t.annual_plan()),
          n(t.half_year_report()),
          n(t.full_year_report()),
          n(t.all_lpa_requirements()),
          n(t.measures()),
          n(t.measures_answering_weaknesses()),
          n(t.late_measures()),
          render::Made(t.has_mean_ita_score()
                           ? absl::StrFormat("%.2f", t.mean_ita_score())
                           : ""),
          render::Made(absl::StrCat("ผ่าน ", t.ita_passed())),
          render::Made(""),
          n(t.complaints_received()),
          n(t.complaints_open()),
          n(t.complaints_overdue()),
          render::Made(""),
          render::Made("")};
}

void AddPlanTotals(const v1::PlanStanding& plan, v1::StandingTotals& t) {
  if (!plan.action_plan().empty()) {
    t.set_plan_covers_year(t.plan_covers_year() + 1);
  }
  if (plan.action_plan_state() == v1::ActionPlan::ANNOUNCED) {
    t.set_plan_announced(t.plan_announced() + 1);
  }
  if (!plan.annual_plan().empty()) t.set_annual_plan(t.annual_plan() + 1);
  if (plan.has_half_year_report_time()) {
    t.set_half_year_report(t.half_year_report() + 1);
  }
  if (plan.has_full_year_report_time()) {
    t.set_full_year_report(t.full_year_report() + 1);
  }
  if (plan.lpa_requirements_met() == 4) {
    t.set_all_lpa_requirements(t.all_lpa_requirements() + 1);
  }
  t.set_measures(t.measures() + plan.measures());
  t.set_measures_answering_weaknesses(t.measures_answering_weaknesses() +
                                      plan.measures_answering_weaknesses());
  t.set_late_measures(t.late_measures() + plan.late_measures());
}

void AddComplaintTotals(const v1::ComplaintStanding& c, v1::StandingTotals& t) {
  t.set_complaints_received(t.complaints_received() + c.received());
  t.set_complaints_open(t.complaints_open() + c.open());
  t.set_complaints_overdue(t.complaints_overdue() + c.overdue());
}

}  // namespace

int LpaRequirementsMet(const v1::PlanStanding& plan) {
  return static_cast<int>(plan.action_plan_state() ==
                          v1::ActionPlan::ANNOUNCED) +
         static_cast<int>(!plan.annual_plan().empty()) +
         static_cast<int>(plan.has_half_year_report_time()) +
         static_cast<int>(plan.has_full_year_report_time());
}

v1::PlanStanding FinishPlanStanding(const PlanFacts& facts,
                                    absl::Span<const std::string> weaknesses) {
  v1::PlanStanding plan = facts.standing;
  plan.set_measures(static_cast<int32_t>(facts.measures.size()));
  int answering = 0;
  int late = 0;
  for (const MeasureFacts& measure : facts.measures) {
    const bool answers =
        std::any_of(measure.ita_indicators.begin(),
                    measure.ita_indicators.end(), [&](const std::string& ref) {
                      return std::find(weaknesses.begin(), weaknesses.end(),
                                       ref) != weaknesses.end();
                    });
    answering += static_cast<int>(answers);
    late += static_cast<int>(measure.late);
  }
  plan.set_measures_answering_weaknesses(answering);
  plan.set_late_measures(late);
  for (const std::string& weakness : weaknesses) {
    plan.add_previous_year_weaknesses(weakness);
  }
  plan.set_lpa_requirements_met(LpaRequirementsMet(plan));
  return plan;
}

absl::StatusOr<std::vector<StandingOrder>> ParseStandingOrder(
    absl::string_view order_by) {
  std::vector<StandingOrder> order;
  if (absl::StripAsciiWhitespace(order_by).empty()) {
    order.push_back({});
    return order;
  }
  for (absl::string_view term : absl::StrSplit(order_by, ',')) {
    absl::StatusOr<StandingOrder> parsed =
        ParseOrderTerm(absl::StripAsciiWhitespace(term));
    if (!parsed.ok()) return parsed.status();
    order.push_back(*parsed);
  }
  return order;
}

std::string FormatStandingOrder(absl::Span<const StandingOrder> order) {
  return absl::StrJoin(order, ",",
                       [](std::string* out, const StandingOrder& term) {
                         absl::StrAppend(out, NameOf(term.field),
                                         term.descending ? " desc" : "");
                       });
}

void RankByItaScore(std::vector<OrganizationStanding>& standings) {
  std::vector<double> scores;
  for (const OrganizationStanding& standing : standings) {
    if (standing.ita().has_score()) scores.push_back(standing.ita().score());
  }
  std::sort(scores.begin(), scores.end(), std::greater<>());
  for (OrganizationStanding& standing : standings) {
    if (!standing.ita().has_score()) continue;
    // 1 + how many score strictly higher.
    const auto higher =
        std::lower_bound(scores.begin(), scores.end(), standing.ita().score(),
                         std::greater<>()) -
        scores.begin();
    standing.mutable_ita()->set_rank(static_cast<int32_t>(higher + 1));
  }
}

void SortStandings(absl::Span<const StandingOrder> order,
                   std::vector<OrganizationStanding>& standings) {
  std::sort(standings.begin(), standings.end(),
            [&](const OrganizationStanding& a, const OrganizationStanding& b) {
              for (const StandingOrder& term : order) {
                const int c = CompareBy(term, a, b);
                if (c != 0) return c < 0;
              }
              return a.organization().code() < b.organization().code();
            });
}

v1::StandingTotals ComputeStandingTotals(
    absl::Span<const OrganizationStanding> standings) {
  v1::StandingTotals t;
  t.set_organizations(static_cast<int32_t>(standings.size()));
  double score_sum = 0;
  for (const OrganizationStanding& standing : standings) {
    if (standing.has_plan()) AddPlanTotals(standing.plan(), t);
    if (standing.ita().has_score()) {
      t.set_ita_scored(t.ita_scored() + 1);
      score_sum += standing.ita().score();
      if (standing.ita().score() >= kItaPassMark) {
        t.set_ita_passed(t.ita_passed() + 1);
      }
    }
    if (standing.has_complaints()) {
      AddComplaintTotals(standing.complaints(), t);
    }
  }
  if (t.ita_scored() > 0) t.set_mean_ita_score(score_sum / t.ita_scored());
  return t;
}

render::Document StandingsDocument(
    int be_year, absl::Span<const OrganizationStanding> standings,
    const v1::StandingTotals& totals) {
  render::Document document;
  document.title = absl::StrCat("สถานะหน่วยงาน ปีงบประมาณ พ.ศ. ", be_year);
  std::vector<render::Column> columns;
  for (const char* heading : {"รหัสหน่วยงาน",
                              "ชื่อหน่วยงาน",
                              "จังหวัด",
                              "อำเภอ",
                              "แผนปฏิบัติการ",
                              "วันที่ประกาศ",
                              "แผนประจำปี",
                              "รายงานรอบ 6 เดือน",
                              "รายงานรอบ 12 เดือน",
                              "ผ่านเกณฑ์ LPA (ข้อ)",
                              "มาตรการ",
                              "มาตรการตอบจุดอ่อน",
                              "มาตรการล่าช้า",
                              "คะแนน ITA",
                              "ระดับ ITA",
                              "อันดับ ITA",
                              "เรื่องร้องเรียน",
                              "ค้างดำเนินการ",
                              "เกินกำหนด",
                              "ร้อยละแล้วเสร็จตามกำหนด",
                              "ร้อยละความพึงพอใจ"}) {
    columns.push_back({.heading = heading});
  }
  std::vector<std::vector<render::Cell>> rows;
  rows.reserve(standings.size() + 1);
  for (const OrganizationStanding& standing : standings) {
    rows.push_back(StandingRow(standing));
  }
  rows.push_back(TotalsRow(totals));
  document.Table(std::move(columns), std::move(rows));
  return document;
}

}  // namespace prongsai::plan
