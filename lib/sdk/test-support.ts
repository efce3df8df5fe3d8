// Test-only, never imported by the SDK itself: a real Governor with the demo world, and a TCP
// proxy in front of it so tests can cut, stall or refuse the network path without touching the
// server. The proxy works below HTTP, so what the SDK sees is what a dropped NAT entry or a hung
// load balancer looks like.
import { SYSTEM } from "@/lib/auth/principal";
import { createToken } from "@/lib/auth/tokens";
import type { DataPlane } from "@/lib/dataplane/runtime";
import { startApiServer } from "@/lib/test/api-server";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { seedWorld, SUPPORT_TOKEN, type World } from "@/lib/test/world";

export interface SdkWorld {
  store: TestStore;
  world: World;
  url: string;
  dp: DataPlane;
  supportToken: string;
  opsToken: string;
  /** Flips a runtime control through the admin API, as the on-call operator; resolves once the server serves it. */
  setControl(body: { control: string; target?: string; active: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function openSdkWorld(): Promise<SdkWorld> {
  const store = await openTestStore();
  const world = await seedWorld(store);
  const api = await startApiServer(store);
  const ops = await createToken({ db: store.prisma, principal: { ...SYSTEM, role: "admin" }, input: { kind: "agent", name: "ops test", agentId: "ops-bot" } });
  // Creating the token bumped the generation; start the tests once the server serves it, so a
  // late reload is never mistaken for a change a test made.
  await waitFor("the server's snapshot reload", () => api.dp.holder.source.generation >= ops.generation);
  return {
    store,
    world,
    url: api.url,
    dp: api.dp,
    supportToken: SUPPORT_TOKEN,
    opsToken: ops.secret,
    async setControl(body) {
      const res = await fetch(`${api.url}/api/v1/admin/controls`, {
        method: "POST",
        headers: { authorization: `Bearer ${world.tokens.operator}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`setting ${body.control} failed: ${res.status} ${await res.text()}`);
      // Wait for the server's own snapshot reload, so no reload is still running at teardown.
      const { generation } = (await res.json()) as { generation: number };
      await waitFor("the server's snapshot reload", () => api.dp.holder.source.generation >= generation);
    },
    async close() {
      await api.close();
      await store.close();
    },
  };
}

/** A fetch that records the path of every call, to prove which calls reached the server. */
export function countingFetch(block?: (path: string) => boolean): { fetch: typeof fetch; paths: string[]; count(path: string): number } {
  const paths: string[] = [];
  return {
    paths,
    count: (path) => paths.filter((p) => p === path).length,
    fetch: (input, init) => {
      const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
      paths.push(path);
      if (block?.(path)) return Promise.reject(new TypeError(`blocked by test: ${path}`));
      return fetch(input, init);
    },
  };
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  while (!(await cond())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

export { startProxy, type ProxyMode, type TestProxy } from "@/lib/test/tcp-proxy";
