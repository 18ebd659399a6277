// `/staff/annual?name=.../annualPlans/2569`: the annual plan of one fiscal
// year as the table the organization publishes (ลำดับ, project, dimension,
// budget, the quarters it runs in, the totals the service computes), its
// drift from the 5-year plan, its export, and for an OPERATOR editing an
// entry's budget, quarters and remark.

import { ApiError, call } from "../api";
import { h, replaceChildren } from "../dom";
import { onSubmit, textField, valueOf } from "../forms";
import {
  AnnualPlan,
  AnnualPlanEntry,
  ANNUAL_NAME,
  errorText,
  Finding,
  findingItem,
  isStale,
  planOf,
  STALE_MESSAGE,
} from "../plan_api";
import { Account, hasRole } from "../session";
import { formatBaht, parseBaht, thaiDigits } from "../thai";
import { planHref } from "./plans";
import { asStaff } from "./signin";
import { staffPage } from "./staff";

const TICK = "☑";

export function progressHref(annualName: string, round = "HALF_YEAR"): string {
  return `/staff/progress?name=${encodeURIComponent(annualName)}&round=${round}`;
}

function annualTable(annual: AnnualPlan, edit: ((index: number) => void) | null): HTMLElement {
  const entries = annual.entries ?? [];
  const totals = annual.totals ?? {};
  const perQuarter = totals.projects_per_quarter ?? [0, 0, 0, 0];
  return h("table", { class: "figures annual" },
    h("caption", null, `แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ${thaiDigits(annual.be_year)}`),
    h("thead", null,
      h("tr", null, ...["ลำดับ", "รายการโครงการ", "มิติ", "งบประมาณ (บาท)"].map((title) =>
        h("th", { scope: "col", rowspan: 2 }, title)),
        h("th", { scope: "colgroup", colspan: 4 }, "ดำเนินการไตรมาส"),
        h("th", { scope: "col", rowspan: 2 }, "หมายเหตุ"),
        edit ? h("th", { scope: "col", rowspan: 2 }, h("span", { class: "visually-hidden" }, "แก้ไข")) : null),
      h("tr", null, ...[1, 2, 3, 4].map((q) => h("th", { scope: "col" }, thaiDigits(q))))),
    h("tbody", null, ...entries.map((entry, index) => h("tr", { "data-entry": index },
      h("td", null, thaiDigits(index + 1)),
      h("th", { scope: "row" }, entry.title),
      h("td", null, thaiDigits(entry.dimension ?? "")),
      h("td", { class: "money" }, formatBaht(entry.budget, true)),
      ...[1, 2, 3, 4].map((q) => h("td", { class: "tick" },
        (entry.quarters ?? []).includes(q) ? h("span", { "aria-label": `ไตรมาส ${q}` }, TICK) : "")),
      h("td", { class: "remark" }, entry.remark ?? ""),
      edit ? h("td", null, h("button", { type: "button", class: "secondary",
        onclick: () => edit(index) }, "แก้ไข",
        h("span", { class: "visually-hidden" }, ` ลำดับ ${index + 1}`))) : null))),
    h("tfoot", null, h("tr", { class: "total" },
      h("td", null, ""), h("th", { scope: "row" }, `รวมทั้งสิ้น ${thaiDigits(totals.projects ?? 0)} โครงการ`),
      h("td", null, ""),
      h("td", { class: "money" }, formatBaht(totals.budget ?? {}, true)),
      ...[0, 1, 2, 3].map((q) => h("td", { class: "tick" }, thaiDigits(perQuarter[q] ?? 0))),
      h("td", null, ""), edit ? h("td", null, "") : null)));
}

