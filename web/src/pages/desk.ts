// The complaint desk (OPERATOR, INTEGRITY_OFFICER): `/staff/complaints` is
// the work queue, overdue and due-soon first; `/staff/complaint?name=...` one
// complaint with its history, workflow moves, replies, and for an integrity
// officer the protected identity behind a logged reason.

import { call, describeError, Reply } from "../api";
import { h, replaceChildren } from "../dom";
import { Field, onSubmit, selectField, textField, valueOf } from "../forms";
import {
  AUTHOR_NAMES,
  CHANNEL_NAMES,
  KIND_NAMES,
  nameOf,
  STATE_NAMES,
} from "../labels";
import { Account, hasRole } from "../session";
import { formatDate, formatDateTime } from "../thai";
import { asStaff } from "./signin";
import { organizationFor, staffPage } from "./staff";

interface StaffComplaint {
  name: string;
  kind?: string;
  channel?: string;
  subject?: string;
  description?: string;
  state?: string;
  receive_time?: string;
  due_time?: string;
  overdue?: boolean;
  category?: string;
  place?: { description?: string; village?: string; subdistrict?: string;
            latitude?: number; longitude?: number };
  requested_action?: string;
  evidence?: string;
  assignee?: string;
  referred_to?: string;
  resolution?: string;
  has_complainant_identity?: boolean;
  has_accused_identity?: boolean;
  satisfaction?: number;
  reopen_count?: number;
  next_states?: string[];
  attachments?: Attachment[];
}

interface Attachment {
  name?: string; // set when Prongsai holds the bytes
  file_name?: string;
  media_type?: string;
  size_bytes?: string;
  content?: string; // base64, from GetAttachment only
}

// The photos filed with a complaint, fetched on demand (they are read with
// the complaint's own permissions) and shown from blob: URLs.
function photoList(complaint: StaffComplaint): HTMLElement | null {
  const stored = (complaint.attachments ?? []).filter((a) => a.name);
  if (stored.length === 0) return null;
  const list = h("ul", { class: "photos" });
  for (const attachment of stored) {
    const item = h("li", null, h("span", null, attachment.file_name ?? ""));
    const show = h("button", { type: "button", class: "secondary" }, "ดูรูป");
    show.addEventListener("click", async () => {
      try {
        const full = await asStaff(() => call<Attachment>("GET", `/v1/${attachment.name}`));
        const bytes = Uint8Array.from(atob(full.content ?? ""), (c) => c.charCodeAt(0));
        const url = URL.createObjectURL(new Blob([bytes], { type: full.media_type }));
        show.replaceWith(h("img", { src: url, alt: `รูปประกอบ: ${attachment.file_name ?? ""}` }));
      } catch (error) {
        show.replaceWith(h("span", { role: "alert" }, describeError(error)));
      }
    });
    item.append(show);
    list.append(item);
  }
  return h("section", { "aria-labelledby": "photos-heading" },
    h("h2", { id: "photos-heading" }, `รูปภาพประกอบ (${stored.length})`), list);
}

const OPEN = ["RECEIVED", "ACKNOWLEDGED", "ASSIGNED", "IN_PROGRESS"];
const DUE_SOON_MS = 3 * 24 * 3600 * 1000;

function urgency(complaint: StaffComplaint, now: number): number {
  if (complaint.overdue) return 0;
  const due = complaint.due_time ? Date.parse(complaint.due_time) : Infinity;
  return due - now <= DUE_SOON_MS ? 1 : 2;
}

