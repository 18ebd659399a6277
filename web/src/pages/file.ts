// `/complaints/new?org=CODE` (a general complaint) and
// `/corruption/new?org=CODE` (the protected channel for reports of
// corruption): filed without an account; the tracking code is shown once.

import {
  call,
  Category,
  describeError,
  OrganizationRef,
  postWithProgress,
} from "../api";
import { h, replaceChildren } from "../dom";
import {
  Field,
  numberOf,
  onSubmit,
  selectField,
  textField,
  valueOf,
} from "../forms";
import { findOrganization, isOrganizationCode } from "../organizations";
import { PhotoPicker } from "../photos";
import { warnBeforeLeaving } from "../router";
import { formatDate } from "../thai";
import { formatTrackingCode } from "../tracking";

type Kind = "GENERAL" | "CORRUPTION";

interface FiledComplaint {
  name: string;
  tracking_code: string;
  due_time?: string;
  organization?: OrganizationRef;
}

// 32 hex digits from the browser's cryptographic generator.
function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// A retry of the same filing (after a timeout, say) must not file twice: the
// same body goes with the same request id and replay secret, and the service
// answers with the first filing. A changed body is a new filing.
class Idempotency {
  private body = "";
  private requestId = "";
  private secret = "";

  keysFor(body: string): { request_id: string; replay_secret: string } {
    if (body !== this.body) {
      this.body = body;
      this.requestId = randomHex();
      this.secret = randomHex();
    }
    return { request_id: this.requestId, replay_secret: this.secret };
  }
}

const LEAVE_WARNING =
  "ท่านยังไม่ได้ยืนยันว่าจดรหัสติดตามแล้ว หากออกจากหน้านี้จะไม่สามารถดูรหัสนี้ได้อีก ต้องการออกจากหน้านี้หรือไม่?";

function trackingCodePanel(filed: FiledComplaint, kind: Kind): HTMLElement {
  const code = formatTrackingCode(filed.tracking_code.replace(/-/g, ""));
  const copied = h("span", { role: "status", class: "muted" });
  const noted = h("input", { type: "checkbox", id: "code-noted" });
  noted.addEventListener("change", () =>
    warnBeforeLeaving(noted.checked ? null : LEAVE_WARNING),
  );
  warnBeforeLeaving(LEAVE_WARNING);
  return h(
    "section",
    { class: "filed", "aria-labelledby": "filed-heading" },
    h("h2", { id: "filed-heading" }, "ส่งเรื่องเรียบร้อยแล้ว"),
    h(
      "p",
      null,
      `${filed.organization?.name ?? "หน่วยงาน"} ได้รับเรื่องของท่านแล้ว`,
      filed.due_time
        ? ` และจะดำเนินการให้แล้วเสร็จภายใน ${formatDate(filed.due_time)}`
        : "",
    ),
    h("p", { class: "warning" },
      "รหัสติดตามนี้แสดงเพียงครั้งเดียว ระบบไม่เก็บรหัสไว้ในรูปที่อ่านได้ ",
      "หากทำหาย จะไม่มีใครแสดงรหัสนี้ให้ท่านได้อีก กรุณาจดหรือบันทึกไว้ก่อนออกจากหน้านี้"),
    h("p", { class: "label" }, "รหัสติดตามของท่าน"),
    h("output", { class: "tracking-code", id: "tracking-code" }, code),
    h(
      "p",
      { class: "actions no-print" },
      h("button", {
        type: "button",
        onclick: () => {
          navigator.clipboard.writeText(code).then(
            () => replaceChildren(copied, "คัดลอกแล้ว"),
            () => replaceChildren(copied, "คัดลอกไม่ได้ กรุณาจดรหัสด้วยตนเอง"),
          );
        },
      }, "คัดลอกรหัส"),
      h("button", { type: "button", class: "secondary",
                    onclick: () => window.print() }, "พิมพ์"),
      copied,
    ),
    h("p", { class: "no-print" }, noted,
      h("label", { for: noted.id }, " ข้าพเจ้าได้จดหรือบันทึกรหัสติดตามแล้ว")),
    kind === "CORRUPTION"
      ? h("p", null,
          "ข้อมูลผู้แจ้งและผู้ถูกกล่าวหาถูกเข้ารหัสไว้ เจ้าหน้าที่ทั่วไปมองไม่เห็น")
      : null,
    h("p", { class: "no-print" },
      h("a", { href: "/track" }, "ไปหน้าติดตามเรื่อง"),
      " (กรอกรหัสด้วยตนเอง รหัสไม่ถูกส่งไปในลิงก์)"),
  );
}

