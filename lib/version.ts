// Read once at start; the console and /api/health report it.
import { readFileSync } from "node:fs";
import path from "node:path";

function readVersion(): string {
  try {
    return JSON.parse(readFileSync(path.join(process.cwd(), "package.json"), "utf8")).version as string;
  } catch {
    return "unknown";
  }
}

export const VERSION = readVersion();
