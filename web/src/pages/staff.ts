// `/staff`: what a signed-in staff member can open, by role. Every staff
// page goes through `staffPage`, which sends a visitor who is not signed in
// to the sign-in page (and back), and one whose one-time password is still
// set to change it first.

import { h, replaceChildren } from "../dom";
import { navigate, Page } from "../router";
import { Account, currentAccount, hasRole, login, signOut } from "../session";
import { describeError } from "../api";

export type StaffPage = (
  main: HTMLElement,
  params: URLSearchParams,
  account: Account,
) => void;

export function staffPage(page: StaffPage): Page {
  return (main, params) => {
    const here = location.pathname + location.search;
    replaceChildren(main, h("p", { role: "status" }, "กำลังโหลด…"));
    currentAccount().then(
      (account) => {
        if (!account) {
          navigate(`/signin?next=${encodeURIComponent(here)}`);
        } else if (account.password_must_change &&
                   location.pathname !== "/staff/password") {
          navigate(`/staff/password?next=${encodeURIComponent(here)}`);
        } else {
          replaceChildren(main);
          page(main, params, account);
        }
      },
      (error) => replaceChildren(main, h("p", { role: "alert" }, describeError(error))),
    );
  };
}

// The organization a staff page works on: `?org=` when the account covers
// it, else the account's first.
export function organizationFor(account: Account,
                                params: URLSearchParams): string | null {
  const asked = params.get("org");
  const own = account.organizations ?? [];
  if (asked && (account.all_organizations || own.includes(asked))) return asked;
  return own[0] ?? asked ?? null;
}

export const staffHome = staffPage((main, _params, account) => {
  const links: [string, string, string][] = [];
  if (hasRole(account, "OPERATOR", "INTEGRITY_OFFICER", "SYSTEM")) {
    links.push(["/staff/complaints", "งานเรื่องร้องเรียน",
                "เรื่องที่ต้องดำเนินการ เรื่องเกินกำหนดและใกล้ครบกำหนดก่อน"]);
  }
  if (hasRole(account, "EXECUTIVE", "OPERATOR", "SYSTEM", "AUDITOR")) {
    links.push(["/staff/ita", "ผลการประเมิน ITA",
                "คะแนนและระดับรายปี จุดแข็ง จุดอ่อน เทียบกับหน่วยงานอื่น และมาตรการที่แนะนำ"]);
  }
  if (hasRole(account, "OPERATOR", "EXECUTIVE", "SYSTEM")) {
    links.push(["/staff/plans", "แผนปฏิบัติการป้องกันการทุจริต",
                "แผนห้าปี แผนประจำปี การอนุมัติและประกาศใช้ และการรายงานผลรอบ ๖ และ ๑๒ เดือน"]);
  }
  if (hasRole(account, "SYSTEM", "AUDITOR", "OPERATOR", "EXECUTIVE")) {
    links.push(["/staff/oversight", "กำกับติดตามหน่วยงาน",
                "สถานะของหน่วยงานรายจังหวัด อำเภอ หรือทั้งประเทศ: แผนตามเกณฑ์ LPA ผล ITA และเรื่องร้องเรียน"]);
  }
  if (hasRole(account, "AUDITOR")) {
    links.push(["/staff/identity-accesses", "บันทึกการเปิดดูตัวตนผู้แจ้ง",
                "ใครเปิดดูข้อมูลผู้แจ้งเบาะแสการทุจริต เมื่อใด และด้วยเหตุผลใด"]);
  }
  if (hasRole(account, "EXECUTIVE", "INTEGRITY_OFFICER", "AUDITOR")) {
    links.push(["/staff/retention", "การเก็บรักษาข้อมูลตัวตน (PDPA)",
                "ระยะเวลาเก็บชื่อผู้ร้องและผู้ถูกร้องหลังเรื่องสิ้นสุด เรื่องที่จะถูกลบ และบันทึกการลบ"]);
  }
  if (hasRole(account, "SYSTEM")) {
    links.push(["/staff/accounts", "บัญชีผู้ใช้", "สร้างบัญชีเจ้าหน้าที่ กำหนดบทบาท รีเซ็ตรหัสผ่าน"]);
  }
  links.push(["/staff/password", "เปลี่ยนรหัสผ่าน", ""]);
  links.push(["/staff/security", "ความปลอดภัยของบัญชี",
              "รหัสจากแอปยืนยันตัวตน (TOTP) เมื่อเข้าสู่ระบบ"]);
  replaceChildren(main,
    h("h1", null, "งานของเจ้าหน้าที่"),
    h("p", { class: "lead" }, `${account.display_name} (${login(account)})`),
    h("ul", { class: "cards" }, ...links.map(([href, title, text]) =>
      h("li", { class: "card" }, h("h2", null, h("a", { href }, title)),
        text ? h("p", { class: "muted" }, text) : null))),
    h("p", { class: "actions" }, h("button", {
      type: "button",
      class: "secondary",
      onclick: () => void signOut().then(() => navigate("/")),
    }, "ออกจากระบบ")));
});