// What happens to the identity given, in plain words, per channel.
const PRIVACY_GENERAL =
  "ชื่อและช่องทางติดต่อใช้เพื่อให้เจ้าหน้าที่ติดต่อกลับเรื่องนี้เท่านั้น ข้อมูลถูกเข้ารหัสเก็บไว้ " +
  "ไม่แสดงต่อสาธารณะ และไม่แสดงในหน้าติดตามเรื่อง ท่านจะไม่ระบุตัวตนก็ได้ " +
  "แต่เจ้าหน้าที่จะติดต่อกลับไม่ได้ ให้ติดตามผลด้วยรหัสติดตามแทน";
const PRIVACY_CORRUPTION =
  "ช่องทางนี้คุ้มครองผู้แจ้ง: ท่านไม่ต้องระบุตัวตน หากระบุ ชื่อและช่องทางติดต่อของท่าน " +
  "รวมทั้งข้อมูลผู้ถูกกล่าวหา จะถูกเข้ารหัสไว้ และเปิดดูได้เฉพาะเจ้าหน้าที่ผู้รับผิดชอบ" +
  "ด้านความซื่อตรงของหน่วยงาน โดยต้องระบุเหตุผลทุกครั้ง และทุกการเปิดดูถูกบันทึก" +
  "ให้ผู้ตรวจสอบเห็น เจ้าหน้าที่อื่นและผู้ถูกกล่าวหามองไม่เห็น " +
  "กรุณาอย่าใส่ชื่อของท่านในรายละเอียดหรือพยานหลักฐาน";

interface FormFields {
  category: Field;
  subject: Field;
  description: Field;
  placeDescription: Field;
  village: Field;
  subdistrict: Field;
  latitude: Field;
  longitude: Field;
  incidentDate: Field;
  requestedAction: Field | null;
  evidence: Field | null;
  accusedName: Field | null;
  accusedPosition: Field | null;
  name: Field;
  contact: Field;
}

function fieldsFor(kind: Kind, categories: Category[]): FormFields {
  const corruption = kind === "CORRUPTION";
  return {
    category: selectField(
      { field: "complaint.category", label: "ประเภทเรื่อง" },
      [
        { value: "", label: "ไม่ระบุ" },
        ...categories.map((c) => ({ value: c.name, label: c.display_name })),
      ],
    ),
    subject: textField({
      field: "complaint.subject",
      label: corruption ? "เรื่องที่แจ้ง" : "เรื่อง",
      required: true,
      maxLength: 300,
      hint: "สรุปสั้น ๆ เช่น ไฟฟ้าส่องสว่างดับ",
    }),
    description: textField({
      field: "complaint.description",
      label: "รายละเอียด",
      multiline: true,
      rows: 7,
      required: true,
      maxLength: 10000,
      hint: corruption
        ? "เกิดอะไรขึ้น เมื่อใด ที่ไหน มีผู้เกี่ยวข้องอย่างไร"
        : "เล่าสิ่งที่พบ ยิ่งละเอียดยิ่งช่วยให้ดำเนินการได้เร็ว",
    }),
    placeDescription: textField({
      field: "complaint.place.description",
      label: "สถานที่",
      maxLength: 500,
      hint: "เช่น หน้าโรงเรียนบ้านหนองแก",
    }),
    village: textField({
      field: "complaint.place.village",
      label: "หมู่บ้าน / หมู่ที่",
      maxLength: 100,
    }),
    subdistrict: textField({
      field: "complaint.place.subdistrict",
      label: "ตำบล",
      maxLength: 100,
    }),
    latitude: textField({
      field: "complaint.place.latitude",
      label: "ละติจูด",
      inputmode: "decimal",
    }),
    longitude: textField({
      field: "complaint.place.longitude",
      label: "ลองจิจูด",
      inputmode: "decimal",
    }),
    incidentDate: textField({
      field: "complaint.incident_time",
      label: "วันที่เกิดเหตุ",
      type: "date",
    }),
    requestedAction: corruption
      ? null
      : textField({
          field: "complaint.requested_action",
          label: "สิ่งที่ต้องการให้ดำเนินการ",
          multiline: true,
          rows: 3,
          maxLength: 2000,
        }),
    evidence: corruption
      ? textField({
          field: "complaint.evidence",
          label: "พยานหลักฐานหรือพยานบุคคล",
          multiline: true,
          rows: 4,
          maxLength: 5000,
          hint: "เอกสาร ภาพถ่าย หรือผู้ที่รู้เห็น (ไม่ต้องระบุชื่อของท่าน)",
        })
      : null,
    accusedName: corruption
      ? textField({
          field: "complaint.accused.name",
          label: "ชื่อผู้ถูกกล่าวหา (ถ้าทราบ)",
          maxLength: 200,
        })
      : null,
    accusedPosition: corruption
      ? textField({
          field: "complaint.accused.position",
          label: "ตำแหน่งของผู้ถูกกล่าวหา (ถ้าทราบ)",
          maxLength: 200,
        })
      : null,
    name: textField({
      field: "complaint.complainant.name",
      label: "ชื่อ-นามสกุล",
      maxLength: 200,
      autocomplete: "name",
    }),
    contact: textField({
      field: "complaint.complainant.contact",
      label: "ช่องทางติดต่อกลับ",
      maxLength: 500,
      hint: "โทรศัพท์ อีเมล หรือไลน์ไอดี",
    }),
  };
}

