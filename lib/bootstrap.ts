import { getStore } from "@/lib/db/instance";
import type { Store } from "@/lib/db/store";
import { env } from "@/lib/env";
import { demoSecrets, isEmpty, seedDemo, writeCredentialsFile } from "@/lib/seed/demo";

/** Production on a shared PostgreSQL never gets demo users by accident. */
export function seedAllowed(): { allowed: boolean; why?: string } {
  const e = env();
  if (e.NODE_ENV === "production" && e.DATABASE_URL && !e.GOVERNOR_ALLOW_SEED) {
    return { allowed: false, why: "NODE_ENV=production with DATABASE_URL: set GOVERNOR_ALLOW_SEED=1 to seed the demo world anyway." };
  }
  return { allowed: true };
}

export interface BootResult {
  store: Store;
  seeded: boolean;
  credentialsFile: string | null;
  seedRefused?: string;
}

/** Opens the store (which migrates) and seeds the demo world when the database is empty. */
export async function bootstrap(publicUrl: string): Promise<BootResult> {
  const store = await getStore();
  if (!(await isEmpty(store.prisma))) return { store, seeded: false, credentialsFile: null };
  const gate = seedAllowed();
  if (!gate.allowed) return { store, seeded: false, credentialsFile: null, seedRefused: gate.why };
  const e = env();
  const secrets = demoSecrets({
    password: e.GOVERNOR_DEMO_PASSWORD,
    supportToken: e.GOVERNOR_DEMO_AGENT_TOKEN,
    opsToken: e.GOVERNOR_DEMO_OPS_AGENT_TOKEN,
  });
  await seedDemo(store.prisma, secrets);
  return { store, seeded: true, credentialsFile: writeCredentialsFile(e.GOVERNOR_DATA_DIR, secrets, publicUrl) };
}
