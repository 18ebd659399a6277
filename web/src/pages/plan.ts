// `/staff/plan?name=organizations/X/actionPlans/Y`: one 5-year action plan
// as its budget table (dimensions → missions → projects, the planned
// budget of each fiscal year in baht), its state, and for an executive the
// approval (DRAFT → APPROVED) and the announcement (APPROVED → ANNOUNCED).

import { call } from "../api";
import { h, replaceChildren } from "../dom";
import { nameOf } from "../labels";
import {
  ActionPlan,
  Dimension,
  errorText,
  findingItem,
  isStale,
  listAll,
  Mission,
  PLAN_NAME,
  PLAN_STATE_NAMES,
  Project,
} from "../plan_api";
import { Account, hasRole } from "../session";
import { formatBaht, formatDateTime, formatYearSpan, Money, thaiDigits } from "../thai";
import { asStaff } from "./signin";
import { staffPage } from "./staff";

export function annualHref(planName: string, year: number): string {
  return `/staff/annual?name=${encodeURIComponent(`${planName}/annualPlans/${year}`)}`;
}

function yearsOf(plan: ActionPlan): number[] {
  const first = plan.fiscal_years?.first_be_year ?? 0;
  const last = plan.fiscal_years?.last_be_year ?? first;
  const years: number[] = [];
  for (let year = first; year && year <= last; year++) years.push(year);
  return years;
}

// The planned amount of `year`: "-" when the year is not scheduled, "ไม่ทราบ"
// when scheduled with no amount known.
function budgetCell(project: Project, year: number): HTMLElement {
  const budget = project.budgets?.find((b) => b.be_year === year);
  if (!budget) return h("td", { class: "money" }, "-");
  return h("td", { class: "money" }, budget.planned ? formatBaht(budget.planned, true) : "ไม่ทราบ");
}

function sum(projects: Project[], year: number): Money {
  let satang = 0n;
  for (const project of projects) {
    const planned = project.budgets?.find((b) => b.be_year === year)?.planned;
    satang += BigInt(planned?.satang ?? 0);
  }
  return { satang: String(satang) };
}

function budgetTable(plan: ActionPlan, projects: Project[]): HTMLElement {
  const years = yearsOf(plan);
  const columns = 2 + years.length;
  const dimensions: Dimension[] = [...(plan.dimensions ?? [])];
  for (const project of projects) {
    const number = project.dimension ?? Number((project.mission_code ?? "").split(".")[0]);
    if (number && !dimensions.some((d) => d.number === number)) dimensions.push({ number });
  }
  dimensions.sort((a, b) => a.number - b.number);
  const placed = new Set<Project>();
  const projectRow = (project: Project, depth: number) => {
    placed.add(project);
    return h("tr", { class: "project", "data-project": project.name },
      h("td", null, thaiDigits(project.sequence ?? "")),
      h("th", { scope: "row", class: `depth-${depth}` }, project.title ?? project.name),
      ...years.map((year) => budgetCell(project, year)));
  };
  const missionRows = (mission: Mission, depth: number): HTMLElement[] => [
    h("tr", { class: "mission" }, h("th", { scope: "rowgroup", colspan: columns, class: `depth-${depth}` },
      `${thaiDigits(mission.code)} ${mission.title ?? ""}`)),
    ...projects.filter((p) => p.mission_code === mission.code).map((p) => projectRow(p, depth + 1)),
    ...(mission.sub_missions ?? []).flatMap((sub) => missionRows(sub, depth + 1)),
  ];
  const bodies = dimensions.map((dimension) => {
    const mine = projects.filter((p) =>
      (p.dimension ?? Number((p.mission_code ?? "").split(".")[0])) === dimension.number);
    const rows = (dimension.missions ?? []).flatMap((m) => missionRows(m, 1));
    const rest = mine.filter((p) => !placed.has(p)).map((p) => projectRow(p, 1));
    return h("tbody", { "data-dimension": dimension.number },
      h("tr", { class: "dimension" }, h("th", { scope: "rowgroup", colspan: columns },
        `มิติที่ ${thaiDigits(dimension.number)} ${dimension.title ?? ""}`)),
      ...rows, ...rest,
      h("tr", { class: "subtotal" }, h("td", null, ""),
        h("th", { scope: "row" }, `รวมมิติที่ ${thaiDigits(dimension.number)} จำนวน ${thaiDigits(mine.length)} โครงการ`),
        ...years.map((year) => h("td", { class: "money" }, formatBaht(sum(mine, year), true)))));
  });
  return h("table", { class: "figures plan-budget" },
    h("caption", null, "งบประมาณตามแผน (บาท) แยกตามมิติ ภารกิจ และปีงบประมาณ"),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "ลำดับ"),
      h("th", { scope: "col" }, "มิติ / ภารกิจ / โครงการ"),
      ...years.map((year) => h("th", { scope: "col" }, `พ.ศ. ${thaiDigits(year)}`)))),
    ...bodies,
    h("tfoot", null, h("tr", { class: "total" }, h("td", null, ""),
      h("th", { scope: "row" }, `รวมทั้งสิ้น จำนวน ${thaiDigits(projects.length)} โครงการ`),
      ...years.map((year) => h("td", { class: "money" }, formatBaht(sum(projects, year), true))))));
}

