// The ITA results (EXECUTIVE, OPERATOR, SYSTEM, AUDITOR): `/staff/ita?org=`
// lists an organization's assessments by fiscal year; `/staff/ita/analysis?
// name=organizations/X/assessments/YEAR` shows the analysis the ITA service
// gives (AnalyzeAssessment) part by part, the peers and the trend as charts
// with tables, and the recommended measures with, for those who may, the
// control that adopts them into the next year's plan, and the one that moves
// the assessment to a corrected framework of its year.

import { call, describeError } from "../api";
import { h, replaceChildren } from "../dom";
import { onSubmit, textField, valueOf } from "../forms";
import { isOrganizationCode } from "../organizations";
import { navigate } from "../router";
import { hasRole } from "../session";
import { arabicDigits } from "../thai";
import { formatScore } from "./ita-charts";
import { measuresSection, migrateControl, peersSection, trendSection } from "./ita-sections";
import { asStaff } from "./signin";
import { organizationFor, staffPage } from "./staff";

interface ScoreSet {
  overall?: { score?: number };
  grade?: string;
  passed?: boolean;
}

interface Assessment {
  name: string;
  organization?: { code?: string; name?: string; province?: string; district?: string };
  fiscal_year?: { be_year: number };
  framework_version?: number;
  published?: ScoreSet;
  computed?: ScoreSet;
  findings?: { message?: string }[];
  effective_overall_score?: number;
}

interface IndicatorResult { number: number; name?: string; tool?: string; score?: number }

interface ComplaintHandling {
  received?: string;
  corruption_received?: string;
  completed?: string;
  overdue?: string;
  percent_resolved_within_sla?: number;
  percent_satisfied?: number;
  bears_on?: string[];
  general_only?: boolean;
}

export interface WeaknessCoverage {
  indicator: number;
  name?: string;
  measures?: string[];
  late_measures?: string[];
}

interface AgencyAnalysis {
  assessment: string;
  be_year: number;
  basis?: string;
  overall?: number;
  grade?: string;
  passed?: boolean;
  strengths?: IndicatorResult[];
  weaknesses?: IndicatorResult[];
  items_to_improve?: { tool?: string; code?: string; text?: string; indicator?: number; score?: number }[];
  previous_be_year?: number;
  changes?: { indicator: number; name?: string; previous?: number; current?: number; change?: number }[];
  plan_target?: number;
  gap_to_target?: number;
  missing?: string[];
  strength_threshold?: number;
  indicators?: IndicatorResult[];
  complaint_handling?: ComplaintHandling;
  coverage?: WeaknessCoverage[];
  newer_framework?: string;
  oit_evidence?: OitEvidenceSummary;
}

interface OitEvidenceSummary {
  items?: { item?: string; text?: string; state?: string; detail?: string }[];
  not_held?: string[];
  oit_score_ceiling?: number;
  check_closes?: string;
}

// OitEvidence.State, as an officer says it.
const EVIDENCE_STATES: Record<string, string> = {
  PRESENT: "มีหลักฐาน",
  LATE: "มีหลังปิดการตรวจ",
  NOT_PUBLISHED: "มีแต่ยังไม่เผยแพร่",
  MISSING: "ยังไม่มี",
  UNKNOWN: "ไม่ทราบ (ระบบไม่ตอบ)",
};

export interface IntegrityMeasure {
  name?: string;
  be_year?: number;
  title?: string;
  guideline?: string;
  steps?: string[];
  owner?: string;
  period_text?: string;
  follow_up?: string;
  ita_indicators?: string[];
  ita_issue?: string;
}

const ASSESSMENT = /^organizations\/([A-Za-z0-9_-]{1,32})\/assessments\/(\d{4})$/;

export function gradeOf(assessment: Assessment): string {
  return assessment.computed?.grade || assessment.published?.grade || "-";
}

export function analysisHref(name: string): string {
  return `/staff/ita/analysis?name=${encodeURIComponent(name)}`;
}