// The CreateComplaint body from what was typed; a field error (as the
// service would name it) for input that cannot be sent at all.
function complaintOf(
  kind: Kind,
  fields: FormFields,
  named: boolean,
): { complaint: Record<string, unknown> } | { field: string; reason: string } {
  const latitude = numberOf(fields.latitude.input);
  const longitude = numberOf(fields.longitude.input);
  if (Number.isNaN(latitude)) {
    return { field: "complaint.place.latitude", reason: "ต้องเป็นตัวเลข" };
  }
  if (Number.isNaN(longitude)) {
    return { field: "complaint.place.longitude", reason: "ต้องเป็นตัวเลข" };
  }
  if ((latitude === undefined) !== (longitude === undefined)) {
    return {
      field: "complaint.place.latitude",
      reason: "ระบุทั้งละติจูดและลองจิจูด หรือไม่ระบุทั้งคู่",
    };
  }
  const date = valueOf(fields.incidentDate.input);
  const person = (name?: Field | null, contact?: Field | null,
                  position?: Field | null) => {
    const value = {
      name: name ? valueOf(name.input) : "",
      contact: contact ? valueOf(contact.input) : "",
      position: position ? valueOf(position.input) : "",
    };
    return value.name || value.contact || value.position ? value : undefined;
  };
  return {
    complaint: {
      kind,
      channel: "WEBSITE",
      category: valueOf(fields.category.input) || undefined,
      subject: valueOf(fields.subject.input),
      description: valueOf(fields.description.input),
      place: {
        description: valueOf(fields.placeDescription.input),
        village: valueOf(fields.village.input),
        subdistrict: valueOf(fields.subdistrict.input),
        latitude,
        longitude,
      },
      // A date is enough; midnight in Bangkok.
      incident_time: date ? `${date}T00:00:00+07:00` : undefined,
      requested_action: fields.requestedAction
        ? valueOf(fields.requestedAction.input)
        : undefined,
      evidence: fields.evidence ? valueOf(fields.evidence.input) : undefined,
      complainant: named ? person(fields.name, fields.contact) : undefined,
      accused: person(fields.accusedName, null, fields.accusedPosition),
    },
  };
}

function locationButton(fields: FormFields): HTMLElement {
  const status = h("span", { class: "muted", role: "status" });
  const button = h("button", { type: "button", class: "secondary" },
    "ใช้ตำแหน่งปัจจุบันของฉัน");
  button.addEventListener("click", () => {
    if (!navigator.geolocation) {
      replaceChildren(status, "อุปกรณ์นี้ไม่รองรับการระบุตำแหน่ง");
      return;
    }
    replaceChildren(status, "กำลังหาตำแหน่ง…");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        fields.latitude.input.value = position.coords.latitude.toFixed(6);
        fields.longitude.input.value = position.coords.longitude.toFixed(6);
        replaceChildren(status, "ได้ตำแหน่งแล้ว");
      },
      () => replaceChildren(status, "หาตำแหน่งไม่ได้ กรอกเองหรือเว้นว่างไว้ได้"),
      { timeout: 10000 },
    );
  });
  return h("p", { class: "actions" }, button, status);
}

