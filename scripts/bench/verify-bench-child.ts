// One timed run for verify-bench.ts: imports the verifier module given, verifies the bundle and
// prints { ok, events, cpuMs, wallMs }. CPU time is the whole process's (process.cpuUsage counts
// every thread: zlib on the thread pool included), measured around verifyBundle only.
import type { VerifyReport } from "@/lib/audit/verify-bundle";

const [module, bundle] = process.argv.slice(2) as [string, string];
const { verifyBundle } = (await import(module)) as { verifyBundle: (b: string) => Promise<VerifyReport> };
const cpu = process.cpuUsage();
const t = performance.now();
const r = await verifyBundle(bundle);
const wallMs = performance.now() - t;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ ok: r.ok, events: r.ok ? r.events : 0, cpuMs: (used.user + used.system) / 1000, wallMs, detail: r.ok ? undefined : r.detail }));
