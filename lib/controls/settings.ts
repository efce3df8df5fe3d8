import { z } from "zod";
import type { Principal } from "@/lib/auth/principal";
import type { Db, Tx } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";

/** Lifting the global kill needs a second operator to confirm (two-person rule). */
const RecoveryTwoPerson = z.boolean();
/** Slack-compatible webhooks told about approval requests: new, resolved, expired. */
const ApprovalWebhooks = z.array(z.url({ message: "must be an http(s) URL" }).max(500)).max(10, "must list at most 10 URLs");

export const SettingsSchema = z.object({
  recovery_two_person: RecoveryTwoPerson.default(false),
  approval_webhooks: ApprovalWebhooks.default([]),
});
export type Settings = z.infer<typeof SettingsSchema>;

// Not SettingsSchema.partial(): its defaults would fill every setting the request leaves out, so
// adding a webhook switched two-person recovery off, and a misspelt key reset both. A patch
// changes only what it names, and names only settings that exist.
export const UpdateSettingsInput = z
  .strictObject({ recovery_two_person: RecoveryTwoPerson.optional(), approval_webhooks: ApprovalWebhooks.optional() })
  .refine((v) => Object.keys(v).length > 0, "must change at least one setting");

export async function readSettings(db: Db | Tx): Promise<Settings> {
  const rows = await db.setting.findMany();
  return SettingsSchema.parse(Object.fromEntries(rows.map((r) => [r.key, r.value])));
}

export async function updateSettings(opts: { db: Db; principal: Principal; input: z.infer<typeof UpdateSettingsInput> }) {
  return mutate({ db: opts.db, principal: opts.principal, permission: "settings.manage" }, async (tx) => {
    const before = await readSettings(tx);
    for (const [key, value] of Object.entries(opts.input)) {
      await tx.setting.upsert({ where: { key }, create: { key, value, updatedBy: opts.principal.actor.name }, update: { value, updatedBy: opts.principal.actor.name } });
    }
    const after = await readSettings(tx);
    return { result: after, audit: { action: "settings.update", target: "settings", before, after } };
  });
}
