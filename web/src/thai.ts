// Thai numbers, B.E. years and dates as the organizations write them.

const THAI_ZERO = 0x0e50; // ๐

// "๒๕๖๙" -> "2569": people type Thai digits; the API takes Arabic ones.
export function arabicDigits(text: string): string {
  return text.replace(/[\u0e50-\u0e59]/g, (digit) =>
    String(digit.charCodeAt(0) - THAI_ZERO),
  );
}

// "2569" -> "๒๕๖๙", for the places the documents print Thai digits.
export function thaiDigits(text: string | number): string {
  return String(text).replace(/[0-9]/g, (digit) =>
    String.fromCharCode(THAI_ZERO + Number(digit)),
  );
}

const BANGKOK = "Asia/Bangkok";

// The B.E. fiscal year (1 October - 30 September) that `when` falls in.
export function fiscalYearOf(when: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: BANGKOK,
    year: "numeric",
    month: "numeric",
  }).formatToParts(when);
  const year = Number(parts.find((p) => p.type === "year")?.value);
  const month = Number(parts.find((p) => p.type === "month")?.value);
  return year + 543 + (month >= 10 ? 1 : 0);
}

const dateFormat = new Intl.DateTimeFormat("th-TH-u-ca-buddhist", {
  timeZone: BANGKOK,
  day: "numeric",
  month: "long",
  year: "numeric",
});
const dateTimeFormat = new Intl.DateTimeFormat("th-TH-u-ca-buddhist", {
  timeZone: BANGKOK,
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

// "1 ธันวาคม 2569" for an RFC 3339 timestamp; "-" when absent.
export function formatDate(timestamp: string | undefined): string {
  return timestamp ? dateFormat.format(new Date(timestamp)) : "-";
}

export function formatDateTime(timestamp: string | undefined): string {
  return timestamp ? dateTimeFormat.format(new Date(timestamp)) : "-";
}

// Months of a fiscal year in order (October first), as the API numbers them.
export const FISCAL_MONTHS = [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9];

const MONTH_NAMES = [
  "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
  "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
];

export function shortMonthName(month: number): string {
  return MONTH_NAMES[month - 1] ?? String(month);
}

const numberFormat = new Intl.NumberFormat("th-TH", {
  maximumFractionDigits: 1,
});

// A figure the API may leave out: absent is "-", never 0.
export function formatFigure(value: number | string | undefined): string {
  if (value === undefined || value === null) return "-";
  return numberFormat.format(Number(value));
}

// Money as the API carries it: integer satang (an int64, so a JSON string;
// a zero amount may arrive as an empty object).
export interface Money {
  satang?: string | number;
}

// "12,500.50" for 1250050 satang, with Thai digits when `thai`; "-" when the
// amount is absent (unknown is not zero).
export function formatBaht(money: Money | undefined, thai = false): string {
  if (!money) return "-";
  const satang = BigInt(money.satang ?? 0);
  const negative = satang < 0n;
  const whole = (negative ? -satang : satang) / 100n;
  const cents = (negative ? -satang : satang) % 100n;
  const text = `${negative ? "-" : ""}${whole.toLocaleString("en-US")}.${
    String(cents).padStart(2, "0")}`;
  return thai ? thaiDigits(text) : text;
}

// The satang of a typed amount in baht ("12,500.50", "๑๒,๕๐๐", "3000"), or
// null when it is not one (more than two decimals, letters, a sign).
export function parseBaht(text: string): string | null {
  const plain = arabicDigits(text).replace(/[,\s]/g, "");
  const match = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(plain);
  if (!match) return null;
  return String(BigInt(match[1]) * 100n + BigInt((match[2] ?? "").padEnd(2, "0")));
}

// "พ.ศ. ๒๕๖๖ - ๒๕๗๐" for a span of B.E. fiscal years.
export function formatYearSpan(
  span: { first_be_year?: number; last_be_year?: number } | undefined,
  thai = true,
): string {
  if (!span?.first_be_year) return "-";
  const digits = (year: number | undefined) =>
    thai ? thaiDigits(year ?? "") : String(year ?? "");
  return span.last_be_year && span.last_be_year !== span.first_be_year
    ? `พ.ศ. ${digits(span.first_be_year)} - ${digits(span.last_be_year)}`
    : `พ.ศ. ${digits(span.first_be_year)}`;
}
