// `/staff/plans?org=CODE`: an organization's anti-corruption action plans
// (แผนปฏิบัติการป้องกันการทุจริต) and, for an OPERATOR, importing one from the
// text of its NACC-template document. What the service finds in the
// document is shown under the line it names, so the planner can fix the
// document where the problem is.

import { call, describeError } from "../api";
import { append, h, replaceChildren } from "../dom";
import { onSubmit, textField } from "../forms";
import { nameOf } from "../labels";
import {
  ActionPlan,
  AnnualPlan,
  Finding,
  findingItem,
  listAll,
  newRequestId,
  PLAN_STATE_NAMES,
  Project,
  SEVERITY_NAMES,
} from "../plan_api";
import { hasRole } from "../session";
import { arabicDigits, formatDate, formatYearSpan, thaiDigits } from "../thai";
import { asStaff } from "./signin";
import { organizationFor, staffPage } from "./staff";

interface ImportAnswer {
  action_plan?: ActionPlan;
  projects?: Project[];
  risks?: unknown[];
  annual_plan?: AnnualPlan;
  findings?: Finding[];
}

export function planHref(name: string): string {
  return `/staff/plan?name=${encodeURIComponent(name)}`;
}

function planTable(plans: ActionPlan[]): HTMLElement {
  if (plans.length === 0) return h("p", null, "ยังไม่มีแผนปฏิบัติการของหน่วยงานนี้");
  return h("table", { class: "queue plans" },
    h("caption", null, `${thaiDigits(plans.length)} แผน เรียงจากแผนที่สร้างก่อน`),
    h("thead", null, h("tr", null, ...["แผน", "ปีงบประมาณ", "สถานะ", "อนุมัติ", "ประกาศใช้"]
      .map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", null, ...plans.map((plan) => h("tr", { "data-plan": plan.name },
      h("td", null, h("a", { href: planHref(plan.name) }, plan.title || plan.name)),
      h("td", null, formatYearSpan(plan.fiscal_years)),
      h("td", { class: "plan-state" }, nameOf(PLAN_STATE_NAMES, plan.state)),
      h("td", null, plan.approve_time ? formatDate(plan.approve_time) : "-"),
      h("td", null, plan.announce_time ? formatDate(plan.announce_time) : "-")))));
}

// The line a finding names: "line 12", or "ลำดับที่ 3" (the line that opens
// that project sheet, its digits Thai or Arabic); 0 when it names none.
function lineOf(finding: Finding, lines: string[]): number {
  const where = arabicDigits(finding.location ?? "").trim();
  const numbered = /^line (\d+)$/.exec(where);
  if (numbered) {
    const line = Number(numbered[1]);
    return line >= 1 && line <= lines.length ? line : 0;
  }
  const sheet = /^ลำดับที่\s*(\d+)$/.exec(where);
  if (sheet) {
    const at = lines.findIndex((text) =>
      new RegExp(`^\\s*ลำดับที่\\s*${sheet[1]}\\s*$`).test(arabicDigits(text)));
    return at + 1;
  }
  return 0;
}

// Past this many lines only the lines with findings (and two either side)
// are drawn: a whole 3 MB document would make the page crawl.
const FULL_DOCUMENT_LINES = 2000;

function documentView(text: string, findings: Finding[]): HTMLElement {
  const lines = text.split(/\r?\n/);
  const byLine = new Map<number, Finding[]>();
  const unplaced: Finding[] = [];
  for (const finding of findings) {
    const line = lineOf(finding, lines);
    if (line === 0) unplaced.push(finding);
    else byLine.set(line, [...(byLine.get(line) ?? []), finding]);
  }
  const shown = (line: number) => lines.length <= FULL_DOCUMENT_LINES ||
    [-2, -1, 0, 1, 2].some((d) => byLine.has(line + d));
  const list = h("ol", { class: "document", "aria-label": "เอกสารพร้อมเลขบรรทัด",
                                 tabindex: 0 });
  let skipped = false;
  lines.forEach((lineText, index) => {
    const line = index + 1;
    if (!shown(line)) {
      if (!skipped) list.append(h("li", { class: "gap" }, "…"));
      skipped = true;
      return;
    }
    skipped = false;
    const found = byLine.get(line);
    list.append(h("li", { id: `doc-line-${line}`, "data-line": line, class: found ? "has-findings" : "" },
      h("span", { class: "line-number" }, `บรรทัด ${line}`),
      h("span", { class: "line-text" }, lineText),
      found ? h("ul", { class: "findings" }, ...found.map((f) => findingItem(f))) : null));
  });
  return h("div", null,
    unplaced.length > 0 ? h("section", { "aria-labelledby": "unplaced-heading" },
      h("h3", { id: "unplaced-heading" }, "สิ่งที่พบซึ่งไม่ระบุบรรทัด"),
      h("ul", { class: "findings unplaced" }, ...unplaced.map((f) => findingItem(f)))) : null,
    h("h3", null, "เอกสาร"),
    list);
}