function chooseOrganization(main: HTMLElement): void {
  const code = textField({ field: "org", label: "รหัสหน่วยงาน", required: true, maxLength: 32,
                           hint: "เช่น 6340101" });
  const form = h("form", { novalidate: true }, code.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "ดูผลการประเมิน")));
  onSubmit(form, {
    busyLabel: "กำลังเปิด…",
    check: () => (isOrganizationCode(arabicDigits(valueOf(code.input))) ? null
      : ["org", "รหัสหน่วยงานต้องเป็นตัวเลขหรือตัวอักษรอังกฤษ ไม่เกิน 32 ตัว"]),
    send: async () => navigate(`/staff/ita?org=${encodeURIComponent(arabicDigits(valueOf(code.input)))}`),
  });
  main.append(h("p", null, "บัญชีนี้ดูได้หลายหน่วยงาน กรุณาระบุรหัสหน่วยงาน"), form);
}

export const itaListPage = staffPage((main, params, account) => {
  const organization = organizationFor(account, params);
  main.append(h("h1", null, "ผลการประเมิน ITA"));
  if (!isOrganizationCode(organization)) {
    chooseOrganization(main);
    return;
  }
  const lead = h("p", { class: "lead" }, `หน่วยงาน ${organization}`);
  const body = h("div", { "aria-live": "polite" }, h("p", { role: "status" }, "กำลังโหลด…"));
  main.append(lead, body);
  asStaff(() => call<{ assessments?: Assessment[] }>(
    "GET", `/v1/organizations/${encodeURIComponent(organization)}/assessments`, undefined,
    { query: { page_size: 1000 } })).then((listed) => {
    const assessments = (listed.assessments ?? []).slice().reverse();
    const named = assessments.find((a) => a.organization?.name)?.organization?.name;
    if (named) replaceChildren(lead, `${named} (${organization})`);
    replaceChildren(body, assessments.length === 0
      ? h("p", null, "ยังไม่มีผลการประเมินของหน่วยงานนี้")
      : h("table", { class: "figures ita-assessments" },
          h("caption", null, "ผลการประเมินคุณธรรมและความโปร่งใส (ITA) รายปีงบประมาณ ปีล่าสุดก่อน"),
          h("thead", null, h("tr", null,
            h("th", { scope: "col" }, "ปีงบประมาณ (พ.ศ.)"),
            h("th", { scope: "col" }, "คะแนน"),
            h("th", { scope: "col" }, "ระดับผลการประเมิน"),
            h("th", { scope: "col" }, "ข้อสังเกต"),
            h("th", { scope: "col" }, "การวิเคราะห์"))),
          h("tbody", null, ...assessments.map((a) => h("tr", null,
            h("th", { scope: "row" }, String(a.fiscal_year?.be_year ?? "-")),
            h("td", null, formatScore(a.effective_overall_score)),
            h("td", null, gradeOf(a)),
            h("td", null, (a.findings ?? []).length > 0
              ? `ข้อมูลไม่สอดคล้อง ${(a.findings ?? []).length} รายการ` : "-"),
            h("td", null, a.effective_overall_score === undefined ? "ยังไม่มีคะแนน"
              : h("a", { href: analysisHref(a.name) },
                  `ดูการวิเคราะห์ปี ${a.fiscal_year?.be_year ?? ""}`)))))));
  }, (error) => replaceChildren(body, h("p", { role: "alert" }, describeError(error))));
});

function section(id: string, title: string, ...content: (Node | null)[]): HTMLElement {
  return h("section", { class: "ita-part", "aria-labelledby": id },
    h("h2", { id }, title), ...content);
}

function indicatorText(indicator: IndicatorResult): string {
  return `ตัวชี้วัดที่ ${indicator.number} ${indicator.name ?? ""} (${formatScore(indicator.score)} คะแนน)`;
}

function indicatorList(id: string, items: IndicatorResult[], empty: string): HTMLElement {
  return items.length === 0 ? h("p", { class: "muted" }, empty)
    : h("ul", { id, class: "ita-indicators" },
        ...items.map((item) => h("li", null, indicatorText(item))));
}

function scoreTable(caption: string, head: string[], rows: (string | Node)[][],
                    className = "figures"): HTMLElement {
  return h("table", { class: className },
    h("caption", null, caption),
    h("thead", null, h("tr", null, ...head.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", null, ...rows.map(([first, ...rest]) => h("tr", null,
      h("th", { scope: "row" }, first), ...rest.map((cell) => h("td", null, cell))))));
}

function figure(label: string, value: string): HTMLElement {
  return h("div", { class: "figure" },
    h("p", { class: "figure-label" }, label), h("p", { class: "figure-value" }, value));
}

