import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inclusionProof, leafHash, merkleRoot, rootFromProof } from "@/lib/audit/merkle";

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
  it("leaf and node hashes are domain-separated", () => {
    const a = leafHash("a");
    const b = leafHash("b");
    assert.notDeepEqual(merkleRoot([a, b]), leafHash([a.toString("hex"), b.toString("hex")]));
  });
});
