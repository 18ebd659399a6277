// `/`: find one's organization, then file, report, or read its statistics.

import { describeError, OrganizationRef } from "../api";
import { h, replaceChildren } from "../dom";
import { nameOf, ORGANIZATION_KIND_NAMES } from "../labels";
import { searchOrganizations } from "../organizations";

function resultItem(organization: OrganizationRef): HTMLElement {
  const code = encodeURIComponent(organization.code);
  return h(
    "li",
    { class: "card" },
    h("h3", null, organization.name ?? organization.code),
    h(
      "p",
      { class: "muted" },
      `${nameOf(ORGANIZATION_KIND_NAMES, organization.kind)} · อำเภอ${
        organization.district ?? "-"
      } จังหวัด${organization.province ?? "-"}`,
    ),
    h(
      "p",
      { class: "actions" },
      h("a", { class: "button", href: `/complaints/new?org=${code}` },
        "ร้องเรียน/ร้องทุกข์"),
      h("a", { class: "button danger", href: `/corruption/new?org=${code}` },
        "แจ้งเบาะแสการทุจริต"),
      h("a", { class: "button secondary", href: `/statistics?org=${code}` },
        "สถิติเรื่องร้องเรียน"),
    ),
  );
}

export function homePage(main: HTMLElement): void {
  const input = h("input", {
    id: "organization-query",
    type: "search",
    name: "query",
    maxlength: 100,
    autocomplete: "off",
    placeholder: "เช่น อีสานเขต",
  });
  const status = h("p", { class: "muted", role: "status" });
  const results = h("ul", { class: "cards", "aria-label": "ผลการค้นหา" });
  let pending: AbortController | null = null;

  async function search(): Promise<void> {
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    replaceChildren(status, "กำลังค้นหา…");
    try {
      const found = await searchOrganizations(input.value.trim(),
                                              controller.signal);
      replaceChildren(results, ...found.map(resultItem));
      replaceChildren(
        status,
        found.length ? `พบ ${found.length} หน่วยงาน` : "ไม่พบหน่วยงานที่ค้นหา",
      );
    } catch (error) {
      if (controller.signal.aborted) return;
      replaceChildren(results);
      replaceChildren(status, describeError(error));
    }
  }

  let timer = 0;
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void search(), 250);
  });
  const form = h(
    "form",
    {
      role: "search",
      class: "search",
      onsubmit: (event: Event) => {
        event.preventDefault();
        void search();
      },
    },
    h("label", { for: input.id }, "ค้นหาองค์กรปกครองส่วนท้องถิ่นของท่าน"),
    h("div", { class: "inline" }, input,
      h("button", { type: "submit" }, "ค้นหา")),
  );

  replaceChildren(
    main,
    h("h1", null, "ร้องเรียน แจ้งเบาะแส และติดตามเรื่อง"),
    h(
      "p",
      { class: "lead" },
      "ยื่นเรื่องร้องเรียนหรือแจ้งเบาะแสการทุจริตต่อองค์กรปกครองส่วนท้องถิ่นได้โดยไม่ต้องสมัครสมาชิก ",
      "เมื่อส่งเรื่องแล้วท่านจะได้รับรหัสติดตามสำหรับติดตามความคืบหน้า",
    ),
    form,
    status,
    results,
    h(
      "p",
      null,
      "มีรหัสติดตามอยู่แล้ว? ",
      h("a", { href: "/track" }, "ติดตามเรื่องที่นี่"),
    ),
  );
  void search();
}
