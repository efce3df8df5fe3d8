// Runs `prisma generate` offline. Prisma's CLI insists on locating its native schema engine at
// start even though `generate` never uses it; pointing it at any existing file stops the
// download attempt that fails on machines without internet access.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
if (!existsSync("prisma/schema.prisma")) process.exit(0);
const r = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
  env,
  stdio: "inherit",
});
process.exit(r.status ?? 1);
