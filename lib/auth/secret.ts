import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

let cached: string | undefined;

/**
 * The key that signs console sessions. GOVERNOR_SECRET wins; without it a single embedded
 * instance generates one into its data directory. Several instances on PostgreSQL must share
 * it, so production with DATABASE_URL refuses to start without it.
 */
export function authSecret(): string {
  if (cached) return cached;
  const e = env();
  if (e.GOVERNOR_SECRET) return (cached = e.GOVERNOR_SECRET);
  if (e.NODE_ENV === "production" && e.DATABASE_URL) {
    throw new Error("GOVERNOR_SECRET must be set when running in production on PostgreSQL (every instance must share it).");
  }
  const file = path.resolve(e.GOVERNOR_DATA_DIR, "secret");
  if (existsSync(file)) return (cached = readFileSync(file, "utf8").trim());
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return (cached = secret);
}
