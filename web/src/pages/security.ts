// `/staff/security`: the signed-in person's second factor: enroll an
// authenticator app (TOTP), confirm it with a code, or turn it off with the
// password.

import { call, describeError } from "../api";
import { h, replaceChildren } from "../dom";
import { onSubmit, textField, valueOf } from "../forms";
import { Account, login } from "../session";
import { asStaff } from "./signin";
import { staffPage } from "./staff";

interface Enrollment {
  secret: string;
  uri: string;
}

function enrollView(account: Account, body: HTMLElement): HTMLElement {
  const start = h("button", { type: "button" }, "เริ่มใช้แอปยืนยันตัวตน");
  start.addEventListener("click", async () => {
    let enrollment: Enrollment;
    try {
      enrollment = await asStaff(() => call<Enrollment>(
        "POST", `/v1/accounts/${login(account)}:enrollTotp`, {}));
    } catch (error) {
      replaceChildren(body, h("p", { role: "alert" }, describeError(error)));
      return;
    }
    const code = textField({ field: "code", label: "รหัส 6 หลักที่แอปแสดงตอนนี้",
                             required: true, maxLength: 6, inputmode: "numeric",
                             autocomplete: "one-time-code" });
    const form = h("form", { novalidate: true }, code.row,
      h("p", { class: "actions" }, h("button", { type: "submit" }, "ยืนยัน")));
    onSubmit(form, {
      busyLabel: "กำลังตรวจสอบ…",
      send: async () => {
        await asStaff(() => call("POST", `/v1/accounts/${login(account)}:confirmTotp`,
                                 { code: valueOf(code.input) }));
        replaceChildren(body, h("p", { role: "status", class: "notice" },
          "เปิดใช้แล้ว ครั้งต่อไปที่เข้าสู่ระบบจะถามรหัสจากแอป"));
      },
    });
    replaceChildren(body,
      h("p", null, "เพิ่มบัญชีในแอปยืนยันตัวตน (เช่น Google Authenticator) ด้วยรหัสลับนี้ ",
        "แล้วกรอกรหัส 6 หลักที่แอปแสดง"),
      h("p", { class: "label" }, "รหัสลับ"),
      h("output", { class: "tracking-code", id: "totp-secret" }, enrollment.secret),
      h("p", { class: "muted" }, enrollment.uri),
      form);
  });
  return start;
}

function disableForm(account: Account, body: HTMLElement): HTMLElement {
  const password = textField({ field: "password", label: "รหัสผ่าน", required: true,
                               autocomplete: "current-password" });
  password.input.setAttribute("type", "password");
  const form = h("form", { novalidate: true }, password.row,
    h("p", { class: "actions" },
      h("button", { type: "submit", class: "secondary" }, "เลิกใช้แอปยืนยันตัวตน")));
  onSubmit(form, {
    busyLabel: "กำลังบันทึก…",
    send: async () => {
      await asStaff(() => call("POST", `/v1/accounts/${login(account)}:disableTotp`,
                               { password: password.input.value }));
      replaceChildren(body, h("p", { role: "status" }, "เลิกใช้แล้ว"));
    },
  });
  return form;
}

export const securityPage = staffPage((main, _params, account) => {
  const body = h("div", { "aria-live": "polite" });
  replaceChildren(main, h("h1", null, "ความปลอดภัยของบัญชี"),
    h("p", { class: "lead" }, account.totp_enabled
      ? "บัญชีนี้ใช้รหัสจากแอปยืนยันตัวตนเมื่อเข้าสู่ระบบ"
      : "เพิ่มความปลอดภัยด้วยรหัสจากแอปยืนยันตัวตนทุกครั้งที่เข้าสู่ระบบ"),
    body);
  body.append(account.totp_enabled ? disableForm(account, body)
                                   : enrollView(account, body));
});