function resultView(answer: ImportAnswer, text: string, validateOnly: boolean): HTMLElement {
  const findings = answer.findings ?? [];
  const counts = ["ERROR", "WARNING", "INFO"].map((severity) =>
    [severity, findings.filter((f) => (f.severity ?? "INFO") === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${SEVERITY_NAMES[severity]} ${thaiDigits(count)} รายการ`);
  const plan = answer.action_plan;
  const stored = !!plan?.name;
  return h("section", { class: "import-result", "aria-labelledby": "import-result-heading" },
    h("h2", { id: "import-result-heading" }, "ผลการนำเข้า"),
    stored
      ? h("p", { class: "notice stored" }, "บันทึกแผนแล้ว: ",
          h("a", { href: planHref(plan!.name) }, plan!.title || plan!.name),
          ` (${formatYearSpan(plan!.fiscal_years)}, ${thaiDigits(answer.projects?.length ?? 0)} โครงการ`,
          answer.annual_plan ? `, แผนประจำปี ${thaiDigits(answer.annual_plan.be_year)}` : "", ")")
      : h("p", { class: "notice not-stored" },
          validateOnly ? "ตรวจสอบอย่างเดียว: ยังไม่ได้บันทึกข้อมูลใด ๆ " : "ไม่ได้บันทึกข้อมูลใด ๆ ",
          `(อ่านได้ ${thaiDigits(answer.projects?.length ?? 0)} โครงการ)`),
    h("p", { class: "finding-counts" }, findings.length === 0
      ? "ไม่พบปัญหาในเอกสาร" : `พบ ${counts.join(" · ")}`),
    documentView(text, findings));
}

function importForm(organization: string, reload: () => void): HTMLElement {
  const fileId = "plan-file";
  const file = h("input", { id: fileId, type: "file", accept: ".txt,text/plain", name: "file" });
  const text = textField({ field: "text", label: "ข้อความของเอกสาร (วางข้อความ หรือเลือกไฟล์ด้านบน)",
                           multiline: true, rows: 10, required: true,
                           hint: "ข้อความล้วน (UTF-8) ของเอกสารตามแบบของ ป.ป.ช. ไม่เกิน ๓ MB" });
  const validateOnly = h("input", { id: "plan-validate-only", type: "checkbox", name: "validate_only" });
  const progress = h("progress", { "aria-label": "กำลังนำเข้า", hidden: true });
  const status = h("p", { role: "status", class: "muted" });
  const result = h("div", { "aria-live": "polite" });
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    replaceChildren(status, `กำลังอ่านไฟล์ ${chosen.name}…`);
    text.input.value = await chosen.text();
    replaceChildren(status, `อ่านไฟล์ ${chosen.name} แล้ว ${thaiDigits(text.input.value.split(/\r?\n/).length)} บรรทัด`);
  });
  const form = h("form", { novalidate: true, "aria-labelledby": "import-heading", class: "import-form" },
    h("h2", { id: "import-heading" }, "นำเข้าแผนจากเอกสาร"),
    h("div", { class: "field", "data-field": "file" },
      h("label", { for: fileId }, "ไฟล์เอกสารแผน (.txt)"), file),
    text.row,
    h("p", { class: "check" }, validateOnly,
      h("label", { for: "plan-validate-only" }, " ตรวจสอบอย่างเดียว ยังไม่บันทึก")),
    h("p", { class: "actions" }, h("button", { type: "submit" }, "นำเข้าแผน"), " ", progress),
    status);
  let requestId = newRequestId();
  let lastText = "";
  onSubmit(form, {
    busyLabel: "กำลังนำเข้า…",
    check: () => (text.input.value.trim() ? null : ["text", "กรุณาเลือกไฟล์หรือวางข้อความของเอกสาร"]),
    send: async () => {
      const documentText = text.input.value;
      const dryRun = validateOnly.checked;
      // A new document is a new import; the same one sent again (after an
      // error or a lost answer) repeats the first call.
      if (documentText !== lastText || dryRun) requestId = newRequestId();
      lastText = documentText;
      progress.hidden = false;
      replaceChildren(status, "กำลังอ่านและตรวจสอบเอกสาร อาจใช้เวลาสักครู่…");
      replaceChildren(result);
      try {
        const answer = await asStaff(() => call<ImportAnswer>(
          "POST", `/v1/organizations/${encodeURIComponent(organization)}/actionPlans:import`,
          { text: documentText, validate_only: dryRun, request_id: dryRun ? undefined : requestId }));
        replaceChildren(status, "นำเข้าเสร็จแล้ว");
        replaceChildren(result, resultView(answer, documentText, dryRun));
        if (answer.action_plan?.name) reload();
      } catch (error) {
        replaceChildren(status, "นำเข้าไม่สำเร็จ ไม่ได้บันทึกข้อมูลใด ๆ");
        throw error;
      } finally {
        progress.hidden = true;
      }
    },
  });
  return h("div", null, form, result);
}

export const plansPage = staffPage((main, params, account) => {
  const organization = organizationFor(account, params);
  main.append(h("h1", null, "แผนปฏิบัติการป้องกันการทุจริต"));
  if (!organization) {
    main.append(h("p", null, "บัญชีนี้ยังไม่ได้ผูกกับหน่วยงาน"));
    return;
  }
  main.append(h("p", { class: "lead" }, `หน่วยงาน ${organization} แผนห้าปีและแผนประจำปี`));
  const list = h("div", { "aria-live": "polite" });
  main.append(h("h2", null, "แผนของหน่วยงาน"), list);
  const load = () => {
    replaceChildren(list, h("p", { role: "status" }, "กำลังโหลด…"));
    asStaff(() => listAll<ActionPlan>(
      `/v1/organizations/${encodeURIComponent(organization)}/actionPlans`, "action_plans")).then(
      (plans) => replaceChildren(list, planTable(plans)),
      (error) => replaceChildren(list, h("p", { role: "alert" }, describeError(error))));
  };
  load();
  if (hasRole(account, "OPERATOR", "SYSTEM")) append(main, importForm(organization, load));
});
