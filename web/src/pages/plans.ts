// `/staff/plans?org=CODE`: an organization's anti-corruption action plans
// (แผนปฏิบัติการป้องกันการทุจริต) and, for an OPERATOR, importing one from the
// text of its NACC-template document (document_import.ts shows what the
// service finds under the line it names).

import { call, describeError } from "../api";
import { documentImportForm, notStored } from "../document_import";
import { append, h, replaceChildren } from "../dom";
import { nameOf } from "../labels";
import {
  ActionPlan,
  AnnualPlan,
  Finding,
  listAll,
  PLAN_STATE_NAMES,
  Project,
} from "../plan_api";
import { hasRole } from "../session";
import { formatDate, formatYearSpan, thaiDigits } from "../thai";
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

function importOutcome(answer: ImportAnswer, validateOnly: boolean): HTMLElement {
  const plan = answer.action_plan;
  if (!plan?.name) return notStored(validateOnly, `${thaiDigits(answer.projects?.length ?? 0)} โครงการ`);
  return h("p", { class: "notice stored" }, "บันทึกแผนแล้ว: ",
    h("a", { href: planHref(plan.name) }, plan.title || plan.name),
    ` (${formatYearSpan(plan.fiscal_years)}, ${thaiDigits(answer.projects?.length ?? 0)} โครงการ`,
    answer.annual_plan ? `, แผนประจำปี ${thaiDigits(answer.annual_plan.be_year)}` : "", ")");
}

function importForm(organization: string, reload: () => void): HTMLElement {
  return documentImportForm<ImportAnswer>({
    id: "plan",
    heading: "นำเข้าแผนจากเอกสาร",
    fileLabel: "ไฟล์เอกสารแผน (.txt)",
    hint: "ข้อความล้วน (UTF-8) ของเอกสารตามแบบของ ป.ป.ช. ไม่เกิน ๓ MB",
    submitLabel: "นำเข้าแผน",
    send: (text, validateOnly, requestId) => asStaff(() => call<ImportAnswer>(
      "POST", `/v1/organizations/${encodeURIComponent(organization)}/actionPlans:import`,
      { text, validate_only: validateOnly, request_id: requestId })),
    outcome: importOutcome,
    stored: (answer) => !!answer.action_plan?.name,
    onStored: reload,
  });
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
