// The form every document import shares (a plan, a measures table, a
// progress report): a .txt file or pasted text, an optional dry run, one
// request id per document so that a retry repeats the first call, and the
// answer's findings drawn under the lines of the document they name, so the
// officer can fix the document where the problem is.

import { append, h, replaceChildren } from "./dom";
import { onSubmit, textField } from "./forms";
import { Finding, findingItem, newRequestId, SEVERITY_NAMES } from "./plan_api";
import { arabicDigits, thaiDigits } from "./thai";

// The line a finding names: "line 12", or "ลำดับที่ 3" (the line that opens
// that project sheet, its digits Thai or Arabic); 0 when it names none.
function lineOf(finding: Finding, lines: string[]): number {
  const where = arabicDigits(finding.location ?? "").trim();
  const numbered = /^line (\d+)$/.exec(where);
  if (numbered) {
    const line = Number(numbered[1]);
    return line >= 1 && line <= lines.length ? line : 0;
  }
  const sheet = /^ลำดับที่\s*(\d+)$/.exec(where);
  if (sheet) {
    const at = lines.findIndex((text) =>
      new RegExp(`^\\s*ลำดับที่\\s*${sheet[1]}\\s*$`).test(arabicDigits(text)));
    return at + 1;
  }
  return 0;
}

// Past this many lines only the lines with findings (and two either side)
// are drawn: a whole 3 MB document would make the page crawl.
const FULL_DOCUMENT_LINES = 2000;

function documentView(text: string, findings: Finding[]): HTMLElement {
  const lines = text.split(/\r?\n/);
  const byLine = new Map<number, Finding[]>();
  const unplaced: Finding[] = [];
  for (const finding of findings) {
    const line = lineOf(finding, lines);
    if (line === 0) unplaced.push(finding);
    else byLine.set(line, [...(byLine.get(line) ?? []), finding]);
  }
  const shown = (line: number) => lines.length <= FULL_DOCUMENT_LINES ||
    [-2, -1, 0, 1, 2].some((d) => byLine.has(line + d));
  const list = h("ol", { class: "document", "aria-label": "เอกสารพร้อมเลขบรรทัด",
                                 tabindex: 0 });
  let skipped = false;
  lines.forEach((lineText, index) => {
    const line = index + 1;
    if (!shown(line)) {
      if (!skipped) list.append(h("li", { class: "gap" }, "…"));
      skipped = true;
      return;
    }
    skipped = false;
    const found = byLine.get(line);
    list.append(h("li", { "data-line": line, class: found ? "has-findings" : "" },
      h("span", { class: "line-number" }, `บรรทัด ${line}`),
      h("span", { class: "line-text" }, lineText),
      found ? h("ul", { class: "findings" }, ...found.map((f) => findingItem(f))) : null));
  });
  return h("div", null,
    unplaced.length > 0 ? h("section", null,
      h("h3", null, "สิ่งที่พบซึ่งไม่ระบุบรรทัด"),
      h("ul", { class: "findings unplaced" }, ...unplaced.map((f) => findingItem(f)))) : null,
    h("h3", null, "เอกสาร"),
    list);
}

export interface DocumentImport<Answer extends { findings?: Finding[] }> {
  // Prefixes the form's element ids: two forms can share a page.
  id: string;
  heading: string;
  fileLabel: string;
  hint: string;
  submitLabel: string;
  // Sends the document; `requestId` is undefined on a dry run.
  send: (text: string, validateOnly: boolean, requestId: string | undefined) => Promise<Answer>;
  // The first line of the result: what was stored, or that nothing was.
  outcome: (answer: Answer, validateOnly: boolean) => HTMLElement;
  // Whether the answer stored something (the page then reloads its lists).
  stored: (answer: Answer) => boolean;
  onStored: () => void;
  // Extra fields between the text and the dry-run box.
  extra?: HTMLElement[];
}

