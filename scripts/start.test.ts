import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { freePort } from "@/lib/test/ports";

// `npm start` runs scripts/start.ts, which runs the server as its child. Supervisors signal the
// process they started, so start.ts must pass the signal on: this starts a data-plane-only
// instance (no console build needed) on an empty embedded store and signals start.ts alone.

const dir = mkdtempSync(path.join(tmpdir(), "governor-start-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });

describe("npm start (scripts/start.ts)", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`passes ${signal} on to the server, which shuts down gracefully, and exits with its code`, { timeout: 120_000 }, async () => {
      const port = await freePort();
      const { DATABASE_URL: _ignored, ...inherited } = process.env;
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
        env: { ...inherited, GOVERNOR_DATA_DIR: path.join(dir, signal), PORT: String(port), HOST: "127.0.0.1", GOVERNOR_CONSOLE: "off", GOVERNOR_DEMO_PASSWORD: "start-test-password" },
        stdio: ["ignore", "pipe", "pipe"],
        // Its own process group, so a failing run can still kill a server left behind.
        detached: true,
      });
      let out = "";
      child.stdout.on("data", (b: Buffer) => (out += b.toString()));
      child.stderr.on("data", (b: Buffer) => (out += b.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, sig) => resolve({ code, signal: sig })));
      try {
        const deadline = Date.now() + 90_000;
        while (!out.includes("Data plane (no console) on")) {
          assert.ok(Date.now() < deadline, `the server did not start:\n${out}`);
          assert.equal(child.exitCode, null, `start.ts exited early:\n${out}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(await accepts(port), true);

        child.kill(signal);
        const result = await exited;
        assert.deepEqual(result, { code: 0, signal: null }, out);
        assert.match(out, new RegExp(`\\[governor\\] ${signal}: no new connections`));
        assert.match(out, /\[governor\] stopped cleanly in \d+ ms/);
        // Nothing is left serving: before, the server outlived start.ts, orphaned.
        assert.equal(await accepts(port), false, "the server still accepts connections after npm start exited");
      } finally {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // The group is gone: nothing was left behind.
        }
      }
    });
  }
});
