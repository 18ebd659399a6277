// `/staff/progress?name=.../annualPlans/2569&round=HALF_YEAR`: reporting
// the progress of the year's projects and integrity measures in the 6- and
// 12-month rounds, the reports so far, and the round's summary (% done per
// dimension, spent against approved, overdue and unreported items). An
// OPERATOR can also import the year's measures table and a round's report
// from their documents (document_import.ts).

import { call } from "../api";
import { documentImportForm, notStored } from "../document_import";
import { h, replaceChildren } from "../dom";
import { onSubmit, selectField, textField, valueOf } from "../forms";
import { nameOf } from "../labels";
import {
  AnnualPlan,
  ANNUAL_NAME,
  errorText,
  Finding,
  IntegrityMeasure,
  listAll,
  newRequestId,
  organizationOf,
  PROGRESS_STATUS_NAMES,
  ProgressReport,
  ROUND_NAMES,
  RoundSummary,
} from "../plan_api";
import { hasRole } from "../session";
import { formatBaht, formatDateTime, parseBaht, thaiDigits } from "../thai";
import { asStaff } from "./signin";
import { staffPage } from "./staff";

function percent(value: number | undefined): string {
  return `${thaiDigits((value ?? 0).toFixed(1))}%`;
}

function summaryView(summary: RoundSummary, titles: Map<string, string>): HTMLElement {
  const overdue = summary.overdue ?? [];
  const unreported = summary.unreported ?? [];
  return h("section", { class: "round-summary", "aria-labelledby": "summary-heading" },
    h("h2", { id: "summary-heading" }, "สรุปผลรอบนี้"),
    h("dl", { class: "summary" },
      h("dt", null, "ดำเนินการแล้วเสร็จ"),
      h("dd", { class: "done" }, `${thaiDigits(summary.done ?? 0)} จาก ${thaiDigits(summary.items ?? 0)} รายการ (${percent(summary.percent_done)})`),
      h("dt", null, "งบประมาณที่อนุมัติ"), h("dd", null, `${formatBaht(summary.approved ?? {}, true)} บาท`),
      h("dt", null, "ใช้จ่ายแล้ว"), h("dd", { class: "spent" }, `${formatBaht(summary.spent ?? {}, true)} บาท`)),
    h("table", { class: "figures" },
      h("caption", null, "ผลแยกตามมิติ"),
      h("thead", null, h("tr", null, ...["มิติ", "รายการ", "เสร็จ", "ร้อยละ", "อนุมัติ (บาท)", "ใช้จ่าย (บาท)"]
        .map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", null, ...(summary.dimensions ?? []).map((d) => h("tr", null,
        h("th", { scope: "row" }, d.dimension ? `มิติที่ ${thaiDigits(d.dimension)}` : "มาตรการ (ไม่ระบุมิติ)"),
        h("td", null, thaiDigits(d.items ?? 0)), h("td", null, thaiDigits(d.done ?? 0)),
        h("td", null, percent(d.percent_done)),
        h("td", null, formatBaht(d.approved ?? {}, true)), h("td", null, formatBaht(d.spent ?? {}, true)))))),
    h("h3", null, `เกินกำหนด (${thaiDigits(overdue.length)})`),
    overdue.length === 0 ? h("p", { class: "muted" }, "ไม่มี") : h("ul", { class: "overdue" },
      ...overdue.map((item) => h("li", null, item.title ?? item.subject ?? "",
        ` (ไตรมาส ${thaiDigits(item.last_quarter ?? 0)}, ${nameOf(PROGRESS_STATUS_NAMES, item.status) === "-" ? "ยังไม่รายงาน" : nameOf(PROGRESS_STATUS_NAMES, item.status)})`))),
    h("h3", null, `ยังไม่รายงาน (${thaiDigits(unreported.length)})`),
    unreported.length === 0 ? h("p", { class: "muted" }, "ไม่มี") : h("ul", { class: "unreported" },
      ...unreported.map((subject) => h("li", null, titles.get(subject) ?? subject))));
}

function reportTable(reports: ProgressReport[], titles: Map<string, string>): HTMLElement {
  if (reports.length === 0) return h("p", { class: "muted" }, "ยังไม่มีรายงานในรอบนี้");
  return h("table", { class: "queue reports" },
    h("caption", null, `${thaiDigits(reports.length)} รายงาน เรียงตามเวลาที่บันทึก`),
    h("thead", null, h("tr", null, ...["รายการ", "สถานะ", "ผลผลิต", "ใช้จ่าย (บาท)", "ผู้รายงาน", "เวลา"]
      .map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", null, ...reports.map((r) => h("tr", null,
      h("td", null, titles.get(r.subject) ?? r.subject),
      h("td", null, nameOf(PROGRESS_STATUS_NAMES, r.status)),
      h("td", { class: "text" }, r.output ?? ""),
      h("td", { class: "money" }, formatBaht(r.spent, true)),
      h("td", null, r.reporter ?? "-"),
      h("td", null, formatDateTime(r.report_time))))));
}

