// Starts real Governor server processes (server.ts) for multi-instance and end-to-end tests.
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "@/lib/test/ports";

// server.ts prints this line from its listen callback.
const LISTENING = /\[governor\] (Console and API|Data plane \(no console\)) on /;

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Without `port`, the OS picks a free one; pass a port to restart a server where it was. */
export async function startServerProcess(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  port ??= await freePort();
  const proc = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${out}`);
    // Health is asked only once this process says it listens: a port in use elsewhere would
    // otherwise answer for it (this server then exits with EADDRINUSE, reported above).
    const listening = LISTENING.test(out);
    const ok = listening && (await fetch(url + "/api/health").then((r) => r.ok, () => false));
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    output: () => out,
    stop: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once("exit", (code) => resolve(code));
        proc.kill(signal);
      }),
  };
}
