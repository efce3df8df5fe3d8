// An API-only copy of server.ts (no Next.js) whose decision-log writer can be swapped, to find
// out what the decide path's throughput depends on. Used by decide-variants.ts; changes nothing
// in lib/. `node --import tsx decide-variant-server.ts <variant> <port>`, with the same
// GOVERNOR_* environment as server.ts.
//   as-is     the shipped DecisionLogWriter (lib/dataplane/decision-log.ts: since this
//             benchmark's first run, JSON-parameter inserts of 200 rows with a yield between,
//             which is what log-json-chunked below tried out)
//   log-off   decisions are not logged at all (the floor for the rest of the path)
//   log-json  batches of up to 5,000 rows written as one INSERT … SELECT FROM
//             json_populate_recordset($1) with the batch as a single JSON parameter
//   log-json-chunked  as log-json, but at most 200 rows per INSERT with a macrotask between
//             inserts, because PGlite runs on the event loop: one big INSERT stalls every
//             request queued behind it
import http from "node:http";
import { bootstrap } from "@/lib/bootstrap";
import type { DecisionRecord } from "@/lib/dataplane/decision-log";
import { openDataPlane } from "@/lib/dataplane/runtime";
import { handleApi } from "@/lib/http/api-handler";

type Variant = "as-is" | "log-off" | "log-json" | "log-json-chunked";

/** The writer's private state, reached around TypeScript's `private` for the experiment only. */
interface WriterInternals {
  buffer: DecisionRecord[];
  flushing: Promise<void> | null;
  written: number;
  flush(): Promise<void>;
  push(r: DecisionRecord): void;
}

const MAX_BATCH = 5000;
const CHUNK = 200;

async function main(): Promise<void> {
  const variant = process.argv[2] as Variant;
  const port = Number(process.argv[3]);
  const boot = await bootstrap(`http://127.0.0.1:${port}`);
  const dp = await openDataPlane(boot.store);
  const w = dp.log as unknown as WriterInternals;

  if (variant === "log-off") w.push = () => {};
  if (variant === "log-json" || variant === "log-json-chunked") {
    const sql = `INSERT INTO "DecisionLog" ("id","at","agentId","tenant","session","tool","request","decision","primitive","reasons","policyVersion","generation","cohort","latencyUs","tokenId","grantId","failsafe")
      SELECT "id","at","agentId","tenant","session","tool","request","decision","primitive","reasons","policyVersion","generation","cohort","latencyUs","tokenId","grantId","failsafe"
      FROM json_populate_recordset(NULL::"DecisionLog", $1::json) ON CONFLICT ("id") DO NOTHING`;
    w.flush = function flush(this: WriterInternals): Promise<void> {
      if (this.flushing) return this.flushing.then(() => (this.buffer.length ? this.flush() : undefined));
      if (this.buffer.length === 0) return Promise.resolve();
      const batch = this.buffer.splice(0, variant === "log-json" ? MAX_BATCH : CHUNK);
      const yieldFirst = variant === "log-json" ? Promise.resolve() : new Promise<void>((r) => setImmediate(r));
      this.flushing = yieldFirst
        .then(() => boot.store.rawQuery(sql, [JSON.stringify(batch)]))
        .then(() => void (this.written += batch.length))
        .catch((err) => {
          this.buffer.unshift(...batch);
          console.error("[variant log-json] flush failed:", (err as Error).message);
        })
        .finally(() => {
          this.flushing = null;
          // Chunked: keep draining, one chunk per macrotask, until the buffer is empty.
          if (variant === "log-json-chunked" && this.buffer.length) setImmediate(() => void this.flush());
        });
      return this.flushing;
    };
  }

  const server = http.createServer((req, res) => void handleApi(req, res, dp));
  server.keepAliveTimeout = 65_000;
  server.listen(port, "127.0.0.1", () => console.log(`[variant ${variant}] API on 127.0.0.1:${port}`));
  process.on("SIGTERM", () => {
    server.close(async () => {
      await dp.close();
      await boot.store.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