// The form for one entry; saves every entry (the mask is `entries`) with
// the etag the page read.
function entryForm(annual: AnnualPlan, index: number, saved: () => void): HTMLElement {
  const entry = (annual.entries ?? [])[index];
  const budget = textField({ field: "annual_plan.entries.budget", label: "งบประมาณ (บาท)",
                             hint: "เช่น 12,500.50 พิมพ์เลขไทยได้ เว้นว่างถ้ายังไม่ทราบ",
                             inputmode: "decimal" });
  budget.input.value = entry.budget ? formatBaht(entry.budget) : "";
  const boxes = [1, 2, 3, 4].map((q) => h("input", {
    type: "checkbox", id: `quarter-${q}`, name: "quarters", value: q,
    checked: (entry.quarters ?? []).includes(q) }));
  const quarters = h("fieldset", { class: "field", "data-field": "annual_plan.entries.quarters" },
    h("legend", null, "ไตรมาสที่ดำเนินการ"),
    ...boxes.map((box, i) => h("span", { class: "check" }, box,
      h("label", { for: box.id }, ` ไตรมาส ${thaiDigits(i + 1)} `))),
    h("p", { class: "field-error", hidden: true }));
  const remark = textField({ field: "annual_plan.entries.remark", label: "หมายเหตุ", maxLength: 1000 });
  remark.input.value = entry.remark ?? "";
  const stale = h("p", { hidden: true },
    h("button", { type: "button", class: "secondary", onclick: saved }, "โหลดข้อมูลล่าสุด"));
  const form = h("form", { novalidate: true, class: "entry-form", "aria-labelledby": "entry-heading" },
    h("h2", { id: "entry-heading" }, `แก้ไขลำดับ ${thaiDigits(index + 1)}: ${entry.title}`),
    budget.row, quarters, remark.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "บันทึกการแก้ไข"), " ",
      h("button", { type: "button", class: "secondary", onclick: saved }, "ยกเลิก")),
    stale);
  const errors = onSubmit(form, {
    busyLabel: "กำลังบันทึก…",
    check: () => (valueOf(budget.input) === "" || parseBaht(valueOf(budget.input)) !== null ? null
      : ["annual_plan.entries.budget", "งบประมาณต้องเป็นจำนวนเงินบาท ทศนิยมไม่เกินสองตำแหน่ง"]),
    send: async () => {
      const typed = valueOf(budget.input);
      const changed: AnnualPlanEntry = {
        ...entry,
        budget: typed === "" ? undefined : { satang: parseBaht(typed) ?? "0" },
        quarters: boxes.filter((b) => b.checked).map((b) => Number(b.value)),
        remark: valueOf(remark.input),
      };
      const entries = (annual.entries ?? []).map((e, i) => (i === index ? changed : e));
      await asStaff(() => call("PATCH", `/v1/${annual.name}`,
        { name: annual.name, etag: annual.etag, entries },
        { query: { update_mask: "entries" } }));
      saved();
    },
    failed: (error) => {
      if (isStale(error)) {
        errors.show(STALE_MESSAGE);
        stale.hidden = false;
      } else {
        errors.apiError(error);
      }
    },
  });
  return form;
}

function reconciliation(annual: AnnualPlan): HTMLElement {
  const box = h("div", { "aria-live": "polite" }, h("p", { role: "status" }, "กำลังตรวจสอบกับแผนห้าปี…"));
  asStaff(() => call<{ findings?: Finding[]; consistent?: boolean }>("GET", `/v1/${annual.name}:reconcile`)).then(
    (answer) => {
      const findings = answer.findings ?? [];
      replaceChildren(box, findings.length === 0
        ? h("p", { class: "notice" }, "แผนประจำปีตรงกับแผนห้าปี")
        : h("ul", { class: "findings reconcile" }, ...findings.map((finding) => {
          const row = /^entries\[(\d+)\]$/.exec(finding.location ?? "");
          return findingItem(finding, row ? `ลำดับ ${thaiDigits(Number(row[1]) + 1)}` : finding.location);
        })));
    },
    (error) => replaceChildren(box, h("p", { role: "alert" }, errorText(error))));
  return h("section", { "aria-labelledby": "reconcile-heading" },
    h("h2", { id: "reconcile-heading" }, "ความสอดคล้องกับแผนห้าปี"), box);
}

