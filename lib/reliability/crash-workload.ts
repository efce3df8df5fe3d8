// Concurrent traffic a crash run drives through the real HTTP API until the server dies:
// change sets (several keys each), control flips, approval votes by three reviewers, and
// decisions that the server logs and seals into the audit chain. Every request may be cut off
// by the kill; the loops stop at the first network error.
import type { CrashStore } from "@/lib/reliability/crash-store";
import { SUPPORT_TOKEN } from "@/lib/reliability/crash-store";

/** Keys one change set writes together; the invariants check they move as one. */
export const CHANGESET_GROUPS = ["crash_a", "crash_b"] as const;
export const KEYS_PER_CHANGESET = 4;
export const flagKeys = (group: string) => Array.from({ length: KEYS_PER_CHANGESET }, (_, k) => `flags.${group}_${k}`);

export interface WorkloadCounts {
  changeSetsApplied: number;
  flips: number;
  votes: number;
  decisions: number;
  /** Requests that answered an unexpected status while the server was alive (reported, not
   * invariants: a 5xx under overload is a finding about latency, not about crash safety). */
  unexpected: string[];
  /** What the server acknowledged, so the check can prove none of it was lost. */
  acked: { changeSetIds: string[]; generation: number; votes: { requestId: string; voter: string }[] };
}

class ServerGone extends Error {}

function client(url: string) {
  return async (token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    let res: Response;
    try {
      res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    } catch {
      throw new ServerGone();
    }
  };
}

/**
 * Runs every loop until the server stops answering; `done` resolves with what was acknowledged,
 * `busy` once writes are being acknowledged (so a kill lands among writes, not during warm-up).
 */
export function startWorkload(url: string, store: CrashStore, round: number, opts: WorkloadOptions = {}): { busy: Promise<void>; done: Promise<WorkloadCounts> } {
  let markBusy!: () => void;
  const busy = new Promise<void>((r) => (markBusy = r));
  return { busy, done: runWorkload(url, store, round, () => markBusy(), opts) };
}

export interface WorkloadOptions {
  /** Pause between iterations of each loop (the soak paces itself; the crash run does not). */
  paceMs?: number;
  /** The decision loops; the soak leaves decisions to the simulator. */
  decisions?: boolean;
  /** Ends the loops after their current iteration. */
  signal?: AbortSignal;
}

async function runWorkload(url: string, store: CrashStore, round: number, onWrite: () => void, opts: WorkloadOptions): Promise<WorkloadCounts> {
  const call = client(url);
  // Between iterations: stop when asked, and keep the pace.
  const next = async () => {
    if (opts.paceMs) await new Promise((r) => setTimeout(r, opts.paceMs));
    if (opts.signal?.aborted) throw new ServerGone();
  };
  const counts: WorkloadCounts = { changeSetsApplied: 0, flips: 0, votes: 0, decisions: 0, unexpected: [], acked: { changeSetIds: [], generation: 0, votes: [] } };
  const ackGeneration = (g: number) => {
    counts.acked.generation = Math.max(counts.acked.generation, g);
    onWrite();
  };
  const expect = (what: string, r: { status: number; body: any }, ok: number[]) => {
    if (!ok.includes(r.status)) counts.unexpected.push(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    return ok.includes(r.status);
  };
  // Loops retry after an unexpected answer; a short pause keeps a failing one from spinning.
  const pause = () => new Promise((r) => setTimeout(r, 50));
  let n = 0;

  const changeSets = async (group: string) => {
    for (;; await next()) {
      const marker = `r${round}-${group.slice(-1)}${n++}`;
      const policy = await call(store.tokens.editor, "GET", "/api/v1/admin/policy");
      if (!expect("read policy head", policy, [200])) { await pause(); continue; }
      const head = policy.body.head as number;
      const ops = flagKeys(group).map((key) => ({ op: "set", key, value: { percentage: n % 101, allow: [marker] } }));
      const created = await call(store.tokens.editor, "POST", "/api/v1/admin/changesets", { baseVersion: head, reason: `crash ${marker}`, ops });
      if (!expect("create change set", created, [201])) { await pause(); continue; }
      const applied = await call(store.tokens.editor, "POST", `/api/v1/admin/changesets/${created.body.id}/apply`, {});
      // 409 (a conflict) is a legal answer too; the check then requires none of its keys anywhere.
      if (expect("apply change set", applied, [200, 409]) && applied.status === 200) {
        counts.changeSetsApplied++;
        counts.acked.changeSetIds.push(created.body.id);
        ackGeneration(applied.body.generation);
      }
    }
  };

  const flips = async () => {
    const targets = [{ control: "tool_kill", target: "restart_service" }, { control: "tenant_kill", target: "globex" }];
    for (let i = 0; ; i++, await next()) {
      const t = targets[i % 2]!;
      const controls = await call(store.tokens.oncall, "GET", "/api/v1/admin/controls");
      if (!expect("read controls", controls, [200])) { await pause(); continue; }
      const state = controls.body.controls as { control: string; target: string }[];
      const active = state.some((c) => c.control === t.control && c.target === t.target);
      const r = await call(store.tokens.oncall, "POST", "/api/v1/admin/controls", { ...t, active: !active, reason: `crash round ${round}` });
      if (expect("flip control", r, [200])) {
        counts.flips++;
        ackGeneration(r.body.generation);
      }
    }
  };

  const approvals = async () => {
    for (let i = 0; ; i++, await next()) {
      const d = await call(SUPPORT_TOKEN, "POST", "/api/v1/decide", { agent: "support-bot", tenant: "acme", session: `crash-${round}-${i}`, tool: "refund_payment", args: { amount: i } });
      if (!expect("decide refund", d, [200]) || d.body.decision !== "pending") continue;
      // All three reviewers at once: the quorum is 2, so one vote must be refused.
      const votes = await Promise.all(
        store.tokens.reviewers.map((token, k) => call(token, "POST", `/api/v1/admin/approvals/${d.body.approvalId}/votes`, { vote: (i + k) % 7 === 0 ? "reject" : "approve" })),
      );
      votes.forEach((v, k) => {
        if (!expect("vote", v, [200, 409]) || v.status !== 200) return;
        counts.votes++;
        counts.acked.votes.push({ requestId: d.body.approvalId, voter: `reviewer${k + 1}` });
        ackGeneration(v.body.generation);
      });
    }
  };

  const decisions = async () => {
    for (let i = 0; ; i++) {
      const d = await call(SUPPORT_TOKEN, "POST", "/api/v1/decide", { agent: "support-bot", tenant: "acme", session: `s-${round}-${i % 50}`, tool: "search_kb" });
      if (expect("decide", d, [200])) counts.decisions++;
    }
  };

  const loops = [...CHANGESET_GROUPS.map(changeSets), flips(), approvals(), ...(opts.decisions === false ? [] : [decisions(), decisions()])];
  const results = await Promise.allSettled(loops);
  for (const r of results) if (r.status === "rejected" && !(r.reason instanceof ServerGone)) throw r.reason;
  return counts;
}
