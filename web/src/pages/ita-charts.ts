// The ITA analysis' two charts: the peers' score distribution with the
// organization's own score marked, and the organization's overall score over
// the years with the years where the assessment method changed marked. Each
// chart is a picture for a glance (role=img); the same figures follow it as
// a table, which is what screen readers and the print read.

import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

import { fitChart } from "../charts";
import { h } from "../dom";

export interface HistogramBin {
  low?: number;
  high?: number;
  count?: number;
}

export interface TrendPoint {
  be_year: number;
  overall?: number;
  count?: number;
  pass_rate?: number;
  method_break?: boolean;
  method_note?: string;
  suppressed?: boolean;
}

const scoreFormat = new Intl.NumberFormat("th-TH", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

// "89.60"; "-" when the API left the figure out (never 0).
export function formatScore(value: number | undefined | null): string {
  return value === undefined || value === null ? "-" : scoreFormat.format(value);
}

export function binLabel(bin: HistogramBin): string {
  return `${bin.low ?? 0}-${bin.high ?? 0}`;
}

// The bin a score falls in: [low, high), the top bin including 100.
export function binOf(bins: HistogramBin[], score: number): number {
  return bins.findIndex((bin, i) =>
    score >= (bin.low ?? 0) &&
    (score < (bin.high ?? 0) || (i === bins.length - 1 && score <= (bin.high ?? 0))));
}

const BRAND = "#0b5394";
const MARK = "#b00020";

// Draws a vertical line at `x` (in the x scale's values) across the plot.
function verticalLine(u: uPlot, x: number, colour: string, dashed: boolean): void {
  const left = u.valToPos(x, "x", true);
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 3 * devicePixelRatio;
  ctx.setLineDash(dashed ? [8 * devicePixelRatio, 6 * devicePixelRatio] : []);
  ctx.beginPath();
  ctx.moveTo(left, u.bbox.top);
  ctx.lineTo(left, u.bbox.top + u.bbox.height);
  ctx.stroke();
  ctx.restore();
}

// How many peers fall in each score band, bars; a red line at `own`.
export function histogramChart(bins: HistogramBin[], own: number): HTMLElement {
  const holder = h("div", {
    class: "chart ita-histogram",
    role: "img",
    "aria-label": `กราฟจำนวนหน่วยงานในกลุ่มเปรียบเทียบตามช่วงคะแนน เส้นสีแดงคือคะแนนของหน่วยงานนี้ ${
      formatScore(own)} คะแนน (ตัวเลขอยู่ในตารางด้านล่าง)`,
  });
  const labels = bins.map(binLabel);
  const data: uPlot.AlignedData = [bins.map((_, i) => i), bins.map((b) => b.count ?? 0)];
  // Bin i covers [10 i, 10 i + 10) and is drawn centred on i.
  const ownX = own / 10 - 0.5;
  fitChart(holder, (width) =>
    new uPlot({
      width,
      height: 260,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, bins.length - 0.5] },
        y: { range: (_u, _min, max) => [0, Math.max(2, max + 1)] },
      },
      axes: [
        { label: "ช่วงคะแนน", values: (_u, ticks) => ticks.map((t) => labels[t] ?? ""),
          splits: () => bins.map((_, i) => i) },
        { label: "จำนวนหน่วยงาน", incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
      ],
      series: [
        { label: "ช่วงคะแนน" },
        { label: "จำนวนหน่วยงาน", stroke: BRAND, fill: BRAND,
          paths: uPlot.paths.bars!({ size: [0.8, 80], gap: 2 }), points: { show: false } },
      ],
      hooks: { draw: [(u) => verticalLine(u, ownX, MARK, false)] },
    }, data, holder));
  return holder;
}

// The organization's overall per year; dashed lines where the method
// changed (between the year before and the year marked).
export function trendChart(points: TrendPoint[]): HTMLElement {
  const breaks = points.filter((p) => p.method_break).map((p) => p.be_year);
  const holder = h("div", {
    class: "chart ita-trend",
    role: "img",
    "aria-label": `กราฟคะแนน ITA รายปี${breaks.length > 0
      ? ` เส้นประคือปีที่วิธีการประเมินเปลี่ยน (พ.ศ. ${breaks.join(", ")})` : ""} (ตัวเลขอยู่ในตารางด้านล่าง)`,
  });
  const years = points.map((p) => p.be_year);
  const data: uPlot.AlignedData = [years, points.map((p) => p.overall ?? null)];
  const scores = points.flatMap((p) => (p.overall === undefined ? [] : [p.overall]));
  const low = Math.max(0, Math.floor((Math.min(...scores, 100) - 5) / 5) * 5);
  fitChart(holder, (width) =>
    new uPlot({
      width,
      height: 260,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [years[0] - 0.5, years[years.length - 1] + 0.5] },
        y: { range: [low, 100] },
      },
      axes: [
        { label: "ปีงบประมาณ (พ.ศ.)", splits: () => years, values: (_u, ticks) => ticks.map(String) },
        { label: "คะแนน" },
      ],
      series: [
        { label: "ปี" },
        { label: "คะแนน ITA", stroke: BRAND, width: 3, points: { show: true, size: 9, fill: BRAND } },
      ],
      hooks: { draw: [(u) => { for (const year of breaks) verticalLine(u, year - 0.5, MARK, true); }] },
    }, data, holder));
  return holder;
}
