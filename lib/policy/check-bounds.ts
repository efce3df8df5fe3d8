import type { Diagnostic } from "@/lib/policy/compile";
import { isValidTimeZone } from "@/lib/policy/deploy-window";
import type { PolicyDocument } from "@/lib/policy/document";

/**
 * Compiler checks for the issue-#9 parts of a document: schema contracts on non-schema tools and
 * bounds on unknown services (warnings; the runtime model can gain the service later), deploy
 * windows that cannot work (errors). Called from checkDocument with the same key-path diagnostics.
 */
export function checkBlastBounds(doc: PolicyDocument, world: { services?: ReadonlySet<string> }, errors: Diagnostic[], warnings: Diagnostic[]): void {
  for (const [tool, t] of Object.entries(doc.tools)) {
    if (t.contract && t.kind !== "schema") warnings.push({ path: `tools.${tool}.contract`, message: `is only checked for tools of kind schema; "${tool}" is ${t.kind}` });
  }
  if (world.services) {
    for (const svc of Object.keys(doc.blast_radius.services)) {
      if (!world.services.has(svc)) warnings.push({ path: `blast_radius.services.${svc}`, message: `bounds "${svc}", which is not a service in the runtime model (yet)` });
    }
  }
  for (const [name, w] of Object.entries(doc.blast_radius.windows)) {
    const at = `blast_radius.windows.${name}`;
    if (!isValidTimeZone(w.time_zone)) errors.push({ path: `${at}.time_zone`, message: `is "${w.time_zone}", which is not an IANA time zone (e.g. "Europe/Berlin") or "UTC"` });
    w.ranges.forEach((r, i) => {
      if (r.from >= r.to) errors.push({ path: `${at}.ranges.${i}`, message: `runs from ${r.from} to ${r.to}; "from" must be before "to" (split an overnight span into two ranges)` });
    });
    w.tools.forEach((tool, i) => {
      if (!Object.hasOwn(doc.tools, tool)) errors.push({ path: `${at}.tools.${i}`, message: `names "${tool}", which is not in the tool registry` });
    });
  }
}
