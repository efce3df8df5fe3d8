// npm start: build the console if the sources changed since the last build, then run server.ts
// in production mode (it migrates, seeds an empty database and serves).
import { spawnSync } from "node:child_process";
import { buildIfNeeded } from "./build-if-needed";
import { heapFlags } from "./heap-flags";

buildIfNeeded(process.argv.includes("--rebuild"));
const r = spawnSync(process.execPath, [...heapFlags(), "--import", "tsx", "server.ts"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
process.exit(r.status ?? 1);