function resultView<Answer extends { findings?: Finding[] }>(
  spec: DocumentImport<Answer>, answer: Answer, text: string, validateOnly: boolean): HTMLElement {
  const findings = answer.findings ?? [];
  const counts = ["ERROR", "WARNING", "INFO"].map((severity) =>
    [severity, findings.filter((f) => (f.severity ?? "INFO") === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${SEVERITY_NAMES[severity]} ${thaiDigits(count)} รายการ`);
  const headingId = `${spec.id}-result-heading`;
  return h("section", { class: "import-result", "aria-labelledby": headingId },
    h("h2", { id: headingId }, "ผลการนำเข้า"),
    spec.outcome(answer, validateOnly),
    h("p", { class: "finding-counts" }, findings.length === 0
      ? "ไม่พบปัญหาในเอกสาร" : `พบ ${counts.join(" · ")}`),
    documentView(text, findings));
}

// "Nothing was stored" in the words the import forms share.
export function notStored(validateOnly: boolean, read: string): HTMLElement {
  return h("p", { class: "notice not-stored" },
    validateOnly ? "ตรวจสอบอย่างเดียว: ยังไม่ได้บันทึกข้อมูลใด ๆ " : "ไม่ได้บันทึกข้อมูลใด ๆ ",
    `(อ่านได้ ${read})`);
}

export function documentImportForm<Answer extends { findings?: Finding[] }>(
  spec: DocumentImport<Answer>): HTMLElement {
  const fileId = `${spec.id}-file`;
  const checkId = `${spec.id}-validate-only`;
  const headingId = `${spec.id}-import-heading`;
  const file = h("input", { id: fileId, type: "file", accept: ".txt,text/plain", name: "file" });
  const text = textField({ field: "text", label: "ข้อความของเอกสาร (วางข้อความ หรือเลือกไฟล์ด้านบน)",
                           multiline: true, rows: 10, required: true, hint: spec.hint });
  const validateOnly = h("input", { id: checkId, type: "checkbox", name: "validate_only" });
  const progress = h("progress", { "aria-label": "กำลังนำเข้า", hidden: true });
  const status = h("p", { role: "status", class: "muted" });
  const result = h("div", { "aria-live": "polite" });
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    replaceChildren(status, `กำลังอ่านไฟล์ ${chosen.name}…`);
    text.input.value = await chosen.text();
    replaceChildren(status, `อ่านไฟล์ ${chosen.name} แล้ว ${thaiDigits(text.input.value.split(/\r?\n/).length)} บรรทัด`);
  });
  const form = h("form", { novalidate: true, "aria-labelledby": headingId, class: "import-form",
                           "data-import": spec.id },
    h("h2", { id: headingId }, spec.heading),
    h("div", { class: "field", "data-field": "file" },
      h("label", { for: fileId }, spec.fileLabel), file),
    text.row);
  append(form, ...(spec.extra ?? []),
    h("p", { class: "check" }, validateOnly,
      h("label", { for: checkId }, " ตรวจสอบอย่างเดียว ยังไม่บันทึก")),
    h("p", { class: "actions" }, h("button", { type: "submit" }, spec.submitLabel), " ", progress),
    status);
  let requestId = newRequestId();
  let lastText = "";
  onSubmit(form, {
    busyLabel: "กำลังนำเข้า…",
    check: () => (text.input.value.trim() ? null : ["text", "กรุณาเลือกไฟล์หรือวางข้อความของเอกสาร"]),
    send: async () => {
      const documentText = text.input.value;
      const dryRun = validateOnly.checked;
      // A new document is a new import; the same one sent again (after an
      // error or a lost answer) repeats the first call.
      if (documentText !== lastText || dryRun) requestId = newRequestId();
      lastText = documentText;
      progress.hidden = false;
      replaceChildren(status, "กำลังอ่านและตรวจสอบเอกสาร อาจใช้เวลาสักครู่…");
      replaceChildren(result);
      try {
        const answer = await spec.send(documentText, dryRun, dryRun ? undefined : requestId);
        replaceChildren(status, "นำเข้าเสร็จแล้ว");
        replaceChildren(result, resultView(spec, answer, documentText, dryRun));
        if (spec.stored(answer)) spec.onStored();
      } catch (error) {
        replaceChildren(status, "นำเข้าไม่สำเร็จ ไม่ได้บันทึกข้อมูลใด ๆ");
        throw error;
      } finally {
        progress.hidden = true;
      }
    },
  });
  return h("div", null, form, result);
}
