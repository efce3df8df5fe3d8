// Child processes the benchmarks start (servers under test), and the guarantees around them:
// each is its own process group, its output goes to a log file, it is stopped by its own id,
// and whatever is still running when the benchmark exits is stopped too.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import net from "node:net";
import path from "node:path";
import { sleep } from "@/scripts/bench/stats";

export interface Child {
  name: string;
  proc: ChildProcess;
  logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

const running = new Set<Child>();

function signalGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  try {
    // Negative pid: the process group this benchmark created for this child (detached: true).
    process.kill(-proc.pid, signal);
  } catch {
    // Already gone.
  }
}

export function startChild(name: string, command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; logDir: string }): Child {
  const logFile = path.join(opts.logDir, `${name}.log`);
  const out = createWriteStream(logFile);
  const proc = spawn(command, args, { cwd: opts.cwd ?? process.cwd(), env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  proc.stdout!.pipe(out);
  proc.stderr!.pipe(out);
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const child: Child = {
    name,
    proc,
    logFile,
    stop: async (graceMs = 30_000) => {
      signalGroup(proc, "SIGTERM");
      const timer = setTimeout(() => signalGroup(proc, "SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      running.delete(child);
      return code;
    },
  };
  running.add(child);
  void exited.then(() => running.delete(child));
  return child;
}

/** Stops every child still running (used on error and on Ctrl-C). */
export function killAll(): void {
  for (const c of running) signalGroup(c.proc, "SIGKILL");
  running.clear();
}

/** Polls until `url` answers (any status), failing early if the child exits. */
export async function waitForHttp(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited with code ${child.proc.exitCode} before answering; see ${child.logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return;
    } catch {
      await sleep(250);
    }
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs / 1000} s; see ${child.logFile}`);
}

/** True when nothing listens on 127.0.0.1:port. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

export async function assertPortsFree(ports: number[]): Promise<void> {
  for (const port of ports) {
    if (!(await portIsFree(port))) throw new Error(`Port ${port} is in use; the benchmark needs ports ${ports.join(", ")} free.`);
  }
}

/** Runs a benchmark's main(): on failure, prints the error, stops every child and exits non-zero. */
export function runBenchMain(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    killAll();
    process.exitCode = 1;
  });
}
