// Browser-side helper for the console's calls to /api/v1/admin/*. It turns the API's error
// body into an Error whose message is the one the API wrote for people.

/** The `error` member of an API error body; extra members (e.g. a 409's `keys`) ride along. */
export interface ApiErrorBody {
  code?: string;
  message?: string;
  fields?: { path: string; message: string }[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    /** The parsed `error` member, so a form can show `fields`, `keys` and the like. */
    readonly body?: ApiErrorBody,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body !== undefined ? { "content-type": "application/json" } : undefined,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    credentials: "same-origin",
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const err = data?.error;
    const body = err && typeof err === "object" ? (err as ApiErrorBody) : undefined;
    throw new ApiError(err?.message ?? `Request failed with status ${res.status}.`, res.status, err?.code, body);
  }
  return data as T;
}
