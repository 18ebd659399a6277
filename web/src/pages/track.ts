// `/track`: the complainant follows a case by its tracking code: state, due
// date, public replies; adds information, rates the resolution or reopens
// it. The code lives only in this page's memory: it is POSTed, never put in
// a URL or in storage.

import { ApiError, call, Reply, TrackedComplaint } from "../api";
import { h, replaceChildren } from "../dom";
import { onSubmit, textField, valueOf } from "../forms";
import {
  AUTHOR_NAMES,
  KIND_NAMES,
  nameOf,
  OPEN_STATES,
  STATE_NAMES,
} from "../labels";
import { formatDate, formatDateTime } from "../thai";
import { checkTrackingCode, TrackingCheck } from "../tracking";

function replyItem(reply: Reply): HTMLElement {
  return h(
    "li",
    { class: `reply ${reply.author === "COMPLAINANT" ? "mine" : ""}` },
    h("p", { class: "muted" },
      `${nameOf(AUTHOR_NAMES, reply.author)} · ${formatDateTime(reply.create_time)}`),
    h("p", { class: "text" }, reply.text),
    reply.new_due_time
      ? h("p", { class: "muted" },
          `กำหนดเสร็จใหม่: ${formatDate(reply.new_due_time)}`)
      : null,
  );
}

function summary(tracked: TrackedComplaint): HTMLElement {
  const rows: [string, string | HTMLElement][] = [
    ["หน่วยงาน", tracked.organization?.name ?? tracked.organization?.code ?? "-"],
    ["ประเภท", nameOf(KIND_NAMES, tracked.kind)],
    ["สถานะ", h("strong", { class: `state state-${tracked.state ?? ""}` },
      nameOf(STATE_NAMES, tracked.state))],
    ["วันที่รับเรื่อง", formatDate(tracked.receive_time)],
    ["กำหนดแล้วเสร็จ", h("span", null, formatDate(tracked.due_time),
      tracked.overdue ? h("span", { class: "badge overdue" }, " เกินกำหนด") : null)],
  ];
  if (tracked.resolution) rows.push(["ผลการดำเนินการ", tracked.resolution]);
  if (tracked.satisfaction) {
    rows.push(["ความพึงพอใจที่ท่านให้", `${tracked.satisfaction} จาก 5`]);
  }
  if (tracked.reopen_count) {
    rows.push(["ขอให้ดำเนินการใหม่", `${tracked.reopen_count} ครั้ง`]);
  }
  return h("dl", { class: "summary" },
    ...rows.flatMap(([term, value]) => [h("dt", null, term), h("dd", null, value)]));
}

function addInformationForm(code: string,
                            show: (t: TrackedComplaint) => void): HTMLElement {
  const text = textField({ field: "text", label: "ข้อมูลเพิ่มเติม",
                           multiline: true, rows: 4, maxLength: 5000,
                           required: true });
  const form = h("form", { novalidate: true, "aria-labelledby": "add-heading" },
    h("h3", { id: "add-heading" }, "เพิ่มข้อมูลให้เจ้าหน้าที่"),
    text.row,
    h("p", { class: "actions" },
      h("button", { type: "submit" }, "ส่งข้อมูลเพิ่มเติม")));
  onSubmit(form, {
    busyLabel: "กำลังส่ง…",
    check: () => (valueOf(text.input) ? null : ["text", "กรุณากรอกข้อความ"]),
    send: async () => show(await call<TrackedComplaint>(
      "POST", "/v1/complaints:addInformation",
      { tracking_code: code, text: valueOf(text.input) })),
  });
  return form;
}

