// `/staff/retention` (EXECUTIVE, INTEGRITY_OFFICER, AUDITOR): how long the
// organization keeps the identities in its ended complaints (the PDPA
// retention policy; only the executive changes it), the erasures coming up
// within the warning period, and the log of what was erased.

import { call, describeError } from "../api";
import { h, replaceChildren } from "../dom";
import { numberOf, onSubmit, textField } from "../forms";
import { Account, hasRole } from "../session";
import { formatDate, formatDateTime, thaiDigits } from "../thai";
import { asStaff } from "./signin";
import { organizationFor, staffPage } from "./staff";

interface RetentionPolicy {
  name?: string;
  general_retention_days?: number;
  corruption_retention_days?: number;
  warning_days?: number;
  audit?: { updater?: string; update_time?: string };
}

interface PendingErasure {
  complaint: string;
  kind?: string;
  end_time?: string;
  erase_time?: string;
}

interface IdentityErasure {
  complaint: string;
  reason?: string;
  erased_fields?: string[];
  actor?: string;
  erase_time?: string;
  request_reference?: string;
}

const KIND = new Map([["GENERAL", "ทั่วไป"], ["CORRUPTION", "ทุจริต"]]);
const REASON = new Map([
  ["RETENTION_EXPIRED", "ครบระยะเวลาเก็บรักษา"],
  ["DATA_SUBJECT_REQUEST", "เจ้าของข้อมูลขอให้ลบ"],
]);
const FIELD = new Map([
  ["complainant", "ตัวตนผู้ร้อง"],
  ["accused", "ตัวตนผู้ถูกร้อง"],
  ["complainant.contact", "ช่องทางติดต่อผู้ร้อง"],
]);

function shortName(name: string): string {
  return name.split("/").pop() ?? name;
}

