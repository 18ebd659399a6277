// Labelled fields, and errors shown next to the field the service names.
// A failed submit never clears what was typed: only a success replaces the
// form.

import { ApiError, describeError } from "./api";
import { h, replaceChildren, uniqueId } from "./dom";
import { arabicDigits } from "./thai";

export interface FieldSpec {
  // The API field path this input fills, e.g. "complaint.subject"; errors
  // naming it are shown under the input.
  field: string;
  label: string;
  multiline?: boolean;
  rows?: number;
  required?: boolean;
  maxLength?: number;
  type?: "text" | "date" | "number" | "tel";
  hint?: string;
  autocomplete?: string;
  inputmode?: string;
}

export type Input = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

export interface Field {
  row: HTMLElement;
  input: Input;
}

function fieldRow(
  spec: { field: string; label: string; required?: boolean; hint?: string },
  input: Input,
): HTMLElement {
  const id = input.id;
  const hint = spec.hint
    ? h("p", { class: "hint", id: `${id}-hint` }, spec.hint)
    : null;
  if (hint) input.setAttribute("aria-describedby", hint.id);
  return h(
    "div",
    { class: "field", "data-field": spec.field },
    h(
      "label",
      { for: id },
      spec.label,
      spec.required ? h("span", { class: "required" }, " (จำเป็น)") : null,
    ),
    hint,
    input,
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
  );
}

export function textField(spec: FieldSpec): Field {
  const id = uniqueId("f");
  const common = {
    id,
    name: spec.field,
    required: spec.required,
    maxlength: spec.maxLength,
    autocomplete: spec.autocomplete ?? "off",
    inputmode: spec.inputmode,
  };
  const input = spec.multiline
    ? h("textarea", { ...common, rows: spec.rows ?? 5 })
    : h("input", { ...common, type: spec.type ?? "text" });
  return { row: fieldRow(spec, input), input };
}

export function selectField(
  spec: { field: string; label: string; required?: boolean; hint?: string },
  options: { value: string; label: string }[],
): Field {
  const input = h(
    "select",
    { id: uniqueId("f"), name: spec.field, required: spec.required },
    ...options.map((option) =>
      h("option", { value: option.value }, option.label),
    ),
  );
  return { row: fieldRow(spec, input), input };
}

// Text as the API wants it: trimmed, Thai digits as Arabic where the field
// is a number or a date.
export function valueOf(input: Input): string {
  return input.value.trim();
}

export function numberOf(input: Input): number | undefined {
  const text = arabicDigits(valueOf(input));
  if (text === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

// The form's error area: one summary at the top (role=alert, so a screen
// reader hears it) and a message under each field an error names.
export class FormErrors {
  private readonly summary: HTMLElement;

  constructor(private readonly form: HTMLElement) {
    this.summary = h("div", {
      class: "form-error",
      role: "alert",
      hidden: true,
    });
    form.prepend(this.summary);
  }

  clear(): void {
    this.summary.hidden = true;
    replaceChildren(this.summary);
    for (const row of this.form.querySelectorAll<HTMLElement>(".field")) {
      row.classList.remove("invalid");
      const message = row.querySelector<HTMLElement>(".field-error");
      if (message) {
        message.hidden = true;
        replaceChildren(message);
      }
      row.querySelector("input, textarea, select")?.removeAttribute(
        "aria-invalid",
      );
    }
  }

  // Under the field `field` names (or its nearest named parent, e.g.
  // "complaint.place" for "complaint.place.latitude", "complaint.attachments"
  // for "complaint.attachments[2].content"); the summary says it too, and
  // focus moves to the field.
  fieldError(field: string, message: string): void {
    let path = field.replace(/\[\d+\]/g, "");
    let row: HTMLElement | null = null;
    while (path && !row) {
      row = this.form.querySelector<HTMLElement>(
        `.field[data-field="${CSS.escape(path)}"]`,
      );
      path = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "";
    }
    this.show(message);
    if (!row) return;
    row.classList.add("invalid");
    const text = row.querySelector<HTMLElement>(".field-error");
    const input = row.querySelector<HTMLElement>("input, textarea, select");
    if (text) {
      replaceChildren(text, message);
      text.hidden = false;
    }
    if (input) {
      input.setAttribute("aria-invalid", "true");
      const described = [input.getAttribute("aria-describedby"), text?.id]
        .filter(Boolean)
        .join(" ");
      input.setAttribute("aria-describedby", described);
      input.focus();
    }
  }

  show(message: string): void {
    replaceChildren(this.summary, message);
    this.summary.hidden = false;
  }

  // A failed call: next to its field when the service named one.
  apiError(error: unknown): void {
    if (error instanceof ApiError && error.field) {
      this.fieldError(
        error.field,
        `${describeField(error.field)}: ${error.fieldReason ?? error.message}`,
      );
    } else {
      this.show(describeError(error));
      this.summary.focus();
    }
  }
}

const FIELD_NAMES: Record<string, string> = {
  subject: "เรื่อง",
  description: "รายละเอียด",
  category: "ประเภทเรื่อง",
  place: "สถานที่",
  requested_action: "สิ่งที่ต้องการให้ดำเนินการ",
  evidence: "พยานหลักฐาน",
  complainant: "ผู้ร้องเรียน",
  accused: "ผู้ถูกกล่าวหา",
  incident_time: "วันที่เกิดเหตุ",
  tracking_code: "รหัสติดตาม",
  text: "ข้อความ",
  reopen_reason: "เหตุผลที่ขอให้ดำเนินการใหม่",
  satisfaction: "ระดับความพึงพอใจ",
  attachments: "รูปภาพ",
};

function describeField(path: string): string {
  const parts = path.split(".");
  for (let i = parts.length - 1; i >= 0; i--) {
    const name = FIELD_NAMES[parts[i]];
    if (name) return name;
  }
  return path;
}

export interface Submission {
  // Shown on the submit button while `send` runs, e.g. "กำลังส่ง…".
  busyLabel: string;
  // A refusal before anything is sent: the field path and the message.
  check?: () => [string, string] | null;
  send: () => Promise<void>;
  // Instead of putting the error next to its field.
  failed?: (error: unknown) => void;
}

// Handles the form's submit: clears the old errors, lets `check` refuse,
// disables the form while `send` runs, and on failure shows the error next
// to the field it names. What was typed stays either way. Returns the
// form's error area.
export function onSubmit(form: HTMLFormElement,
                         submission: Submission): FormErrors {
  const errors = new FormErrors(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.clear();
    const refused = submission.check?.();
    if (refused) {
      errors.fieldError(...refused);
      return;
    }
    const restore = busy(form, submission.busyLabel);
    try {
      await submission.send();
    } catch (error) {
      if (submission.failed) submission.failed(error);
      else errors.apiError(error);
    } finally {
      restore();
    }
  });
  return errors;
}

// Disables a form's controls while a call runs, showing `busy` on its
// submit button; returns the function that restores them.
function busy(form: HTMLFormElement, label: string): () => void {
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
  const previous = button?.textContent ?? "";
  form.setAttribute("aria-busy", "true");
  if (button) {
    button.disabled = true;
    button.textContent = label;
  }
  return () => {
    form.removeAttribute("aria-busy");
    if (button) {
      button.disabled = false;
      button.textContent = previous;
    }
  };
}
