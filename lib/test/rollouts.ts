// Helpers for rollout tests: admin calls over HTTP with a personal token, change sets, and
// finding sessions that hash into a given cohort.
import { createChangeSet } from "@/lib/changesets/changesets";
import type { ChangeOp } from "@/lib/changesets/ops";
import type { Db } from "@/lib/db/client";
import { headVersion } from "@/lib/policy/versions";
import type { Principal } from "@/lib/auth/principal";
import { cohortFor } from "@/lib/rollouts/hash";
import type { Cohort } from "@/lib/policy/evaluate";

export function adminClient(url: string, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers freely
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
}

export async function draftChangeSet(db: Db, principal: Principal, ops: ChangeOp[], reason = "rollout test"): Promise<string> {
  const { result } = await createChangeSet({ db, principal, input: { baseVersion: (await headVersion(db))!, reason, ops } });
  return result.id;
}

/** A session name that lands in `cohort` for this rollout at `percent`. */
export function sessionIn(rolloutId: string, percent: number, cohort: Cohort, prefix = "s"): string {
  for (let i = 0; ; i++) if (cohortFor(rolloutId, `${prefix}-${i}`, percent) === cohort) return `${prefix}-${i}`;
}