const BASIS_NAMES: Record<string, string> = {
  published: "คะแนนตามที่สำนักงาน ป.ป.ช. ประกาศ",
  computed: "คะแนนที่คำนวณจากคำตอบของผู้ตอบแบบสำรวจ",
};

function signed(value: number | undefined): string {
  if (value === undefined) return "-";
  return `${value > 0 ? "+" : ""}${formatScore(value)}`;
}

function count(value: string | undefined): string {
  return value === undefined ? "-" : Number(value).toLocaleString("th-TH");
}

function complaintPart(handling: ComplaintHandling | undefined): HTMLElement {
  if (!handling) {
    return section("ita-complaints", "การจัดการเรื่องร้องเรียน",
      h("p", { class: "muted" }, "ไม่มีข้อมูลจากระบบเรื่องร้องเรียน (ดูหัวข้อข้อมูลที่ไม่ครอบคลุม)"));
  }
  const rows: [string, string][] = [
    ["เรื่องที่รับในปีงบประมาณ", count(handling.received ?? "0")],
    ["ในจำนวนนี้เป็นเรื่องร้องเรียนการทุจริต", handling.general_only ? "-" : count(handling.corruption_received ?? "0")],
    ["ดำเนินการแล้วเสร็จ", count(handling.completed ?? "0")],
    ["เกินกำหนด", count(handling.overdue ?? "0")],
    ["แล้วเสร็จภายในกำหนด (%)", formatScore(handling.percent_resolved_within_sla)],
    ["ผู้ร้องพึงพอใจ (ระดับ 4-5, %)", formatScore(handling.percent_satisfied)],
  ];
  return section("ita-complaints", "การจัดการเรื่องร้องเรียน",
    scoreTable("การจัดการเรื่องร้องเรียนของปีที่ประเมิน", ["รายการ", "จำนวน"], rows),
    handling.general_only ? h("p", { class: "muted" },
      "ตัวเลขนับเฉพาะเรื่องร้องเรียนทั่วไป เรื่องร้องเรียนการทุจริตเปิดดูได้เฉพาะผู้มีสิทธิ์") : null,
    (handling.bears_on ?? []).length > 0 ? h("p", null,
      `เกี่ยวข้องกับตัวชี้วัดและข้อคำถาม: ${(handling.bears_on ?? []).join(", ")}`) : null);
}

function coveragePart(coverage: WeaknessCoverage[], titles: Map<string, string>): HTMLElement {
  const titleOf = (name: string) => titles.get(name) ?? name;
  const names = (list: string[] | undefined) => (list ?? []).length === 0 ? "-"
    : h("ul", { class: "plain" }, ...(list ?? []).map((name) => h("li", null, titleOf(name))));
  return section("ita-coverage", "มาตรการในแผนที่ตอบจุดอ่อน",
    coverage.length === 0 ? h("p", { class: "muted" }, "ไม่มีข้อมูลมาตรการจากระบบแผน")
      : scoreTable("มาตรการส่งเสริมคุณธรรมและความโปร่งใสของปีถัดไป ต่อจุดอ่อน",
          ["จุดอ่อน", "มาตรการในแผน", "มาตรการที่ล่าช้า"],
          coverage.map((c) => [`ตัวชี้วัดที่ ${c.indicator} ${c.name ?? ""}`,
                               names(c.measures), names(c.late_measures)]),
          "figures ita-coverage"));
}

// The OIT items Prongsai's own records evidence, and what the missing ones
// cost: the same table as section 6 of the Thai report.
function oitEvidencePart(evidence: OitEvidenceSummary | undefined): HTMLElement | null {
  if (evidence === undefined) return null;
  const notHeld = (evidence.not_held ?? []).map((code) => code.toUpperCase());
  return section("ita-oit-evidence", "หลักฐานการเปิดเผยข้อมูล (OIT) จากข้อมูลในระบบ",
    h("p", null, "หากข้อที่ยังไม่มียังขาดอยู่ คะแนน OIT จะได้ไม่เกิน ",
      h("strong", { class: "oit-ceiling" }, formatScore(evidence.oit_score_ceiling ?? 0)), " คะแนน"),
    scoreTable("ข้อ OIT ที่ระบบมีข้อมูล", ["ข้อ", "ข้อมูลที่ต้องเปิดเผย", "สถานะ", "รายละเอียด"],
      (evidence.items ?? []).map((item) => [(item.item ?? "").toUpperCase(), item.text ?? "",
        h("span", { class: `evidence evidence-${(item.state ?? "").toLowerCase()}` },
          EVIDENCE_STATES[item.state ?? ""] ?? item.state ?? "-"),
        item.detail ?? ""]),
      "figures ita-oit-evidence"),
    notHeld.length === 0 ? null
      : h("p", { class: "muted" }, `ข้ออื่น (${notHeld.join(", ")}) หน่วยงานต้องเผยแพร่เองนอกระบบ`));
}

