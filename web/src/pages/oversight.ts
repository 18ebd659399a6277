// `/staff/oversight?year=2569&province=…&district=…&kind=…&order=…&size=…`:
// the standing of a group of organizations (a province, a district, a kind,
// or the whole country) for one fiscal year, as OversightService gives it:
// the group's totals on the four LPA planning requirements, ITA and
// complaints, then one row per organization, sortable by the columns the
// API can order by, a page at a time, and the whole group as the CSV the
// users take into a spreadsheet. SYSTEM and AUDITOR see every organization;
// an OPERATOR or EXECUTIVE only its own (the service decides which).
// The filters and the order live in the URL (a view can be shared and
// reloaded); the pages of one view are walked with the API's page tokens.

import { call, describeError, OrganizationRef } from "../api";
import { h, replaceChildren } from "../dom";
import { onSubmit, selectField, textField, valueOf } from "../forms";
import { nameOf, ORGANIZATION_KIND_NAMES } from "../labels";
import { PLAN_STATE_NAMES } from "../plan_api";
import { navigate } from "../router";
import { hasRole } from "../session";
import { arabicDigits, fiscalYearOf, formatFigure, thaiDigits } from "../thai";
import { asStaff } from "./signin";
import { staffPage } from "./staff";

// --- The API's messages (oversight.proto), as the /v1 JSON carries them. ---

interface PlanStanding {
  action_plan?: string;
  action_plan_state?: string;
  announce_time?: string;
  annual_plan?: string;
  half_year_report_time?: string;
  full_year_report_time?: string;
  lpa_requirements_met?: number;
  measures?: number;
  measures_answering_weaknesses?: number;
  late_measures?: number;
  previous_year_weaknesses?: string[];
}

interface ItaStanding {
  assessment?: string;
  score?: number;
  grade?: string;
  rank?: number;
}

// int64 figures arrive as strings.
interface ComplaintStanding {
  received?: string;
  open?: string;
  overdue?: string;
  percent_resolved_within_sla?: number;
  percent_satisfied?: number;
  general_only?: boolean;
}

interface OrganizationStanding {
  organization?: OrganizationRef;
  plan?: PlanStanding;
  ita?: ItaStanding;
  complaints?: ComplaintStanding;
}

interface StandingTotals {
  organizations?: number;
  plan_covers_year?: number;
  plan_announced?: number;
  annual_plan?: number;
  half_year_report?: number;
  full_year_report?: number;
  all_lpa_requirements?: number;
  measures?: number;
  measures_answering_weaknesses?: number;
  late_measures?: number;
  ita_scored?: number;
  mean_ita_score?: number;
  ita_passed?: number;
  complaints_received?: string;
  complaints_open?: string;
  complaints_overdue?: string;
}

interface StandingsPage {
  standings?: OrganizationStanding[];
  next_page_token?: string;
  total_size?: number;
  totals?: StandingTotals;
  missing?: string[];
}

// --- What the page shows: the view the URL names. ---

interface View {
  year: number;
  province: string;
  district: string;
  kind: string;
  order: string; // the API's order_by, e.g. "ita_score desc"
  size: number; // page_size; 0 is the service's default (50)
}

const FIRST_YEAR = 2500;
const LAST_YEAR = 2700;

function viewOf(params: URLSearchParams): View {
  const year = Number(arabicDigits(params.get("year") ?? ""));
  const size = Number(arabicDigits(params.get("size") ?? ""));
  const kind = params.get("kind") ?? "";
  return {
    year: Number.isInteger(year) && year >= FIRST_YEAR && year <= LAST_YEAR
      ? year : fiscalYearOf(new Date()),
    province: (params.get("province") ?? "").trim(),
    district: (params.get("district") ?? "").trim(),
    kind: Object.hasOwn(ORGANIZATION_KIND_NAMES, kind) ? kind : "",
    order: (params.get("order") ?? "").trim(),
    size: Number.isInteger(size) && size > 0 && size <= 500 ? size : 0,
  };
}

function hrefOf(view: View): string {
  const params = new URLSearchParams({ year: String(view.year) });
  if (view.province) params.set("province", view.province);
  if (view.district) params.set("district", view.district);
  if (view.kind) params.set("kind", view.kind);
  if (view.order) params.set("order", view.order);
  if (view.size) params.set("size", String(view.size));
  return `/staff/oversight?${params.toString()}`;
}

