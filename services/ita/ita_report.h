// An analysis as the Thai document an organization files after its ITA
// result, in Markdown or HTML (common/render). No I/O.
//
//   v1::RenderedReport report =
//       RenderReport(assessment, analysis, measures, v1::MARKDOWN);
//   // report.content_type == "text/markdown; charset=utf-8"
#ifndef PRONGSAI_SERVICES_ITA_ITA_REPORT_H_
#define PRONGSAI_SERVICES_ITA_ITA_REPORT_H_

#include <vector>

#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

// The document: the title
// "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส ... ประจำปี พ.ศ. ...",
// 1. the basis of the figures, 2. the result (overall, grade, a table per
// tool and per indicator, the plan target, the change from the previous
// year, the consistency findings), 3.1 strengths, 3.2 urgent weaknesses, 4.
// items to improve per tool (tables with question texts), 5. the measures
// table (มาตรการ | แนวทางการปฏิบัติ | ขั้นตอน/วิธีการปฏิบัติ | ผู้รับผิดชอบ |
// ระยะเวลาดำเนินการ | การติดตามผล), and a line per analysis.missing().
// Figures that were never loaded read as absent ("no item scores were
// loaded"), never as a finding ("no item scored below 100").
// MARKDOWN (also for unspecified): data text has '\', '|', '<', '[' and ']'
// escaped and line breaks as "<br>" in cells. HTML: a complete UTF-8
// document where every piece of text has & < > " ' escaped.
v1::RenderedReport RenderReport(
    const v1::Assessment& assessment, const v1::AgencyAnalysis& analysis,
    const std::vector<v1::RecommendedMeasure>& measures,
    v1::ReportFormat format);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_REPORT_H_
