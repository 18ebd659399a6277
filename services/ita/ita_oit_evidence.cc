#include "services/ita/ita_oit_evidence.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/api/fields.h"
#include "common/thai/thai.h"
#include "services/ita/ita_scoring.h"

namespace prongsai::ita {
namespace {

using plan::v1::ActionPlan;
using plan::v1::ProgressReport;
using State = v1::OitEvidence::State;

int Progress(ActionPlan::State state) {
  switch (state) {
    case ActionPlan::ANNOUNCED:
      return 3;
    case ActionPlan::APPROVED:
      return 2;
    default:
      return 1;
  }
}

bool HasTime(const google::protobuf::Timestamp& t) {
  return t.seconds() != 0 || t.nanos() != 0;
}

// The judgement of one item, before it is copied into its OitEvidence.
struct Finding {
  State state = v1::OitEvidence::MISSING;
  std::vector<std::string> resources;
  std::optional<absl::Time> time;
  std::string detail;
};

// PRESENT when `time` is before the check closed, LATE after.
Finding Recorded(absl::Time time, absl::Time closes, std::string resource,
                 absl::string_view what) {
  Finding found;
  found.time = time;
  found.resources.push_back(std::move(resource));
  if (time < closes) {
    found.state = v1::OitEvidence::PRESENT;
    found.detail = absl::StrCat(what, " ", thai::ShortThaiDate(time));
  } else {
    found.state = v1::OitEvidence::LATE;
    found.detail =
        absl::StrCat(what, " ", thai::ShortThaiDate(time), " หลังปิดการตรวจ OIT");
  }
  return found;
}

Finding Missing(std::string detail) {
  Finding found;
  found.detail = std::move(detail);
  return found;
}

Finding Plan(const ActionPlan* plan, absl::Time closes) {
  if (plan == nullptr) {
    return Missing("ไม่มีแผนปฏิบัติการป้องกันการทุจริตที่ครอบคลุมปีนี้");
  }
  if (plan->state() == ActionPlan::ANNOUNCED &&
      HasTime(plan->announce_time())) {
    return Recorded(api::FromProtoTime(plan->announce_time()), closes,
                    plan->name(), "ประกาศแผนปฏิบัติการป้องกันการทุจริตเมื่อ");
  }
  Finding found;
  found.state = v1::OitEvidence::NOT_PUBLISHED;
  found.resources.push_back(plan->name());
  found.detail = plan->state() == ActionPlan::APPROVED
                     ? "แผนได้รับอนุมัติแล้ว แต่ยังไม่ได้ประกาศ"
                     : "แผนยังเป็นร่าง ยังไม่ได้อนุมัติและประกาศ";
  return found;
}

// The first report of `round` on the plan's projects (a subject under
// actionPlans/), by report time.
Finding RoundReport(const std::vector<ProgressReport>& reports,
                    plan::v1::Round round, int be_year, absl::Time closes,
                    absl::string_view what) {
  const ProgressReport* first = nullptr;
  for (const ProgressReport& report : reports) {
    if (report.round() != round ||
        report.subject().find("/actionPlans/") == std::string::npos) {
      continue;
    }
    if (first == nullptr || api::FromProtoTime(report.report_time()) <
                                api::FromProtoTime(first->report_time())) {
      first = &report;
    }
  }
  if (first == nullptr) {
    return Missing(absl::StrCat("ยังไม่มี", what, " ปี ", be_year));
  }
  return Recorded(api::FromProtoTime(first->report_time()), closes,
                  first->name(),
                  absl::StrCat(what, " ปี ", be_year, " บันทึกเมื่อ"));
}

Finding Measures(const std::vector<plan::v1::IntegrityMeasure>& measures,
                 int be_year, absl::Time closes) {
  if (measures.empty()) {
    return Missing(
        absl::StrCat("ไม่มีมาตรการส่งเสริมคุณธรรมและความโปร่งใสของปี ", be_year));
  }
  absl::Time first = absl::InfiniteFuture();
  for (const auto& measure : measures) {
    first = std::min(first, api::FromProtoTime(measure.audit().create_time()));
  }
  Finding found = Recorded(
      first, closes, measures.front().name(),
      absl::StrCat("มาตรการ ", measures.size(), " รายการ บันทึกครั้งแรกเมื่อ"));
  for (size_t i = 1; i < measures.size(); ++i) {
    found.resources.push_back(measures[i].name());
  }
  return found;
}

Finding MeasuresReport(const std::vector<plan::v1::IntegrityMeasure>& measures,
                       const std::vector<ProgressReport>& reports,
                       absl::Time closes) {
  if (measures.empty()) return Missing("ไม่มีมาตรการที่จะรายงานผล");
  int reported = 0;
  int late = 0;
  absl::Time last = absl::InfinitePast();
  Finding found;
  for (const auto& measure : measures) {
    const ProgressReport* first = nullptr;
    for (const ProgressReport& report : reports) {
      if (report.subject() != measure.name()) continue;
      if (first == nullptr || api::FromProtoTime(report.report_time()) <
                                  api::FromProtoTime(first->report_time())) {
        first = &report;
      }
    }
    if (first == nullptr) continue;
    ++reported;
    const absl::Time time = api::FromProtoTime(first->report_time());
    if (time >= closes) ++late;
    last = std::max(last, time);
    found.resources.push_back(first->name());
  }
  const int total = static_cast<int>(measures.size());
  found.detail =
      absl::StrCat("รายงานผลแล้ว ", reported, " จาก ", total, " มาตรการ");
  if (reported < total) {
    found.state = v1::OitEvidence::MISSING;
  } else {
    found.state = late > 0 ? v1::OitEvidence::LATE : v1::OitEvidence::PRESENT;
    found.time = last;
    if (late > 0) absl::StrAppend(&found.detail, " (", late, " หลังปิดการตรวจ)");
  }
  return found;
}

// Risks are published with the plan they belong to.
Finding Risks(const ActionPlan* plan, const std::vector<plan::v1::Risk>& risks,
              bool control, absl::Time closes) {
  if (plan == nullptr || risks.empty()) {
    return Missing("แผนที่ครอบคลุมปีนี้ไม่มีการประเมินความเสี่ยงการทุจริต");
  }
  Finding found = Plan(plan, closes);
  const int controlled = static_cast<int>(
      std::count_if(risks.begin(), risks.end(), [](const plan::v1::Risk& r) {
        return !r.control_projects().empty() || !r.control_texts().empty();
      }));
  const int total = static_cast<int>(risks.size());
  found.resources.clear();
  for (const auto& risk : risks) found.resources.push_back(risk.name());
  const std::string counts =
      control ? absl::StrCat("มีการควบคุมความเสี่ยงแล้ว ", controlled, " จาก ",
                             total, " ความเสี่ยง")
              : absl::StrCat("ประเมินความเสี่ยงไว้ ", total, " ความเสี่ยง");
  found.detail = absl::StrCat(counts, "; ", found.detail);
  if (control && controlled < total &&
      found.state == v1::OitEvidence::PRESENT) {
    found.state = v1::OitEvidence::NOT_PUBLISHED;
  }
  return found;
}

Finding Judge(v1::EvidenceSource source, absl::string_view organization,
              int be_year, const OrganizationRecords& records,
              absl::Time closes) {
  Finding unknown;
  unknown.state = v1::OitEvidence::UNKNOWN;
  unknown.detail = "บริการที่เก็บข้อมูลนี้ไม่ตอบ";
  const ActionPlan* plan = records.action_plans.has_value()
                               ? PlanCovering(*records.action_plans, be_year)
                               : nullptr;
  switch (source) {
    case v1::ANTI_CORRUPTION_PLAN:
      if (!records.action_plans.has_value()) return unknown;
      return Plan(plan, closes);
    case v1::ANTI_CORRUPTION_PLAN_HALF_YEAR_REPORT:
      if (!records.reports.has_value()) return unknown;
      return RoundReport(*records.reports, plan::v1::HALF_YEAR, be_year, closes,
                         "รายงานกำกับติดตามรอบ 6 เดือน");
    case v1::ANTI_CORRUPTION_PLAN_REPORT:
      if (!records.previous_reports.has_value()) return unknown;
      return RoundReport(*records.previous_reports, plan::v1::FULL_YEAR,
                         be_year - 1, closes, "รายงานผลการดำเนินงานประจำปี");
    case v1::COMPLAINT_CHANNELS: {
      if (!records.complaint_categories.has_value()) return unknown;
      if (*records.complaint_categories == 0) {
        return Missing("ยังไม่ได้ตั้งหมวดเรื่องร้องเรียนสำหรับช่องทางรับเรื่องของ Prongsai");
      }
      Finding found;
      found.state = v1::OitEvidence::PRESENT;
      found.resources.push_back(absl::StrCat("organizations/", organization));
      found.detail = absl::StrCat("รับเรื่องร้องเรียนทางเว็บไซต์ของ Prongsai ",
                                  *records.complaint_categories, " หมวด");
      return found;
    }
    case v1::COMPLAINT_STATISTICS: {
      if (!records.complaint_statistics) return unknown;
      Finding found;
      found.state = v1::OitEvidence::PRESENT;
      found.resources.push_back(absl::StrCat("organizations/", organization));
      found.detail =
          absl::StrCat("สถิติเรื่องร้องเรียนปี ", be_year, " เผยแพร่ในหน้าสถิติสาธารณะ");
      return found;
    }
    case v1::INTEGRITY_MEASURES:
      if (!records.measures.has_value()) return unknown;
      return Measures(*records.measures, be_year, closes);
    case v1::INTEGRITY_MEASURES_REPORT:
      if (!records.measures.has_value() || !records.reports.has_value()) {
        return unknown;
      }
      return MeasuresReport(*records.measures, *records.reports, closes);
    case v1::CORRUPTION_RISK_ASSESSMENT:
    case v1::CORRUPTION_RISK_CONTROL:
      if (!records.action_plans.has_value() || !records.risks.has_value()) {
        return unknown;
      }
      return Risks(plan, *records.risks, source == v1::CORRUPTION_RISK_CONTROL,
                   closes);
    default:
      return Missing("");
  }
}

}  // namespace

absl::Time OitCheckCloses(int be_year) {
  return absl::FromCivil(absl::CivilDay(thai::CeFromBe(be_year), 7, 1),
                         thai::BangkokTimeZone());
}

const ActionPlan* PlanCovering(const std::vector<ActionPlan>& plans,
                               int be_year) {
  const ActionPlan* best = nullptr;
  for (const ActionPlan& plan : plans) {
    if (be_year < plan.fiscal_years().first_be_year() ||
        be_year > plan.fiscal_years().last_be_year()) {
      continue;
    }
    if (best == nullptr || Progress(plan.state()) > Progress(best->state())) {
      best = &plan;
    }
  }
  return best;
}

std::optional<v1::OitEvidenceSummary> EvidenceOitItems(
    const v1::Framework& framework, absl::string_view organization, int be_year,
    const OrganizationRecords& records) {
  absl::flat_hash_map<int, std::string> tool_of;
  for (const v1::Indicator& indicator : framework.indicators()) {
    tool_of[indicator.number()] = indicator.tool();
  }
  std::string checklist;
  for (const v1::Tool& tool : framework.tools()) {
    if (tool.kind() == v1::Tool::CHECKLIST) {
      checklist = tool.code();
      break;
    }
  }
  const absl::Time closes = OitCheckCloses(be_year);
  v1::OitEvidenceSummary summary;
  *summary.mutable_check_closes() = api::ToProtoTime(closes);
  // The ceiling: every item published except those whose record is not.
  RawAnswers ceiling;
  for (const v1::Item& item : framework.items()) {
    if (tool_of[item.indicator()] != checklist) continue;
    if (item.evidence_source() == v1::EVIDENCE_SOURCE_UNSPECIFIED) {
      summary.add_not_held(item.code());
      ceiling.oit_checks[item.code()] = true;
      continue;
    }
    Finding found =
        Judge(item.evidence_source(), organization, be_year, records, closes);
    v1::OitEvidence& evidence = *summary.add_items();
    evidence.set_item(item.code());
    evidence.set_text(item.text());
    evidence.set_indicator(item.indicator());
    evidence.set_source(item.evidence_source());
    evidence.set_state(found.state);
    for (std::string& resource : found.resources) {
      evidence.add_resources(std::move(resource));
    }
    if (found.time.has_value()) {
      *evidence.mutable_record_time() = api::ToProtoTime(*found.time);
    }
    evidence.set_detail(std::move(found.detail));
    ceiling.oit_checks[item.code()] = found.state == v1::OitEvidence::PRESENT ||
                                      found.state == v1::OitEvidence::UNKNOWN;
  }
  if (summary.items().empty()) return std::nullopt;
  const v1::ScoreSet scores = ComputeScores(framework, ceiling);
  for (const v1::Score& tool : scores.tools()) {
    if (tool.code() == checklist) summary.set_oit_score_ceiling(tool.score());
  }
  return summary;
}

}  // namespace prongsai::ita
