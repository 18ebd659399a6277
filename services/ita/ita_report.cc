#include "services/ita/ita_report.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/api/fields.h"
#include "common/render/document.h"
#include "common/render/html.h"
#include "common/render/markdown.h"
#include "common/thai/thai.h"
#include "services/ita/ita_analysis.h"
#include "services/ita/ita_domain.h"

namespace prongsai::ita {
namespace {

using render::Document;
using Rows = std::vector<std::vector<std::string>>;

std::string Score2(double score) { return absl::StrFormat("%.2f", score); }

// 90 -> "90", 87.5 -> "87.50": thresholds read as the seed writes them.
std::string Threshold(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e9) {
    return absl::StrFormat("%.0f", value);
  }
  return Score2(value);
}

// Seed 000 §2 and §4 name the three tools this way.
std::string ToolTitle(absl::string_view code) {
  if (code == "IIT") {
    return "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (Internal Integrity and "
           "Transparency Assessment: IIT)";
  }
  if (code == "EIT") {
    return "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (External Integrity and "
           "Transparency Assessment: EIT)";
  }
  if (code == "OIT") {
    return "แบบตรวจการเปิดเผยข้อมูลสาธารณะ (Open Data Integrity and Transparency "
           "Assessment: OIT)";
  }
  return std::string(code);
}

std::string OrganizationTitle(const common::v1::OrganizationRef& organization) {
  std::string title = organization.name().empty()
                          ? absl::StrCat("หน่วยงานรหัส ", organization.code())
                          : organization.name();
  if (!organization.district().empty()) {
    absl::StrAppend(&title, " ",
                    absl::StartsWith(organization.district(), "อำเภอ") ||
                            absl::StartsWith(organization.district(), "เขต")
                        ? ""
                        : "อำเภอ",
                    organization.district());
  }
  if (!organization.province().empty()) {
    absl::StrAppend(
        &title, " ",
        absl::StartsWith(organization.province(), "จังหวัด") ? "" : "จังหวัด",
        organization.province());
  }
  return title;
}

// Indicator number -> "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", from the analysis'
// indicators (the renderer has no framework of its own).
class IndicatorNames {
 public:
  explicit IndicatorNames(const v1::AgencyAnalysis& analysis) {
    for (const v1::IndicatorResult& result : analysis.indicators()) {
      names_.try_emplace(result.number(), result.name());
    }
    for (const v1::IndicatorResult& result : analysis.strengths()) {
      names_.try_emplace(result.number(), result.name());
    }
    for (const v1::IndicatorResult& result : analysis.weaknesses()) {
      names_.try_emplace(result.number(), result.name());
    }
    for (const v1::YearChange& change : analysis.changes()) {
      names_.try_emplace(change.indicator(), change.name());
    }
  }
  std::string Label(int number) const {
    auto it = names_.find(number);
    if (it == names_.end() || it->second.empty()) {
      return absl::StrCat("ตัวชี้วัดที่ ", number);
    }
    return absl::StrCat("ตัวชี้วัดที่ ", number, " ", it->second);
  }

 private:
  absl::flat_hash_map<int, std::string> names_;
};

std::string StepsText(const plan::v1::IntegrityMeasure& measure) {
  std::vector<std::string> steps;
  steps.reserve(measure.steps_size());
  for (int i = 0; i < measure.steps_size(); ++i) {
    steps.push_back(absl::StrCat(i + 1, ". ", measure.steps(i)));
  }
  return absl::StrJoin(steps, "\n");
}

std::string PeriodText(const plan::v1::IntegrityMeasure& measure) {
  if (!measure.period_text().empty()) return measure.period_text();
  if (measure.quarters().empty()) return "";
  return absl::StrCat("ไตรมาส ", absl::StrJoin(measure.quarters(), ", "),
                      " ปีงบประมาณ พ.ศ. ", measure.be_year());
}

// What every section reads.
struct ReportContext {
  ReportContext(const v1::Assessment& assessment,
                const v1::AgencyAnalysis& analysis)
      : assessment(assessment),
        analysis(analysis),
        be_year(analysis.be_year() != 0 ? analysis.be_year()
                                        : assessment.fiscal_year().be_year()),
        organization(OrganizationTitle(assessment.organization())),
        scores(EffectiveScores(assessment)),
        names(analysis) {}

