// What must hold in a store after any crash: whole change sets or none, the generation at the
// last committed change, every vote counted once and every request resolved once, controls that
// match their audit trail, sealed decision batches that match their roots, and a chain that
// verifies. Returns every violation found, in words, rather than stopping at the first.
import { leafHash, merkleRoot } from "@/lib/audit/merkle";
import { decisionLeaf } from "@/lib/audit/seal";
import { verifyChain } from "@/lib/audit/verify";
import type { Store } from "@/lib/db/store";
import { CHANGESET_GROUPS, flagKeys } from "@/lib/reliability/crash-workload";

export interface StoreFacts {
  generation: number;
  headVersion: number | null;
  auditEvents: number;
  changeSetsApplied: number;
  votes: number;
  sealedDecisions: number;
}

type Doc = { flags?: Record<string, { allow?: string[] }> };
const markerOf = (doc: Doc, key: string) => doc.flags?.[key.slice("flags.".length)]?.allow?.[0];

/** Acknowledged before the kill: a commit the server answered for must survive it. */
export interface Acknowledged {
  changeSetIds: string[];
  generation: number;
  votes: { requestId: string; voter: string }[];
}

export async function checkInvariants(store: Store, acked?: Acknowledged): Promise<{ violations: string[]; facts: StoreFacts }> {
  const db = store.prisma;
  const violations: string[] = [];
  const fail = (msg: string) => violations.push(msg);

  const chain = await verifyChain(db);
  if (!chain.ok) fail(`audit chain broken at ${chain.firstBrokenSeq} (${chain.problem}): ${chain.detail}`);

  // Generation: the counter, the last audited change and the set of audited bumps agree.
  const generation = (await db.generation.findUnique({ where: { id: 1 } }))?.value ?? 0;
  const gens = await store.rawQuery(`SELECT DISTINCT "generation" AS g FROM "AuditEvent" WHERE "generation" IS NOT NULL ORDER BY 1`);
  const maxGen = gens.length ? Number(gens[gens.length - 1]!.g) : 0;
  if (maxGen !== generation) fail(`generation is ${generation} but the last audited change carries ${maxGen}`);
  if (gens.length !== generation) fail(`generation is ${generation} but ${gens.length} distinct generations are audited (a bump without its audit event, or the reverse)`);

  // Change sets: each version holds every key of a change set or none of them.
  const versions = await db.policyVersion.findMany({ orderBy: { number: "asc" } });
  const byNumber = new Map(versions.map((v) => [v.number, v.document as Doc]));
  const markersIn = new Map<string, number[]>();
  for (const v of versions) {
    for (const group of CHANGESET_GROUPS) {
      const marks = flagKeys(group).map((k) => markerOf(v.document as Doc, k));
      if (new Set(marks).size !== 1) fail(`version ${v.number} holds a partial change set in ${group}: ${JSON.stringify(marks)}`);
      if (marks[0]) markersIn.set(marks[0], [...(markersIn.get(marks[0]) ?? []), v.number]);
    }
  }
  const head = (await db.policyHead.findUnique({ where: { id: 1 } }))?.version ?? null;
  const lastVersion = versions.at(-1)?.number ?? null;
  if (head !== lastVersion) fail(`policy head is ${head} but the newest version is ${lastVersion}`);
  const applyAudits = await db.auditEvent.findMany({ where: { action: "policy.apply_changeset" } });
  const auditedApply = new Map<string, number>();
  for (const a of applyAudits) {
    const id = (a.after as { changeSet?: string } | null)?.changeSet ?? "";
    auditedApply.set(id, (auditedApply.get(id) ?? 0) + 1);
  }
  const changeSets = await db.changeSet.findMany({ where: { reason: { startsWith: "crash " } } });
  let applied = 0;
  for (const cs of changeSets) {
    const marker = cs.reason.slice("crash ".length);
    const seenIn = markersIn.get(marker) ?? [];
    const audits = auditedApply.get(cs.id) ?? 0;
    if (cs.status === "applied") {
      applied++;
      if (cs.appliedVersion === null || !byNumber.has(cs.appliedVersion)) fail(`change set ${marker} is applied but version ${cs.appliedVersion} does not exist`);
      else if (seenIn[0] !== cs.appliedVersion) fail(`change set ${marker} is applied as version ${cs.appliedVersion} but its keys first appear in ${seenIn[0] ?? "no version"}`);
      if (audits !== 1) fail(`change set ${marker} is applied but has ${audits} apply audit events`);
    } else {
      if (seenIn.length) fail(`change set ${marker} is ${cs.status} yet its keys are in version(s) ${seenIn.join(", ")}`);
      if (audits !== 0) fail(`change set ${marker} is ${cs.status} yet has ${audits} apply audit events`);
    }
  }
  if (applyAudits.length !== applied) fail(`${applyAudits.length} apply audit events for ${applied} applied change sets`);

  // Approvals: one vote per voter, one audit event per vote, one resolution, nothing after it.
  const requests = await db.actionRequest.findMany({ include: { votes: true } });
  const voteAudits = await store.rawQuery(`SELECT "target", count(*)::int AS n FROM "AuditEvent" WHERE "action" LIKE 'approval.vote.%' GROUP BY "target"`);
  const auditedVotes = new Map(voteAudits.map((r) => [String(r.target), Number(r.n)]));
  let votes = 0;
  for (const r of requests) {
    votes += r.votes.length;
    const voters = new Set(r.votes.map((v) => v.voterId));
    const approves = r.votes.filter((v) => v.vote === "approve").length;
    const rejects = r.votes.length - approves;
    if (voters.size !== r.votes.length) fail(`request ${r.id}: ${r.votes.length} votes from ${voters.size} voters`);
    if ((auditedVotes.get(`approval:${r.id}`) ?? 0) !== r.votes.length) fail(`request ${r.id}: ${r.votes.length} votes but ${auditedVotes.get(`approval:${r.id}`) ?? 0} vote audit events`);
    const expected = rejects >= r.rejectThreshold ? "rejected" : approves >= r.quorum ? "approved" : "pending";
    if (r.status !== expected) fail(`request ${r.id} is ${r.status} with ${approves} approve / ${rejects} reject (quorum ${r.quorum}); expected ${expected}`);
    if (approves > r.quorum || rejects > r.rejectThreshold) fail(`request ${r.id} counted votes past its resolution (${approves} approve, ${rejects} reject)`);
    if ((r.status === "pending") !== (r.resolvedAt === null)) fail(`request ${r.id} is ${r.status} with resolvedAt ${r.resolvedAt?.toISOString() ?? "null"}`);
  }

  // Controls: each active row is what the last audit event for it says, and only those.
  const controlAudits = await db.auditEvent.findMany({ where: { action: { in: ["control.activate", "control.deactivate"] } }, orderBy: { seq: "asc" } });
  const lastAction = new Map<string, string>();
  for (const a of controlAudits) lastAction.set(a.target, a.action);
  const rows = await db.runtimeControl.findMany();
  const activeRows = new Set(rows.map((c) => `control:${c.control}${c.target ? `:${c.target}` : ""}`));
  for (const [target, action] of lastAction) {
    if ((action === "control.activate") !== activeRows.has(target)) fail(`${target}: last audit event is ${action} but the control is ${activeRows.has(target) ? "active" : "inactive"}`);
  }
  for (const target of activeRows) if (!lastAction.has(target)) fail(`${target} is active with no audit event`);

  // Sealed decisions: every batch holds exactly the decisions its audited Merkle root covers.
  let sealedDecisions = 0;
  for (const batch of await db.decisionBatch.findMany()) {
    const members = await db.decisionLog.findMany({ where: { batchId: batch.id }, orderBy: { batchIndex: "asc" } });
    sealedDecisions += members.length;
    const event = await db.auditEvent.findUnique({ where: { seq: batch.auditSeq } });
    const audited = event?.after as { count?: number; root?: string } | undefined;
    if (event?.action !== "decisions.seal" || audited?.root !== batch.root || audited.count !== batch.count) fail(`decision batch ${batch.id} does not match its seal event #${batch.auditSeq}`);
    const root = merkleRoot(members.map((d) => leafHash(decisionLeaf(d as Parameters<typeof decisionLeaf>[0])))).toString("hex");
    if (members.length !== batch.count || root !== batch.root) fail(`decision batch ${batch.id}: ${members.length} of ${batch.count} decisions, root ${root === batch.root ? "matches" : "differs"}`);
  }

  if (acked) {
    if (generation < acked.generation) fail(`lost commits: the server acknowledged generation ${acked.generation}, the store holds ${generation}`);
    const status = new Map(changeSets.map((cs) => [cs.id, cs.status]));
    for (const id of acked.changeSetIds) if (status.get(id) !== "applied") fail(`lost commit: change set ${id} was acknowledged as applied, the store says ${status.get(id) ?? "missing"}`);
    const cast = new Set(requests.flatMap((r) => r.votes.map((v) => `${r.id}/${v.voter}`)));
    for (const v of acked.votes) if (!cast.has(`${v.requestId}/${v.voter}`)) fail(`lost commit: ${v.voter}'s acknowledged vote on ${v.requestId} is missing`);
  }

  return {
    violations,
    facts: { generation, headVersion: head, auditEvents: chain.count, changeSetsApplied: applied, votes, sealedDecisions },
  };
}
