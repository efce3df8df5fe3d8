// The Next.js baseline: scripts/bench/next-trivial (one App Router route handler) built with the
// repo's own `next` into a temp dir and served by `next start`. The build is cached there and
// reused while the app's sources and the installed Next version are unchanged.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startChild, waitForHttp, type Child } from "@/scripts/bench/processes";

const SOURCE = path.resolve("scripts/bench/next-trivial");
const NEXT_BIN = path.resolve("node_modules/next/dist/bin/next");
export const NEXT_TRIVIAL_DIR = path.join(os.tmpdir(), "governor-bench-next-trivial");
const STAMP = path.join(NEXT_TRIVIAL_DIR, ".next", "bench-build-stamp");

function fingerprint(): string {
  const h = createHash("sha256");
  const walk = (p: string): void => {
    if (statSync(p).isFile()) return void h.update(`${path.relative(SOURCE, p)}\n${readFileSync(p)}\n`);
    for (const name of readdirSync(p).sort()) walk(path.join(p, name));
  };
  walk(SOURCE);
  h.update(JSON.parse(readFileSync("node_modules/next/package.json", "utf8")).version);
  return h.digest("hex");
}

/** The nearest folder holding both paths: Turbopack only compiles files under its root. */
function commonRoot(a: string, b: string): string {
  const pa = a.split(path.sep);
  const pb = b.split(path.sep);
  let i = 0;
  while (i < pa.length && pa[i] === pb[i]) i++;
  return pa.slice(0, i).join(path.sep) || path.sep;
}

export function ensureNextTrivialBuilt(log: (m: string) => void): { built: boolean; seconds: number } {
  const want = fingerprint();
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === want) return { built: false, seconds: 0 };
  log(`  building the trivial Next app in ${NEXT_TRIVIAL_DIR} (cached for later runs)…`);
  const started = Date.now();
  rmSync(NEXT_TRIVIAL_DIR, { recursive: true, force: true });
  mkdirSync(NEXT_TRIVIAL_DIR, { recursive: true });
  cpSync(SOURCE, NEXT_TRIVIAL_DIR, { recursive: true });
  // Resolve `next`, `react` and TypeScript from the repo's install instead of a second one.
  symlinkSync(path.resolve("node_modules"), path.join(NEXT_TRIVIAL_DIR, "node_modules"), "dir");
  const r = spawnSync(process.execPath, [NEXT_BIN, "build", NEXT_TRIVIAL_DIR], {
    cwd: NEXT_TRIVIAL_DIR,
    encoding: "utf8",
    timeout: 300_000,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", BENCH_TURBOPACK_ROOT: commonRoot(NEXT_TRIVIAL_DIR, path.resolve("node_modules")) },
  });
  if (r.status !== 0) throw new Error(`Building the trivial Next app failed:\n${(r.stdout ?? "") + (r.stderr ?? "")}`.slice(0, 4000));
  writeFileSync(STAMP, want);
  return { built: true, seconds: (Date.now() - started) / 1000 };
}

export async function startNextTrivial(opts: { port: number; bodyBytes: number; logDir: string }): Promise<Child> {
  const child = startChild("next-trivial", process.execPath, [NEXT_BIN, "start", NEXT_TRIVIAL_DIR, "-p", String(opts.port), "-H", "127.0.0.1"], {
    cwd: NEXT_TRIVIAL_DIR,
    logDir: opts.logDir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", BENCH_BODY_BYTES: String(opts.bodyBytes) },
  });
  await waitForHttp(`http://127.0.0.1:${opts.port}/`, child, 60_000);
  return child;
}
