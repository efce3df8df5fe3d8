// Runs the decide load against decide-variant-server.ts once per decision-log variant, to show
// what the decide path's throughput and tail depend on. `npm run bench` runs the `log-off`
// variant as a diagnostic row; run the rest by hand when the decide target is missed:
//   node --import tsx scripts/bench/decide-variants.ts [as-is log-off log-json log-json-chunked]
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DURATION_S, WARMUP_S, decideMix, load, type LoadResult } from "@/scripts/bench/decide-bench";
import { AGENT_TOKEN, decisionLogCounts } from "@/scripts/bench/governor-server";
import { runBenchMain, startChild, waitForHttp, type Child } from "@/scripts/bench/processes";
import { fmt } from "@/scripts/bench/stats";

export const VARIANT_PORT = 3026;

/**
 * `failsafe`: decisions answered by the failsafe path (primitive "failsafe"), from the log. Not 0
 * means the enforcement circuit breaker opened during the run, and the figures measure failsafe
 * answers, not evaluations.
 */
export async function runVariant(opts: { variant: string; target: string; workDir: string; durationS?: number; pending?: boolean; port?: number }): Promise<{ load: LoadResult; logRows: number; failsafe: number }> {
  const port = opts.port ?? VARIANT_PORT;
  const { child, dataDir } = await startVariantServer({ ...opts, port });
  let result: LoadResult;
  try {
    result = await load({
      target: opts.target,
      url: `http://127.0.0.1:${port}/api/v1/decide`,
      bodies: decideMix({ pending: opts.pending }).map((m) => m.body),
      headers: { authorization: `Bearer ${AGENT_TOKEN}` },
      durationS: opts.durationS ?? DURATION_S,
      warmupS: WARMUP_S,
    });
  } finally {
    await child.stop();
  }
  const counts = await decisionLogCounts(dataDir);
  const failsafe = Object.entries(counts.byOutcome).reduce((n, [k, v]) => (k.endsWith("(failsafe)") ? n + v : n), 0);
  rmSync(dataDir, { recursive: true, force: true }); // a few hundred MB after a run; only the counts matter
  return { load: result, logRows: counts.total, failsafe };
}

/** decide-variant-server.ts on a fresh PGlite directory in `workDir`, once it answers. */
export async function startVariantServer(opts: { variant: string; workDir: string; pending?: boolean; port: number }): Promise<{ child: Child; dataDir: string }> {
  const dataDir = path.join(opts.workDir, `variant-${opts.variant}-${opts.pending === false ? "no-pending" : "mix"}`);
  rmSync(dataDir, { recursive: true, force: true });
  const child = startChild(`variant-${opts.variant}`, process.execPath, ["--import", "tsx", "scripts/bench/decide-variant-server.ts", opts.variant, String(opts.port)], {
    logDir: opts.workDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: "",
      GOVERNOR_DATA_DIR: dataDir,
      GOVERNOR_DEMO_PASSWORD: "demo-password-1",
      GOVERNOR_DEMO_AGENT_TOKEN: AGENT_TOKEN,
    },
  });
  try {
    await waitForHttp(`http://127.0.0.1:${opts.port}/api/health`, child, 90_000);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { child, dataDir };
}

async function main(): Promise<void> {
  const variants = process.argv.slice(2).length ? process.argv.slice(2) : ["as-is", "log-off", "log-json", "log-json-chunked"];
  const work = mkdtempSync(path.join(os.tmpdir(), "governor-variants-"));
  const rows: string[] = [];
  for (const variant of variants) {
    const { load: r, logRows } = await runVariant({ variant, target: variant, workDir: work });
    rows.push(`| ${variant} | ${fmt(r.rps)} | ${fmt(r.p50Ms, 2)} ms | ${fmt(r.p99Ms, 1)} ms | ${fmt(r.p999Ms, 1)} ms | ${fmt(r.non2xx)} / ${fmt(r.errors)} | ${fmt(logRows)} |`);
    console.log(rows.at(-1));
  }
  console.log(["", "| variant | requests/s | p50 | p99 | p99.9 | non-2xx / errors | log rows |", "| --- | --- | --- | --- | --- | --- | --- |", ...rows].join("\n"));
}

if (import.meta.url === `file://${process.argv[1]}`) runBenchMain(main);