// The export as a file the browser saves, from a blob: URL.
function exportControls(annual: AnnualPlan): HTMLElement {
  const digits = h("select", { id: "export-digits" },
    h("option", { value: "THAI" }, "เลขไทย"), h("option", { value: "ARABIC" }, "เลขอารบิก"));
  const message = h("p", { role: "status", class: "muted" });
  const download = async (format: "MARKDOWN" | "CSV", button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const document_ = await asStaff(() => call<{ content_type?: string; content?: string }>(
        "GET", `/v1/${annual.name}:export`, undefined, { query: { format, digits: digits.value } }));
      const url = URL.createObjectURL(new Blob([document_.content ?? ""],
        { type: document_.content_type ?? "text/plain; charset=utf-8" }));
      const link = h("a", { href: url, download: `annual-plan-${annual.be_year}.${format === "CSV" ? "csv" : "md"}`,
                            hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      replaceChildren(message, "ดาวน์โหลดแล้ว");
    } catch (error) {
      replaceChildren(message, errorText(error));
    } finally {
      button.disabled = false;
    }
  };
  const markdown = h("button", { type: "button", class: "secondary" }, "ดาวน์โหลด Markdown");
  const csv = h("button", { type: "button", class: "secondary" }, "ดาวน์โหลด CSV");
  markdown.addEventListener("click", () => void download("MARKDOWN", markdown));
  csv.addEventListener("click", () => void download("CSV", csv));
  return h("section", { class: "no-print", "aria-labelledby": "export-heading" },
    h("h2", { id: "export-heading" }, "ส่งออกตารางเพื่อเผยแพร่"),
    h("p", { class: "actions" }, h("label", { for: "export-digits" }, "ตัวเลข "), digits, " ", markdown, " ", csv),
    message);
}

function createForm(name: string, reload: () => void): HTMLElement {
  const form = h("form", { novalidate: true },
    h("p", { class: "actions" }, h("button", { type: "submit" }, "สร้างแผนประจำปีจากแผนห้าปี")));
  onSubmit(form, {
    busyLabel: "กำลังสร้าง…",
    send: async () => {
      const year = Number(name.split("/").pop());
      await asStaff(() => call("POST", `/v1/${planOf(name)}/annualPlans`, { be_year: year }));
      reload();
    },
  });
  return form;
}

export const annualPage = staffPage((main, params, account: Account) => {
  const name = params.get("name") ?? "";
  if (!ANNUAL_NAME.test(name)) {
    main.append(h("h1", null, "ไม่พบแผนประจำปี"), h("p", null, h("a", { href: "/staff/plans" }, "กลับไปที่รายการแผน")));
    return;
  }
  const year = Number(name.split("/").pop());
  const mayEdit = hasRole(account, "OPERATOR", "SYSTEM");
  const back = h("p", null, h("a", { href: planHref(planOf(name)) }, "← แผนห้าปี"));
  const load = () => {
    replaceChildren(main, h("p", { role: "status" }, "กำลังโหลด…"));
    asStaff(() => call<AnnualPlan>("GET", `/v1/${name}`)).then((annual) => {
      const editor = h("div");
      const edit = (index: number) => {
        replaceChildren(editor, entryForm(annual, index, load));
        editor.querySelector("input")?.focus();
      };
      replaceChildren(main, back,
        h("h1", null, `แผนประจำปี พ.ศ. ${thaiDigits(year)}`),
        h("p", null, h("a", { href: progressHref(name) }, "รายงานผลการดำเนินงาน รอบ ๖ เดือน และ ๑๒ เดือน")),
        h("div", { class: "table-scroll" }, annualTable(annual, mayEdit ? edit : null)),
        annual.note ? h("p", { class: "note" }, annual.note) : null,
        editor,
        reconciliation(annual),
        exportControls(annual));
    }, (error) => {
      if (error instanceof ApiError && error.code === "NOT_FOUND") {
        replaceChildren(main, back, h("h1", null, `แผนประจำปี พ.ศ. ${thaiDigits(year)}`),
          h("p", null, "ยังไม่มีแผนประจำปีของปีนี้"), mayEdit ? createForm(name, load) : null);
      } else {
        replaceChildren(main, back, h("p", { role: "alert" }, errorText(error)));
      }
    });
  };
  load();
});