function reportForm(organization: string, year: number, round: string,
                    subjects: { value: string; label: string }[], saved: () => void): HTMLElement {
  const subject = selectField({ field: "progress_report.subject", label: "โครงการหรือมาตรการ", required: true }, subjects);
  const status = selectField({ field: "progress_report.status", label: "สถานะ", required: true },
    Object.entries(PROGRESS_STATUS_NAMES).map(([value, label]) => ({ value, label })));
  const output = textField({ field: "progress_report.output", label: "ผลผลิต / ผลการดำเนินงาน",
                             multiline: true, rows: 3, maxLength: 5000 });
  const spent = textField({ field: "progress_report.spent", label: "ใช้จ่ายแล้ว (บาท)", inputmode: "decimal",
                            hint: "เว้นว่างถ้าไม่มีค่าใช้จ่าย" });
  const evidence = textField({ field: "progress_report.evidence_uris", label: "ลิงก์หลักฐาน (http/https)",
                               type: "text", maxLength: 2000 });
  const form = h("form", { novalidate: true, "aria-labelledby": "report-heading" },
    h("h2", { id: "report-heading" }, "รายงานความก้าวหน้า"),
    subject.row, status.row, output.row, spent.row, evidence.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "บันทึกรายงาน")));
  let requestId = newRequestId();
  onSubmit(form, {
    busyLabel: "กำลังบันทึก…",
    check: () => (valueOf(spent.input) === "" || parseBaht(valueOf(spent.input)) !== null ? null
      : ["progress_report.spent", "จำนวนเงินต้องเป็นบาท ทศนิยมไม่เกินสองตำแหน่ง"]),
    send: async () => {
      const typed = valueOf(spent.input);
      const uri = valueOf(evidence.input);
      await asStaff(() => call("POST", `/v1/organizations/${encodeURIComponent(organization)}/progressReports`, {
        subject: subject.input.value,
        be_year: year,
        round,
        status: status.input.value,
        output: valueOf(output.input),
        spent: typed ? { satang: parseBaht(typed) } : undefined,
        evidence_uris: uri ? [uri] : undefined,
      }, { query: { request_id: requestId } }));
      requestId = newRequestId();
      saved();
    },
  });
  return form;
}

interface MeasuresImportAnswer {
  integrity_measures?: IntegrityMeasure[];
  findings?: Finding[];
  stored?: boolean;
}

interface ReportsImportAnswer {
  round?: string;
  progress_reports?: ProgressReport[];
  findings?: Finding[];
  stored?: boolean;
}

function measuresImportForm(parent: string, year: number, saved: () => void): HTMLElement {
  return documentImportForm<MeasuresImportAnswer>({
    id: "measures",
    heading: "นำเข้ามาตรการจากตาราง",
    fileLabel: "ไฟล์ตารางมาตรการส่งเสริมคุณธรรมและความโปร่งใส (.txt)",
    hint: `ข้อความล้วน (UTF-8) ของตารางมาตรการ ปีงบประมาณ พ.ศ. ${thaiDigits(year)} ` +
      "(มาตรการ แนวทาง ขั้นตอน ผู้รับผิดชอบ ระยะเวลา การติดตามผล ตัวชี้วัด ITA) " +
      "มาตรการที่มีอยู่แล้วจะไม่เพิ่มซ้ำ",
    submitLabel: "นำเข้ามาตรการ",
    send: (text, validateOnly, requestId) => asStaff(() => call<MeasuresImportAnswer>(
      "POST", `${parent}/integrityMeasures:import`,
      { be_year: year, text, validate_only: validateOnly, request_id: requestId })),
    outcome: (answer, validateOnly) => {
      const count = `${thaiDigits(answer.integrity_measures?.length ?? 0)} มาตรการ`;
      return answer.stored ? h("p", { class: "notice stored" }, `บันทึกมาตรการแล้ว ${count}`)
        : notStored(validateOnly, count);
    },
    stored: (answer) => !!answer.stored,
    onStored: saved,
  });
}

