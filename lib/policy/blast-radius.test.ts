// The blast-radius primitive in the pure engine: graph prediction, the tightest bound, deploy
// windows at injected times (evaluate() never reads the clock), and the compiler's checks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkDocument, compile } from "@/lib/policy/compile";
import { DEMO_POLICY } from "@/lib/policy/demo-policy";
import { PolicyDocument } from "@/lib/policy/document";
import { assessBlastRadius, blastRadiusCheck, blastRadiusRefusal } from "@/lib/policy/blast-radius";
import { evaluate } from "@/lib/policy/evaluate";
import type { Overlay } from "@/lib/policy/overlay";
import { compileRuntime } from "@/lib/policy/runtime-model";

// web → checkout → payments, and a cycle checkout ↔ cart: hitting payments reaches all four.
const WORLD: Overlay = {
  controls: [],
  grants: [],
  services: [
    { name: "payments", share: 0.1, zone: "production" },
    { name: "checkout", share: 0.2, zone: "production" },
    { name: "cart", share: 0.05, zone: "production" },
    { name: "web", share: 0.5, zone: "production" },
    { name: "search", share: 0.15, zone: "staging" },
  ],
  dependencies: [
    { service: "checkout", dependsOn: "payments" },
    { service: "web", dependsOn: "checkout" },
    { service: "checkout", dependsOn: "cart" },
    { service: "cart", dependsOn: "checkout" },
  ],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit the document freely
function snapshot(edit: (d: any) => void = () => {}) {
  const d: any = structuredClone(DEMO_POLICY);
  d.tools.restart_service.blast_radius = { max: 0.9 };
  edit(d);
  return compile(PolicyDocument.parse(d), WORLD, { policyVersion: 1, generation: 1 });
}
const ops = (extra: object = {}) => ({ agent: "ops-bot", tenant: "acme", session: "s", tool: "restart_service", ...extra });
// Saturday 2026-11-28 03:00 in Berlin (02:00 UTC) and Monday 2026-11-30 10:00 in Berlin (09:00 UTC).
const SAT_NIGHT = Date.parse("2026-11-28T02:00:00Z");
const MON_MORNING = Date.parse("2026-11-30T09:00:00Z");

describe("runtime model", () => {
  it("predicts the shares of the service and everything that transitively depends on it, cycles counted once", () => {
    const rt = compileRuntime(WORLD.services, WORLD.dependencies);
    assert.deepEqual(rt.get("payments")!.affected, ["cart", "checkout", "payments", "web"]);
    assert.equal(rt.get("payments")!.predicted, 0.85);
    assert.deepEqual(rt.get("web")!.affected, ["web"]);
    assert.equal(rt.get("search")!.predicted, 0.15);
  });

  it("caps the prediction at 1", () => {
    const rt = compileRuntime([{ name: "a", share: 0.7, zone: null }, { name: "b", share: 0.6, zone: null }], [{ service: "b", dependsOn: "a" }]);
    assert.equal(rt.get("a")!.predicted, 1);
  });
});

describe("blast_radius through evaluate()", () => {
  it("denies on the server's prediction with value, bound and affected services", () => {
    const ev = evaluate(ops({ target: { service: "checkout" } }), snapshot((d) => (d.tools.restart_service.blast_radius.max = 0.5)), { now: MON_MORNING, cohort: "stable" });
    assert.deepEqual([ev.decision, ev.primitive, ev.reasons[0]!.value, ev.reasons[0]!.bound], ["deny", "blast_radius", 0.75, 0.5]);
    assert.deepEqual(ev.reasons[0]!.affected, ["cart", "checkout", "web"]);
    assert.match(ev.reasons[0]!.message, /bound: tools\.restart_service\.blast_radius\.max/);
  });

  it("the tightest of tool, kind and service bounds wins and is named", () => {
    const snap = snapshot((d) => {
      d.blast_radius = { kinds: { write: { max: 0.4 } }, services: { search: { max: 0.1 } } };
    });
    const svc = evaluate(ops({ target: { service: "search" } }), snap, { now: MON_MORNING, cohort: "stable" });
    assert.deepEqual([svc.decision, svc.reasons[0]!.value, svc.reasons[0]!.bound], ["deny", 0.15, 0.1]);
    assert.match(svc.reasons[0]!.message, /bound: blast_radius\.services\.search\.max/);
    const kind = evaluate(ops({ target: { service: "web" } }), snap, { now: MON_MORNING, cohort: "stable" });
    assert.deepEqual([kind.decision, kind.reasons[0]!.bound], ["deny", 0.4]);
    assert.match(kind.reasons[0]!.message, /blast_radius\.kinds\.write\.max/);
    assert.equal(evaluate(ops({ target: { service: "cart" } }), snap, { now: MON_MORNING, cohort: "stable" }).decision, "deny");
    assert.equal(evaluate(ops({ target: { service: "search" }, blastRadius: 0.01 }), snapshot(), { now: MON_MORNING, cohort: "stable" }).decision, "allow");
  });

  it("a deploy window binds only while `now` is inside it, in its own time zone", () => {
    const snap = snapshot((d) => {
      d.blast_radius = {
        windows: {
          "off-hours": {
            time_zone: "Europe/Berlin",
            ranges: [
              { days: ["sat", "sun"], from: "00:00", to: "24:00" },
              { days: ["mon", "tue", "wed", "thu", "fri"], from: "00:00", to: "08:00" },
              { days: ["mon", "tue", "wed", "thu", "fri"], from: "18:00", to: "24:00" },
            ],
            max: 0.1,
          },
        },
      };
    });
    const req = ops({ target: { service: "search" } }); // 15%
    const night = evaluate(req, snap, { now: SAT_NIGHT, cohort: "stable" });
    assert.deepEqual([night.decision, night.primitive, night.reasons[0]!.value, night.reasons[0]!.bound], ["deny", "blast_radius", 0.15, 0.1]);
    assert.match(night.reasons[0]!.message, /blast_radius\.windows\.off-hours\.max/);
    assert.equal(evaluate(req, snap, { now: MON_MORNING, cohort: "stable" }).decision, "allow");
    // 07:30 UTC on Monday is 08:30 in Berlin (business hours) but would be off-hours in UTC.
    assert.equal(evaluate(req, snap, { now: Date.parse("2026-11-30T07:30:00Z"), cohort: "stable" }).decision, "allow");
    assert.equal(evaluate(req, snap, { now: Date.parse("2026-11-30T06:30:00Z"), cohort: "stable" }).decision, "deny");
  });

  it("a window limited to some tools leaves the others alone", () => {
    const snap = snapshot((d) => {
      d.blast_radius = { windows: { freeze: { time_zone: "UTC", ranges: [{ days: ["sat"], from: "00:00", to: "24:00" }], max: 0, tools: ["drop_table"] } } };
    });
    assert.equal(evaluate(ops({ target: { service: "search" } }), snap, { now: SAT_NIGHT, cohort: "stable" }).decision, "allow");
  });

  it("the request's service gives the target zone when the request names none", () => {
    const snap = snapshot();
    const ev = evaluate(ops({ target: { service: "search" }, origin: { zone: "external" } }), snap, { now: MON_MORNING, cohort: "stable" });
    assert.deepEqual([ev.decision, ev.primitive, ev.reasons[0]!.value], ["deny", "network_boundary", "external>staging"]);
    assert.deepEqual(ev.reasons[0]!.bound, []);
    const internal = evaluate(ops({ target: { service: "search" }, origin: { zone: "internal" } }), snap, { now: MON_MORNING, cohort: "stable" });
    assert.equal(internal.decision, "allow");
  });
});

describe("the hot-path check and the what-if assessment agree", () => {
  it("on every service, agent prediction, time and bound combination", () => {
    const snap = snapshot((d) => {
      d.tools.restart_service.blast_radius.max = 0.5;
      d.blast_radius = { kinds: { write: { max: 0.6 } }, services: { checkout: { max: 0.3 } }, windows: { sat: { time_zone: "UTC", ranges: [{ days: ["sat"], from: "00:00", to: "12:00" }], max: 0.12 } } };
    });
    const tool = snap.tools.get("restart_service")!;
    let refusals = 0;
    for (const service of [undefined, "payments", "checkout", "cart", "web", "search", "unknown"]) {
      for (const blastRadius of [undefined, 0, 0.1, 0.2, 0.55, 1]) {
        for (const now of [SAT_NIGHT, MON_MORNING]) {
          const req = { tool: "restart_service", target: service ? { service } : undefined, blastRadius };
          const fast = blastRadiusCheck(snap, req, tool, now);
          assert.deepEqual(fast, blastRadiusRefusal(assessBlastRadius(snap, req, tool, now), "restart_service"), JSON.stringify({ service, blastRadius, now }));
          if (fast) refusals++;
        }
      }
    }
    assert.ok(refusals > 10, "the grid exercises refusals as well as passes");
  });
});

describe("compiler checks for bounds", () => {
  it("an invalid window is an error with its key path; a bound on an unknown service is a warning", () => {
    const d = PolicyDocument.parse({
      ...DEMO_POLICY,
      blast_radius: {
        services: { ghost: { max: 0.1 }, payments: { max: 0.2 } },
        windows: { bad: { time_zone: "Mars/Olympus", ranges: [{ days: ["mon"], from: "18:00", to: "08:00" }], max: 0.1, tools: ["teleport"] } },
      },
    });
    const { errors, warnings } = checkDocument(d, { services: new Set(["payments"]) });
    assert.deepEqual(errors.map((e) => e.path), ["blast_radius.windows.bad.time_zone", "blast_radius.windows.bad.ranges.0", "blast_radius.windows.bad.tools.0"]);
    assert.deepEqual(warnings.map((w) => w.path), ["blast_radius.services.ghost"]);
    assert.throws(() => PolicyDocument.parse({ blast_radius: { windows: { w: { ranges: [{ days: ["mon"], from: "9am", to: "17:00" }], max: 0.1 } } } }), /HH:MM/);
  });
});
