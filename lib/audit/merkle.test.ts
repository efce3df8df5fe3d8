import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { batchProofs, inclusionProof, leafHash, merkleRoot, rootFromProof } from "@/lib/audit/merkle";

describe("Merkle tree (RFC 6962)", () => {
  it("every leaf's proof leads to the root for every tree size, and a changed leaf does not", () => {
    for (let n = 1; n <= 33; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leafHash({ i }));
      const root = merkleRoot(leaves);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(leaves, i);
        assert.deepEqual(rootFromProof(leaves[i]!, i, n, proof), root, `n=${n} i=${i}`);
        assert.notDeepEqual(rootFromProof(leafHash({ i: -1 }), i, n, proof), root);
        if (n > 1) assert.notDeepEqual(rootFromProof(leaves[i]!, (i + 1) % n, n, proof), root);
      }
    }
  });
  it("builds a batch's tree once with the same root and paths as the recursive definition", () => {
    for (let n = 1; n <= 33; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leafHash({ i }));
      const tree = batchProofs(leaves);
      assert.deepEqual(tree.root, merkleRoot(leaves));
      for (let i = 0; i < n; i++) {
        assert.deepEqual(tree.pathOf(i), inclusionProof(leaves, i), `n=${n} i=${i}`);
        assert.deepEqual(tree.hexPathOf(i), inclusionProof(leaves, i).map((b) => b.toString("hex")), `n=${n} i=${i}`);
      }
    }
  });
  it("leaf and node hashes are domain-separated", () => {
    const a = leafHash("a");
    const b = leafHash("b");
    assert.notDeepEqual(merkleRoot([a, b]), leafHash([a.toString("hex"), b.toString("hex")]));
  });
});