function queueRow(complaint: StaffComplaint, now: number): HTMLElement {
  const level = urgency(complaint, now);
  return h("tr", { class: level === 0 ? "overdue" : level === 1 ? "due-soon" : "" },
    h("td", null, h("a", { href: `/staff/complaint?name=${encodeURIComponent(complaint.name)}` },
      complaint.subject ?? complaint.name)),
    h("td", null, nameOf(KIND_NAMES, complaint.kind)),
    h("td", null, nameOf(STATE_NAMES, complaint.state)),
    h("td", null, formatDate(complaint.receive_time)),
    h("td", null, formatDate(complaint.due_time),
      level === 0 ? h("strong", { class: "badge overdue" }, " เกินกำหนด")
        : level === 1 ? h("span", { class: "badge due-soon" }, " ใกล้ครบกำหนด") : null));
}

export const deskPage = staffPage((main, params, account) => {
  const organization = organizationFor(account, params);
  main.append(h("h1", null, "งานเรื่องร้องเรียน"));
  if (!organization) {
    main.append(h("p", null, "บัญชีนี้ยังไม่ได้ผูกกับหน่วยงาน"));
    return;
  }
  const view = params.get("view") ?? "open";
  const tabs: [string, string][] = [["open", "เรื่องที่ต้องดำเนินการ"],
                                    ["resolved", "รอผู้ร้องยืนยันผล"],
                                    ["all", "ทั้งหมด"]];
  main.append(
    h("p", { class: "lead" }, `หน่วยงาน ${organization}`),
    h("nav", { class: "tabs", "aria-label": "มุมมอง" }, ...tabs.map(([key, label]) =>
      h("a", { href: `/staff/complaints?org=${organization}&view=${key}`,
               "aria-current": key === view ? "page" : undefined }, label))));
  const body = h("div", { "aria-live": "polite" }, h("p", { role: "status" }, "กำลังโหลด…"));
  main.append(body);
  const states = view === "open" ? OPEN : view === "resolved" ? ["RESOLVED"] : undefined;
  asStaff(() => call<{ complaints?: StaffComplaint[] }>(
    "GET", `/v1/organizations/${encodeURIComponent(organization)}/complaints`, undefined,
    { query: { page_size: 1000, states } })).then(
    (listed) => {
      const now = Date.now();
      const complaints = (listed.complaints ?? []).sort((a, b) =>
        urgency(a, now) - urgency(b, now) ||
        Date.parse(a.due_time ?? "") - Date.parse(b.due_time ?? ""));
      replaceChildren(body, complaints.length === 0
        ? h("p", null, "ไม่มีเรื่องในมุมมองนี้")
        : h("table", { class: "queue" },
            h("caption", null, `${complaints.length} เรื่อง เรียงเรื่องเกินกำหนดและใกล้ครบกำหนดก่อน`),
            h("thead", null, h("tr", null, ...["เรื่อง", "ประเภท", "สถานะ", "รับเรื่อง", "กำหนดเสร็จ"]
              .map((title) => h("th", { scope: "col" }, title)))),
            h("tbody", null, ...complaints.map((c) => queueRow(c, now)))));
    },
    (error) => replaceChildren(body, h("p", { role: "alert" }, describeError(error))));
});