// `migrated`, given to those who may move the assessment, runs after a move
// to the newer framework; without it the notice has no control.
function analysisView(analysis: AgencyAnalysis, titles: Map<string, string>,
                      migrated?: (version: number) => void): HTMLElement[] {
  const items = analysis.items_to_improve ?? [];
  const changes = analysis.changes ?? [];
  return [
    h("div", { class: "figures-grid" },
      figure("คะแนน ITA", formatScore(analysis.overall)),
      figure("ระดับผลการประเมิน", analysis.grade || "-"),
      figure("ผลการประเมิน", analysis.passed ? "ผ่านเกณฑ์" : "ไม่ผ่านเกณฑ์")),
    h("p", { class: "muted" }, `ข้อมูลที่ใช้: ${BASIS_NAMES[analysis.basis ?? ""] ?? analysis.basis ?? "-"}`),
    analysis.newer_framework
      ? h("div", { class: "notice", role: "note" },
          h("p", null, `ผลนี้ตรวจกับกรอบการประเมินฉบับเดิม มีฉบับที่แก้ไขแล้ว (${analysis.newer_framework})`),
          migrated ? migrateControl(analysis.assessment, migrated) : null)
      : null,
    section("ita-indicators", "คะแนนรายตัวชี้วัด",
      scoreTable("คะแนนรายตัวชี้วัด", ["ตัวชี้วัด", "เครื่องมือ", "คะแนน"],
        (analysis.indicators ?? []).map((i) => [`ตัวชี้วัดที่ ${i.number} ${i.name ?? ""}`,
                                                i.tool ?? "-", formatScore(i.score)]))),
    section("ita-strengths", `จุดแข็ง (ตัวชี้วัดที่ได้คะแนนมากกว่า ${analysis.strength_threshold ?? 90})`,
      indicatorList("ita-strength-list", analysis.strengths ?? [], "ไม่มีตัวชี้วัดที่ได้คะแนนเกินเกณฑ์")),
    section("ita-weaknesses", "จุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน (ตัวชี้วัดที่คะแนนน้อยที่สุด และต่ำกว่า 85)",
      indicatorList("ita-weakness-list", analysis.weaknesses ?? [], "ไม่มีจุดอ่อน")),
    section("ita-items", "ประเด็นที่ต้องพัฒนาให้ดีขึ้น (ข้อคำถามที่ได้คะแนนน้อยที่สุดของแต่ละเครื่องมือ)",
      items.length === 0 ? h("p", { class: "muted" }, "ไม่มีข้อมูลคะแนนรายข้อคำถาม")
        : scoreTable("ข้อคำถามที่ต้องพัฒนา", ["ข้อ", "เครื่องมือ", "ตัวชี้วัด", "ข้อคำถาม", "คะแนน"],
            items.map((i) => [i.code ?? "-", i.tool ?? "-", String(i.indicator ?? "-"), i.text ?? "",
                              formatScore(i.score)]))),
    section("ita-changes", analysis.previous_be_year
      ? `เปลี่ยนแปลงจากปี พ.ศ. ${analysis.previous_be_year}` : "เปลี่ยนแปลงจากปีก่อน",
      changes.length === 0 ? h("p", { class: "muted" }, "ไม่มีผลการประเมินปีก่อนให้เปรียบเทียบ")
        : scoreTable("คะแนนรายตัวชี้วัดเทียบกับปีก่อน",
            ["ตัวชี้วัด", `ปี ${analysis.previous_be_year}`, `ปี ${analysis.be_year}`, "เปลี่ยนแปลง"],
            changes.map((c) => [`ตัวชี้วัดที่ ${c.indicator} ${c.name ?? ""}`, formatScore(c.previous),
                                formatScore(c.current), signed(c.change ?? 0)]))),
    section("ita-target", "เป้าหมายตามแผนเทียบกับผลจริง",
      analysis.plan_target === undefined
        ? h("p", { class: "muted" }, "แผนปฏิบัติการไม่ได้กำหนดค่าเป้าหมายคะแนน ITA ของปีนี้")
        : scoreTable("ค่าเป้าหมายคะแนน ITA", ["รายการ", "คะแนน"], [
            ["ค่าเป้าหมายตามแผน", formatScore(analysis.plan_target)],
            ["ผลการประเมินจริง", formatScore(analysis.overall)],
            [(analysis.gap_to_target ?? 0) > 0 ? "ต่ำกว่าเป้าหมาย" : "สูงกว่าหรือเท่ากับเป้าหมาย",
             formatScore(Math.abs(analysis.gap_to_target ?? 0))],
          ], "figures ita-target")),
    complaintPart(analysis.complaint_handling),
    coveragePart(analysis.coverage ?? [], titles),
    oitEvidencePart(analysis.oit_evidence),
    (analysis.missing ?? []).length === 0 ? null
      : section("ita-missing", "ข้อมูลที่การวิเคราะห์นี้ไม่ครอบคลุม",
          h("ul", null, ...(analysis.missing ?? []).map((m) => h("li", null, m)))),
  ].filter((part): part is HTMLElement => part !== null);
}

