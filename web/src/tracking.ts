// Tracking codes as the complaint service makes them: 16 Crockford base-32
// symbols and a mod-37 check symbol, e.g. "K7QM-4XDP-9TRA-HW2E-C". Checking
// the symbol here catches a mistyped code before any lookup (and before it
// counts against the lookup rate limit).

const SYMBOLS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";
const DATA_SYMBOLS = 16;

function symbolValue(symbol: string): number {
  if (symbol === "O") return 0;
  if (symbol === "I" || symbol === "L") return 1;
  return SYMBOLS.indexOf(symbol);
}

export type TrackingCheck =
  | { ok: true; canonical: string }
  | { ok: false; reason: string };

// Case, spaces and dashes do not matter; O reads as 0, I and L as 1.
export function checkTrackingCode(typed: string): TrackingCheck {
  const symbols = typed.toUpperCase().replace(/[\s-]/g, "");
  if (symbols.length !== DATA_SYMBOLS + 1) {
    return {
      ok: false,
      reason: "รหัสติดตามมี 17 ตัวอักษร (ไม่นับขีดและช่องว่าง)",
    };
  }
  let remainder = 0;
  let canonical = "";
  for (let i = 0; i < symbols.length; i++) {
    const value = symbolValue(symbols[i]);
    if (value < 0 || (value >= 32 && i < DATA_SYMBOLS)) {
      return { ok: false, reason: "มีตัวอักษรที่ไม่ใช้ในรหัสติดตาม" };
    }
    if (i < DATA_SYMBOLS) remainder = (remainder * 32 + value) % 37;
    canonical += SYMBOLS[value];
  }
  if (SYMBOLS[remainder] !== canonical[DATA_SYMBOLS]) {
    return {
      ok: false,
      reason: "รหัสพิมพ์ผิด: ตัวตรวจสอบท้ายรหัสไม่ตรง กรุณาตรวจสอบอีกครั้ง",
    };
  }
  return { ok: true, canonical };
}

// "K7QM4XDP9TRAHW2EC" -> "K7QM-4XDP-9TRA-HW2E-C".
export function formatTrackingCode(canonical: string): string {
  return canonical.replace(/(.{4})(?=.)/g, "$1-");
}