// The query parameters of StandingQuery (`query.fiscal_year.be_year=...`).
function queryOf(view: View): Record<string, string | number | undefined> {
  return {
    "query.fiscal_year.be_year": view.year,
    "query.province": view.province || undefined,
    "query.district": view.district || undefined,
    "query.kind": view.kind || undefined,
    "query.order_by": view.order || undefined,
  };
}

// --- Formatting. ---

const shortDate = new Intl.DateTimeFormat("th-TH-u-ca-buddhist", {
  timeZone: "Asia/Bangkok",
  day: "numeric",
  month: "short",
  year: "numeric",
});

function dateText(timestamp: string | undefined): string {
  return timestamp ? shortDate.format(new Date(timestamp)) : "";
}

const percentFormat = new Intl.NumberFormat("th-TH", { maximumFractionDigits: 1 });

function percentOf(count: number | string | undefined, of: number): string {
  if (!of) return "-";
  return `${percentFormat.format((Number(count ?? 0) * 100) / of)}%`;
}

function scoreText(score: number | undefined): string {
  return score === undefined ? "-"
    : new Intl.NumberFormat("th-TH", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(score);
}

// A requirement's cell: a mark a screen reader reads as words, and the date.
function mark(met: boolean, detail: string): HTMLElement {
  return h("td", { class: `mark ${met ? "yes" : "no"}`, "data-met": String(met) },
    h("span", { class: "symbol", "aria-hidden": "true" }, met ? "✓" : "✗"), " ",
    h("span", { class: "word" }, met ? "มี" : "ไม่มี"),
    detail ? h("span", { class: "detail" }, detail) : null);
}

function unknownCell(): HTMLElement {
  return h("td", { class: "unknown" }, h("span", { "aria-hidden": "true" }, "-"),
    h("span", { class: "visually-hidden" }, "ไม่ทราบ"));
}

function planCell(plan: PlanStanding): HTMLElement {
  if (plan.announce_time || plan.action_plan_state === "ANNOUNCED") {
    return mark(true, plan.announce_time ? `ประกาศ ${dateText(plan.announce_time)}` : "");
  }
  if (plan.action_plan) {
    return mark(false, `แผน${nameOf(PLAN_STATE_NAMES, plan.action_plan_state)} ยังไม่ประกาศใช้`);
  }
  return mark(false, "ไม่มีแผนที่ครอบคลุมปี");
}

// --- The table: columns, and which of them the API can order by. ---

interface Column {
  title: string;
  // The order_by field; the direction of a first click.
  sort?: { field: string; first: "asc" | "desc" };
  cells: (standing: OrganizationStanding) => HTMLElement[];
  numeric?: boolean;
}

function number(value: number | string | undefined, present: boolean): HTMLElement {
  return present ? h("td", { class: "number" }, formatFigure(value ?? 0)) : unknownCell();
}

function planCells(standing: OrganizationStanding): HTMLElement[] {
  const plan = standing.plan;
  if (!plan) return [unknownCell(), unknownCell(), unknownCell(), unknownCell()];
  return [
    planCell(plan),
    mark(!!plan.annual_plan, ""),
    mark(!!plan.half_year_report_time, dateText(plan.half_year_report_time)),
    mark(!!plan.full_year_report_time, dateText(plan.full_year_report_time)),
  ];
}

const COLUMNS: Column[] = [
  {
    title: "รหัส",
    sort: { field: "code", first: "asc" },
    cells: (s) => [h("td", { class: "code" }, s.organization?.code ?? "")],
  },
  {
    title: "หน่วยงาน",
    sort: { field: "name", first: "asc" },
    cells: (s) => [h("th", { scope: "row", class: "organization" },
      h("a", { href: `/staff/ita?org=${encodeURIComponent(s.organization?.code ?? "")}` },
        s.organization?.name || s.organization?.code || ""),
      h("span", { class: "detail" }, [s.organization?.district, s.organization?.province]
        .filter(Boolean).join(" ") || nameOf(ORGANIZATION_KIND_NAMES, s.organization?.kind)))],
  },
  { title: "แผนครอบคลุมปีและประกาศใช้", cells: (s) => planCells(s).slice(0, 1) },
  { title: "แผนประจำปี", cells: (s) => planCells(s).slice(1, 2) },
  { title: "รายงานรอบ ๖ เดือน", cells: (s) => planCells(s).slice(2, 3) },
  { title: "รายงานรอบ ๑๒ เดือน", cells: (s) => planCells(s).slice(3, 4) },
  {
    title: "ผ่านเกณฑ์ (จาก ๔ ข้อ)",
    sort: { field: "lpa_requirements_met", first: "desc" },
    numeric: true,
    cells: (s) => [number(s.plan?.lpa_requirements_met, !!s.plan)],
  },
  {
    title: "มาตรการตอบจุดอ่อน ITA",
    numeric: true,
    cells: (s) => [s.plan ? h("td", { class: "number" },
      `${formatFigure(s.plan.measures_answering_weaknesses ?? 0)} จาก ${formatFigure(s.plan.measures ?? 0)}`)
      : unknownCell()],
  },
  {
    title: "มาตรการล่าช้า",
    sort: { field: "late_measures", first: "desc" },
    numeric: true,
    cells: (s) => [number(s.plan?.late_measures, !!s.plan)],
  },
  {
    title: "คะแนน ITA",
    sort: { field: "ita_score", first: "desc" },
    numeric: true,
    cells: (s) => [s.ita ? h("td", { class: "number" }, scoreText(s.ita.score)) : unknownCell()],
  },
  {
    title: "ระดับ",
    cells: (s) => [s.ita ? h("td", null, s.ita.grade || "-") : unknownCell()],
  },
  {
    title: "อันดับ",
    sort: { field: "ita_rank", first: "asc" },
    numeric: true,
    cells: (s) => [s.ita ? h("td", { class: "number" }, s.ita.rank ? formatFigure(s.ita.rank) : "-")
      : unknownCell()],
  },
  {
    title: "เรื่องร้องเรียนที่รับ",
    sort: { field: "complaints_received", first: "desc" },
    numeric: true,
    cells: (s) => [number(s.complaints?.received, !!s.complaints)],
  },
  {
    title: "ค้างดำเนินการ",
    numeric: true,
    cells: (s) => [number(s.complaints?.open, !!s.complaints)],
  },
  {
    title: "เกินกำหนด",
    sort: { field: "complaints_overdue", first: "desc" },
    numeric: true,
    cells: (s) => [number(s.complaints?.overdue, !!s.complaints)],
  },
  {
    title: "เสร็จในกำหนด (%)",
    numeric: true,
    cells: (s) => [s.complaints ? h("td", { class: "number" },
      formatFigure(s.complaints.percent_resolved_within_sla)) : unknownCell()],
  },
  {
    title: "พึงพอใจ (%)",
    numeric: true,
    cells: (s) => [s.complaints ? h("td", { class: "number" },
      formatFigure(s.complaints.percent_satisfied)) : unknownCell()],
  },
];

// The field and direction the view is ordered by first ("code" by default).
function sortedBy(order: string): { field: string; descending: boolean } {
  const [field = "code", direction = ""] = (order.split(",")[0] ?? "").trim().split(/\s+/);
  return { field: field || "code", descending: direction.toLowerCase() === "desc" };
}

function headerCell(column: Column, view: View): HTMLElement {
  if (!column.sort) return h("th", { scope: "col", class: column.numeric ? "number" : undefined }, column.title);
  const current = sortedBy(view.order);
  const active = current.field === column.sort.field;
  const descending = active ? !current.descending : column.sort.first === "desc";
  const next = descending ? `${column.sort.field} desc` : column.sort.field;
  const ariaSort = active ? (current.descending ? "descending" : "ascending") : undefined;
  return h("th", { scope: "col", "aria-sort": ariaSort, class: column.numeric ? "number" : undefined },
    h("button", {
      type: "button",
      class: "sort",
      "data-sort": column.sort.field,
      onclick: () => navigate(hrefOf({ ...view, order: next })),
    }, column.title,
    h("span", { class: "sort-arrow", "aria-hidden": "true" }, active ? (current.descending ? " ▼" : " ▲") : " ↕"),
    h("span", { class: "visually-hidden" },
      descending ? " (คลิกเพื่อเรียงจากมากไปน้อย)" : " (คลิกเพื่อเรียงจากน้อยไปมาก)")));
}

function standingsTable(view: View, standings: OrganizationStanding[], caption: string): HTMLElement {
  if (standings.length === 0) return h("p", { class: "empty" }, "ไม่มีหน่วยงานที่ตรงกับเงื่อนไขนี้");
  return h("div", { class: "table-scroll standings-scroll", tabindex: 0, role: "region", "aria-label": "ตารางสถานะรายหน่วยงาน (เลื่อนซ้ายขวาได้)" },
    h("table", { class: "queue standings" },
      h("caption", null, caption),
      h("thead", null, h("tr", null, ...COLUMNS.map((column) => headerCell(column, view)))),
      h("tbody", null, ...standings.map((standing) => h("tr", { "data-org": standing.organization?.code ?? "" },
        ...COLUMNS.flatMap((column) => column.cells(standing)))))));
}

// --- The group's totals. ---

function figure(label: string, value: string, detail: string, key: string): HTMLElement {
  return h("div", { class: "figure", "data-total": key },
    h("p", { class: "figure-label" }, label),
    h("p", { class: "figure-value" }, value),
    detail ? h("p", { class: "figure-detail muted" }, detail) : null);
}

function totalsView(totals: StandingTotals, missing: string[]): HTMLElement {
  const of = totals.organizations ?? 0;
  const share = (count: number | undefined, key: string, label: string) =>
    figure(label, formatFigure(count ?? 0), `${percentOf(count, of)} ของ ${formatFigure(of)} หน่วยงาน`, key);
  const planMissing = missing.some((m) => m.startsWith("plan"));
  const itaMissing = missing.some((m) => m.startsWith("ita"));
  const complaintsMissing = missing.some((m) => m.startsWith("complaint"));
  return h("section", { class: "totals", "aria-labelledby": "totals-heading" },
    h("h2", { id: "totals-heading" }, "ภาพรวมของกลุ่ม"),
    h("h3", null, "เกณฑ์การจัดทำแผนป้องกันการทุจริต (LPA)"),
    planMissing ? h("p", { class: "muted" }, "ไม่มีข้อมูลแผนในขณะนี้") : h("div", { class: "figures-grid" },
      figure("หน่วยงานในกลุ่ม", formatFigure(of), "", "organizations"),
      share(totals.plan_announced, "plan_announced", "มีแผนครอบคลุมปีและประกาศใช้แล้ว"),
      share(totals.annual_plan, "annual_plan", "มีแผนประจำปี"),
      share(totals.half_year_report, "half_year_report", "รายงานผลรอบ ๖ เดือนแล้ว"),
      share(totals.full_year_report, "full_year_report", "รายงานผลรอบ ๑๒ เดือนแล้ว"),
      share(totals.all_lpa_requirements, "all_lpa_requirements", "ผ่านครบทั้ง ๔ ข้อ"),
      figure("มาตรการตอบจุดอ่อน ITA ปีก่อน",
        `${formatFigure(totals.measures_answering_weaknesses ?? 0)} จาก ${formatFigure(totals.measures ?? 0)}`,
        `ล่าช้า ${formatFigure(totals.late_measures ?? 0)} มาตรการ`, "measures")),
    h("h3", null, "ITA และเรื่องร้องเรียน"),
    h("div", { class: "figures-grid" },
      itaMissing ? null : figure("คะแนน ITA เฉลี่ย", scoreText(totals.mean_ita_score),
        `มีคะแนน ${formatFigure(totals.ita_scored ?? 0)} หน่วยงาน`, "mean_ita_score"),
      itaMissing ? null : figure("ผ่านเกณฑ์ ITA (๘๕ คะแนนขึ้นไป)", formatFigure(totals.ita_passed ?? 0),
        `${percentOf(totals.ita_passed, totals.ita_scored ?? 0)} ของหน่วยงานที่มีคะแนน`, "ita_passed"),
      complaintsMissing ? null : figure("เรื่องร้องเรียนที่รับ", formatFigure(totals.complaints_received ?? 0),
        "", "complaints_received"),
      complaintsMissing ? null : figure("ค้างดำเนินการ", formatFigure(totals.complaints_open ?? 0),
        `เกินกำหนด ${formatFigure(totals.complaints_overdue ?? 0)} เรื่อง`, "complaints_open")));
}

function missingNotice(missing: string[]): HTMLElement | null {
  if (missing.length === 0) return null;
  return h("div", { class: "warning missing", role: "status" },
    h("p", null, h("strong", null, "ข้อมูลบางส่วนไม่ครบ"),
      " บริการบางส่วนไม่ตอบในขณะนี้ ช่องที่เป็น - คือไม่ทราบ ไม่ใช่ศูนย์:"),
    h("ul", null, ...missing.map((part) => h("li", null, part))));
}

// --- The filters form. ---

function filtersForm(view: View): HTMLFormElement {
  const year = textField({ field: "query.fiscal_year", label: "ปีงบประมาณ (พ.ศ.)", required: true,
                           inputmode: "numeric", hint: "เช่น ๒๕๖๙ หรือ 2569" });
  year.input.value = String(view.year);
  const province = textField({ field: "query.province", label: "จังหวัด",
                               hint: "ตามที่ลงทะเบียนไว้ เว้นว่างเพื่อดูทั้งประเทศ" });
  province.input.value = view.province;
  const district = textField({ field: "query.district", label: "อำเภอ", hint: "ต้องระบุจังหวัดด้วย" });
  district.input.value = view.district;
  const kind = selectField({ field: "query.kind", label: "ประเภทหน่วยงาน" },
    [{ value: "", label: "ทุกประเภท" },
     ...Object.entries(ORGANIZATION_KIND_NAMES).map(([value, label]) => ({ value, label }))]);
  kind.input.value = view.kind;
  const form = h("form", { novalidate: true, class: "filters no-print", "aria-label": "เลือกกลุ่มหน่วยงาน" },
    h("div", { class: "columns" }, year.row, province.row, district.row, kind.row),
    h("p", { class: "actions" }, h("button", { type: "submit" }, "แสดงผล")));
  const typedYear = () => Number(arabicDigits(valueOf(year.input)));
  onSubmit(form, {
    busyLabel: "กำลังโหลด…",
    check: () => {
      const be = typedYear();
      if (!Number.isInteger(be) || be < FIRST_YEAR || be > LAST_YEAR) {
        return ["query.fiscal_year", "กรุณาระบุปีงบประมาณ พ.ศ. ระหว่าง ๒๕๐๐ ถึง ๒๗๐๐"];
      }
      if (valueOf(district.input) && !valueOf(province.input)) {
        return ["query.district", "กรุณาระบุจังหวัดของอำเภอนี้"];
      }
      return null;
    },
    send: async () => navigate(hrefOf({
      ...view,
      year: typedYear(),
      province: valueOf(province.input),
      district: valueOf(district.input),
      kind: kind.input.value,
    })),
  });
  return form;
}

// --- The CSV of the whole group. ---

function fileNameOf(view: View): string {
  const place = [view.province || "ทั่วประเทศ", view.district].filter(Boolean).join("-")
    .replace(/[^\p{L}\p{M}\p{N}_-]+/gu, "_");
  return `organization-standings-${view.year}-${place}.csv`;
}

function downloadControls(view: View): HTMLElement {
  const message = h("p", { role: "status", class: "muted" });
  const button = h("button", { type: "button", class: "secondary" }, "ดาวน์โหลด CSV");
  button.addEventListener("click", async () => {
    button.disabled = true;
    replaceChildren(message, "กำลังเตรียมไฟล์…");
    try {
      const exported = await asStaff(() => call<{ content_type?: string; content?: string }>(
        "GET", "/v1/organizationStandings:export", undefined, { query: queryOf(view) }));
      const url = URL.createObjectURL(new Blob([exported.content ?? ""],
        { type: exported.content_type ?? "text/csv; charset=utf-8" }));
      const link = h("a", { href: url, download: fileNameOf(view), hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      replaceChildren(message, `ดาวน์โหลด ${fileNameOf(view)} แล้ว`);
    } catch (error) {
      replaceChildren(message, describeError(error));
    } finally {
      button.disabled = false;
    }
  });
  return h("div", { class: "download no-print" },
    h("p", { class: "actions" }, button,
      h("span", { class: "muted" }, "ทั้งกลุ่มตามลำดับที่เลือก เปิดด้วยโปรแกรมตารางคำนวณได้")),
    message);
}

// --- The page. ---

function groupText(view: View): string {
  const place = view.province
    ? [view.district ? `อำเภอ${view.district}` : "", `จังหวัด${view.province}`].filter(Boolean).join(" ")
    : "ทั่วประเทศ";
  const kind = view.kind ? ` · ${ORGANIZATION_KIND_NAMES[view.kind]}` : "";
  return `${place}${kind} · ปีงบประมาณ พ.ศ. ${thaiDigits(view.year)}`;
}

function pager(page: number, size: number, shown: number, total: number,
               previous: (() => void) | null, next: (() => void) | null): HTMLElement {
  const first = (page - 1) * size + 1;
  return h("nav", { class: "pager actions no-print", "aria-label": "หน้าของตาราง" },
    h("button", { type: "button", class: "secondary", disabled: !previous, onclick: () => previous?.() },
      "‹ หน้าก่อน"),
    h("span", { class: "page-position" }, shown === 0 ? "" :
      `หน้า ${thaiDigits(page)} · ลำดับที่ ${thaiDigits(first)}-${thaiDigits(first + shown - 1)} จาก ${thaiDigits(total)}`),
    h("button", { type: "button", class: "secondary", disabled: !next, onclick: () => next?.() },
      "หน้าถัดไป ›"));
}

function showStandings(box: HTMLElement, view: View): void {
  // tokens[i] is the token of page i + 1 ("" for the first).
  const tokens = [""];
  // What a screen reader hears after a load: not the whole table.
  const status = h("p", { role: "status", class: "visually-hidden" });
  // `paged`: a pager button asked, and went with the old page; the new
  // page's table takes the focus instead.
  const load = (index: number, paged = false) => {
    box.setAttribute("aria-busy", "true");
    replaceChildren(status, "กำลังโหลด…");
    asStaff(() => call<StandingsPage>("GET", "/v1/organizationStandings", undefined, {
      query: { ...queryOf(view), page_size: view.size || undefined, page_token: tokens[index] || undefined },
    })).then(
      (answer) => {
        const standings = answer.standings ?? [];
        const total = answer.total_size ?? standings.length;
        const size = view.size || 50;
        if (answer.next_page_token) tokens[index + 1] = answer.next_page_token;
        const missing = answer.missing ?? [];
        const order = sortedBy(view.order);
        const caption = `สถานะรายหน่วยงาน ${groupText(view)} (${thaiDigits(total)} หน่วยงาน เรียงตาม${
          COLUMNS.find((c) => c.sort?.field === order.field)?.title ?? order.field}${
          order.descending ? " จากมากไปน้อย" : ""})`;
        replaceChildren(status, `แสดงหน้า ${thaiDigits(index + 1)} ${thaiDigits(standings.length)} จาก ${
          thaiDigits(total)} หน่วยงาน`);
        replaceChildren(box,
          status,
          missingNotice(missing),
          totalsView(answer.totals ?? {}, missing),
          h("h2", { id: "standings-heading" }, "รายหน่วยงาน"),
          downloadControls(view),
          standingsTable(view, standings, caption),
          standings.some((s) => s.complaints?.general_only)
            ? h("p", { class: "muted general-only" },
                "ตัวเลขเรื่องร้องเรียนนับเฉพาะเรื่องร้องเรียนทั่วไป ไม่รวมเรื่องทุจริตและประพฤติมิชอบ ตามสิทธิ์ของบัญชีนี้")
            : null,
          total > 0 ? pager(index + 1, size, standings.length, total,
            index > 0 ? () => load(index - 1, true) : null,
            answer.next_page_token ? () => load(index + 1, true) : null) : null);
        if (paged) box.querySelector<HTMLElement>(".standings-scroll")?.focus();
        box.removeAttribute("aria-busy");
      },
      (error) => {
        box.removeAttribute("aria-busy");
        replaceChildren(status);
        replaceChildren(box, status, h("p", { role: "alert" }, describeError(error)));
      });
  };
  replaceChildren(box, status);
  load(0);
}

export const oversightPage = staffPage((main, params, account) => {
  main.append(h("h1", null, "กำกับติดตามหน่วยงาน"));
  if (!hasRole(account, "SYSTEM", "AUDITOR", "OPERATOR", "EXECUTIVE")) {
    main.append(h("p", { role: "alert" }, "ท่านไม่มีสิทธิ์ดูหน้านี้"));
    return;
  }
  const view = viewOf(params);
  const everyone = hasRole(account, "SYSTEM", "AUDITOR");
  main.append(
    h("p", { class: "lead" }, groupText(view)),
    h("p", { class: "muted" }, everyone
      ? "หน่วยงานทุกแห่งที่ตรงกับเงื่อนไข"
      : "เฉพาะหน่วยงานที่บัญชีของท่านดูแล ยอดรวมและอันดับคิดเฉพาะหน่วยงานเหล่านี้"),
    filtersForm(view));
  const box = h("div", { class: "standings-view" });
  main.append(box);
  showStandings(box, view);
});