function table(caption: string, headings: string[], rows: HTMLElement[]): HTMLElement {
  return h("table", { class: "queue" },
    h("caption", null, caption),
    h("thead", null, h("tr", null,
      ...headings.map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", null, ...rows));
}

// The policy as figures and, for the executive, a form to change them.
function policySection(path: string, policy: RetentionPolicy,
                       account: Account): HTMLElement {
  const days = (value: number | undefined) => `${thaiDigits(String(value ?? 0))} วัน`;
  const generalDays = h("dd", null);
  const corruptionDays = h("dd", null);
  const warningDays = h("dd", null);
  const show = (shown: RetentionPolicy) => {
    generalDays.textContent = days(shown.general_retention_days);
    corruptionDays.textContent = days(shown.corruption_retention_days);
    warningDays.textContent = days(shown.warning_days);
  };
  show(policy);
  const section = h("section", { "aria-labelledby": "policy-heading" },
    h("h2", { id: "policy-heading" }, "ระยะเวลาเก็บข้อมูลตัวตน"),
    h("dl", { class: "policy" },
      h("dt", null, "เรื่องร้องเรียนทั่วไป"), generalDays,
      h("dt", null, "เรื่องร้องเรียนการทุจริต"), corruptionDays,
      h("dt", null, "แจ้งล่วงหน้าก่อนลบ"), warningDays),
    h("p", { class: "muted" }, "นับจากวันที่เรื่องสิ้นสุด (ปิดเรื่อง ส่งต่อ ไม่รับ หรือถอนเรื่อง) ",
      "เมื่อครบกำหนด ระบบลบชื่อและช่องทางติดต่อของผู้ร้องและผู้ถูกร้องอย่างถาวร ",
      "ตัวเรื่องและสถิติยังคงอยู่"));
  if (!hasRole(account, "EXECUTIVE")) return section;
  const general = textField({ field: "retention_policy.general_retention_days",
    label: "เรื่องทั่วไป (วัน, ๓๐–๓๖๕๐)", type: "text", inputmode: "numeric" });
  const corruption = textField({ field: "retention_policy.corruption_retention_days",
    label: "เรื่องการทุจริต (วัน, ๓๐–๓๖๕๐)", type: "text", inputmode: "numeric" });
  const warning = textField({ field: "retention_policy.warning_days",
    label: "แจ้งล่วงหน้า (วัน, ๑–๓๖๕)", type: "text", inputmode: "numeric" });
  general.input.value = String(policy.general_retention_days ?? "");
  corruption.input.value = String(policy.corruption_retention_days ?? "");
  warning.input.value = String(policy.warning_days ?? "");
  const saved = h("p", { "aria-live": "polite" });
  const form = h("form", { novalidate: true, "aria-label": "แก้ไขระยะเวลาเก็บข้อมูล" },
    general.row, corruption.row, warning.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "บันทึกระยะเวลา")));
  onSubmit(form, {
    busyLabel: "กำลังบันทึก…",
    check: () => {
      for (const [field, input] of [
        ["retention_policy.general_retention_days", general.input],
        ["retention_policy.corruption_retention_days", corruption.input],
        ["retention_policy.warning_days", warning.input]] as const) {
        const value = numberOf(input);
        if (value === undefined || !Number.isInteger(value)) return [field, "ต้องเป็นจำนวนวัน"];
      }
      return null;
    },
    send: async () => {
      const updated = await asStaff(() => call<RetentionPolicy>("PATCH", `/v1/${path}`, {
        name: path,
        general_retention_days: numberOf(general.input),
        corruption_retention_days: numberOf(corruption.input),
        warning_days: numberOf(warning.input),
      }));
      show(updated);
      replaceChildren(saved, h("span", { role: "status" },
        `บันทึกแล้ว: ทั่วไป ${thaiDigits(String(updated.general_retention_days))} วัน, ` +
        `ทุจริต ${thaiDigits(String(updated.corruption_retention_days))} วัน, ` +
        `แจ้งล่วงหน้า ${thaiDigits(String(updated.warning_days))} วัน ` +
        "(การลบตามระยะเวลาใหม่จะเริ่มหลังพ้นระยะแจ้งล่วงหน้า)"));
    },
  });
  section.append(form, saved);
  return section;
}

function pendingSection(erasures: PendingErasure[]): HTMLElement {
  return h("section", { "aria-labelledby": "pending-heading" },
    h("h2", { id: "pending-heading" }, "ข้อมูลตัวตนที่จะถูกลบเร็ว ๆ นี้"),
    erasures.length === 0
      ? h("p", null, "ไม่มีเรื่องที่จะถูกลบในระยะแจ้งล่วงหน้า")
      : table(`${thaiDigits(String(erasures.length))} เรื่อง`,
          ["จะลบเมื่อ", "เรื่องสิ้นสุดเมื่อ", "ประเภท", "เรื่อง"],
          erasures.map((pending) => h("tr", null,
            h("td", null, formatDateTime(pending.erase_time)),
            h("td", null, formatDate(pending.end_time)),
            h("td", null, KIND.get(pending.kind ?? "") ?? pending.kind ?? ""),
            h("td", null, shortName(pending.complaint))))));
}

function logSection(erasures: IdentityErasure[]): HTMLElement {
  return h("section", { "aria-labelledby": "erasures-heading" },
    h("h2", { id: "erasures-heading" }, "บันทึกการลบข้อมูลตัวตน"),
    erasures.length === 0
      ? h("p", null, "ยังไม่มีการลบ")
      : table(`${thaiDigits(String(erasures.length))} ครั้ง`,
          ["เวลา", "เหตุ", "ส่วนที่ลบ", "โดย", "เรื่อง"],
          erasures.map((erasure) => h("tr", null,
            h("td", null, formatDateTime(erasure.erase_time)),
            h("td", null, REASON.get(erasure.reason ?? "") ?? erasure.reason ?? "",
              erasure.request_reference ? ` (${erasure.request_reference})` : ""),
            h("td", null, (erasure.erased_fields ?? [])
              .map((field) => FIELD.get(field) ?? field).join(", ")),
            h("td", null, erasure.actor === "retention" ? "ระบบ" : erasure.actor ?? ""),
            h("td", null, shortName(erasure.complaint))))));
}

export const retentionPage = staffPage((main, params, account) => {
  const organization = organizationFor(account, params);
  main.append(h("h1", null, "การเก็บรักษาข้อมูลตัวตน (PDPA)"));
  if (!organization) {
    main.append(h("p", null, "บัญชีนี้ยังไม่ได้ผูกกับหน่วยงาน"));
    return;
  }
  const parent = `organizations/${encodeURIComponent(organization)}`;
  const policyPath = `${parent}/retentionPolicy`;
  const body = h("div", null, h("p", { role: "status" }, "กำลังโหลด…"));
  main.append(h("p", { class: "lead" }, `หน่วยงาน ${organization}`), body);
  const readsErasures = hasRole(account, "INTEGRITY_OFFICER", "AUDITOR");
  const list = <T>(collection: string) => readsErasures
    ? asStaff(() => call<{ erasures?: T[] }>("GET", `/v1/${parent}/${collection}`,
        undefined, { query: { page_size: 1000 } })).then((listed) => listed.erasures ?? [])
    : Promise.resolve(null);
  Promise.all([
    asStaff(() => call<RetentionPolicy>("GET", `/v1/${policyPath}`)),
    list<PendingErasure>("pendingErasures"),
    list<IdentityErasure>("identityErasures"),
  ]).then(
    ([policy, pending, erased]) => replaceChildren(body,
      policySection(policyPath, policy, account),
      pending ? pendingSection(pending) : null,
      erased ? logSection(erased) : null),
    (error) => replaceChildren(body, h("p", { role: "alert" }, describeError(error))));
});
