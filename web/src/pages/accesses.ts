// `/staff/identity-accesses` (AUDITOR): who opened a protected identity,
// when, and the reason they gave, oldest first.

import { call, describeError } from "../api";
import { h, replaceChildren } from "../dom";
import { formatDateTime } from "../thai";
import { asStaff } from "./signin";
import { organizationFor, staffPage } from "./staff";

interface IdentityAccess {
  complaint: string;
  reader: string;
  read_time?: string;
  reason?: string;
}

export const accessesPage = staffPage((main, params, account) => {
  const organization = organizationFor(account, params);
  main.append(h("h1", null, "บันทึกการเปิดดูตัวตนผู้แจ้ง"));
  if (!organization) {
    main.append(h("p", null, "บัญชีนี้ยังไม่ได้ผูกกับหน่วยงาน"));
    return;
  }
  const body = h("div", null, h("p", { role: "status" }, "กำลังโหลด…"));
  main.append(h("p", { class: "lead" }, `หน่วยงาน ${organization}`), body);
  asStaff(() => call<{ accesses?: IdentityAccess[] }>(
    "GET", `/v1/organizations/${encodeURIComponent(organization)}/identityAccesses`,
    undefined, { query: { page_size: 1000 } })).then(
    (listed) => {
      const accesses = listed.accesses ?? [];
      replaceChildren(body, accesses.length === 0
        ? h("p", null, "ยังไม่มีการเปิดดู")
        : h("table", { class: "queue" },
            h("caption", null, `${accesses.length} ครั้ง`),
            h("thead", null, h("tr", null, ...["เวลา", "ผู้เปิดดู", "เรื่อง", "เหตุผล"]
              .map((title) => h("th", { scope: "col" }, title)))),
            h("tbody", null, ...accesses.map((access) => h("tr", null,
              h("td", null, formatDateTime(access.read_time)),
              h("td", null, access.reader),
              h("td", null, access.complaint.split("/").pop() ?? access.complaint),
              h("td", null, access.reason ?? ""))))));
    },
    (error) => replaceChildren(body, h("p", { role: "alert" }, describeError(error))));
});
