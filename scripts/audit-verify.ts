// npm run audit:verify -- <bundle.tar.gz> [--key key.pem]… – check an audit export offline.
// Exit 0: the bundle verifies; 1: it does not (the first failure is named); 2: usage error.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { verifyBundle, type VerifyReport } from "@/lib/audit/verify-bundle";

const USAGE = `usage: governor-audit-verify <bundle.tar.gz> [--key public-key.pem]... [--json]

Verifies a Governor audit export without a database or network access.
  --key FILE   trust only this Ed25519 public key (SPKI PEM); repeatable. Without it the keys
               inside the bundle are used, and you should compare the printed key ids with the
               key you obtained from the Governor operator.
  --json       print the report as JSON`;

function usage(message?: string): never {
  if (message) console.error(`governor-audit-verify: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({ allowPositionals: true, options: { key: { type: "string", multiple: true }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
}
try {
  args = parse();
} catch (e) {
  usage((e as Error).message);
}
if (args.values.help) usage();
if (args.positionals.length !== 1) usage(args.positionals.length ? "give exactly one bundle" : "no bundle given");
const bundle = args.positionals[0]!;

let trustedKeys: string[] | undefined;
try {
  trustedKeys = args.values.key?.map((f) => readFileSync(f, "utf8"));
} catch (e) {
  usage(`cannot read key file: ${(e as Error).message}`);
}

let report: VerifyReport;
try {
  report = await verifyBundle(bundle, { trustedKeys });
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  usage(err.code === "ENOENT" ? `no such file: ${bundle}` : err.message);
}

if (args.values.json) console.log(JSON.stringify(report, null, 2));
if (report.ok) {
  if (!args.values.json) {
    const r = report.range;
    console.log(`Audit bundle OK: ${report.events} events, sequence ${r.fromSeq}–${r.toSeq} (${r.fromTime} – ${r.toTime}); ${report.matched} matched the export's filters.`);
    console.log(`  chain: every hash recomputed and linked; last hash ${report.lastHash}`);
    console.log(`  checkpoints: ${report.checkpoints.verified} Ed25519 signatures verified, key id(s) ${report.checkpoints.keyIds.join(", ") || "none"}`);
    console.log(`  decisions: ${report.decisions.proven} inclusion proofs checked against ${report.decisions.batches} sealed batch(es)`);
    if (!trustedKeys) console.log(`Trust this only if ${report.checkpoints.keyIds.join(", ")} is the audit key you obtained from the operator (or pass it with --key).`);
  }
  process.exit(0);
}
console.error(`Audit bundle FAILED${report.seq === null ? "" : ` at sequence ${report.seq}`} (${report.kind}): ${report.detail}`);
process.exit(1);
