// Per-statement PGlite timing, for finding which statements block the event loop: load it into a
// server process with `node --import tsx --import ./scripts/bench/pglite-statement-times.ts <server>`;
// on SIGTERM it prints the 25 statements with the most total time (count and longest) to stderr.
// Times include waiting for the CPU, so compare them only within one run.
import { PGlite } from "@electric-sql/pglite";
const stats = new Map<string, { n: number; ms: number; max: number }>();
const key = (sql: string) => sql.replace(/\s+/g, " ").slice(0, 90);
function rec(sql: string, ms: number) { const k = key(sql); const s = stats.get(k) ?? { n: 0, ms: 0, max: 0 }; s.n++; s.ms += ms; s.max = Math.max(s.max, ms); stats.set(k, s); }
const P = PGlite.prototype as any;
const q = P.query; P.query = async function (sql: string, ...a: any[]) { const t = performance.now(); try { return await q.call(this, sql, ...a); } finally { rec(sql, performance.now() - t); } };
const tr = P.transaction; P.transaction = function (cb: any) { return tr.call(this, (tx: any) => { const tq = tx.query.bind(tx); tx.query = async (sql: string, ...a: any[]) => { const t = performance.now(); try { return await tq(sql, ...a); } finally { rec("[tx] " + sql, performance.now() - t); } }; return cb(tx); }); };
process.on("SIGTERM", () => { const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25); for (const [k, s] of rows) console.error(`${s.ms.toFixed(0).padStart(7)} ms ${String(s.n).padStart(7)}x max ${s.max.toFixed(1).padStart(6)}  ${k}`); });