function details(complaint: StaffComplaint): HTMLElement {
  const place = complaint.place ?? {};
  const rows: [string, string][] = [
    ["ประเภท", nameOf(KIND_NAMES, complaint.kind)],
    ["ช่องทาง", nameOf(CHANNEL_NAMES, complaint.channel)],
    ["สถานะ", nameOf(STATE_NAMES, complaint.state)],
    ["รับเรื่อง", formatDateTime(complaint.receive_time)],
    ["กำหนดเสร็จ", `${formatDate(complaint.due_time)}${complaint.overdue ? " (เกินกำหนด)" : ""}`],
    ["รายละเอียด", complaint.description ?? ""],
    ["สถานที่", [place.description, place.village, place.subdistrict].filter(Boolean).join(" · ") || "-"],
  ];
  if (place.latitude !== undefined) {
    rows.push(["พิกัด", `${place.latitude}, ${place.longitude}`]);
  }
  if (complaint.requested_action) rows.push(["สิ่งที่ขอให้ดำเนินการ", complaint.requested_action]);
  if (complaint.evidence) rows.push(["พยานหลักฐาน", complaint.evidence]);
  if (complaint.assignee) rows.push(["ผู้รับผิดชอบ", complaint.assignee]);
  if (complaint.referred_to) rows.push(["ส่งต่อถึง", complaint.referred_to]);
  if (complaint.resolution) rows.push(["ผลการดำเนินการ", complaint.resolution]);
  if (complaint.satisfaction) rows.push(["ความพึงพอใจ", `${complaint.satisfaction} จาก 5`]);
  rows.push(["ข้อมูลตัวตน", [
    complaint.has_complainant_identity ? "มีข้อมูลผู้ร้อง (เข้ารหัส)" : "ผู้ร้องไม่ระบุตัวตน",
    complaint.has_accused_identity ? "มีข้อมูลผู้ถูกกล่าวหา (เข้ารหัส)" : "",
  ].filter(Boolean).join(" · ")]);
  return h("dl", { class: "summary" },
    ...rows.flatMap(([term, value]) => [h("dt", null, term), h("dd", null, value)]));
}

function historyList(replies: Reply[]): HTMLElement {
  if (replies.length === 0) return h("p", { class: "muted" }, "ยังไม่มีบันทึก");
  return h("ol", { class: "replies" }, ...replies.map((reply) => h("li",
    { class: `reply ${reply.visibility === "INTERNAL" ? "internal" : ""}` },
    h("p", { class: "muted" }, `${nameOf(AUTHOR_NAMES, reply.author)} · `,
      reply.visibility === "INTERNAL" ? "ภายใน · " : "แจ้งผู้ร้อง · ",
      formatDateTime(reply.create_time)),
    h("p", { class: "text" }, reply.text),
    reply.new_due_time ? h("p", { class: "muted" }, `กำหนดเสร็จใหม่: ${formatDate(reply.new_due_time)}`) : null)));
}

const MOVE_LABELS: Record<string, string> = {
  ACKNOWLEDGED: "ตอบรับเรื่อง",
  ASSIGNED: "มอบหมายผู้รับผิดชอบ",
  IN_PROGRESS: "เริ่มดำเนินการ",
  RESOLVED: "บันทึกผลการดำเนินการ",
  REFERRED: "ส่งต่อหน่วยงานอื่น",
  REJECTED: "ไม่รับเรื่อง",
  WITHDRAWN: "ผู้ร้องถอนเรื่อง",
  CLOSED: "ปิดเรื่อง",
};

