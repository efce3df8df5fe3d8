import type { z } from "zod";
import { GovernorApiError, GovernorUnavailableError } from "@/lib/sdk/errors";

export interface HttpOptions {
  url: string;
  token: string;
  fetch: typeof fetch;
  /** Called whenever Governor answered at all (any status below 500): it is reachable again. */
  onReachable: () => void;
}

export interface RequestOptions<T> {
  method?: "GET" | "POST";
  body?: unknown;
  timeoutMs: number;
  schema: z.ZodType<T>;
}

/**
 * One JSON call to Governor with a hard deadline. The deadline covers the body as well as the
 * headers, so a server that sends headers and then stalls still counts as a timeout. Errors are
 * sorted into the two kinds the caller treats differently: 4xx → GovernorApiError (our bug),
 * everything else → GovernorUnavailableError (Governor's trouble; breaker and failsafe apply).
 */
export async function requestJson<T>(http: HttpOptions, path: string, opts: RequestOptions<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new GovernorUnavailableError(`${path} took longer than ${opts.timeoutMs} ms`)), opts.timeoutMs);
  try {
    const res = await http.fetch(http.url + path, {
      method: opts.method ?? "GET",
      headers: {
        authorization: `Bearer ${http.token}`,
        accept: "application/json",
        ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: controller.signal,
    });
    const text = await res.text();
    if (res.status >= 500) throw new GovernorUnavailableError(`${path} answered ${res.status}: ${text.slice(0, 200)}`);
    http.onReachable();
    const json = parseJson(text);
    if (!res.ok) throw new GovernorApiError(res.status, (json as { error?: never } | undefined)?.error, path);
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) throw new GovernorUnavailableError(`${path} answered something this SDK cannot read: ${parsed.error.message.slice(0, 200)}`);
    return parsed.data;
  } catch (err) {
    if (err instanceof GovernorApiError || err instanceof GovernorUnavailableError) throw err;
    // An abort rejects with the reason we gave it; anything else is a network failure.
    if (controller.signal.aborted && controller.signal.reason instanceof GovernorUnavailableError) throw controller.signal.reason;
    throw new GovernorUnavailableError(`${path} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
