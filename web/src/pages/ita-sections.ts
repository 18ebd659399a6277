// Parts of the ITA analysis page that ask their own RPC: the peers
// (GetPeerAnalytics), the trend (GetTrend), the recommended measures
// (RecommendMeasures, AdoptRecommendedMeasures) and the move to a newer
// framework version (MigrateAssessment).

import { call, describeError } from "../api";
import { h, replaceChildren, uniqueId } from "../dom";
import {
  binLabel,
  binOf,
  formatScore,
  histogramChart,
  HistogramBin,
  trendChart,
  TrendPoint,
} from "./ita-charts";
import type { IntegrityMeasure } from "./ita";
import { asStaff } from "./signin";

interface PeerIndicator { number: number; own?: number; mean?: number; median?: number; peers?: number }

interface PeerAnalytics {
  group?: string;
  peers?: number;
  rank?: number;
  percentile?: number;
  overall?: number;
  mean?: number;
  median?: number;
  indicators?: PeerIndicator[];
  histogram?: HistogramBin[];
  grade_counts?: Record<string, number>;
  pass_rate?: number;
  what_if_threshold?: number;
  what_if_pass_rate?: number;
  minimum_group_size?: number;
  suppressed?: boolean;
}

const GROUPS: [string, string][] = [
  ["SAME_PROVINCE", "หน่วยงานในจังหวัดเดียวกัน"],
  ["SAME_KIND", "หน่วยงานประเภทเดียวกัน"],
  ["NATIONAL", "หน่วยงานทั่วประเทศ"],
];

