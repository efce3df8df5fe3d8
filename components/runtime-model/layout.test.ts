import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { layeredLayout } from "@/components/runtime-model/layout";

describe("layered layout of the dependency graph", () => {
  it("puts foundations left and each service right of what it depends on; cycles do not loop", () => {
    const s = (name: string) => ({ name, share: 0.1, zone: null });
    const { nodes } = layeredLayout([s("web"), s("checkout"), s("payments"), s("cart"), s("search")], [
      { service: "web", dependsOn: "checkout" },
      { service: "checkout", dependsOn: "payments" },
      { service: "checkout", dependsOn: "cart" },
      { service: "cart", dependsOn: "checkout" },
    ]);
    const layer = Object.fromEntries(nodes.map((n) => [n.name, n.layer]));
    assert.ok(layer.payments! < layer.checkout! && layer.checkout! < layer.web!);
    assert.equal(layer.search, 0);
    const xs = new Set(nodes.map((n) => `${n.x},${n.y}`));
    assert.equal(xs.size, nodes.length, "no two nodes overlap");
  });
});