function moveForm(complaint: StaffComplaint, reload: () => void): HTMLElement | null {
  const next = complaint.next_states ?? [];
  if (next.length === 0) return null;
  const target = selectField({ field: "target_state", label: "ขั้นตอนถัดไป", required: true },
    next.map((state) => ({ value: state, label: MOVE_LABELS[state] ?? state })));
  const note = textField({ field: "note", label: "บันทึกประกอบ", multiline: true, rows: 3,
                           required: true, maxLength: 2000 });
  const assignee = textField({ field: "assignee", label: "ผู้รับผิดชอบ / หน่วยงานภายใน", maxLength: 200 });
  const referredTo = textField({ field: "referred_to", label: "หน่วยงานที่ส่งต่อ", maxLength: 200 });
  const resolution = textField({ field: "resolution", label: "ผลการดำเนินการ (แจ้งผู้ร้อง)",
                                 multiline: true, rows: 3, maxLength: 5000 });
  const reason = selectField({ field: "rejection_reason", label: "เหตุผลที่ไม่รับเรื่อง" }, [
    { value: "OUTSIDE_AUTHORITY", label: "ไม่อยู่ในอำนาจหน้าที่" },
    { value: "INSUFFICIENT_INFORMATION", label: "ข้อมูลไม่เพียงพอ" },
    { value: "DUPLICATE", label: "ซ้ำกับเรื่องอื่น" },
  ]);
  const duplicateOf = textField({ field: "duplicate_of", label: "เรื่องที่ซ้ำ (ชื่อทรัพยากร)" });
  const extra: [string, HTMLElement[]][] = [
    ["ASSIGNED", [assignee.row]], ["REFERRED", [referredTo.row]],
    ["RESOLVED", [resolution.row]], ["REJECTED", [reason.row, duplicateOf.row]],
  ];
  const toggle = () => {
    for (const [state, rows] of extra) {
      for (const row of rows) row.hidden = target.input.value !== state;
    }
  };
  target.input.addEventListener("change", toggle);
  toggle();
  const form = h("form", { novalidate: true, "aria-labelledby": "move-heading" },
    h("h2", { id: "move-heading" }, "ดำเนินการ"),
    target.row, ...extra.flatMap(([, rows]) => rows), note.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "บันทึกขั้นตอน")));
  onSubmit(form, {
    busyLabel: "กำลังบันทึก…",
    send: async () => {
      const state = target.input.value;
      const only = (when: string, value: string) =>
        state === when ? value || undefined : undefined;
      await asStaff(() => call("POST", `/v1/${complaint.name}:transition`, {
        target_state: state,
        note: valueOf(note.input),
        assignee: only("ASSIGNED", valueOf(assignee.input)),
        referred_to: only("REFERRED", valueOf(referredTo.input)),
        resolution: only("RESOLVED", valueOf(resolution.input)),
        rejection_reason: only("REJECTED", reason.input.value),
        duplicate_of: only("REJECTED", valueOf(duplicateOf.input)),
      }));
      reload();
    },
  });
  return form;
}

// A reply staff send often (ListReplyTemplates); the service fills its
// placeholders, the sender only the template's own `parameters`.
interface ReplyTemplate {
  name: string;
  display_name?: string;
  text?: string;
  parameters?: string[];
  visibility?: string;
}

function replyForm(complaint: StaffComplaint, templates: ReplyTemplate[],
                   reload: () => void): HTMLElement {
  const visibility = selectField({ field: "reply.visibility", label: "ผู้เห็นข้อความ" }, [
    { value: "INTERNAL", label: "ภายในหน่วยงาน" },
    { value: "PUBLIC", label: "แจ้งผู้ร้อง (เห็นในหน้าติดตามเรื่อง)" },
  ]);
  const text = textField({ field: "reply.text", label: "ข้อความ", multiline: true, rows: 4,
                           required: true, maxLength: 5000 });
  const due = textField({ field: "reply.new_due_time", label: "กำหนดเสร็จใหม่ (ถ้าเลื่อน ข้อความคือคำชี้แจงต่อผู้ร้อง)",
                          type: "date" });
  const toggle = () => { due.row.hidden = visibility.input.value !== "PUBLIC"; };
  visibility.input.addEventListener("change", toggle);
  toggle();
  // With a template chosen its text (placeholders and all) is shown instead
  // of the text box, with a box per value the sender gives.
  const template = selectField({ field: "reply.reply_template", label: "แม่แบบข้อความ" }, [
    { value: "", label: "เขียนข้อความเอง" },
    ...templates.map((t) => ({ value: t.name, label: t.display_name ?? t.name })),
  ]);
  const preview = h("p", { class: "template-text" });
  const valueRows = h("div", { class: "template-values" });
  let values: [string, Field][] = [];
  const chosen = () => templates.find((t) => t.name === template.input.value);
  template.input.addEventListener("change", () => {
    const picked = chosen();
    text.row.hidden = !!picked;
    preview.hidden = !picked;
    replaceChildren(preview, picked ? `ข้อความจากแม่แบบ: ${picked.text ?? ""}` : "");
    values = (picked?.parameters ?? []).map((parameter) => [parameter, textField({
      field: "reply.template_values", label: `ค่าของ {${parameter}}`, required: true, maxLength: 500 })]);
    replaceChildren(valueRows, ...values.map(([, field]) => field.row));
    if (picked) {
      visibility.input.value = picked.visibility === "INTERNAL" ? "INTERNAL" : "PUBLIC";
      toggle();
    }
  });
  preview.hidden = true;
  const form = h("form", { novalidate: true, "aria-labelledby": "reply-heading" },
    h("h2", { id: "reply-heading" }, "บันทึกหรือตอบกลับ"),
    templates.length > 0 ? template.row : null, preview, valueRows,
    visibility.row, text.row, due.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "บันทึกข้อความ")));
  onSubmit(form, {
    busyLabel: "กำลังบันทึก…",
    check: () => {
      const missing = chosen() ? values.find(([, field]) => valueOf(field.input) === "") : undefined;
      return missing ? ["reply.template_values", `กรุณากรอกค่าของ {${missing[0]}}`] : null;
    },
    send: async () => {
      const date = valueOf(due.input);
      const shownToComplainant = visibility.input.value === "PUBLIC";
      const picked = chosen();
      await asStaff(() => call("POST", `/v1/${complaint.name}/replies`, {
        visibility: visibility.input.value,
        ...(picked
          ? { reply_template: picked.name,
              template_values: Object.fromEntries(values.map(([p, field]) => [p, valueOf(field.input)])) }
          : { text: valueOf(text.input) }),
        new_due_time: shownToComplainant && date ? `${date}T23:59:59+07:00`
                                                 : undefined,
      }));
      reload();
    },
  });
  return form;
}