function complaintForm(
  main: HTMLElement,
  kind: Kind,
  organization: OrganizationRef,
  categories: Category[],
): HTMLFormElement {
  const fields = fieldsFor(kind, categories);
  const corruption = kind === "CORRUPTION";
  const anonymous = h("input", { type: "radio", name: "identity",
                                 id: "identity-anonymous", value: "anonymous",
                                 checked: true });
  const named = h("input", { type: "radio", name: "identity",
                             id: "identity-named", value: "named" });
  const identityFields = h("div", { class: "identity", hidden: true },
    fields.name.row, fields.contact.row);
  const toggleIdentity = () => { identityFields.hidden = !named.checked; };
  anonymous.addEventListener("change", toggleIdentity);
  named.addEventListener("change", toggleIdentity);

  const photos = new PhotoPicker();
  const progress = h("progress", { max: 1, value: 0, hidden: true,
                                   "aria-label": "ความคืบหน้าการส่ง" });
  const idempotency = new Idempotency();
  const form = h(
    "form",
    { class: "complaint", novalidate: true, "aria-labelledby": "form-heading" },
    h("fieldset", null,
      h("legend", null, "เรื่องที่ต้องการแจ้ง"),
      corruption ? null : fields.category.row,
      fields.subject.row,
      fields.description.row,
      fields.requestedAction?.row,
      fields.accusedName?.row,
      fields.accusedPosition?.row,
      fields.evidence?.row,
      fields.incidentDate.row,
      photos.row),
    h("fieldset", null,
      h("legend", null, "สถานที่เกิดเหตุ"),
      fields.placeDescription.row,
      h("div", { class: "columns" }, fields.village.row,
        fields.subdistrict.row),
      h("div", { class: "columns" }, fields.latitude.row,
        fields.longitude.row),
      locationButton(fields)),
    h("fieldset", null,
      h("legend", null, corruption ? "ตัวตนของผู้แจ้ง" : "ผู้ร้องเรียน"),
      h("p", { class: "privacy" }, corruption ? PRIVACY_CORRUPTION
                                              : PRIVACY_GENERAL),
      h("div", { class: "choice" }, anonymous,
        h("label", { for: anonymous.id }, " ไม่ประสงค์ออกนาม")),
      h("div", { class: "choice" }, named,
        h("label", { for: named.id }, " ระบุชื่อและช่องทางติดต่อ")),
      identityFields),
    h("p", { class: "actions" },
      h("button", { type: "submit", class: corruption ? "danger" : "" },
        corruption ? "ส่งเรื่องแจ้งเบาะแส" : "ส่งเรื่องร้องเรียน"),
      progress),
  );
  let complaint: Record<string, unknown> = {};
  onSubmit(form, {
    busyLabel: "กำลังส่ง…",
    check: () => {
      if (!valueOf(fields.subject.input)) {
        return ["complaint.subject", "กรุณากรอกเรื่อง"];
      }
      if (!valueOf(fields.description.input)) {
        return ["complaint.description", "กรุณากรอกรายละเอียด"];
      }
      const built = complaintOf(kind, fields, named.checked);
      if ("field" in built) return [built.field, built.reason];
      const attachments = photos.attachments();
      complaint = attachments.length
        ? { ...built.complaint, attachments }
        : built.complaint;
      return null;
    },
    send: async () => {
      progress.hidden = !("attachments" in complaint);
      try {
        const filed = await postWithProgress<FiledComplaint>(
          `/v1/organizations/${encodeURIComponent(organization.code)}/complaints`,
          { complaint, ...idempotency.keysFor(JSON.stringify(complaint)) },
          (fraction) => { progress.value = fraction; },
        );
        replaceChildren(
          main,
          h("h1", null, corruption ? "แจ้งเบาะแสการทุจริต" : "ร้องเรียน/ร้องทุกข์"),
          trackingCodePanel(filed, kind),
        );
      } finally {
        progress.hidden = true;
      }
    },
  });
  return form;
}

export function filePage(kind: Kind) {
  return (main: HTMLElement, params: URLSearchParams): void => {
    const corruption = kind === "CORRUPTION";
    const heading = h("h1", { id: "form-heading" },
      corruption ? "แจ้งเบาะแสการทุจริตและประพฤติมิชอบ" : "ร้องเรียน/ร้องทุกข์");
    const code = params.get("org");
    replaceChildren(main, heading);
    if (!isOrganizationCode(code)) {
      main.append(h("p", null, "กรุณา", h("a", { href: "/" }, "เลือกหน่วยงาน"),
                    "ก่อน"));
      return;
    }
    const loading = h("p", { role: "status" }, "กำลังโหลด…");
    main.append(loading);
    Promise.all([
      findOrganization(code),
      call<{ categories?: Category[] }>(
        "GET", `/v1/organizations/${encodeURIComponent(code)}/categories`),
    ]).then(
      ([organization, listed]) => {
        if (!organization) {
          replaceChildren(loading, "ไม่พบหน่วยงานนี้ ", 
                          h("a", { href: "/" }, "ค้นหาหน่วยงาน"));
          return;
        }
        loading.replaceWith(
          h("p", { class: "lead" }, `ถึง ${organization.name ?? organization.code}`),
          corruption
            ? h("p", { class: "notice" },
                "ช่องทางนี้สำหรับแจ้งการทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่ ",
                "สำหรับเรื่องทั่วไป เช่น ถนนชำรุด ไฟดับ ",
                h("a", { href: `/complaints/new?org=${encodeURIComponent(code)}` },
                  "ใช้แบบร้องเรียนทั่วไป"))
            : h("p", { class: "notice" },
                "หากต้องการแจ้งการทุจริตของเจ้าหน้าที่ ",
                h("a", { href: `/corruption/new?org=${encodeURIComponent(code)}` },
                  "ใช้ช่องทางแจ้งเบาะแสการทุจริตที่คุ้มครองผู้แจ้ง")),
          complaintForm(main, kind, organization, listed.categories ?? []),
        );
      },
      (error) => replaceChildren(loading, describeError(error)),
    );
  };
}
