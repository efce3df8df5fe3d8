// npm run governor -- <status|agents|kill|recover|reject-pending> … – the incident CLI. It calls the same admin API as
// the console, with a personal token, so a bot and a person leave the same audit trail.
import { parseArgs } from "node:util";
import { printAgent, printAgents } from "./governor-agents";

const USAGE = `Usage:
  npm run governor -- status
  npm run governor -- agents [name]
  npm run governor -- kill    [--tool X | --agent Y | --tenant Z] [--reason "…"] [--force]
  npm run governor -- recover [--tool X | --agent Y | --tenant Z] --reason "…"
  npm run governor -- confirm-recovery <id>
  npm run governor -- reject-pending [--tool X] [--agent Y] [--tenant Z] --reason "…" [--yes]

agents lists every agent with its status and last 15 minutes; with a name, what that agent may
call now per tool and tenant, and its latest denials.

A kill names a tool, agent or tenant the policy knows, so a typo is refused rather than stopping
nothing; --force stops a name the policy does not have (yet).

reject-pending casts your reject vote on every pending approval request that matches (a reviewer's
token): it first says how many that is, and only with --yes rejects them, in batches, leaving out
requests that arrive after the count.

Environment: GOVERNOR_URL (default http://localhost:3000), GOVERNOR_TOKEN (a personal token, gov_pat_…).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tool: { type: "string" }, agent: { type: "string" }, tenant: { type: "string" }, reason: { type: "string" }, force: { type: "boolean" }, yes: { type: "boolean" }, help: { type: "boolean", short: "h" } },
});

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const base = (process.env.GOVERNOR_URL ?? "http://localhost:3000").replace(/\/$/, "");
const token = process.env.GOVERNOR_TOKEN;

async function call(method: string, path: string, body?: unknown) {
  if (!token) fail("GOVERNOR_TOKEN is not set: create a personal token on the console's Admin page.");
  let res: Response;
  try {
    res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    fail(`Cannot reach Governor at ${base}: ${(e as Error).message}`, 1);
  }
  const data = await res.json().catch(() => ({}));
  const message: string = data?.error?.message ?? res.statusText;
  // The API's advice names its JSON member; here the same thing is a flag.
  if (!res.ok) fail(`Governor refused (${res.status}): ${message.replace('Send "force": true', "Add --force")}`, 1);
  return data;
}

function target(): { control: string; target?: string } {
  const given = (["tool", "agent", "tenant"] as const).filter((k) => values[k]);
  if (given.length > 1) fail(`Give at most one of --tool, --agent, --tenant (got ${given.map((g) => `--${g}`).join(", ")}).`);
  const k = given[0];
  return k ? { control: `${k}_kill`, target: values[k] } : { control: "global_kill" };
}

const [command, arg] = positionals;
if (values.help || !command) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

switch (command) {
  case "status": {
    const s = await call("GET", "/api/v1/admin/controls");
    if (s.controls.length === 0) console.log("No runtime control is active.");
    for (const c of s.controls) console.log(`ACTIVE  ${c.control}${c.target ? ` ${c.target}` : ""}  since ${c.setAt} by ${c.setBy}${c.reason ? `: ${c.reason}` : ""}`);
    for (const r of s.recoveries) console.log(`PENDING recovery ${r.id} of ${r.control}, requested by ${r.requestedBy}: ${r.reason}`);
    break;
  }
  case "agents": {
    await (arg ? printAgent(call, arg) : printAgents(call));
    break;
  }
  case "kill": {
    const r = await call("POST", "/api/v1/admin/controls", { ...target(), active: true, reason: values.reason, ...(values.force ? { force: true } : {}) });
    console.log(`Stopped (${r.control}${r.target ? ` ${r.target}` : ""}); generation ${r.generation}.`);
    break;
  }
  case "recover": {
    const t = target();
    if (t.control === "global_kill" && !values.reason) fail('Lifting the global kill needs --reason "why it is safe to resume".');
    const r = await call("POST", "/api/v1/admin/controls", { ...t, active: false, reason: values.reason });
    if (r.status === "awaiting_confirmation") console.log(`Recovery requested (${r.recoveryId}); a second operator must run: npm run governor -- confirm-recovery ${r.recoveryId}`);
    else console.log(`Recovered (${r.control}${r.target ? ` ${r.target}` : ""}); generation ${r.generation}.`);
    break;
  }
  case "confirm-recovery": {
    if (!arg) fail("confirm-recovery needs the recovery id (see `status`).");
    const r = await call("POST", `/api/v1/admin/controls/recoveries/${arg}/confirm`, {});
    console.log(`Recovery confirmed; the kill is lifted (generation ${r.generation}).`);
    break;
  }
  case "reject-pending": {
    if (!values.reason || values.reason.trim().length < 3) fail('reject-pending needs --reason "why" (at least 3 characters): it is audited and sent with each rejection.');
    const filter = Object.fromEntries((["tool", "agent", "tenant"] as const).filter((k) => values[k]).map((k) => [k, values[k]!]));
    const p = await call("GET", `/api/v1/admin/approvals/bulk-reject?${new URLSearchParams(filter)}`);
    const scope = Object.entries(filter).map(([k, v]) => `${k} ${v}`).join(", ") || "any agent, tool and tenant";
    console.log(`${p.matching} pending request(s) for ${scope} as of ${p.asOf}; you may reject ${p.eligible}.`);
    if (p.alreadyVoted) console.log(`  ${p.alreadyVoted} you already voted on`);
    if (p.ownRequests) console.log(`  ${p.ownRequests} you started (someone else decides those)`);
    for (const g of p.otherGroups as { group: string; count: number }[]) console.log(`  ${g.count} for reviewer group ${g.group}, which you are not in`);
    if (p.eligible === 0) break;
    if (!values.yes) {
      console.log("Nothing was rejected. Add --yes to reject them.");
      break;
    }
    let done = 0;
    let rejected = 0;
    for (;;) {
      const r = await call("POST", "/api/v1/admin/approvals/bulk-reject", { ...filter, asOf: p.asOf, comment: values.reason.trim() });
      done += r.requestIds.length;
      rejected += r.rejected;
      console.log(`  ${done} of ${p.eligible} done`);
      if (r.remaining === 0 || r.requestIds.length === 0) break;
    }
    console.log(`Rejected ${rejected}; ${done - rejected} more took your reject vote and need more rejections.`);
    break;
  }
  default:
    fail(`Unknown command "${command}".\n\n${USAGE}`);
}