// The templates that fit the complaint's category and state; none when the
// list cannot be read (the reply form then offers free text only).
async function templatesFor(complaint: StaffComplaint): Promise<ReplyTemplate[]> {
  const organization = complaint.name.split("/")[1];
  try {
    const answer = await asStaff(() => call<{ reply_templates?: ReplyTemplate[] }>(
      "GET", `/v1/organizations/${organization}/replyTemplates`, undefined,
      { query: { category: complaint.category, state: complaint.state, page_size: 1000 } }));
    return answer.reply_templates ?? [];
  } catch {
    return [];
  }
}

interface Person { name?: string; contact?: string; position?: string }

function personView(title: string, who?: Person): HTMLElement | null {
  if (!who || !(who.name || who.contact || who.position)) return null;
  return h("div", null, h("h3", null, title), h("dl", { class: "summary" },
    h("dt", null, "ชื่อ"), h("dd", null, who.name || "-"),
    h("dt", null, "ติดต่อ"), h("dd", null, who.contact || "-"),
    h("dt", null, "ตำแหน่ง"), h("dd", null, who.position || "-")));
}

function identityForm(complaint: StaffComplaint): HTMLElement | null {
  if (!complaint.has_complainant_identity && !complaint.has_accused_identity) return null;
  const reason = textField({ field: "reason", label: "เหตุผลที่ต้องเปิดดู (บันทึกไว้ให้ผู้ตรวจสอบเห็น)",
                             multiline: true, rows: 2, required: true, maxLength: 500,
                             hint: "10-500 ตัวอักษร เช่น ต้องติดต่อผู้แจ้งเพื่อขอพยานหลักฐานเพิ่ม" });
  const shown = h("div", { "aria-live": "polite" });
  const form = h("form", { novalidate: true, "aria-labelledby": "identity-heading", class: "identity-box" },
    h("h2", { id: "identity-heading" }, "ข้อมูลตัวตนที่ได้รับการคุ้มครอง"),
    h("p", { class: "notice" }, "การเปิดดูทุกครั้งถูกบันทึกชื่อผู้เปิด เวลา และเหตุผล"),
    reason.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "เปิดดูข้อมูลตัวตน")),
    shown);
  onSubmit(form, {
    busyLabel: "กำลังเปิด…",
    send: async () => {
      const identity = await asStaff(() => call<{ complainant?: Person; accused?: Person }>(
        "POST", `/v1/${complaint.name}:getProtectedIdentity`, { reason: valueOf(reason.input) }));
      replaceChildren(shown, personView("ผู้ร้อง / ผู้แจ้ง", identity.complainant),
                      personView("ผู้ถูกกล่าวหา", identity.accused));
    },
  });
  return form;
}

