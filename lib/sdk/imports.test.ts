import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

// The SDK ships inside agents, so it must not pull in the server (database, HTTP server, Next).
// This walks its imports, and those of the policy engine it evaluates with, transitively.
const ROOT = path.resolve(import.meta.dirname, "../..");
const ALLOWED_PACKAGES = new Set(["zod", "eventsource-parser"]);

function importsOf(file: string): string[] {
  const src = readFileSync(path.join(ROOT, file), "utf8");
  const statics = [...src.matchAll(/^\s*(?:import|export)\b(?:[^;"]*?\bfrom)?\s*"([^"]+)"/gm)];
  const dynamics = [...src.matchAll(/\bimport\(\s*"([^"]+)"/g)];
  return [...statics, ...dynamics].map((m) => m[1]!);
}

describe("SDK dependencies", () => {
  it("reach only lib/sdk, lib/policy, zod and eventsource-parser", () => {
    const entry = readdirSync(path.join(ROOT, "lib/sdk"))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "test-support.ts")
      .map((f) => `lib/sdk/${f}`);
    const seen = new Set<string>();
    const bad: string[] = [];
    const queue = [...entry];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith("@/lib/sdk/") || spec.startsWith("@/lib/policy/")) queue.push(`${spec.slice(2)}.ts`);
        else if (!ALLOWED_PACKAGES.has(spec)) bad.push(`${file} imports "${spec}"`);
      }
    }
    assert.ok(seen.has("lib/sdk/client.ts") && seen.has("lib/policy/evaluate.ts"), "the walk found the files");
    assert.deepEqual(bad, []);
  });
});
