import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError, isAppError } from "@/lib/errors";
import { isStoreUnreachable, storeUnavailableError } from "@/lib/reliability/store-health";

export const MAX_BODY_BYTES = 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(payload);
}

/**
 * The one place errors become HTTP. AppErrors carry their own status and message; anything
 * else is a bug: its detail goes to the log under a request id, the caller gets only the id.
 */
export function sendError(res: ServerResponse, err: unknown): void {
  // A store that cannot be reached is an outage, not a bug: a 503 that says so, no request id.
  if (!isAppError(err) && isStoreUnreachable(err)) err = storeUnavailableError();
  if (isAppError(err)) {
    const headers: Record<string, string> = {};
    if (err.retryAfterSeconds !== undefined) headers["retry-after"] = String(err.retryAfterSeconds);
    sendJson(res, err.status, err.toBody(), headers);
    return;
  }
  const requestId = randomUUID();
  console.error(`[error] request ${requestId}:`, err);
  sendJson(res, 500, {
    error: { code: "internal", message: `Something went wrong on our side. Quote request id ${requestId} when reporting it.`, requestId },
  });
}

/** Reads a JSON body: 413 past 1 MiB, 415 for a non-JSON type, 400 for malformed JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers["content-type"];
  if (type && !/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", `Content-Type must be application/json (got "${type}").`);
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new AppError("payload_too_large", `The request body is ${declared} bytes; the limit is ${MAX_BODY_BYTES} bytes (1 MiB).`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw new AppError("payload_too_large", `The request body exceeds the limit of ${MAX_BODY_BYTES} bytes (1 MiB).`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError("invalid_json", `The request body is not valid JSON: ${(e as Error).message}.`);
  }
}

/** The client address as the socket saw it, or from X-Forwarded-For only when told to trust it. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = req.headers["x-forwarded-for"];
    const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}
