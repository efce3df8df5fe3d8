// The soak's rollout loop: release a one-key change set as a 10 % canary, let it take traffic for
// a while, abort it, repeat. Skipped, with a note, where the rollouts API is not there yet.
import { sleep } from "@/scripts/bench/stats";

export interface RolloutCounts {
  started: number;
  aborted: number;
  unexpected: string[];
  note?: string;
}

export async function rolloutLoop(base: string, editorToken: string, signal: AbortSignal, holdMs = 20_000): Promise<RolloutCounts> {
  const counts: RolloutCounts = { started: 0, aborted: 0, unexpected: [] };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${editorToken}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  const probe = await call("GET", "/api/v1/admin/rollouts").catch(() => ({ status: 0, body: null }));
  if (probe.status === 404) return { ...counts, note: "skipped: this build has no rollouts API (POST /api/v1/admin/rollouts answers 404)" };
  for (let i = 0; !signal.aborted; i++) {
    try {
      const head = (await call("GET", "/api/v1/admin/policy")).body?.head as number;
      const cs = await call("POST", "/api/v1/admin/changesets", { baseVersion: head, reason: `soak rollout ${i}`, ops: [{ op: "set", key: "flags.soak_rollout", value: { percentage: i % 100, allow: [] } }] });
      if (cs.status !== 201) {
        counts.unexpected.push(`change set ${cs.status} ${JSON.stringify(cs.body).slice(0, 160)}`);
        await sleep(holdMs);
        continue;
      }
      const started = await call("POST", "/api/v1/admin/rollouts", { changeSetId: cs.body.id, strategy: "canary", stages: [{ percent: 10, minDurationSec: 3600 }], reason: `soak ${i}` });
      if (started.status !== 201) {
        counts.unexpected.push(`start ${started.status} ${JSON.stringify(started.body).slice(0, 160)}`);
        await sleep(holdMs);
        continue;
      }
      counts.started++;
      await sleep(holdMs);
      const aborted = await call("POST", `/api/v1/admin/rollouts/${started.body.id}/abort`, { reason: "soak: next round" });
      if (aborted.status === 200) counts.aborted++;
      else counts.unexpected.push(`abort ${aborted.status} ${JSON.stringify(aborted.body).slice(0, 160)}`);
    } catch {
      return counts; // the server is gone: the soak is over
    }
  }
  return counts;
}
