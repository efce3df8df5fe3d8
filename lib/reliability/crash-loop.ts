// The crash loop: start server.ts on a store, drive the workload, SIGKILL the process at a
// random moment, then open the store again (recovery) and check every invariant; the next
// round's restart must serve the generation the check found. Shared by the test in `npm test`
// (a few kills) and `npm run test:faults` (50 or more).
import { startServerProcess } from "@/lib/test/server-process";
import { checkInvariants, type StoreFacts } from "@/lib/reliability/crash-invariants";
import { SUPPORT_TOKEN, prepareCrashStore, type CrashStoreKind } from "@/lib/reliability/crash-store";
import { startWorkload, type WorkloadCounts } from "@/lib/reliability/crash-workload";

export interface CrashRound {
  round: number;
  /** After the first acknowledged write. */
  killAfterMs: number;
  /** From spawning the restarted server to its first healthy answer. */
  restartMs: number;
  acknowledged: WorkloadCounts;
  facts: StoreFacts;
  violations: string[];
}

export interface CrashOptions {
  kind: CrashStoreKind;
  kills: number;
  port: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  log?: (line: string) => void;
}

export async function runCrashLoop(opts: CrashOptions): Promise<{ rounds: CrashRound[]; violations: string[] }> {
  const { minDelayMs = 0, maxDelayMs = 2000, log = () => {} } = opts;
  const store = await prepareCrashStore(opts.kind);
  const rounds: CrashRound[] = [];
  const violations: string[] = [];
  let previous: StoreFacts | null = null;
  try {
    for (let round = 1; round <= opts.kills; round++) {
      const started = performance.now();
      const server = await startServerProcess(store.serverEnv, opts.port);
      const restartMs = performance.now() - started;
      const roundViolations: string[] = [];
      try {
        if (previous) {
          // The restarted server must serve the state the check found, not an older snapshot.
          const res = await fetch(server.url + "/api/v1/policy/generation", { headers: { authorization: `Bearer ${SUPPORT_TOKEN}` } });
          const served = (await res.json()) as { generation: number; policyVersion: number };
          if (served.generation !== previous.generation) roundViolations.push(`restarted server serves generation ${served.generation}, the store holds ${previous.generation}`);
          if (served.policyVersion !== previous.headVersion) roundViolations.push(`restarted server serves version ${served.policyVersion}, the head is ${previous.headVersion}`);
        }
        const killAfterMs = Math.round(minDelayMs + Math.random() * (maxDelayMs - minDelayMs));
        const workload = startWorkload(server.url, store, round);
        await Promise.race([workload.busy, new Promise((r) => setTimeout(r, 30_000))]);
        await new Promise((r) => setTimeout(r, killAfterMs));
        const exited = server.stop("SIGKILL");
        const acknowledged = await workload.done;
        await exited;

        const reopened = await store.open();
        let facts: StoreFacts;
        try {
          const checked = await checkInvariants(reopened, acknowledged.acked);
          facts = checked.facts;
          roundViolations.push(...checked.violations);
        } finally {
          await reopened.close();
        }
        rounds.push({ round, killAfterMs, restartMs, acknowledged, facts, violations: roundViolations });
        violations.push(...roundViolations.map((v) => `round ${round}: ${v}`));
        log(
          `round ${round}/${opts.kills} (${opts.kind}): killed ${killAfterMs} ms after the first acknowledged write; acknowledged ${acknowledged.changeSetsApplied} change sets, ${acknowledged.flips} flips, ${acknowledged.votes} votes, ${acknowledged.decisions} decisions; ` +
            `store: generation ${facts.generation}, version ${facts.headVersion}, ${facts.auditEvents} audit events, ${facts.sealedDecisions} sealed decisions; restart ${restartMs.toFixed(0)} ms; ${acknowledged.unexpected.length ? `unexpected answers: ${acknowledged.unexpected.slice(0, 3).join(" | ")}; ` : ""}${roundViolations.length ? `VIOLATIONS: ${roundViolations.join(" | ")}` : "all invariants hold"}`,
        );
        previous = facts;
      } catch (err) {
        // Keep the server's output: a store that cannot be reopened is the finding.
        throw new Error(`round ${round} (${opts.kind}) failed: ${(err as Error).message}\n--- server output ---\n${server.output().slice(-4000)}`);
      } finally {
        if (server.proc.exitCode === null && server.proc.signalCode === null) await server.stop("SIGKILL");
      }
      if (roundViolations.length) break;
    }
  } finally {
    await store.dispose();
  }
  return { rounds, violations };
}