// Approve / announce, with the etag the page read: a plan someone changed
// meanwhile is refused (ABORTED) rather than approved unseen.
function decisions(plan: ActionPlan, account: Account, reload: () => void): HTMLElement | null {
  if (!hasRole(account, "EXECUTIVE", "SYSTEM")) return null;
  const moves: [string, string, string][] = [];
  if (plan.state === "DRAFT") moves.push(["approve", "อนุมัติแผน", "กำลังอนุมัติ…"]);
  if (plan.state === "APPROVED") moves.push(["announce", "ประกาศใช้แผน", "กำลังประกาศใช้…"]);
  if (moves.length === 0) return null;
  const message = h("div", { role: "alert", class: "form-error", hidden: true });
  const box = h("section", { class: "decisions", "aria-labelledby": "decisions-heading" },
    h("h2", { id: "decisions-heading" }, "การอนุมัติและประกาศใช้"), message);
  for (const [verb, label, busy] of moves) {
    const button = h("button", { type: "button" }, label);
    button.addEventListener("click", async () => {
      button.disabled = true;
      button.textContent = busy;
      message.hidden = true;
      try {
        await asStaff(() => call("POST", `/v1/${plan.name}:${verb}`, { etag: plan.etag }));
        reload();
      } catch (error) {
        replaceChildren(message, errorText(error),
          isStale(error) ? h("button", { type: "button", class: "secondary", onclick: reload }, " โหลดข้อมูลล่าสุด") : null);
        message.hidden = false;
        button.disabled = false;
        button.textContent = label;
      }
    });
    box.append(h("p", { class: "actions" }, button));
  }
  return box;
}

export const planPage = staffPage((main, params, account) => {
  const name = params.get("name") ?? "";
  if (!PLAN_NAME.test(name)) {
    main.append(h("h1", null, "ไม่พบแผน"), h("p", null, h("a", { href: "/staff/plans" }, "กลับไปที่รายการแผน")));
    return;
  }
  const organization = name.split("/")[1];
  const load = () => {
    replaceChildren(main, h("p", { role: "status" }, "กำลังโหลด…"));
    Promise.all([
      asStaff(() => call<ActionPlan>("GET", `/v1/${name}`)),
      asStaff(() => listAll<Project>(`/v1/${name}/projects`, "projects")),
    ]).then(([plan, projects]) => {
      const findings = plan.import_findings ?? [];
      replaceChildren(main,
        h("p", null, h("a", { href: `/staff/plans?org=${encodeURIComponent(organization)}` }, "← แผนของหน่วยงาน")),
        h("h1", null, plan.title || name),
        h("dl", { class: "summary" },
          h("dt", null, "หน่วยงาน"), h("dd", null, `${plan.organization?.name ?? ""} (${organization})`),
          h("dt", null, "ปีงบประมาณ"), h("dd", null, formatYearSpan(plan.fiscal_years)),
          h("dt", null, "สถานะ"), h("dd", { class: "plan-state" }, nameOf(PLAN_STATE_NAMES, plan.state)),
          plan.approve_time ? h("dt", null, "อนุมัติเมื่อ") : null,
          plan.approve_time ? h("dd", null, `${formatDateTime(plan.approve_time)} โดย ${plan.approver ?? "-"}`) : null,
          plan.announce_time ? h("dt", null, "ประกาศใช้เมื่อ") : null,
          plan.announce_time ? h("dd", null, formatDateTime(plan.announce_time)) : null),
        decisions(plan, account, load),
        h("h2", null, "แผนประจำปีและการรายงานผล"),
        h("ul", { class: "years" }, ...yearsOf(plan).map((year) => h("li", null,
          h("a", { href: annualHref(name, year) }, `แผนประจำปี พ.ศ. ${thaiDigits(year)}`)))),
        h("h2", null, "โครงการตามแผนห้าปี"),
        h("div", { class: "table-scroll" }, budgetTable(plan, projects)),
        findings.length > 0 ? h("details", { class: "import-findings" },
          h("summary", null, `สิ่งที่พบตอนนำเข้าเอกสาร (${thaiDigits(findings.length)} รายการ)`),
          h("ul", { class: "findings" }, ...findings.map((f) => findingItem(f)))) : null);
    }, (error) => replaceChildren(main, h("p", { role: "alert" }, errorText(error))));
  };
  load();
});