export const itaAnalysisPage = staffPage((main, params, account) => {
  const name = params.get("name") ?? "";
  const match = ASSESSMENT.exec(name);
  if (!match) {
    main.append(h("h1", null, "ไม่พบผลการประเมิน"),
      h("p", null, h("a", { href: "/staff/ita" }, "กลับไปที่ผลการประเมิน ITA")));
    return;
  }
  const [, organization, year] = match;
  main.append(
    h("p", { class: "no-print" }, h("a", { href: `/staff/ita?org=${organization}` }, "← ผลการประเมิน ITA")),
    h("h1", null, `การวิเคราะห์ผลการประเมิน ITA ปี พ.ศ. ${year}`),
    h("p", { class: "lead" }, `หน่วยงาน ${organization}`),
    h("p", { class: "actions no-print" },
      h("a", { href: `/staff/ita/report?name=${encodeURIComponent(name)}` }, "รายงานการวิเคราะห์สำหรับพิมพ์")));
  const body = h("div", { "aria-live": "polite" }, h("p", { role: "status" }, "กำลังโหลด…"));
  main.append(body);
  const load = () => Promise.all([
    asStaff(() => call<AgencyAnalysis>("GET", `/v1/${name}:analyze`)),
    // Titles for the coverage's measure names; the names stand without them.
    asStaff(() => call<{ integrity_measures?: IntegrityMeasure[] }>(
      "GET", `/v1/organizations/${organization}/integrityMeasures`, undefined,
      { query: { page_size: 1000 } })).catch(() => ({ integrity_measures: [] })),
  ]).then(([analysis, measures]) => {
    const titles = new Map((measures.integrity_measures ?? [])
      .map((m) => [m.name ?? "", m.title ?? ""] as [string, string]));
    return { analysis, titles };
  });
  // After an adoption the plan has new measures: the coverage is asked again.
  const refreshCoverage = () => void load().then(({ analysis, titles }) => {
    body.querySelector("section[aria-labelledby=ita-coverage]")
      ?.replaceWith(coveragePart(analysis.coverage ?? [], titles));
  }, () => {});
  const mayWrite = hasRole(account, "OPERATOR", "SYSTEM");
  const show = (done?: string) => void load().then(({ analysis, titles }) => {
    replaceChildren(body, done ? h("p", { role: "status" }, done) : null,
      ...analysisView(analysis, titles,
        mayWrite ? (version) => show(`ย้ายผลไปกรอบการประเมินฉบับที่ ${version} แล้ว`) : undefined),
      peersSection(name),
      trendSection(organization),
      measuresSection(name, mayWrite ? refreshCoverage : undefined));
  }, (error) => replaceChildren(body, h("p", { role: "alert" }, describeError(error))));
  show();
});
