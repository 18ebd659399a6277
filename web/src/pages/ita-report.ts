// `/staff/ita/report?name=organizations/X/assessments/YEAR`: the Thai
// analysis report the ITA service renders (RenderReport), on a page made to
// be printed (window.print; the @media print rules leave the navigation and
// buttons out), with the document itself to download as HTML or Markdown.
//
// The report is read in its Markdown form and built into elements here from
// text nodes only: its text holds what organizations and staff typed
// (names, measure titles), so it is never parsed as HTML.

import { call, describeError } from "../api";
import { Child, h, replaceChildren } from "../dom";
import { asStaff } from "./signin";
import { staffPage } from "./staff";

interface RenderedReport {
  content_type?: string;
  content?: string;
}

const ASSESSMENT = /^organizations\/([A-Za-z0-9_-]{1,32})\/assessments\/(\d{4})$/;

// Markdown's backslash escapes (the service escapes the markup characters
// of what people typed: `\<img>`): the character itself, as text.
function unescaped(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, "$1");
}

// A table cell's text, with the report's own `<br>` line breaks (not an
// escaped `\<br>`) as <br> elements and nothing else read as markup.
function cellContent(text: string): Child[] {
  return text.split(/(?<!\\)<br\s*\/?>/i)
    .flatMap((part, i) => (i === 0 ? [unescaped(part)] : [h("br"), unescaped(part)]));
}

// The cells of a table row; an escaped `\|` is not a cell border.
function cellsOf(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "").split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

function tableOf(lines: string[]): HTMLElement {
  const [head, ...rest] = lines;
  const body = rest.filter((line) => !/^\|?\s*:?-{3,}/.test(line.trim()));
  return h("table", { class: "figures report-table" },
    h("thead", null, h("tr", null, ...cellsOf(head).map((cell) =>
      h("th", { scope: "col" }, ...cellContent(cell))))),
    h("tbody", null, ...body.map((line) => h("tr", null,
      ...cellsOf(line).map((cell) => h("td", null, ...cellContent(cell)))))));
}

// Headings (#, ##, ###), bullet lists, pipe tables and paragraphs: what the
// service's Markdown report uses.
export function reportElements(markdown: string): HTMLElement[] {
  const lines = markdown.split(/\r?\n/);
  const out: HTMLElement[] = [];
  for (let i = 0; i < lines.length;) {
    const line = lines[i];
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(4, heading[1].length) as 1 | 2 | 3 | 4;
      out.push(h(`h${level}`, null, unescaped(heading[2])));
      i += 1;
    } else if (line.trim().startsWith("|")) {
      const block: string[] = [];
      while (i < lines.length && lines[i].trim().startsWith("|")) block.push(lines[i++]);
      out.push(tableOf(block));
    } else if (/^\s*[-*]\s+/.test(line)) {
      const items: string[] = [];
      while (i < lines.length && /^\s*[-*]\s+/.test(lines[i])) {
        items.push(lines[i++].replace(/^\s*[-*]\s+/, ""));
      }
      out.push(h("ul", null, ...items.map((item) => h("li", null, unescaped(item)))));
    } else if (line.trim() === "") {
      i += 1;
    } else {
      const paragraph: string[] = [];
      while (i < lines.length && lines[i].trim() !== "" && !/^(#|\||\s*[-*]\s)/.test(lines[i])) {
        paragraph.push(lines[i++].trim());
      }
      out.push(h("p", null, unescaped(paragraph.join(" "))));
    }
  }
  return out;
}

function download(fileName: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = h("a", { href: url, download: fileName, class: "visually-hidden" }, fileName);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const itaReportPage = staffPage((main, params) => {
  const name = params.get("name") ?? "";
  const match = ASSESSMENT.exec(name);
  if (!match) {
    main.append(h("h1", null, "ไม่พบผลการประเมิน"),
      h("p", null, h("a", { href: "/staff/ita" }, "กลับไปที่ผลการประเมิน ITA")));
    return;
  }
  const [, organization, year] = match;
  const fileBase = `ita-${organization}-${year}`;
  const status = h("p", { class: "no-print", "aria-live": "polite" });
  const printButton = h("button", { type: "button", onclick: () => window.print() }, "พิมพ์รายงาน");
  const htmlButton = h("button", { type: "button", class: "secondary" }, "ดาวน์โหลด (HTML)");
  const markdownButton = h("button", { type: "button", class: "secondary" }, "ดาวน์โหลด (Markdown)");
  const document_ = h("article", { class: "ita-report" }, h("p", { role: "status" }, "กำลังโหลด…"));
  main.append(
    h("p", { class: "no-print" }, h("a", { href: `/staff/ita/analysis?name=${encodeURIComponent(name)}` },
      "← การวิเคราะห์ผลการประเมิน")),
    h("p", { class: "actions no-print" }, printButton, htmlButton, markdownButton),
    status, document_);
  htmlButton.addEventListener("click", async () => {
    htmlButton.disabled = true;
    try {
      const html = await asStaff(() => call<RenderedReport>("GET", `/v1/${name}:render`, undefined,
                                                             { query: { format: "HTML" } }));
      download(`${fileBase}.html`, "text/html;charset=utf-8", html.content ?? "");
      replaceChildren(status, `ดาวน์โหลด ${fileBase}.html แล้ว`);
    } catch (error) {
      replaceChildren(status, h("span", { role: "alert" }, describeError(error)));
    } finally {
      htmlButton.disabled = false;
    }
  });
  markdownButton.disabled = true;
  asStaff(() => call<RenderedReport>("GET", `/v1/${name}:render`, undefined,
                                     { query: { format: "MARKDOWN" } })).then((report) => {
    const markdown = report.content ?? "";
    const parts = reportElements(markdown);
    // The report's own title is the page's heading.
    if (parts[0]?.tagName !== "H1") parts.unshift(h("h1", null, "รายงานการวิเคราะห์ผลการประเมิน ITA"));
    replaceChildren(document_, ...parts);
    document.title = `${parts[0].textContent ?? ""} — โปร่งใส`;
    markdownButton.disabled = false;
    markdownButton.addEventListener("click", () =>
      download(`${fileBase}.md`, "text/markdown;charset=utf-8", markdown));
  }, (error) => replaceChildren(document_, h("h1", null, "รายงานการวิเคราะห์ผลการประเมิน ITA"),
                                h("p", { role: "alert" }, describeError(error))));
});
