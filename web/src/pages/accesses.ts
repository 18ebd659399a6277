// `/staff/identity-accesses` (AUDITOR): who opened a protected identity,
// when, and the reason they gave, oldest first; and the check that the log
// is whole (VerifyIdentityAccessLog), with the head to keep for next time.

import { call, describeError } from "../api";
import { h, replaceChildren } from "../dom";
import { onSubmit, textField, valueOf } from "../forms";
import { arabicDigits, formatDateTime, thaiDigits } from "../thai";
import { asStaff } from "./signin";
import { organizationFor, staffPage } from "./staff";

interface IdentityAccess {
  complaint: string;
  reader: string;
  read_time?: string;
  reason?: string;
  sequence?: string; // int64 in JSON
}

interface LogHead {
  sequence?: string;
  entry_hash?: string;
}

interface Verification {
  intact?: boolean;
  entry_count?: string;
  head?: LogHead;
  broken_at_sequence?: string;
  problem?: string;
}

const KNOWN_HEAD = /^\s*([0-9๐-๙]+)\s*:\s*([0-9a-f]{64})\s*$/;

// The check of the log against its hash chain and, when pasted, a head an
// earlier check printed. The verdict is the service's; the problem text is
// its English sentence, shown as it is.
function verification(organization: string): HTMLElement {
  const head = textField({
    field: "known_head",
    label: "หัวบันทึกที่เก็บไว้จากการตรวจครั้งก่อน (ไม่บังคับ)",
    hint: "รูปแบบ ลำดับ:ค่าแฮช เช่น 12:3fa9… ตามที่การตรวจครั้งก่อนแสดง",
  });
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", { novalidate: true, "aria-labelledby": "verify-heading" },
    head.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "ตรวจความครบถ้วนของบันทึก")));
  onSubmit(form, {
    busyLabel: "กำลังตรวจ…",
    check: () => {
      const text = valueOf(head.input);
      return text === "" || KNOWN_HEAD.test(text)
        ? null
        : ["known_head", "ต้องเป็น ลำดับ:ค่าแฮช (เลขฐานสิบหก ๖๔ หลัก)"];
    },
    send: async () => {
      const known = KNOWN_HEAD.exec(valueOf(head.input));
      const query: Record<string, string> = {};
      if (known) {
        query["known_head.sequence"] = arabicDigits(known[1]);
        query["known_head.entry_hash"] = known[2];
      }
      const verdict = await asStaff(() => call<Verification>("GET",
        `/v1/organizations/${encodeURIComponent(organization)}/identityAccesses:verify`,
        undefined, { query }));
      const keep = `${verdict.head?.sequence ?? "0"}:${verdict.head?.entry_hash ?? ""}`;
      replaceChildren(result,
        verdict.intact
          ? h("p", { class: "verdict ok", role: "status" },
              `บันทึกครบถ้วน ไม่พบร่องรอยการลบหรือแก้ไข (${thaiDigits(verdict.entry_count ?? "0")} รายการ)`)
          : h("p", { class: "verdict broken", role: "alert" },
              `บันทึกไม่ครบถ้วน: เสียที่ลำดับ ${thaiDigits(verdict.broken_at_sequence ?? "0")} — `,
              h("span", { lang: "en" }, verdict.problem ?? "")),
        h("p", null, "เก็บหัวบันทึกนี้ไว้นอกระบบ เพื่อใช้ตรวจครั้งต่อไป: ",
          h("code", { class: "log-head" }, keep)));
    },
  });
  return h("section", { "aria-labelledby": "verify-heading" },
    h("h2", { id: "verify-heading" }, "ตรวจความครบถ้วนของบันทึก"),
    form, result);
}

export const accessesPage = staffPage((main, params, account) => {
  const organization = organizationFor(account, params);
  main.append(h("h1", null, "บันทึกการเปิดดูตัวตนผู้แจ้ง"));
  if (!organization) {
    main.append(h("p", null, "บัญชีนี้ยังไม่ได้ผูกกับหน่วยงาน"));
    return;
  }
  const body = h("div", null, h("p", { role: "status" }, "กำลังโหลด…"));
  main.append(h("p", { class: "lead" }, `หน่วยงาน ${organization}`), body,
    verification(organization));
  asStaff(() => call<{ accesses?: IdentityAccess[] }>(
    "GET", `/v1/organizations/${encodeURIComponent(organization)}/identityAccesses`,
    undefined, { query: { page_size: 1000 } })).then(
    (listed) => {
      const accesses = listed.accesses ?? [];
      replaceChildren(body, accesses.length === 0
        ? h("p", null, "ยังไม่มีการเปิดดู")
        : h("table", { class: "queue" },
            h("caption", null, `${accesses.length} ครั้ง`),
            h("thead", null, h("tr", null, ...["ลำดับ", "เวลา", "ผู้เปิดดู", "เรื่อง", "เหตุผล"]
              .map((title) => h("th", { scope: "col" }, title)))),
            h("tbody", null, ...accesses.map((access) => h("tr", null,
              h("td", null, thaiDigits(access.sequence ?? "")),
              h("td", null, formatDateTime(access.read_time)),
              h("td", null, access.reader),
              h("td", null, access.complaint.split("/").pop() ?? access.complaint),
              h("td", null, access.reason ?? ""))))));
    },
    (error) => replaceChildren(body, h("p", { role: "alert" }, describeError(error))));
});
