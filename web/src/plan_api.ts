// The plan service's messages as the /v1 JSON carries them (proto field
// names; int64 as strings; enums by name; fields at their default left out),
// and the Thai names the plan pages show for its enums.

import { ApiError, call, describeError } from "./api";
import { h } from "./dom";
import { FINDING_TEXT } from "./finding_text";
import { Money } from "./thai";

export interface Mission {
  code: string;
  title?: string;
  sub_missions?: Mission[];
}

export interface Dimension {
  number: number;
  title?: string;
  missions?: Mission[];
}

export interface Finding {
  severity?: string;
  code?: string;
  location?: string;
  message?: string;
  project?: string;
  expected?: Money;
  actual?: Money;
}

export interface ActionPlan {
  name: string;
  organization?: { code?: string; name?: string };
  title?: string;
  fiscal_years?: { first_be_year?: number; last_be_year?: number };
  state?: string;
  dimensions?: Dimension[];
  approver?: string;
  approve_time?: string;
  announce_time?: string;
  etag?: string;
  import_findings?: Finding[];
}

export interface YearBudget {
  be_year: number;
  planned?: Money;
  approved?: Money;
  revised?: Money;
  spent?: Money;
}

export interface Project {
  name: string;
  sequence?: number;
  mission_code?: string;
  dimension?: number;
  kind?: string;
  title?: string;
  fiscal_years?: number[];
  owner_unit?: string;
  budgets?: YearBudget[];
}

export interface AnnualPlanEntry {
  project?: string;
  title: string;
  dimension?: number;
  budget?: Money;
  quarters?: number[];
  remark?: string;
}

export interface AnnualPlan {
  name: string;
  be_year: number;
  entries?: AnnualPlanEntry[];
  note?: string;
  totals?: {
    budget?: Money;
    projects_per_quarter?: number[];
    dimensions?: { dimension?: number; projects?: number; budget?: Money }[];
    projects?: number;
  };
  etag?: string;
}

export interface IntegrityMeasure {
  name: string;
  be_year?: number;
  title?: string;
  owner?: string;
  quarters?: number[];
  period_text?: string;
}

export interface ProgressReport {
  name?: string;
  subject: string;
  be_year?: number;
  round?: string;
  status?: string;
  output?: string;
  outcome?: string;
  spent?: Money;
  evidence_uris?: string[];
  reporter?: string;
  report_time?: string;
}

export interface RoundSummary {
  annual_plan?: string;
  be_year?: number;
  round?: string;
  items?: number;
  done?: number;
  percent_done?: number;
  dimensions?: {
    dimension?: number;
    items?: number;
    done?: number;
    percent_done?: number;
    approved?: Money;
    spent?: Money;
  }[];
  approved?: Money;
  spent?: Money;
  overdue?: {
    subject?: string;
    title?: string;
    dimension?: number;
    last_quarter?: number;
    status?: string;
  }[];
  latest_reports?: ProgressReport[];
  unreported?: string[];
}

export const PLAN_STATE_NAMES: Record<string, string> = {
  DRAFT: "ร่าง",
  APPROVED: "อนุมัติแล้ว",
  ANNOUNCED: "ประกาศใช้แล้ว",
};

export const SEVERITY_NAMES: Record<string, string> = {
  INFO: "ข้อสังเกต",
  WARNING: "คำเตือน",
  ERROR: "ข้อผิดพลาด",
};

export const ROUND_NAMES: Record<string, string> = {
  HALF_YEAR: "รอบ ๖ เดือน (ตุลาคม - มีนาคม)",
  FULL_YEAR: "รอบ ๑๒ เดือน (ทั้งปีงบประมาณ)",
};

export const PROGRESS_STATUS_NAMES: Record<string, string> = {
  NOT_STARTED: "ยังไม่เริ่ม",
  IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
  DONE: "ดำเนินการแล้วเสร็จ",
  CANCELLED: "ยกเลิก",
  POSTPONED: "เลื่อนออกไป",
};

// `organizations/{o}/actionPlans/{p}`, `.../annualPlans/{year}`.
export const PLAN_NAME = /^organizations\/[^/]+\/actionPlans\/[^/]+$/;
export const ANNUAL_NAME = /^organizations\/[^/]+\/actionPlans\/[^/]+\/annualPlans\/\d{4}$/;

export function organizationOf(name: string): string {
  return name.split("/")[1] ?? "";
}

export function planOf(annualName: string): string {
  return annualName.split("/").slice(0, 4).join("/");
}

// An idempotency key for a create: the same one when asStaff repeats the
// call after signing in again, so the create happens once.
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

// A stale etag says someone else changed the thing since the page read it.
export function isStale(error: unknown): boolean {
  return error instanceof ApiError && error.code === "ABORTED";
}

export const STALE_MESSAGE =
  "มีผู้แก้ไขข้อมูลนี้หลังจากที่ท่านเปิดหน้านี้ จึงยังไม่ได้บันทึกการเปลี่ยนแปลงของท่าน " +
  "กรุณาโหลดข้อมูลล่าสุดแล้วแก้ไขอีกครั้ง";

export function errorText(error: unknown): string {
  return isStale(error) ? STALE_MESSAGE : describeError(error);
}

export function findingItem(finding: Finding, place?: string): HTMLElement {
  const severity = finding.severity ?? "INFO";
  const thai = FINDING_TEXT[finding.code ?? ""];
  return h("li", { class: `finding ${severity.toLowerCase()}` },
    h("strong", null, SEVERITY_NAMES[severity] ?? severity), " ",
    h("code", null, finding.code ?? ""), " ",
    (place ?? finding.location) ? h("span", { class: "muted" }, `(${place ?? finding.location}) `) : null,
    thai ? h("span", { class: "finding-text" }, thai, " ") : null,
    h("span", { class: thai ? "finding-detail" : undefined, lang: "en" }, finding.message ?? ""));
}

// Every page of a list (the plan pages need whole lists: a plan's projects,
// a year's reports).
export async function listAll<T>(path: string, key: string,
                                 query: Record<string, string | number | undefined> = {}): Promise<T[]> {
  const all: T[] = [];
  let token = "";
  for (let page = 0; page < 50; page++) {
    const answer = await call<Record<string, unknown>>("GET", path, undefined,
      { query: { ...query, page_size: 1000, page_token: token || undefined } });
    all.push(...((answer[key] as T[] | undefined) ?? []));
    token = (answer.next_page_token as string | undefined) ?? "";
    if (!token) break;
  }
  return all;
}