function part(id: string, title: string, ...content: Node[]): HTMLElement {
  return h("section", { class: "ita-part", "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

function rowsTable(caption: string, head: string[], rows: (string | Node)[][],
                   className: string): HTMLElement {
  return h("table", { class: `figures ${className}` },
    h("caption", null, caption),
    h("thead", null, h("tr", null, ...head.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", null, ...rows.map(([first, ...rest]) => h("tr", null,
      h("th", { scope: "row" }, first), ...rest.map((cell) => h("td", null, cell))))));
}

function loading(): HTMLElement {
  return h("p", { role: "status" }, "กำลังโหลด…");
}

function failed(error: unknown): HTMLElement {
  return h("p", { role: "alert" }, describeError(error));
}

function peersView(peers: PeerAnalytics): Node[] {
  const summary = rowsTable("ตำแหน่งในกลุ่มเปรียบเทียบ", ["รายการ", "ค่า"], [
    ["จำนวนหน่วยงานในกลุ่ม", String(peers.peers ?? 0)],
    ["คะแนนของหน่วยงานนี้", formatScore(peers.overall)],
    ["ลำดับที่ (1 = ดีที่สุด)", peers.rank ? String(peers.rank) : "-"],
    ["เปอร์เซ็นไทล์ (หน่วยงานที่ได้คะแนนเท่ากันหรือต่ำกว่า, %)", formatScore(peers.percentile)],
    ["ค่าเฉลี่ยของกลุ่ม", formatScore(peers.mean)],
    ["ค่ามัธยฐานของกลุ่ม", formatScore(peers.median)],
    ["ร้อยละที่ผ่านเกณฑ์", formatScore(peers.pass_rate)],
    [`ร้อยละที่จะผ่าน หากเกณฑ์คือ ${formatScore(peers.what_if_threshold)} คะแนน`,
     formatScore(peers.what_if_pass_rate)],
  ], "ita-peer-summary");
  if (peers.suppressed) {
    return [h("p", { class: "notice" },
      `กลุ่มนี้มีน้อยกว่า ${peers.minimum_group_size ?? 5} หน่วยงาน จึงไม่แสดงตัวเลขของหน่วยงานอื่น`), summary];
  }
  const bins = peers.histogram ?? [];
  const own = binOf(bins, peers.overall ?? 0);
  const grades = Object.entries(peers.grade_counts ?? {});
  return [
    summary,
    h("h3", null, "จำนวนหน่วยงานตามช่วงคะแนน"),
    histogramChart(bins, peers.overall ?? 0),
    rowsTable("จำนวนหน่วยงานในกลุ่มตามช่วงคะแนน (ช่วงรวมคะแนนต่ำสุด ไม่รวมคะแนนสูงสุด ยกเว้นช่วงสุดท้าย)",
      ["ช่วงคะแนน", "จำนวนหน่วยงาน", "หน่วยงานนี้"],
      bins.map((bin, i) => [binLabel(bin), String(bin.count ?? 0),
                            i === own ? `อยู่ในช่วงนี้ (${formatScore(peers.overall)})` : ""]),
      "ita-histogram-table"),
    grades.length === 0 ? h("span") : rowsTable("จำนวนหน่วยงานตามระดับผลการประเมิน",
      ["ระดับ", "จำนวนหน่วยงาน"], grades.map(([grade, n]) => [grade, String(n)]), "ita-grades"),
    rowsTable("คะแนนรายตัวชี้วัดเทียบกับกลุ่ม", ["ตัวชี้วัด", "หน่วยงานนี้", "ค่าเฉลี่ยกลุ่ม",
                                               "ค่ามัธยฐานกลุ่ม", "จำนวนหน่วยงาน"],
      (peers.indicators ?? []).map((i) => [`ตัวชี้วัดที่ ${i.number}`, formatScore(i.own),
        formatScore(i.mean), formatScore(i.median), String(i.peers ?? 0)]), "ita-peer-indicators"),
  ];
}

export function peersSection(assessment: string): HTMLElement {
  const select = h("select", { id: uniqueId("peer-group"), name: "group" },
    ...GROUPS.map(([value, label]) => h("option", { value }, label)));
  const body = h("div", { "aria-live": "polite" }, loading());
  const load = () => {
    replaceChildren(body, loading());
    asStaff(() => call<PeerAnalytics>("GET", `/v1/${assessment}:peerAnalytics`, undefined,
                                      { query: { group: select.value } })).then(
      (peers) => replaceChildren(body, ...peersView(peers)),
      (error) => replaceChildren(body, failed(error)));
  };
  select.addEventListener("change", load);
  load();
  return part("ita-peers", "เปรียบเทียบกับหน่วยงานอื่น",
    h("p", { class: "no-print" }, h("label", { for: select.id }, "กลุ่มเปรียบเทียบ "), select), body);
}

export function trendSection(organization: string): HTMLElement {
  const body = h("div", { "aria-live": "polite" }, loading());
  asStaff(() => call<{ points?: TrendPoint[] }>(
    "GET", `/v1/organizations/${organization}/assessments:trend`)).then((trend) => {
    const points = trend.points ?? [];
    replaceChildren(body, points.length === 0 ? h("p", { class: "muted" }, "ไม่มีข้อมูลรายปี") : h("div", null,
      trendChart(points),
      rowsTable("คะแนน ITA รายปี (ปีที่วิธีการประเมินเปลี่ยนจากปีก่อน ให้เปรียบเทียบด้วยความระมัดระวัง)",
        ["ปีงบประมาณ (พ.ศ.)", "คะแนน", "วิธีการประเมิน"],
        points.map((p) => [String(p.be_year), formatScore(p.overall),
                           p.method_break ? `เปลี่ยนจากปีก่อน: ${p.method_note ?? ""}` : "-"]),
        "ita-trend-table")));
  }, (error) => replaceChildren(body, failed(error)));
  return part("ita-trend", "คะแนนย้อนหลังรายปี", body);
}

interface RecommendedMeasure { answers?: string; measure?: IntegrityMeasure }

function measureTable(caption: string, measures: IntegrityMeasure[], className: string,
                      answers?: (index: number) => string): HTMLElement {
  return rowsTable(caption,
    ["มาตรการ", "ตอบตัวชี้วัด/ข้อ", "แนวทางการดำเนินการ", "ขั้นตอน", "ผู้รับผิดชอบ", "ระยะเวลา", "การติดตามผล"],
    measures.map((m, i) => [m.title ?? "",
      answers ? answers(i) : (m.ita_indicators ?? []).join(", "),
      m.guideline ?? "",
      (m.steps ?? []).length === 0 ? "-"
        : h("ol", { class: "plain" }, ...(m.steps ?? []).map((step) => h("li", null, step))),
      m.owner ?? "-", m.period_text ?? "-", m.follow_up ?? "-"]), className);
}

function adoptControl(assessment: string, count: number, adopted: () => void): HTMLElement {
  const result = h("div", { "aria-live": "polite" });
  const button = h("button", { type: "button" }, `รับมาตรการที่แนะนำทั้ง ${count} รายการเข้าแผนปีถัดไป`);
  button.addEventListener("click", async () => {
    button.disabled = true;
    replaceChildren(result, h("p", { role: "status" }, "กำลังบันทึกเข้าแผน…"));
    try {
      const answer = await asStaff(() => call<{ measures?: IntegrityMeasure[]; missing?: string[] }>(
        "POST", `/v1/${assessment}:adoptRecommendedMeasures`, {}));
      const measures = answer.measures ?? [];
      replaceChildren(result,
        h("p", { role: "status" }, `มาตรการในแผนจากการวิเคราะห์นี้ ${measures.length} รายการ`),
        measureTable("มาตรการที่รับเข้าแผนแล้ว", measures, "ita-adopted"),
        (answer.missing ?? []).length === 0 ? null : h("div", { class: "warning" },
          h("p", null, "บางมาตรการยังรับเข้าแผนไม่ได้ กดปุ่มอีกครั้งเพื่อลองใหม่:"),
          h("ul", null, ...(answer.missing ?? []).map((m) => h("li", null, m)))));
      adopted();
    } catch (error) {
      replaceChildren(result, failed(error));
    } finally {
      button.disabled = false;
    }
  });
  return h("div", { class: "no-print" }, h("p", { class: "actions" }, button), result);
}

// `adopted` runs after each adoption (the page then shows the weaknesses'
// coverage anew); without it the control is not shown.
export function measuresSection(assessment: string, adopted?: () => void): HTMLElement {
  const body = h("div", { "aria-live": "polite" }, loading());
  asStaff(() => call<{ measures?: RecommendedMeasure[] }>(
    "GET", `/v1/${assessment}:recommendMeasures`)).then((recommended) => {
    const list = recommended.measures ?? [];
    if (list.length === 0) {
      replaceChildren(body, h("p", { class: "muted" }, "ไม่มีมาตรการที่แนะนำ"));
      return;
    }
    replaceChildren(body,
      measureTable("มาตรการส่งเสริมคุณธรรมและความโปร่งใสที่แนะนำสำหรับปีงบประมาณถัดไป",
        list.map((r) => r.measure ?? {}), "ita-recommended", (i) => list[i].answers ?? "-"),
      adopted ? adoptControl(assessment, list.length, adopted)
        : h("p", { class: "muted" }, "การรับมาตรการเข้าแผนทำได้โดยเจ้าหน้าที่ผู้ปฏิบัติงาน (OPERATOR)"));
  }, (error) => replaceChildren(body, failed(error)));
  return part("ita-measures", "มาตรการที่แนะนำ", body);
}

interface MigrateAnswer {
  assessment?: { framework_version?: number };
  from_version?: number;
  moved?: { from?: string; to?: string }[];
  dropped?: string[];
}

function migrationPreview(answer: MigrateAnswer): Node[] {
  const moved = answer.moved ?? [];
  const dropped = answer.dropped ?? [];
  return [
    h("p", { role: "status" },
      `ย้ายจากกรอบฉบับที่ ${answer.from_version ?? "-"} ไปฉบับที่ ${answer.assessment?.framework_version ?? "-"}: ` +
      `คะแนนรายข้อที่ย้ายตามรหัสใหม่ ${moved.length} ข้อ ที่ไม่ย้าย ${dropped.length} ข้อ`),
    moved.length === 0 ? h("p", { class: "muted" }, "ไม่มีคะแนนรายข้อที่เปลี่ยนรหัส")
      : rowsTable("คะแนนรายข้อที่ย้ายตามรหัสใหม่", ["รหัสเดิม", "รหัสใหม่"],
          moved.map((m) => [m.from ?? "", m.to ?? ""]), "ita-migrate-moved"),
    dropped.length === 0 ? h("p", { class: "muted" }, "ไม่มีคะแนนรายข้อที่ต้องตัดออก")
      : h("div", null,
          h("p", null, "คะแนนรายข้อที่ไม่ย้าย เพราะข้อนั้นถูกตัดออกหรือความหมายเปลี่ยนในฉบับใหม่:"),
          h("ul", { class: "ita-migrate-dropped" }, ...dropped.map((code) => h("li", null, code)))),
  ];
}

// The move of an assessment to the newer framework of its year (OPERATOR,
// SYSTEM): first a preview of what moves and what is dropped
// (validate_only), then the move to exactly the version previewed; `moved`
// runs after it (the page then reads the analysis again).
export function migrateControl(assessment: string, moved: (version: number) => void): HTMLElement {
  const result = h("div", { "aria-live": "polite" });
  const preview = h("button", { type: "button" }, "ตรวจดูการย้ายไปกรอบฉบับที่แก้ไขแล้ว");
  const migrate = (body: object) => asStaff(() => call<MigrateAnswer>("POST", `/v1/${assessment}:migrate`, body));
  preview.addEventListener("click", async () => {
    preview.disabled = true;
    replaceChildren(result, loading());
    try {
      const answer = await migrate({ validate_only: true });
      const version = answer.assessment?.framework_version ?? 0;
      const confirm = h("button", { type: "button" }, `ย้ายผลไปกรอบฉบับที่ ${version}`);
      confirm.addEventListener("click", async () => {
        confirm.disabled = true;
        try {
          await migrate({ framework_version: version });
          moved(version);
        } catch (error) {
          replaceChildren(result, failed(error));
        }
      });
      replaceChildren(result, ...migrationPreview(answer), h("p", { class: "actions" }, confirm));
    } catch (error) {
      replaceChildren(result, failed(error));
    } finally {
      preview.disabled = false;
    }
  });
  return h("div", { class: "no-print ita-migrate" }, h("p", { class: "actions" }, preview), result);
}
