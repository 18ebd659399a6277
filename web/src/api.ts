// The public HTTP/JSON API (/v1, see /openapi.json), the same one any other
// caller uses: the pages hold no rule of their own, every decision is the
// services'.

// What a failed call says: the gRPC code name, the service's message, and the
// field path a validation error names ("complaint.subject").
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
    readonly field: string | undefined,
    readonly fieldReason: string | undefined,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const CODE_NAMES: Record<number, string> = {
  1: "CANCELLED",
  2: "UNKNOWN",
  3: "INVALID_ARGUMENT",
  4: "DEADLINE_EXCEEDED",
  5: "NOT_FOUND",
  6: "ALREADY_EXISTS",
  7: "PERMISSION_DENIED",
  8: "RESOURCE_EXHAUSTED",
  9: "FAILED_PRECONDITION",
  10: "ABORTED",
  11: "OUT_OF_RANGE",
  12: "UNIMPLEMENTED",
  13: "INTERNAL",
  14: "UNAVAILABLE",
  15: "DATA_LOSS",
  16: "UNAUTHENTICATED",
};

interface FieldViolation {
  field?: string;
  description?: string;
}

interface StatusBody {
  code?: number;
  message?: string;
  details?: { "@type"?: string; field_violations?: FieldViolation[] }[];
}

function errorOf(httpStatus: number, statusText: string,
                 bodyText: string): ApiError {
  let body: StatusBody = {};
  try {
    body = JSON.parse(bodyText) as StatusBody;
  } catch {
    // Not the gateway's JSON (a proxy's page, say): the status alone.
  }
  const violation = body.details
    ?.flatMap((detail) => detail.field_violations ?? [])
    .find((v) => v.field);
  return new ApiError(
    httpStatus,
    CODE_NAMES[body.code ?? 2] ?? "UNKNOWN",
    body.message ?? statusText,
    violation?.field,
    violation?.description,
  );
}

export interface CallOptions {
  // Query parameters of a GET; repeated values as arrays.
  query?: Record<string, string | number | boolean | string[] | undefined>;
  signal?: AbortSignal;
}

function urlOf(path: string, query: CallOptions["query"]): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(name, String(item));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

// One call. Secrets (tracking codes, replay secrets) only ever travel in a
// POST body, never in the URL, so they stay out of logs and history.
export async function call<T>(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(urlOf(path, options.query), {
      method,
      headers: {
        Accept: "application/json",
        // Proves to the gateway that the call comes from these pages, not
        // from another site riding on the session cookie (CSRF).
        "X-Prongsai-Csrf": "1",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") {
      throw error;
    }
    throw new ApiError(0, "UNAVAILABLE", "network", undefined, undefined);
  }
  if (!response.ok) {
    throw errorOf(response.status, response.statusText, await response.text());
  }
  return (await response.json()) as T;
}

// A POST whose upload progress the page shows (a filing with photos):
// `progress` gets the fraction sent, 0 to 1.
export function postWithProgress<T>(
  path: string,
  body: unknown,
  progress: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", path);
    request.setRequestHeader("Content-Type", "application/json");
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-Prongsai-Csrf", "1");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300) {
        try {
          resolve(JSON.parse(request.responseText) as T);
        } catch {
          reject(new ApiError(request.status, "INTERNAL", "bad JSON",
                              undefined, undefined));
        }
      } else {
        reject(errorOf(request.status, request.statusText,
                       request.responseText));
      }
    });
    const unavailable = () =>
      reject(new ApiError(0, "UNAVAILABLE", "network", undefined, undefined));
    request.addEventListener("error", unavailable);
    request.addEventListener("timeout", unavailable);
    request.send(JSON.stringify(body));
  });
}

// A sentence in Thai for an error the page does not handle itself.
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return "เกิดข้อผิดพลาดที่ไม่คาดคิด กรุณาลองใหม่";
  switch (error.code) {
    case "INVALID_ARGUMENT":
      return `ข้อมูลไม่ถูกต้อง: ${error.fieldReason ?? error.message}`;
    case "NOT_FOUND":
      return "ไม่พบข้อมูลที่ขอ";
    case "RESOURCE_EXHAUSTED":
      return "มีการส่งคำขอมากเกินไป กรุณารอสักครู่แล้วลองใหม่";
    case "FAILED_PRECONDITION":
    case "ABORTED":
      return `ทำรายการนี้ไม่ได้ในขณะนี้: ${error.message}`;
    case "PERMISSION_DENIED":
      return "ท่านไม่มีสิทธิ์ทำรายการนี้";
    case "UNAUTHENTICATED":
      return "กรุณาเข้าสู่ระบบอีกครั้ง";
    case "UNAVAILABLE":
    case "DEADLINE_EXCEEDED":
      return "ระบบไม่ตอบสนองในขณะนี้ ข้อมูลที่กรอกยังอยู่ กรุณาลองส่งอีกครั้ง";
    default:
      return "เกิดข้อผิดพลาดในระบบ กรุณาลองใหม่ภายหลัง";
  }
}

// --- The messages the pages use, in the API's JSON (proto field names). ---

export interface OrganizationRef {
  code: string;
  name?: string;
  kind?: string;
  province?: string;
  district?: string;
}

export interface Category {
  name: string;
  display_name: string;
  sla_days?: number;
}

export interface Reply {
  name?: string;
  visibility?: string;
  text: string;
  new_due_time?: string;
  author?: string;
  create_time?: string;
}

export interface TrackedComplaint {
  kind?: string;
  subject?: string;
  state?: string;
  receive_time?: string;
  due_time?: string;
  overdue?: boolean;
  resolution?: string;
  public_replies?: Reply[];
  satisfaction?: number;
  reopen_count?: number;
  organization?: OrganizationRef;
}

export interface CountByKey {
  key: string;
  received?: string;
  completed?: string;
}

// int64 figures arrive as strings in proto3 JSON.
export interface ComplaintStatistics {
  organization?: string;
  fiscal_year?: { be_year: number };
  month?: number;
  period_start?: string;
  period_end?: string;
  received?: string;
  completed?: string;
  ended_otherwise?: string;
  in_progress?: string;
  overdue?: string;
  by_kind?: CountByKey[];
  by_channel?: CountByKey[];
  by_category?: CountByKey[];
  mean_days_to_resolve?: number;
  median_days_to_resolve?: number;
  percent_resolved_within_sla?: number;
  ratings?: string;
  percent_satisfied?: number;
  notice?: string;
  suppression_threshold?: number;
}
