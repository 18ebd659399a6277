// `/statistics?org=CODE&year=2569`: the complaint statistics an organization
// publishes, as the public variant of the API gives them (small counts
// hidden, only months that have ended). Charts for a glance, and the same
// figures as a table for screen readers and print.

import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

import { call, ComplaintStatistics, describeError } from "../api";
import { fitChart } from "../charts";
import { h, replaceChildren } from "../dom";
import { findOrganization, isOrganizationCode } from "../organizations";
import { navigate } from "../router";
import {
  arabicDigits,
  FISCAL_MONTHS,
  fiscalYearOf,
  formatFigure,
  shortMonthName,
} from "../thai";

function statisticsOf(code: string, year: number,
                      month = 0): Promise<ComplaintStatistics> {
  return call<ComplaintStatistics>(
    "GET",
    `/v1/organizations/${encodeURIComponent(code)}/publicComplaintStatistics`,
    undefined,
    { query: { "fiscal_year.be_year": year, month: month || undefined } },
  );
}

function figureCard(label: string, value: string, unit = ""): HTMLElement {
  return h("div", { class: "figure" },
    h("p", { class: "figure-label" }, label),
    h("p", { class: "figure-value" }, value,
      value !== "-" && unit ? h("span", { class: "unit" }, ` ${unit}`) : null));
}

function optional(value: string | number | undefined): number | null {
  return value === undefined ? null : Number(value);
}

function monthlyChart(months: ComplaintStatistics[]): HTMLElement {
  const holder = h("div", { class: "chart", role: "img",
    "aria-label": "กราฟเรื่องที่รับและดำเนินการแล้วเสร็จรายเดือน (ตัวเลขอยู่ในตารางด้านล่าง)" });
  const labels = FISCAL_MONTHS.map(shortMonthName);
  const data: uPlot.AlignedData = [
    FISCAL_MONTHS.map((_, i) => i),
    months.map((m) => optional(m.received)),
    months.map((m) => optional(m.completed)),
  ];
  const bars = uPlot.paths.bars!({ size: [0.35, 40], gap: 2 });
  fitChart(holder, (width) =>
    new uPlot({
      width,
      height: 260,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: [-0.5, 11.5] }, y: { range: (_u, _min, max) => [0, Math.max(5, max)] } },
      axes: [
        { values: (_u, ticks) => ticks.map((t) => labels[t] ?? ""), splits: () => FISCAL_MONTHS.map((_, i) => i) },
        { label: "เรื่อง" },
      ],
      series: [
        { label: "เดือน", value: (_u, v) => (v === null ? "-" : labels[v] ?? "") },
        { label: "รับเรื่อง", stroke: "#0b5394", fill: "#0b5394", paths: bars, points: { show: false } },
        { label: "ดำเนินการแล้วเสร็จ", stroke: "#38761d", fill: "#38761d", paths: bars, points: { show: false } },
      ],
    }, data, holder));
  return holder;
}

function monthlyTable(months: ComplaintStatistics[]): HTMLElement {
  return h("table", { class: "figures" },
    h("caption", null, "สถิติรายเดือน (ช่องที่เป็น - คือไม่มีข้อมูลหรือปกปิดเพราะจำนวนน้อย)"),
    h("thead", null, h("tr", null,
      h("th", { scope: "col" }, "เดือน"),
      h("th", { scope: "col" }, "รับเรื่อง"),
      h("th", { scope: "col" }, "แล้วเสร็จ"),
      h("th", { scope: "col" }, "ค่ามัธยฐานวันที่ใช้"),
      h("th", { scope: "col" }, "เสร็จในกำหนด (%)"),
      h("th", { scope: "col" }, "พึงพอใจ (%)"))),
    h("tbody", null, ...months.map((m, i) => h("tr", null,
      h("th", { scope: "row" }, shortMonthName(FISCAL_MONTHS[i])),
      h("td", null, formatFigure(m.received)),
      h("td", null, formatFigure(m.completed)),
      h("td", null, formatFigure(m.median_days_to_resolve)),
      h("td", null, formatFigure(m.percent_resolved_within_sla)),
      h("td", null, formatFigure(m.percent_satisfied))))));
}

function yearView(year: ComplaintStatistics,
                  months: ComplaintStatistics[]): HTMLElement {
  return h("div", null,
    year.notice ? h("p", { class: "notice" }, year.notice) : null,
    h("div", { class: "figures-grid" },
      figureCard("รับเรื่อง", formatFigure(year.received), "เรื่อง"),
      figureCard("ดำเนินการแล้วเสร็จ", formatFigure(year.completed), "เรื่อง"),
      figureCard("อยู่ระหว่างดำเนินการ", formatFigure(year.in_progress), "เรื่อง"),
      figureCard("ค่ามัธยฐานเวลาดำเนินการ", formatFigure(year.median_days_to_resolve), "วัน"),
      figureCard("เสร็จภายในกำหนด", formatFigure(year.percent_resolved_within_sla), "%"),
      figureCard("ผู้ร้องพึงพอใจ", formatFigure(year.percent_satisfied), "%")),
    h("h2", null, "รายเดือน"),
    monthlyChart(months),
    monthlyTable(months),
    h("p", { class: "muted" },
      `ตัวเลขนับเฉพาะเรื่องที่รับก่อนต้นเดือนปัจจุบัน และปกปิดตัวเลขที่น้อยกว่า ${
        year.suppression_threshold ?? "-"} เรื่อง เพื่อไม่ให้ระบุตัวผู้ร้องได้`));
}

export function statisticsPage(main: HTMLElement, params: URLSearchParams): void {
  const code = params.get("org");
  const current = fiscalYearOf(new Date());
  const asked = Number(arabicDigits(params.get("year") ?? ""));
  const year = asked >= 2500 && asked <= current ? asked : current;
  const heading = h("h1", null, "สถิติเรื่องร้องเรียน");
  replaceChildren(main, heading);
  if (!isOrganizationCode(code)) {
    main.append(h("p", null, "กรุณา", h("a", { href: "/" }, "เลือกหน่วยงาน"), "ก่อน"));
    return;
  }
  const select = h("select", { id: "statistics-year", name: "year" },
    ...[0, 1, 2, 3, 4].map((back) => h("option",
      { value: current - back, selected: current - back === year },
      `ปีงบประมาณ พ.ศ. ${current - back}`)));
  select.addEventListener("change", () =>
    navigate(`/statistics?org=${encodeURIComponent(code)}&year=${select.value}`));
  const subtitle = h("p", { class: "lead" });
  const body = h("div", { "aria-live": "polite" },
    h("p", { role: "status" }, "กำลังโหลด…"));
  main.append(subtitle,
    h("p", null, h("label", { for: select.id }, "ปีงบประมาณ "), select),
    body);

  Promise.all([
    // The name is a nicety: the figures stand without it.
    findOrganization(code).catch(() => undefined),
    statisticsOf(code, year),
    Promise.all(FISCAL_MONTHS.map((month) => statisticsOf(code, year, month))),
  ]).then(
    ([organization, yearly, months]) => {
      replaceChildren(subtitle, organization?.name ?? code,
        ` · ปีงบประมาณ พ.ศ. ${year}`);
      replaceChildren(body, yearView(yearly, months));
    },
    (error) => replaceChildren(body, h("p", { role: "alert" }, describeError(error))),
  );
}
