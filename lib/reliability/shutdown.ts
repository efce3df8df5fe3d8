import type http from "node:http";
import type { DataPlane } from "@/lib/dataplane/runtime";
import type { Store } from "@/lib/db/store";

export const GRACE_MS = 30_000;
// If flushing itself hangs past the grace period and this, give up with a failure code.
const FLUSH_LIMIT_MS = 15_000;

/**
 * Graceful shutdown on SIGTERM/SIGINT:
 *  1. stop accepting connections; a request arriving on a kept-alive connection is answered
 *     with `Connection: close`, and idle connections are closed as they become idle;
 *  2. end policy streams with a `retry:` hint, so SDKs reconnect (to another instance);
 *  3. let requests in flight finish, for GRACE_MS at most, then cut what is left;
 *  4. flush the decision log (to the store, or to the journal if the store is down), sync the
 *     journal, seal and checkpoint the audit chain, close the store, exit 0.
 */
export function gracefulShutdown(opts: { server: http.Server; dataPlane: DataPlane; store: Store; graceMs?: number; exit?: (code: number) => void }) {
  const { server, dataPlane, store } = opts;
  const graceMs = opts.graceMs ?? GRACE_MS;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  server.prependListener("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (stopping && !res.headersSent) res.setHeader("connection", "close");
  });
  return (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[governor] ${signal}: no new connections; finishing requests in flight (${graceMs / 1000} s at most), then flushing.`);
    const started = Date.now();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const cut = setTimeout(() => {
      console.error(`[governor] requests still in flight after ${graceMs / 1000} s; closing their connections.`);
      server.closeAllConnections();
    }, graceMs);
    const force = setTimeout(() => {
      console.error("[governor] shutdown did not finish flushing in time; exiting without it.");
      exit(1);
    }, graceMs + FLUSH_LIMIT_MS);
    force.unref();
    // Stream clients hold their connections open; closing the holder ends them with a retry hint.
    dataPlane.holder.close();
    server.close(async () => {
      clearInterval(idle);
      clearTimeout(cut);
      let code = 0;
      await dataPlane.close().catch((err) => {
        code = 1;
        console.error("[governor] flushing the decision log failed:", err);
      });
      await store.close().catch((err) => console.error("[governor] closing the store failed:", err));
      console.log(`[governor] stopped cleanly in ${Date.now() - started} ms.`);
      exit(code);
    });
    server.closeIdleConnections();
  };
}