const ENDED = new Set(["CLOSED", "REFERRED", "REJECTED", "WITHDRAWN"]);

// A data subject's request (PDPA) to erase the contact details of an ended
// general complaint; the service logs it with the request's reference.
function contactErasureForm(complaint: StaffComplaint): HTMLElement | null {
  if (complaint.kind !== "GENERAL" || !ENDED.has(complaint.state ?? "") ||
      !complaint.has_complainant_identity) {
    return null;
  }
  const reference = textField({ field: "request_reference", label: "เลขที่คำร้องของเจ้าของข้อมูล",
                                required: true, maxLength: 200,
                                hint: "เช่น คำร้องที่ ๑๒/๒๕๖๙ (ไม่ต้องใส่ชื่อผู้ร้อง)" });
  const done = h("div", { "aria-live": "polite" });
  const form = h("form", { novalidate: true, "aria-labelledby": "erase-heading" },
    h("h2", { id: "erase-heading" }, "ลบช่องทางติดต่อตามคำขอของเจ้าของข้อมูล"),
    h("p", { class: "muted" }, "ลบเบอร์โทรศัพท์ อีเมล หรือที่อยู่ของผู้ร้องอย่างถาวร ชื่อยังเก็บไว้จนครบระยะเวลาเก็บรักษา"),
    reference.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "ลบช่องทางติดต่อ")),
    done);
  onSubmit(form, {
    busyLabel: "กำลังลบ…",
    send: async () => {
      await asStaff(() => call("POST", `/v1/${complaint.name}:eraseComplainantContact`,
        { request_reference: valueOf(reference.input) }));
      replaceChildren(done, h("p", { role: "status" }, "ลบช่องทางติดต่อแล้ว และบันทึกไว้ในบันทึกการลบข้อมูลตัวตน"));
    },
  });
  return form;
}

export const complaintPage = staffPage((main, params, account: Account) => {
  const name = params.get("name") ?? "";
  if (!/^organizations\/[^/]+\/complaints\/[^/]+$/.test(name)) {
    main.append(h("h1", null, "ไม่พบเรื่อง"), h("p", null, h("a", { href: "/staff/complaints" }, "กลับไปที่งาน")));
    return;
  }
  const load = () => {
    replaceChildren(main, h("p", { role: "status" }, "กำลังโหลด…"));
    Promise.all([
      asStaff(() => call<StaffComplaint>("GET", `/v1/${name}`)),
      asStaff(() => call<{ replies?: Reply[] }>("GET", `/v1/${name}/replies`, undefined,
                                                { query: { page_size: 1000 } })),
    ]).then(async ([complaint, replies]) => {
      const mayWork = hasRole(account, "OPERATOR", "INTEGRITY_OFFICER", "SYSTEM");
      const templates = mayWork ? await templatesFor(complaint) : [];
      replaceChildren(main,
        h("p", null, h("a", { href: `/staff/complaints?org=${name.split("/")[1]}` }, "← งานเรื่องร้องเรียน")),
        h("h1", null, complaint.subject ?? name),
        details(complaint),
        photoList(complaint),
        h("h2", null, "ประวัติและข้อความ"),
        historyList(replies.replies ?? []),
        mayWork ? moveForm(complaint, load) : null,
        mayWork ? replyForm(complaint, templates, load) : null,
        mayWork ? contactErasureForm(complaint) : null,
        hasRole(account, "INTEGRITY_OFFICER") ? identityForm(complaint) : null);
    }, (error) => replaceChildren(main, h("p", { role: "alert" }, describeError(error))));
  };
  load();
});
