// A loopback HTTP proxy that forwards everything to Governor except the policy stream, which it
// answers with 404: what an agent behind a proxy that does not pass Server-Sent Events sees.
// The SDK then keeps its policy current by polling GET /api/v1/policy/generation.
import http from "node:http";

const STREAM_PATH = "/api/v1/policy/stream";

export interface StreamBlockingProxy {
  base: string;
  /** Stream requests refused, and requests forwarded. */
  counts: { blocked: number; forwarded: number };
  close(): Promise<void>;
}

export function startStreamBlockingProxy(opts: { port: number; target: string }): Promise<StreamBlockingProxy> {
  const target = new URL(opts.target);
  const agent = new http.Agent({ keepAlive: true });
  const counts = { blocked: 0, forwarded: 0 };
  const server = http.createServer((req, res) => {
    if ((req.url ?? "").split("?", 1)[0] === STREAM_PATH) {
      counts.blocked++;
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "not_found", message: "blocked by the benchmark's proxy" } }));
      return;
    }
    counts.forwarded++;
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", (err) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () =>
      resolve({
        base: `http://127.0.0.1:${opts.port}`,
        counts,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
            agent.destroy();
          }),
      }),
    );
  });
}