function reportsImportForm(parent: string, name: string, year: number, round: string,
                           saved: () => void): HTMLElement {
  const roundField = selectField({ field: "round", label: "รอบของรายงาน" }, [
    { value: "", label: "ตามที่เอกสารระบุ (รอบ ๖ เดือน หรือ รอบ ๑๒ เดือน)" },
    ...Object.entries(ROUND_NAMES).map(([value, label]) => ({ value, label })),
  ]);
  return documentImportForm<ReportsImportAnswer>({
    id: "reports",
    heading: "นำเข้ารายงานผลการดำเนินการตามมาตรการ",
    fileLabel: "ไฟล์รายงานผลการดำเนินการ (.txt)",
    hint: "ข้อความล้วน (UTF-8) ของรายงาน แต่ละแถวจับคู่กับมาตรการของปีนี้ตามชื่อมาตรการ",
    submitLabel: "นำเข้ารายงาน",
    extra: [roundField.row],
    send: (text, validateOnly, requestId) => asStaff(() => call<ReportsImportAnswer>(
      "POST", `${parent}/progressReports:import`,
      { be_year: year, round: roundField.input.value || undefined, text,
        validate_only: validateOnly, request_id: requestId })),
    outcome: (answer, validateOnly) => {
      const count = `${thaiDigits(answer.progress_reports?.length ?? 0)} รายการ`;
      if (!answer.stored) return notStored(validateOnly, count);
      const stored = answer.round ?? round;
      return h("p", { class: "notice stored" },
        `บันทึกรายงาน${nameOf(ROUND_NAMES, stored)}แล้ว ${count}`,
        stored === round ? null : h("a", { href: `/staff/progress?name=${encodeURIComponent(name)}&round=${stored}` },
          " ดูรายงานรอบนั้น"));
    },
    stored: (answer) => !!answer.stored,
    onStored: saved,
  });
}

export const progressPage = staffPage((main, params, account) => {
  const name = params.get("name") ?? "";
  if (!ANNUAL_NAME.test(name)) {
    main.append(h("h1", null, "ไม่พบแผนประจำปี"), h("p", null, h("a", { href: "/staff/plans" }, "กลับไปที่รายการแผน")));
    return;
  }
  const round = params.get("round") === "FULL_YEAR" ? "FULL_YEAR" : "HALF_YEAR";
  const year = Number(name.split("/").pop());
  const organization = organizationOf(name);
  const parent = `/v1/organizations/${encodeURIComponent(organization)}`;
  // The lists reload after a write; the import forms (and what they found)
  // stay below them.
  const content = h("div", null);
  main.append(content);
  const load = () => {
    replaceChildren(content, h("p", { role: "status" }, "กำลังโหลด…"));
    Promise.all([
      asStaff(() => call<AnnualPlan>("GET", `/v1/${name}`)),
      asStaff(() => listAll<IntegrityMeasure>(`${parent}/integrityMeasures`, "integrity_measures", { be_year: year })),
      asStaff(() => listAll<ProgressReport>(`${parent}/progressReports`, "progress_reports", { be_year: year, round })),
      asStaff(() => call<RoundSummary>("GET", `/v1/${name}:roundSummary`, undefined, { query: { round } })),
    ]).then(([annual, measures, reports, summary]) => {
      const titles = new Map<string, string>();
      const subjects: { value: string; label: string }[] = [];
      for (const entry of annual.entries ?? []) {
        if (!entry.project) continue;
        titles.set(entry.project, entry.title);
        subjects.push({ value: entry.project, label: `โครงการ: ${entry.title}` });
      }
      for (const measure of measures) {
        titles.set(measure.name, measure.title ?? measure.name);
        subjects.push({ value: measure.name, label: `มาตรการ: ${measure.title ?? measure.name}` });
      }
      replaceChildren(content,
        h("p", null, h("a", { href: `/staff/annual?name=${encodeURIComponent(name)}` }, "← แผนประจำปี")),
        h("h1", null, `รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ${thaiDigits(year)}`),
        h("nav", { class: "tabs", "aria-label": "รอบการรายงาน" }, ...Object.entries(ROUND_NAMES).map(([key, label]) =>
          h("a", { href: `/staff/progress?name=${encodeURIComponent(name)}&round=${key}`,
                   "aria-current": key === round ? "page" : undefined }, label))),
        summaryView(summary, titles),
        h("h2", null, `มาตรการส่งเสริมคุณธรรมและความโปร่งใส ปี ${thaiDigits(year)} (${thaiDigits(measures.length)})`),
        measures.length === 0 ? h("p", { class: "muted" }, "ยังไม่มีมาตรการของปีนี้") : h("ul", { class: "measures" },
          ...measures.map((m) => h("li", null, m.title ?? m.name, m.owner ? h("span", { class: "muted" }, ` · ${m.owner}`) : null))),
        h("h2", null, "รายงานในรอบนี้"),
        reportTable(reports, titles),
        hasRole(account, "OPERATOR", "SYSTEM") && subjects.length > 0
          ? reportForm(organization, year, round, subjects, load) : null);
    }, (error) => replaceChildren(content, h("p", { role: "alert" }, errorText(error))));
  };
  load();
  if (hasRole(account, "OPERATOR", "SYSTEM")) {
    main.append(h("section", { class: "imports", "aria-label": "นำเข้าจากเอกสาร" },
      measuresImportForm(parent, year, load), reportsImportForm(parent, name, year, round, load)));
  }
});
