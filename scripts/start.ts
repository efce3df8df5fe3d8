// npm start: build the console if the sources changed since the last build, then run server.ts
// in production mode (it migrates, seeds an empty database and serves).
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { env } from "@/lib/env";
import { buildIfNeeded } from "./build-if-needed";
import { heapFlags } from "./heap-flags";

let consoleOn: boolean;
try {
  consoleOn = env().GOVERNOR_CONSOLE === "on";
} catch (err) {
  console.error(`[governor] ${(err as Error).message}`);
  process.exit(1);
}
// A data-plane-only instance serves no console, so it needs no build.
if (consoleOn) buildIfNeeded(process.argv.includes("--rebuild"));
const server = spawn(process.execPath, [...heapFlags(), "--import", "tsx", "server.ts"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });

// A supervisor (systemd, Docker, npm itself) signals this process, not the server. Passed on,
// the signal starts the server's graceful shutdown, which flushes the decision log and seals
// the audit chain; unhandled, it ended this process alone and left the server running orphaned
// (and, once the container or unit was torn down, killed without flushing).
// server.ts shuts down gracefully on SIGINT and SIGTERM; a hang-up gets the latter.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
process.on("SIGHUP", () => server.kill("SIGTERM"));

server.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + constants.signals[signal] : 1)));