function resolutionForms(code: string,
                         show: (t: TrackedComplaint) => void): HTMLElement {
  const choices = [1, 2, 3, 4, 5].map((score) =>
    h("input", { type: "radio", name: "satisfaction", value: score,
                 id: `satisfaction-${score}` }));
  const names = ["ไม่พอใจมาก", "ไม่พอใจ", "พอใช้", "พอใจ", "พอใจมาก"];
  const rate = h("form", { novalidate: true, "aria-labelledby": "rate-heading" },
    h("h3", { id: "rate-heading" }, "ประเมินผลการดำเนินการ"),
    h("p", null, "หน่วยงานแจ้งว่าดำเนินการแล้ว หากพอใจผล ให้คะแนนเพื่อปิดเรื่อง"),
    h("fieldset", { class: "field rating", "data-field": "satisfaction" },
      h("legend", null, "ระดับความพึงพอใจ"),
      ...choices.map((input, i) => h("span", { class: "choice" }, input,
        h("label", { for: input.id }, ` ${i + 1} ${names[i]}`))),
      h("p", { class: "field-error", hidden: true })),
    h("p", { class: "actions" },
      h("button", { type: "submit" }, "ส่งผลประเมินและปิดเรื่อง")));
  const chosen = () => choices.find((input) => input.checked);
  onSubmit(rate, {
    busyLabel: "กำลังส่ง…",
    check: () => (chosen() ? null
                           : ["satisfaction", "กรุณาเลือกระดับความพึงพอใจ"]),
    send: async () => show(await call<TrackedComplaint>(
      "POST", "/v1/complaints:respondToResolution",
      { tracking_code: code, satisfaction: Number(chosen()?.value) })),
  });

  const reason = textField({ field: "reopen_reason",
                             label: "เหตุผลที่ขอให้ดำเนินการใหม่", multiline: true,
                             rows: 3, maxLength: 2000, required: true });
  const reopen = h("form", { novalidate: true, "aria-labelledby": "reopen-heading" },
    h("h3", { id: "reopen-heading" }, "ยังไม่ได้รับการแก้ไข?"),
    reason.row,
    h("p", { class: "actions" },
      h("button", { type: "submit", class: "secondary" }, "ขอให้ดำเนินการใหม่")));
  onSubmit(reopen, {
    busyLabel: "กำลังส่ง…",
    check: () => (valueOf(reason.input) ? null
                                        : ["reopen_reason", "กรุณาบอกเหตุผล"]),
    send: async () => show(await call<TrackedComplaint>(
      "POST", "/v1/complaints:respondToResolution",
      { tracking_code: code, reopen_reason: valueOf(reason.input) })),
  });
  return h("div", { class: "columns" }, rate, reopen);
}

function caseView(code: string, tracked: TrackedComplaint,
                  show: (t: TrackedComplaint) => void): HTMLElement {
  const replies = tracked.public_replies ?? [];
  return h("section", { class: "case", "aria-labelledby": "case-heading" },
    h("h2", { id: "case-heading" }, tracked.subject ?? "เรื่องของท่าน"),
    summary(tracked),
    h("h3", null, "ความคืบหน้า"),
    replies.length
      ? h("ol", { class: "replies" }, ...replies.map(replyItem))
      : h("p", { class: "muted" }, "ยังไม่มีการตอบกลับ"),
    tracked.state === "RESOLVED" ? resolutionForms(code, show) : null,
    OPEN_STATES.has(tracked.state ?? "") ? addInformationForm(code, show) : null,
  );
}

export function trackPage(main: HTMLElement): void {
  const code = textField({
    field: "tracking_code",
    label: "รหัสติดตาม",
    required: true,
    maxLength: 64,
    autocomplete: "off",
    hint: "17 ตัวอักษร เช่น K7QM-4XDP-9TRA-HW2E-C (ตัวพิมพ์เล็กหรือใหญ่ก็ได้)",
  });
  code.input.setAttribute("spellcheck", "false");
  code.input.setAttribute("autocapitalize", "characters");
  const result = h("div", { "aria-live": "polite" });
  const form = h("form", { novalidate: true, class: "track" },
    code.row,
    h("p", { class: "actions" }, h("button", { type: "submit" }, "ติดตามเรื่อง")));
  let current = "";
  const show = (tracked: TrackedComplaint) =>
    replaceChildren(result, caseView(current, tracked, show));
  let checked: TrackingCheck = { ok: false, reason: "" };
  const errors = onSubmit(form, {
    busyLabel: "กำลังค้นหา…",
    check: () => {
      checked = checkTrackingCode(code.input.value);
      return checked.ok ? null : ["tracking_code", checked.reason];
    },
    send: async () => {
      if (!checked.ok) return;
      const tracked = await call<TrackedComplaint>(
        "POST", "/v1/complaints:track", { tracking_code: checked.canonical });
      current = checked.canonical;
      show(tracked);
    },
    failed: (error) => {
      replaceChildren(result);
      if (error instanceof ApiError && error.code === "NOT_FOUND") {
        errors.fieldError("tracking_code",
                          "ไม่พบเรื่องที่ใช้รหัสนี้ กรุณาตรวจสอบรหัสอีกครั้ง");
      } else {
        errors.apiError(error);
      }
    },
  });

  replaceChildren(main,
    h("h1", null, "ติดตามเรื่อง"),
    h("p", { class: "lead" }, "กรอกรหัสติดตามที่ได้รับเมื่อส่งเรื่อง"),
    form,
    result,
  );
}
