// `/staff/accounts` (SYSTEM): staff accounts: create one (its one-time
// password is shown once, to hand over), reset a password, disable or
// enable an account.

import { call, describeError } from "../api";
import { h, replaceChildren } from "../dom";
import { onSubmit, textField, valueOf } from "../forms";
import { Account, login } from "../session";
import { asStaff } from "./signin";
import { staffPage } from "./staff";

interface ManagedAccount extends Account {
  disabled?: boolean;
  etag?: string;
  initial_password?: string;
}

const ROLE_NAMES: Record<string, string> = {
  OPERATOR: "เจ้าหน้าที่ผู้ปฏิบัติงาน (OPERATOR)",
  INTEGRITY_OFFICER: "เจ้าหน้าที่ด้านความซื่อตรง (INTEGRITY_OFFICER)",
  EXECUTIVE: "ผู้บริหาร (EXECUTIVE)",
  AUDITOR: "ผู้ตรวจสอบ (AUDITOR)",
  SYSTEM: "ผู้ดูแลระบบ (SYSTEM)",
};

function oneTimePassword(account: ManagedAccount): HTMLElement {
  return h("div", { class: "filed", role: "status" },
    h("p", null, `รหัสผ่านใช้ครั้งเดียวของ ${login(account)} (แสดงครั้งเดียว ส่งให้เจ้าของบัญชีทางช่องทางที่ปลอดภัย):`),
    h("output", { class: "tracking-code", id: "one-time-password" }, account.initial_password ?? ""));
}

function createForm(shown: HTMLElement, reload: () => void): HTMLFormElement {
  const id = textField({ field: "account_id", label: "ชื่อผู้ใช้", required: true, maxLength: 64,
                         hint: "3-64 ตัว: a-z 0-9 . _ -" });
  const display = textField({ field: "account.display_name", label: "ชื่อ-นามสกุล", required: true,
                              maxLength: 200 });
  const organizations = textField({ field: "account.organizations", label: "รหัสหน่วยงาน",
                                    hint: "คั่นด้วยจุลภาค หรือ * สำหรับทุกหน่วยงาน" });
  const roles = Object.entries(ROLE_NAMES).map(([role, label]) => {
    const box = h("input", { type: "checkbox", name: "roles", value: role, id: `role-${role}` });
    return { role, box, row: h("div", { class: "choice" }, box, h("label", { for: box.id }, ` ${label}`)) };
  });
  const form = h("form", { novalidate: true, "aria-labelledby": "create-heading" },
    h("h2", { id: "create-heading" }, "สร้างบัญชี"),
    id.row, display.row,
    h("fieldset", { class: "field", "data-field": "account.roles" }, h("legend", null, "บทบาท"),
      ...roles.map((r) => r.row), h("p", { class: "field-error", hidden: true })),
    organizations.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "สร้างบัญชี")));
  onSubmit(form, {
    busyLabel: "กำลังสร้าง…",
    send: async () => {
      const codes = valueOf(organizations.input);
      const created = await asStaff(() => call<ManagedAccount>("POST", "/v1/accounts", {
        display_name: valueOf(display.input),
        roles: roles.filter((r) => r.box.checked).map((r) => r.role),
        all_organizations: codes === "*",
        organizations: codes === "*" ? [] : codes.split(/[,\s]+/).filter(Boolean),
      }, { query: { account_id: valueOf(id.input) } }));
      replaceChildren(shown, oneTimePassword(created));
      form.reset();
      reload();
    },
  });
  return form;
}

function accountRow(account: ManagedAccount, shown: HTMLElement,
                    reload: () => void): HTMLElement {
  const reset = h("button", { type: "button", class: "secondary" }, "รีเซ็ตรหัสผ่าน");
  reset.addEventListener("click", async () => {
    if (!window.confirm(`รีเซ็ตรหัสผ่านของ ${login(account)}? การเข้าสู่ระบบที่เปิดอยู่จะถูกปิด`)) return;
    try {
      const updated = await asStaff(() => call<ManagedAccount>(
        "POST", `/v1/${account.name}:resetPassword`, {}));
      replaceChildren(shown, oneTimePassword(updated));
    } catch (error) {
      replaceChildren(shown, h("p", { role: "alert" }, describeError(error)));
    }
  });
  const toggle = h("button", { type: "button", class: "secondary" },
    account.disabled ? "เปิดใช้บัญชี" : "ปิดใช้บัญชี");
  toggle.addEventListener("click", async () => {
    try {
      await asStaff(() => call("PATCH", `/v1/${account.name}`,
        { name: account.name, disabled: !account.disabled, etag: account.etag },
        { query: { update_mask: "disabled" } }));
      reload();
    } catch (error) {
      replaceChildren(shown, h("p", { role: "alert" }, describeError(error)));
    }
  });
  return h("tr", null,
    h("td", null, login(account)),
    h("td", null, account.display_name),
    h("td", null, (account.roles ?? []).join(", ")),
    h("td", null, account.all_organizations ? "ทุกหน่วยงาน" : (account.organizations ?? []).join(", ")),
    h("td", null, account.disabled ? "ปิดใช้" : "ใช้งาน", account.totp_enabled ? " · TOTP" : ""),
    h("td", { class: "actions" }, reset, toggle));
}

export const accountsPage = staffPage((main) => {
  const shown = h("div", { "aria-live": "polite" });
  const list = h("div", null);
  const reload = () => {
    asStaff(() => call<{ accounts?: ManagedAccount[] }>("GET", "/v1/accounts", undefined,
                                                        { query: { page_size: 1000 } })).then(
      (listed) => replaceChildren(list, h("table", { class: "queue" },
        h("caption", null, "บัญชีเจ้าหน้าที่"),
        h("thead", null, h("tr", null, ...["ชื่อผู้ใช้", "ชื่อ", "บทบาท", "หน่วยงาน", "สถานะ", ""]
          .map((title) => h("th", { scope: "col" }, title)))),
        h("tbody", null, ...(listed.accounts ?? []).map((a) => accountRow(a, shown, reload))))),
      (error) => replaceChildren(list, h("p", { role: "alert" }, describeError(error))));
  };
  replaceChildren(main, h("h1", null, "บัญชีผู้ใช้"), shown, createForm(shown, reload), list);
  reload();
});
