import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_MAX_HEAP_MB, heapFlags } from "@/scripts/heap-flags";

describe("the server's heap bound", () => {
  it("defaults to 512 MiB, takes GOVERNOR_MAX_HEAP_MB, and 0 leaves V8's own", () => {
    assert.deepEqual(heapFlags(undefined), [`--max-old-space-size=${DEFAULT_MAX_HEAP_MB}`, "--max-semi-space-size=2"]);
    assert.deepEqual(heapFlags(""), ["--max-old-space-size=512", "--max-semi-space-size=2"]);
    assert.deepEqual(heapFlags("1024"), ["--max-old-space-size=1024", "--max-semi-space-size=2"]);
    assert.deepEqual(heapFlags("0"), []);
  });

  it("refuses a value that is not a whole number of MiB ≥ 128, naming the variable", () => {
    for (const bad of ["64", "-1", "1.5", "lots"]) {
      assert.throws(() => heapFlags(bad), /GOVERNOR_MAX_HEAP_MB must be 0 \(V8's default\) or a whole number of MiB ≥ 128, got "/);
    }
  });
});
