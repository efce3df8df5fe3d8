// `npm run governor -- agents [name]`: the Agents page for a terminal. Plain text in columns, so
// it reads in a pager or a chat paste during an incident.
import type { AccessCell, AgentAccess } from "@/lib/agents/access";
import { canaryDifferences } from "@/lib/agents/canary-diff";
import type { DecisionLine } from "@/lib/agents/decisions";
import type { RecentActivity } from "@/lib/agents/recent";

type Call = (method: string, path: string) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are read field by field
type Control = { control: string; target: string; setBy: string; reason: string | null };

/** Rows of cells as left-aligned columns two spaces apart. */
export function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n");
}

const since = (iso: string | null, now = Date.now()) => {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

function status(agent: string, controls: Control[]): string {
  const own = controls.find((c) => c.control === "agent_kill" && c.target === agent);
  if (own) return `STOPPED by ${own.setBy}${own.reason ? ` (${own.reason})` : ""}`;
  return controls.some((c) => c.control === "global_kill") ? "STOPPED (global kill)" : "running";
}

const recentText = (r: RecentActivity) => `${r.allow + r.pending + r.deny} (allow ${r.allow}, pending ${r.pending}, deny ${r.deny})`;

export async function printAgents(call: Call): Promise<void> {
  const [list, ctl] = await Promise.all([call("GET", "/api/v1/admin/agents"), call("GET", "/api/v1/admin/controls")]);
  if (list.agents.length === 0) return console.log("No agents yet: an admin creates an agent token for each on the Admin page.");
  const rows = [["AGENT", "STATUS", "STAGE", `LAST ${list.recentMinutes} MIN`, "LAST ASKED"]];
  for (const a of list.agents) rows.push([a.id, status(a.id, ctl.controls), a.stage, recentText(a.recent), since(a.recent.lastDecisionAt)]);
  console.log(columns(rows));
}

const cellText = (c: AccessCell) =>
  (c.decision === "allow" ? "allowed" : c.decision === "pending" ? "needs approval" : c.primitive === "kill_switch" ? "STOPPED" : c.primitive === "not_allowed" ? "not available" : `denied (${c.primitive})`) +
  (c.limits.length ? ` [${c.limits.join(", ")}]` : "");

function accessTable(a: AgentAccess): string {
  return columns([["TOOL", ...a.tenants], ...a.tools.map((t) => [t.tool, ...t.tenants.map(cellText)])]);
}

export async function printAgent(call: Call, name: string): Promise<void> {
  const [d, ctl, latest] = await Promise.all([
    call("GET", `/api/v1/admin/agents/${encodeURIComponent(name)}`),
    call("GET", "/api/v1/admin/controls"),
    call("GET", `/api/v1/admin/agents/${encodeURIComponent(name)}/decisions?limit=10&verdict=deny`),
  ]);
  const { stable, canary } = d.access as { stable: AgentAccess; canary: (AgentAccess & { percent: number }) | null };
  console.log(`${d.agent.id}: ${status(d.agent.id, ctl.controls)}, ${d.agent.stage}; last asked ${since(d.recent.lastDecisionAt)}; last 15 min ${recentText(d.recent)}`);
  if (d.approvals.waiting > 0) {
    console.log(`${d.approvals.waiting}${d.approvals.waitingCapped ? "+" : ""} approval request(s) waiting for reviewers; a reviewer clears them with: npm run governor -- reject-pending --agent ${d.agent.id} --reason "…"`);
  }
  console.log(`\nWhat it may call now (policy version ${stable.policyVersion}, generation ${stable.generation}; a plain call, before arguments and counters):`);
  console.log(!stable.inPolicy ? "  not in the live policy: every call is denied (not_allowed)" : stable.tools.length ? accessTable(stable) : "  no tools");
  if (canary) {
    const { cells, added } = canaryDifferences(stable, canary);
    const lines = [
      ...cells.map((d) => `  ${d.tool} for ${d.tenant}: ${d.canary ? cellText(d.canary) : `not available (${d.why})`}`),
      ...added.map((t) => `  ${t}: newly on its allow list`),
    ];
    console.log(`\nA rollout sends ${canary.percent}% of sessions to version ${canary.policyVersion}${lines.length ? ", which answers differently:" : "; it answers the same."}`);
    if (lines.length) console.log(lines.join("\n"));
  }
  const denials = latest.decisions as DecisionLine[];
  console.log(denials.length ? "\nLatest denials:" : "\nNo denials logged.");
  for (const x of denials) console.log(`  ${x.at.slice(11, 19)}  ${x.tool} for ${x.tenant}: ${x.primitive}${x.message ? `: ${x.message}` : ""}`);
}
