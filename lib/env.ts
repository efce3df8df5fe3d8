import { z } from "zod";

// Every environment variable Governor reads, validated in one place. Empty strings count as
// unset so that `FOO= npm start` behaves like leaving FOO out. The README's configuration table
// mirrors this schema.
const optional = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);
const flag = z.preprocess((v) => v === "1" || v === "true", z.boolean());

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.preprocess((v) => (v === "" ? undefined : v), z.string().default("0.0.0.0")),
  DATABASE_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgresql://")
      .optional(),
  ),
  GOVERNOR_DATA_DIR: z.preprocess((v) => (v === "" ? undefined : v), z.string().default(".data")),
  GOVERNOR_SECRET: optional,
  GOVERNOR_PUBLIC_URL: optional,
  GOVERNOR_TRUST_PROXY: flag,
  GOVERNOR_SESSION_MAX_AGE: z.coerce.number().int().min(60).default(8 * 60 * 60),
  GOVERNOR_DEMO_PASSWORD: optional,
  GOVERNOR_DEMO_AGENT_TOKEN: optional,
  GOVERNOR_DEMO_OPS_AGENT_TOKEN: optional,
  GOVERNOR_ALLOW_SEED: flag,
  GOVERNOR_OIDC_ISSUER: optional,
  GOVERNOR_OIDC_CLIENT_ID: optional,
  GOVERNOR_OIDC_CLIENT_SECRET: optional,
  GOVERNOR_OIDC_ROLE_CLAIM: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().default("governor_role"),
  ),
  GOVERNOR_OIDC_DEFAULT_ROLE: optional,
  /** "off" runs a data-plane-only instance: the API without the Next.js console. */
  GOVERNOR_CONSOLE: z.enum(["on", "off"]).default("on"),
  /** Embedded PGlite on its own thread ("worker") or on the main thread ("main"). */
  GOVERNOR_PGLITE_THREAD: unsetIfEmpty(z.enum(["worker", "main"]).default("worker")),
  // Reliability (lib/reliability): the enforcement circuit breaker and the database deadline.
  GOVERNOR_BREAKER_WINDOW_S: unsetIfEmpty(z.coerce.number().int().min(10).max(86_400).default(300)),
  GOVERNOR_BREAKER_ERROR_RATE: unsetIfEmpty(z.coerce.number().gt(0).lt(1).default(0.01)),
  GOVERNOR_BREAKER_P99_MS: unsetIfEmpty(z.coerce.number().int().min(1).default(500)),
  GOVERNOR_BREAKER_MIN_SAMPLES: unsetIfEmpty(z.coerce.number().int().min(1).default(100)),
  GOVERNOR_BREAKER_COOLDOWN_S: unsetIfEmpty(z.coerce.number().min(0).default(30)),
  GOVERNOR_BREAKER_PROBES: unsetIfEmpty(z.coerce.number().int().min(1).default(10)),
  GOVERNOR_DENY_SPIKE: unsetIfEmpty(z.coerce.number().gt(0).default(0.2)),
  GOVERNOR_DB_TIMEOUT_MS: unsetIfEmpty(z.coerce.number().int().min(100).default(2000)),
  /** PGlite's buffer pool in MiB (PostgreSQL's shared_buffers); see lib/db/store.ts. */
  GOVERNOR_PGLITE_SHARED_BUFFERS_MB: unsetIfEmpty(z.coerce.number().int().min(1).max(1024).default(128)),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** Reads and validates the environment once; a bad value stops the process with its name. */
export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests change process.env between cases; this forgets the cached copy. */
export function resetEnvCache(): void {
  cached = undefined;
}