  const v1::Assessment& assessment;
  const v1::AgencyAnalysis& analysis;
  const int be_year;
  const std::string organization;
  const v1::ScoreSet& scores;
  const IndicatorNames names;
};

// 1. What the figures are: an officer must know whether they are the
// NACC's published ones or computed here from raw answers.
void AddBasis(const ReportContext& report, Document& doc) {
  const v1::Assessment& assessment = report.assessment;
  doc.Heading(1, "1. ข้อมูลที่ใช้ในการวิเคราะห์");
  if (report.analysis.basis() == "computed") {
    doc.Paragraph(absl::StrCat(
        "คะแนนคำนวณจากคำตอบแบบวัด IIT ", assessment.iit_respondents(),
        " ราย แบบวัด EIT ", assessment.eit_respondents(),
        " ราย และผลการตรวจ OIT ตามกรอบการประเมินปี พ.ศ. ", report.be_year,
        assessment.framework_version() > 0
            ? absl::StrCat(" ฉบับที่ ", assessment.framework_version())
            : ""));
  } else {
    doc.Paragraph(
        absl::StrCat("คะแนนตามที่สำนักงาน ป.ป.ช. ประกาศ (ข้อมูลจากระบบ ITAS ปี พ.ศ. ",
                     report.be_year, ")"));
  }
  if (!report.analysis.newer_framework().empty()) {
    doc.Paragraph(absl::StrCat(
        "หมายเหตุ: ตรวจกับกรอบการประเมินฉบับที่ ", assessment.framework_version(),
        " ซึ่งมีฉบับที่แก้ไขแล้ว (", report.analysis.newer_framework(),
        ") ผู้ดูแลย้ายผลไปตรวจกับฉบับใหม่ได้ (MigrateAssessment)"));
  }
}

// The indicator scores of the effective set, each number once, by number.
std::vector<std::pair<int, double>> IndicatorScores(
    const v1::ScoreSet& scores) {
  std::vector<std::pair<int, double>> indicators;
  absl::flat_hash_set<int> seen;
  for (const v1::Score& score : scores.indicators()) {
    const std::optional<int> number = IndicatorNumber(score.code());
    if (number.has_value() && seen.insert(*number).second) {
      indicators.emplace_back(*number, score.score());
    }
  }
  std::sort(indicators.begin(), indicators.end());
  return indicators;
}

// The indicator table and its reading: the highest, then the lowest.
void AddIndicatorTable(const ReportContext& report,
                       const std::vector<std::pair<int, double>>& indicators,
                       Document& doc) {
  if (indicators.empty()) return;
  Rows rows;
  rows.reserve(indicators.size());
  for (const auto& [number, score] : indicators) {
    rows.push_back({report.names.Label(number), Score2(score)});
  }
  doc.Table({"ตัวชี้วัด", "คะแนน"}, std::move(rows));
  const auto highest = std::max_element(
      indicators.begin(), indicators.end(),
      [](const auto& a, const auto& b) { return a.second < b.second; });
  std::string reading = absl::StrCat(
      "เมื่อพิจารณาพบว่า ", report.names.Label(highest->first), " ได้คะแนนเท่ากับ ",
      Score2(highest->second), " คะแนน ซึ่งเป็นคะแนนที่สูงที่สุด");
  if (!report.analysis.weaknesses().empty()) {
    const v1::IndicatorResult& lowest = report.analysis.weaknesses(0);
    absl::StrAppend(&reading, " และตัวชี้วัดที่ได้คะแนนน้อยที่สุดคือ ",
                    report.names.Label(lowest.number()), " ได้คะแนนเท่ากับ ",
                    Score2(lowest.score()), " คะแนน");
  }
  doc.Paragraph(std::move(reading));
}

// 2. The result: overall and grade, the tool and indicator tables.
void AddResult(const ReportContext& report,
               const std::vector<std::pair<int, double>>& indicators,
               Document& doc) {
  const v1::AgencyAnalysis& analysis = report.analysis;
  doc.Heading(1,
              absl::StrCat("2. ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ",
                           report.organization));
  doc.Paragraph(absl::StrCat(
      "ผลการประเมินคุณธรรมและความโปร่งใส (ITA) ของ", report.organization,
      " มีค่าคะแนนเท่ากับ ", Score2(analysis.overall()), " คะแนน",
      analysis.grade().empty() ? ""
                               : absl::StrCat(" อยู่ในระดับ ", analysis.grade()),
      analysis.passed() ? " (ผ่านเกณฑ์การประเมิน)" : " (ไม่ผ่านเกณฑ์การประเมิน)"));
  if (!report.scores.tools().empty()) {
    Rows rows;
    for (const v1::Score& tool : report.scores.tools()) {
      rows.push_back({ToolTitle(tool.code()), Score2(tool.score())});
    }
    doc.Table({"เครื่องมือการประเมิน", "คะแนน"}, std::move(rows));
  }
  AddIndicatorTable(report, indicators, doc);
}

// The plan target, the change from the previous year and the findings.
void AddComparisons(const ReportContext& report, Document& doc) {
  const v1::AgencyAnalysis& analysis = report.analysis;
  if (analysis.has_plan_target()) {
    // Phrased from the two figures, so the sign convention of
    // gap_to_target does not matter to the reader.
    const double difference = analysis.overall() - analysis.plan_target();
    doc.Paragraph(absl::StrCat(
        "ค่าเป้าหมายตามแผนปฏิบัติการป้องกันการทุจริตปี พ.ศ. ", report.be_year, " คือ ",
        Score2(analysis.plan_target()), " คะแนน ผลการประเมิน",
        difference >= 0 ? "สูงกว่าหรือเท่ากับ" : "ต่ำกว่า", "ค่าเป้าหมาย ",
        Score2(std::fabs(difference)), " คะแนน"));
  }
  if (!analysis.changes().empty()) {
    doc.Heading(
        2, absl::StrCat("เปรียบเทียบกับปี พ.ศ. ", analysis.previous_be_year()));
    Rows rows;
    for (const v1::YearChange& change : analysis.changes()) {
      rows.push_back({report.names.Label(change.indicator()),
                      Score2(change.previous()), Score2(change.current()),
                      absl::StrFormat("%+.2f", change.change())});
    }
    doc.Table({"ตัวชี้วัด", absl::StrCat("ปี พ.ศ. ", analysis.previous_be_year()),
               absl::StrCat("ปี พ.ศ. ", report.be_year), "เปลี่ยนแปลง"},
              std::move(rows));
  }
  if (!report.assessment.findings().empty()) {
    // A published label can contradict its own score.
    doc.Heading(2, "ข้อสังเกตต่อคะแนนที่ประกาศ");
    std::vector<std::string> lines;
    for (const v1::ConsistencyFinding& finding : report.assessment.findings()) {
      lines.push_back(finding.message());
    }
    doc.List(std::move(lines));
  }
}

std::vector<std::string> ScoredIndicatorLines(
    const ReportContext& report,
    const google::protobuf::RepeatedPtrField<v1::IndicatorResult>& results) {
  std::vector<std::string> lines;
  for (const v1::IndicatorResult& result : results) {
    lines.push_back(absl::StrCat(report.names.Label(result.number()), " (",
                                 Score2(result.score()), " คะแนน)"));
  }
  return lines;
}

// 3. Strengths and weaknesses.
void AddStrengthsAndWeaknesses(const ReportContext& report,
                               bool has_indicator_scores, Document& doc) {
  const v1::AgencyAnalysis& analysis = report.analysis;
  doc.Heading(1, "3. การวิเคราะห์ข้อมูล");
  const std::string threshold = Threshold(analysis.strength_threshold());
  doc.Heading(
      2, absl::StrCat("3.1 ประเด็นจุดแข็ง (ตัวชี้วัดที่ได้คะแนนมากกว่า ", threshold, ")"));
  // "None scored above" is a finding about loaded scores; without any it
  // would read as one, so absence is said as absence.
  if (!has_indicator_scores) {
    doc.Paragraph("ไม่มีข้อมูลคะแนนรายตัวชี้วัด (ไม่ได้นำเข้าคะแนนรายตัวชี้วัด)");
  } else if (analysis.strengths().empty()) {
    doc.Paragraph(absl::StrCat("ไม่มีตัวชี้วัดที่ได้คะแนนมากกว่า ", threshold, " คะแนน"));
  } else {
    doc.List(ScoredIndicatorLines(report, analysis.strengths()));
  }
  doc.Heading(2, absl::StrCat("3.2 ประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน "
                              "(ตัวชี้วัดที่คะแนนน้อยที่สุด และตัวชี้วัดที่ได้คะแนนต่ำกว่า ",
                              Threshold(kWeaknessBelow), ")"));
  if (analysis.weaknesses().empty()) {
    doc.Paragraph("ไม่มีคะแนนรายตัวชี้วัด");
  } else {
    doc.List(ScoredIndicatorLines(report, analysis.weaknesses()));
  }
}

// 4. Items to improve, a table per tool in the analysis' order.
void AddItemsToImprove(const ReportContext& report, Document& doc) {
  const v1::AgencyAnalysis& analysis = report.analysis;
  doc.Heading(1, "4. ประเด็นที่ต้องพัฒนาให้ดีขึ้น");
  if (report.scores.items().empty()) {
    doc.Paragraph("ไม่มีข้อมูลคะแนนรายข้อคำถาม (ไม่ได้นำเข้าคะแนนรายข้อ)");
  } else if (analysis.items_to_improve().empty()) {
    doc.Paragraph("ไม่มีข้อคำถามที่ได้คะแนนต่ำกว่า 100 คะแนน");
  }
  int section = 0;
  for (int i = 0; i < analysis.items_to_improve_size();) {
    const std::string& tool = analysis.items_to_improve(i).tool();
    doc.Heading(
        2, absl::StrCat("4.", ++section, " การประเมินตาม", ToolTitle(tool)));
    Rows rows;
    for (; i < analysis.items_to_improve_size() &&
           analysis.items_to_improve(i).tool() == tool;
         ++i) {
      const v1::ItemToImprove& item = analysis.items_to_improve(i);
      rows.push_back({report.names.Label(item.indicator()), item.code(),
                      item.text(), Score2(item.score())});
    }
    doc.Table({"ตัวชี้วัด", "ข้อ", "ประเด็นการประเมิน", "คะแนน"}, std::move(rows));
  }
}

std::string EvidenceState(v1::OitEvidence::State state) {
  switch (state) {
    case v1::OitEvidence::PRESENT:
      return "มีหลักฐาน";
    case v1::OitEvidence::LATE:
      return "มีหลังปิดการตรวจ";
    case v1::OitEvidence::NOT_PUBLISHED:
      return "มีแต่ยังไม่เผยแพร่";
    case v1::OitEvidence::UNKNOWN:
      return "ไม่ทราบ (ระบบไม่ตอบ)";
    default:
      return "ยังไม่มี";
  }
}

// 6. The OIT items Prongsai's own records evidence: what an officer can
// publish from here, what is still missing, and what that costs.
void AddOitEvidence(const ReportContext& report, Document& doc) {
  if (!report.analysis.has_oit_evidence()) return;
  const v1::OitEvidenceSummary& evidence = report.analysis.oit_evidence();
  doc.Heading(1, "6. หลักฐานการเปิดเผยข้อมูล (OIT) จากข้อมูลในระบบ Prongsai");
  doc.Paragraph(absl::StrCat(
      "การตรวจ OIT ปี พ.ศ. ", report.be_year, " ปิดวันที่ ",
      thai::ShortThaiDate(api::FromProtoTime(evidence.check_closes()) -
                          absl::Seconds(1)),
      " ข้อที่ยังไม่มีหรือมีไม่ทันจะไม่ได้คะแนน หากยังขาดอยู่ คะแนน OIT จะได้ไม่เกิน ",
      Score2(evidence.oit_score_ceiling()), " คะแนน"));
  Rows rows;
  for (const v1::OitEvidence& item : evidence.items()) {
    rows.push_back({absl::AsciiStrToUpper(item.item()), item.text(),
                    EvidenceState(item.state()), item.detail()});
  }
  doc.Table({"ข้อ", "ข้อมูลที่ต้องเปิดเผย", "สถานะ", "รายละเอียด"}, std::move(rows));
  if (!evidence.not_held().empty()) {
    std::vector<std::string> codes;
    for (const std::string& code : evidence.not_held()) {
      codes.push_back(absl::AsciiStrToUpper(code));
    }
    doc.Paragraph(absl::StrCat("ข้ออื่น (", absl::StrJoin(codes, ", "),
                               ") หน่วยงานต้องเผยแพร่เองนอกระบบ Prongsai"));
  }
}

// 5. The measures, tabled as the officers' template does.
void AddMeasures(const std::vector<v1::RecommendedMeasure>& measures,
                 Document& doc) {
  doc.Heading(1,
              "5. ข้อเสนอแนะในการจัดทำมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรม"
              "และความโปร่งใสภายในหน่วยงานให้ดีขึ้น");
  if (measures.empty()) {
    doc.Paragraph("ไม่มีมาตรการที่เสนอ");
    return;
  }
  Rows rows;
  for (const v1::RecommendedMeasure& recommended : measures) {
    const plan::v1::IntegrityMeasure& measure = recommended.measure();
    rows.push_back({measure.title(), measure.guideline(), StepsText(measure),
                    measure.owner(), PeriodText(measure), measure.follow_up()});
  }
  doc.Table({"มาตรการ", "แนวทางการปฏิบัติ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ",
             "ระยะเวลาดำเนินการ", "การติดตามผล"},
            std::move(rows));
}

Document BuildReport(const v1::Assessment& assessment,
                     const v1::AgencyAnalysis& analysis,
                     const std::vector<v1::RecommendedMeasure>& measures) {
  const ReportContext report(assessment, analysis);
  Document doc;
  doc.title = absl::StrCat(
      "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ"
      "หน่วยงานภาครัฐ (ITA) ของ",
      report.organization, " ประจำปี พ.ศ. ", report.be_year);
  const std::vector<std::pair<int, double>> indicators =
      IndicatorScores(report.scores);
  AddBasis(report, doc);
  AddResult(report, indicators, doc);
  AddComparisons(report, doc);
  AddStrengthsAndWeaknesses(report, !indicators.empty(), doc);
  AddItemsToImprove(report, doc);
  AddMeasures(measures, doc);
  AddOitEvidence(report, doc);
  if (!analysis.missing().empty()) {
    doc.Heading(1, "หมายเหตุ: ข้อมูลที่รายงานนี้ไม่ครอบคลุม");
    doc.List(std::vector<std::string>(analysis.missing().begin(),
                                      analysis.missing().end()));
  }
  return doc;
}

}  // namespace

v1::RenderedReport RenderReport(
    const v1::Assessment& assessment, const v1::AgencyAnalysis& analysis,
    const std::vector<v1::RecommendedMeasure>& measures,
    v1::ReportFormat format) {
  const Document document = BuildReport(assessment, analysis, measures);
  v1::RenderedReport report;
  if (format == v1::HTML) {
    report.set_content_type("text/html; charset=utf-8");
    report.set_content(render::RenderHtml(document));
  } else {
    report.set_content_type("text/markdown; charset=utf-8");
    report.set_content(render::RenderMarkdown(document));
  }
  return report;
}

}  // namespace prongsai::ita
