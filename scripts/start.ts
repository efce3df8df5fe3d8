// npm start: build the console if the sources changed since the last build, then run server.ts
// in production mode (which migrates, seeds an empty database and serves).
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

const want = fingerprint();
const built = existsSync(path.join(".next", "BUILD_ID")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === want;
if (!built || process.argv.includes("--rebuild")) {
  console.log("[governor] Building the console (first start or changed sources)…");
  const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(STAMP, want);
}
const r = spawnSync(process.execPath, ["--import", "tsx", "server.ts"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
process.exit(r.status ?? 1);
