// Thai names of the API's enum values, as the pages show them.

export const STATE_NAMES: Record<string, string> = {
  RECEIVED: "รับเรื่องแล้ว",
  ACKNOWLEDGED: "ตอบรับเรื่องแล้ว",
  ASSIGNED: "มอบหมายผู้รับผิดชอบแล้ว",
  IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
  RESOLVED: "ดำเนินการแล้ว รอท่านยืนยันผล",
  CLOSED: "ปิดเรื่องแล้ว",
  REFERRED: "ส่งต่อหน่วยงานอื่นแล้ว",
  REJECTED: "ไม่รับเรื่อง",
  WITHDRAWN: "ถอนเรื่องแล้ว",
};

// States in which the complainant may still add information.
export const OPEN_STATES = new Set([
  "RECEIVED",
  "ACKNOWLEDGED",
  "ASSIGNED",
  "IN_PROGRESS",
  "RESOLVED",
]);

export const KIND_NAMES: Record<string, string> = {
  GENERAL: "เรื่องร้องเรียน/ร้องทุกข์ทั่วไป",
  CORRUPTION: "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
};

export const CHANNEL_NAMES: Record<string, string> = {
  WALK_IN: "ยื่นด้วยตนเอง",
  PHONE: "โทรศัพท์",
  LETTER: "หนังสือ",
  WEBSITE: "เว็บไซต์",
  EMAIL: "อีเมล",
  FACEBOOK: "เฟซบุ๊ก",
  LINE: "ไลน์",
  REFERRAL: "หน่วยงานอื่นส่งต่อ",
  OTHER: "อื่น ๆ",
};

export const AUTHOR_NAMES: Record<string, string> = {
  STAFF: "เจ้าหน้าที่",
  COMPLAINANT: "ผู้ร้องเรียน",
  WORKFLOW: "ระบบ",
};

export const ORGANIZATION_KIND_NAMES: Record<string, string> = {
  SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION: "องค์การบริหารส่วนตำบล",
  MUNICIPALITY: "เทศบาล",
  PROVINCIAL_ADMINISTRATIVE_ORGANIZATION: "องค์การบริหารส่วนจังหวัด",
  SPECIAL_LOCAL_GOVERNMENT: "องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ",
};

export function nameOf(table: Record<string, string>, key?: string): string {
  return key ? (table[key] ?? key) : "-";
}
