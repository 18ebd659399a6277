// Photos attached to a filing. The page shrinks each one (at most 1600
// pixels on its longer side, re-encoded as JPEG) before sending, which also
// drops the camera's metadata (EXIF, with its GPS position) on the device;
// the service strips metadata again and checks type and size itself.

import { h, replaceChildren } from "./dom";

export const MAX_PHOTOS = 4;
// The complaint service's limit per photo.
export const MAX_PHOTO_BYTES = 1024 * 1024;
const MAX_SIDE = 1600;
const ACCEPTED = ["image/jpeg", "image/png"];

export interface Photo {
  file_name: string;
  media_type: string;
  // Base64, as proto3 JSON writes bytes.
  content: string;
  preview: string; // blob: URL of the shrunk image
  size: number;
}

async function blobOf(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("encode"))),
      "image/jpeg",
      quality,
    ),
  );
}

async function base64Of(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

// The file as a JPEG that fits the service's limit, or a Thai reason why not.
export async function preparePhoto(file: File): Promise<Photo | string> {
  if (!ACCEPTED.includes(file.type)) {
    return `${file.name}: รับเฉพาะรูปภาพ JPEG หรือ PNG`;
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return `${file.name}: เปิดรูปภาพนี้ไม่ได้ ไฟล์อาจเสียหาย`;
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext("2d")?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  for (const quality of [0.85, 0.7, 0.5]) {
    const blob = await blobOf(canvas, quality);
    if (blob.size <= MAX_PHOTO_BYTES) {
      return {
        file_name: file.name.replace(/\.[^.]*$/, "") + ".jpg",
        media_type: "image/jpeg",
        content: await base64Of(blob),
        preview: URL.createObjectURL(blob),
        size: blob.size,
      };
    }
  }
  return `${file.name}: รูปภาพใหญ่เกินไป`;
}

// The photo picker of the filing form: up to MAX_PHOTOS, each previewed with
// a button to take it out again.
export class PhotoPicker {
  readonly row: HTMLElement;
  private readonly photos: Photo[] = [];
  private readonly list = h("ul", { class: "photos", "aria-label": "รูปภาพที่แนบ" });
  private readonly status = h("p", { class: "muted", role: "status" });
  private readonly input = h("input", {
    type: "file",
    id: "photos",
    accept: ACCEPTED.join(","),
    multiple: true,
    "aria-describedby": "photos-hint",
  });

  constructor() {
    this.input.addEventListener("change", () => void this.add());
    this.row = h("div", { class: "field", "data-field": "complaint.attachments" },
      h("label", { for: "photos" }, "รูปภาพประกอบ (ถ้ามี)"),
      h("p", { class: "hint", id: "photos-hint" },
        `ไม่เกิน ${MAX_PHOTOS} รูป ชนิด JPEG หรือ PNG ระบบจะย่อรูปและลบข้อมูลตำแหน่งที่ถ่ายออกก่อนส่ง`),
      this.input, this.status, this.list,
      h("p", { class: "field-error", hidden: true }));
  }

  attachments(): { file_name: string; media_type: string; content: string }[] {
    return this.photos.map(({ file_name, media_type, content }) =>
      ({ file_name, media_type, content }));
  }

  private async add(): Promise<void> {
    const files = Array.from(this.input.files ?? []);
    this.input.value = "";
    const problems: string[] = [];
    replaceChildren(this.status, "กำลังเตรียมรูปภาพ…");
    for (const file of files) {
      if (this.photos.length >= MAX_PHOTOS) {
        problems.push(`แนบได้ไม่เกิน ${MAX_PHOTOS} รูป`);
        break;
      }
      const prepared = await preparePhoto(file);
      if (typeof prepared === "string") problems.push(prepared);
      else this.photos.push(prepared);
    }
    replaceChildren(this.status, problems.join(" · "));
    this.render();
  }

  private render(): void {
    replaceChildren(this.list, ...this.photos.map((photo, index) => h("li", null,
      h("img", { src: photo.preview, alt: `รูปที่ ${index + 1}: ${photo.file_name}` }),
      h("button", {
        type: "button",
        class: "secondary",
        onclick: () => {
          URL.revokeObjectURL(photo.preview);
          this.photos.splice(index, 1);
          this.render();
        },
      }, `เอารูปที่ ${index + 1} ออก`))));
  }
}
