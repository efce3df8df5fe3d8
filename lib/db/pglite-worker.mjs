// The embedded database's own thread (see pglite-thread.ts). Plain JavaScript, so Node runs it
// as it stands under tsx, Next.js and the test runner alike. It owns the PGlite instance and
// answers the main thread's messages; PGlite's own mutex keeps statements outside a transaction
// waiting while one is open, as it does on the main thread.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

const db = new PGlite({ dataDir: workerData.dataDir, startParams: workerData.startParams });
const txs = new Map(); // txId → { tx, end(ok), settled: Promise }
const unlisteners = new Map(); // listenId → unlisten()
const identity = (value) => value;

function errorOf(err) {
  const out = { message: String(err?.message ?? err), stack: err?.stack, isDatabaseError: err?.constructor?.name === "DatabaseError" };
  if (out.isDatabaseError) {
    out.length = err.length;
    out.name = err.name;
    for (const k of ["severity", "code", "detail", "hint", "position", "internalPosition", "internalQuery", "where", "schema", "table", "column", "dataType", "constraint", "file", "line", "routine"]) out[k] = err[k];
  }
  return out;
}

// The caller's parsers are functions and cannot cross threads: for the types it parses itself,
// hand back PostgreSQL's text and let it apply them.
function queryOptions(m) {
  if (!m.rowMode && !m.rawOids) return undefined;
  const opts = {};
  if (m.rowMode) opts.rowMode = m.rowMode;
  if (m.rawOids) opts.parsers = Object.fromEntries(m.rawOids.map((oid) => [oid, identity]));
  return opts;
}

async function beginTx(txId) {
  let ready;
  const started = new Promise((resolve) => (ready = resolve));
  const entry = {};
  entry.settled = db
    .transaction(async (tx) => {
      entry.tx = tx;
      const finished = new Promise((resolve, reject) => (entry.end = (ok) => (ok ? resolve() : reject(new Error("rolled back by the caller")))));
      ready();
      await finished;
    })
    .finally(() => txs.delete(txId));
  txs.set(txId, entry);
  // A BEGIN that fails settles before `ready`: report it instead of waiting forever.
  await Promise.race([started, entry.settled]);
}

async function handle(m) {
  switch (m.op) {
    case "query": {
      return (m.txId ? txs.get(m.txId).tx : db).query(m.sql, m.params, queryOptions(m));
    }
    case "exec":
      return (m.txId ? txs.get(m.txId).tx : db).exec(m.sql);
    case "begin":
      return beginTx(m.txId);
    case "rollback":
      return txs.get(m.txId).tx.rollback();
    case "end": {
      const entry = txs.get(m.txId);
      entry.end(m.ok);
      if (m.ok) return entry.settled;
      return entry.settled.then(() => undefined, () => undefined);
    }
    case "listen": {
      const un = await db.listen(m.channel, (payload) => parentPort.postMessage({ type: "notify", listenId: m.listenId, payload }));
      unlisteners.set(m.listenId, un);
      return undefined;
    }
    case "unlisten": {
      await unlisteners.get(m.listenId)?.();
      unlisteners.delete(m.listenId);
      return undefined;
    }
    case "close":
      return db.close();
    default:
      throw new Error(`unknown operation ${m.op}`);
  }
}

// Statements of one transaction run strictly in turn, and its end waits for them: the caller
// does not await a ROLLBACK before ending the transaction.
function run(m) {
  const entry = m.txId && m.op !== "begin" ? txs.get(m.txId) : undefined;
  if (!entry) return handle(m);
  const next = (entry.last ?? Promise.resolve()).then(() => handle(m));
  entry.last = next.catch(() => {});
  return next;
}

parentPort.on("message", (m) => {
  run(m).then(
    (result) => parentPort.postMessage({ id: m.id, result }),
    (err) => parentPort.postMessage({ id: m.id, error: errorOf(err) }),
  );
});

db.waitReady.then(
  () => parentPort.postMessage({ type: "ready" }),
  (err) => parentPort.postMessage({ type: "failed", error: errorOf(err) }),
);
