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
