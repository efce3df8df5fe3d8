// What the figures were measured on, so BENCHMARKS.md can be read against the right hardware.
import { readFileSync } from "node:fs";
import os from "node:os";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  date: string;
  loadBefore: number[];
  /** Filled in when the run ends: how busy the machine was while it ran. */
  loadAfter?: number[];
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line) return line.split(":").slice(1).join(":").trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return os.cpus()[0]?.model ?? "unknown";
}

function osName(): string {
  try {
    const pretty = readFileSync("/etc/os-release", "utf8").match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1];
    if (pretty) return `${pretty} (${os.type()} ${os.release()} ${os.arch()})`;
  } catch {
    // No os-release: the kernel line below is enough.
  }
  return `${os.type()} ${os.release()} ${os.arch()}`;
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: osName(),
    date: new Date().toISOString(),
    loadBefore: loadAverage(),
  };
}

export const loadAverage = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

/** The line a hand-run benchmark prints above its table: when, on what, and how busy it was. */
export function runLine(before: MachineInfo): string {
  return `${new Date().toISOString()}, ${before.cpuModel}, ${before.cores} cores, Node ${before.node}; load average before ${before.loadBefore.join(" / ")}, after ${loadAverage().join(" / ")}`;
}
