// A minimal loopback HTTP client on node:http. The benchmarks use it instead of fetch where the
// client's own cost is inside a measured interval (the admin POST in the stream benchmark): one
// keep-alive socket, no body streams, and headers such as Origin and Cookie sent as given.
import http from "node:http";

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function request(base: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<HttpResponse> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent, headers: { ...opts.headers, ...(opts.body !== undefined ? { "content-length": String(Buffer.byteLength(opts.body)) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on("error", reject);
    req.end(opts.body);
  });
}

export async function requestJson<T>(base: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: unknown } = {}): Promise<T> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const res = await request(base, method, path, { headers: { ...(body ? { "content-type": "application/json" } : {}), ...opts.headers }, body });
  if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
  return JSON.parse(res.text) as T;
}

/** `name=value` pairs from Set-Cookie headers, ready for a Cookie header. */
export function cookiesFrom(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of headers["set-cookie"] ?? []) {
    const pair = line.split(";", 1)[0]!;
    const i = pair.indexOf("=");
    if (i > 0) out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

export const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

export function closeClient(): void {
  agent.destroy();
}
