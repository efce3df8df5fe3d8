// Builds the console with `next build` unless the last build came from the same sources.
// Used by `npm start` and by `npm test` before the e2e specs.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const BUILD_INPUTS = ["app", "components", "lib", "public", "next.config.mjs", "postcss.config.mjs", "package-lock.json", "tsconfig.json"];
const STAMP = path.join(".next", "governor-build-stamp");

function* walk(p: string): Generator<string> {
  if (!existsSync(p)) return;
  const st = statSync(p);
  if (st.isFile()) return yield `${p}:${st.size}:${st.mtimeMs}`;
  for (const name of readdirSync(p).sort()) {
    if (name === "generated" || name.endsWith(".test.ts")) continue;
    yield* walk(path.join(p, name));
  }
}

function fingerprint(): string {
  const h = createHash("sha256");
  for (const input of BUILD_INPUTS) for (const line of walk(input)) h.update(line + "\n");
  return h.digest("hex");
}

export function buildIfNeeded(force = false): void {
  const want = fingerprint();
  const fresh = existsSync(path.join(".next", "BUILD_ID")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === want;
  if (fresh && !force) return;
  console.log("[governor] Building the console (first start or changed sources)…");
  const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(STAMP, want);
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfNeeded(process.argv.includes("--force"));
