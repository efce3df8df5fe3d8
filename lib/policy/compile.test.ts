import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkDocument } from "@/lib/policy/compile";
import { DEMO_POLICY } from "@/lib/policy/demo-policy";
import { PolicyDocument, type PolicyDocumentInput } from "@/lib/policy/document";
import { validateDocument } from "@/lib/policy/versions";

const demo = () => structuredClone(DEMO_POLICY) as PolicyDocumentInput & Required<Pick<PolicyDocumentInput, "tools" | "agents" | "tiers" | "tenants" | "reviewer_groups">>;
const errorsOf = (doc: PolicyDocumentInput) => checkDocument(PolicyDocument.parse(doc)).errors;

describe("compiler diagnostics carry the key path", () => {
  it("accepts the demo policy with no errors or warnings", () => {
    assert.deepEqual(checkDocument(PolicyDocument.parse(DEMO_POLICY)), { errors: [], warnings: [] });
  });

  it("refuses an allow list naming a tool that is not in the registry", () => {
    const d = demo();
    d.agents["support-bot"]!.allowed_tools = ["search_kb", "wire_money"];
    assert.deepEqual(errorsOf(d), [{ path: "agents.support-bot.allowed_tools.1", message: 'names "wire_money", which is not in the tool registry' }]);
  });

  it("refuses a quorum larger than its reviewer group", () => {
    const d = demo();
    d.tools.refund_payment!.approval!.quorum = 4;
    const errs = errorsOf(d);
    assert.equal(errs[0]?.path, "tools.refund_payment.approval.quorum");
    assert.match(errs[0]!.message, /is 4, larger than reviewer group "reviewers" \(3 members\)/);
  });

  it("warns about an approval rule on a tool no agent may call", () => {
    const d = demo();
    d.agents["ops-bot"]!.allowed_tools = ["restart_service"];
    const { errors, warnings } = checkDocument(PolicyDocument.parse(d));
    assert.deepEqual(errors, []);
    assert.deepEqual(warnings.map((w) => w.path), ["tools.drop_table.approval"]);
  });

  it("refuses a tier naming an unknown tool and a tenant on an unknown tier", () => {
    const d = demo();
    d.tiers.free!.tools = ["search_kb", "teleport"];
    d.tenants.globex!.tier = "platinum";
    assert.deepEqual(errorsOf(d).map((e) => e.path), ["tiers.free.tools.1", "tenants.globex.tier"]);
  });

  it("refuses a rate limit of 0 on a tool that also requires approval (deadlock)", () => {
    const d = demo();
    d.tiers.pro!.rate_limits = { ...d.tiers.pro!.rate_limits, refund_payment: { count: 0, window_s: 60 } };
    const errs = errorsOf(d);
    assert.equal(errs[0]?.path, "tiers.pro.rate_limits.refund_payment");
    assert.match(errs[0]!.message, /deadlock/);
  });

  it("validateDocument turns schema and compile errors into one 400 naming the paths", () => {
    assert.throws(() => validateDocument({ tools: { x: { kind: "teleport" } } }), (e: Error & { fields?: { path: string }[] }) => {
      assert.equal(e.fields?.[0]?.path, "tools.x.kind");
      return true;
    });
    const d = demo();
    d.tools.refund_payment!.approval!.group = "nobody";
    assert.throws(() => validateDocument(d), /tools\.refund_payment\.approval\.group is "nobody", which is not in reviewer_groups/);
  });
});
