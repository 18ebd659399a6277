// Staff sign-in: `/signin?next=/staff`, and the same form in a dialog when
// a session ends while a page is open, so that what was typed there stays.

import { ApiError, call } from "../api";
import { h, replaceChildren } from "../dom";
import { onSubmit, textField, valueOf } from "../forms";
import { navigate } from "../router";
import {
  Account,
  changedPassword,
  currentAccount,
  login,
  signIn,
} from "../session";

// The sign-in form; `done` runs once signed in.
export function signInForm(done: (account: Account) => void): HTMLFormElement {
  const user = textField({ field: "login", label: "ชื่อผู้ใช้", required: true,
                           maxLength: 64, autocomplete: "username" });
  const password = textField({ field: "password", label: "รหัสผ่าน",
                               required: true, maxLength: 200,
                               autocomplete: "current-password" });
  password.input.setAttribute("type", "password");
  const totp = textField({ field: "totp_code", label: "รหัสจากแอปยืนยันตัวตน (6 หลัก)",
                           maxLength: 6, inputmode: "numeric",
                           autocomplete: "one-time-code" });
  totp.row.hidden = true;
  const form = h("form", { class: "signin", novalidate: true },
    user.row, password.row, totp.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "เข้าสู่ระบบ")));
  const errors = onSubmit(form, {
    busyLabel: "กำลังตรวจสอบ…",
    check: () => (valueOf(user.input) && password.input.value ? null
      : [valueOf(user.input) ? "password" : "login", "กรุณากรอกชื่อผู้ใช้และรหัสผ่าน"]),
    send: async () => {
      const account = await signIn(valueOf(user.input), password.input.value,
                                   valueOf(totp.input));
      password.input.value = "";
      done(account);
    },
    failed: (error) => {
      // The password was right; the account also needs its app's code
      // (FAILED_PRECONDITION "totp_code: ...").
      if (error instanceof ApiError && error.code === "FAILED_PRECONDITION" &&
          error.message.startsWith("totp_code") && totp.row.hidden) {
        totp.row.hidden = false;
        errors.fieldError("totp_code", "บัญชีนี้ต้องใช้รหัสจากแอปยืนยันตัวตน");
      } else if (error instanceof ApiError && error.code === "UNAUTHENTICATED") {
        errors.show("ชื่อผู้ใช้ รหัสผ่าน หรือรหัสยืนยันตัวตนไม่ถูกต้อง");
      } else if (error instanceof ApiError && error.code === "RESOURCE_EXHAUSTED") {
        errors.show("ลองเข้าสู่ระบบผิดหลายครั้ง กรุณารอสักครู่แล้วลองใหม่");
      } else {
        errors.apiError(error);
      }
    },
  });
  return form;
}

// Opens the sign-in form over the page; resolves once signed in again.
export function signInAgain(): Promise<Account> {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "signin-dialog",
                                 "aria-labelledby": "signin-again-heading" });
    dialog.append(
      h("h2", { id: "signin-again-heading" }, "กรุณาเข้าสู่ระบบอีกครั้ง"),
      h("p", null, "การเข้าสู่ระบบหมดอายุ ข้อมูลที่กรอกไว้ในหน้านี้ยังอยู่ ",
        "เมื่อเข้าสู่ระบบแล้วจะส่งต่อให้"),
      signInForm((account) => {
        dialog.close();
        dialog.remove();
        resolve(account);
      }));
    // The session must be renewed: Escape does not dismiss the dialog.
    dialog.addEventListener("cancel", (event) => event.preventDefault());
    document.body.append(dialog);
    dialog.showModal();
  });
}

// A staff page's call: when the session has ended, sign in again in place
// and make the call once more.
export async function asStaff<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== "UNAUTHENTICATED") {
      throw error;
    }
    await signInAgain();
    return run();
  }
}

function passwordForm(account: Account, next: string): HTMLFormElement {
  const current = textField({ field: "current_password", label: "รหัสผ่านปัจจุบัน",
                              required: true, autocomplete: "current-password" });
  const fresh = textField({ field: "new_password", label: "รหัสผ่านใหม่",
                            required: true, autocomplete: "new-password",
                            hint: "อย่างน้อย 12 ตัวอักษร และไม่ซ้ำกับชื่อผู้ใช้" });
  const again = textField({ field: "new_password_again", label: "รหัสผ่านใหม่อีกครั้ง",
                            required: true, autocomplete: "new-password" });
  for (const field of [current, fresh, again]) field.input.setAttribute("type", "password");
  const form = h("form", { novalidate: true }, current.row, fresh.row, again.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "เปลี่ยนรหัสผ่าน")));
  onSubmit(form, {
    busyLabel: "กำลังบันทึก…",
    check: () => (fresh.input.value === again.input.value ? null
      : ["new_password_again", "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน"]),
    send: async () => {
      await asStaff(() => call("POST", `/v1/accounts/${login(account)}:changePassword`, {
        current_password: current.input.value,
        new_password: fresh.input.value,
      }));
      await changedPassword();
      navigate(next);
    },
  });
  return form;
}

// Only paths of these pages: `next` must not send anyone elsewhere.
function safeNext(params: URLSearchParams): string {
  const next = params.get("next") ?? "/staff";
  return /^\/[a-z]/.test(next) && !next.startsWith("//") ? next : "/staff";
}

export function signInPage(main: HTMLElement, params: URLSearchParams): void {
  const next = safeNext(params);
  const done = (account: Account) =>
    account.password_must_change
      ? navigate(`/staff/password?next=${encodeURIComponent(next)}`)
      : navigate(next);
  replaceChildren(main,
    h("h1", null, "เข้าสู่ระบบเจ้าหน้าที่"),
    h("p", { class: "lead" }, "สำหรับเจ้าหน้าที่ขององค์กรปกครองส่วนท้องถิ่นและผู้ตรวจสอบ ",
      "ประชาชนร้องเรียนและติดตามเรื่องได้โดยไม่ต้องเข้าสู่ระบบ"),
    signInForm(done));
}

export function passwordPage(main: HTMLElement, params: URLSearchParams): void {
  const next = safeNext(params);
  replaceChildren(main, h("h1", null, "เปลี่ยนรหัสผ่าน"));
  void currentAccount().then((account) => {
    if (!account) {
      navigate(`/signin?next=${encodeURIComponent("/staff/password")}`);
      return;
    }
    if (account.password_must_change) {
      main.append(h("p", { class: "notice" },
        "รหัสผ่านนี้ใช้ได้ครั้งเดียว กรุณาตั้งรหัสผ่านใหม่ก่อนใช้งาน"));
    }
    main.append(passwordForm(account, next));
  });
}
