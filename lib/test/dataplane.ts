// Helpers for data-plane tests: call the API as an agent and wait for a generation to land.
import type { DataPlane } from "@/lib/dataplane/runtime";

export async function waitForGeneration(dp: DataPlane, generation: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (dp.holder.current.generation < generation) {
    if (Date.now() > deadline) throw new Error(`snapshot stuck at generation ${dp.holder.current.generation}, wanted ${generation}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function agentClient(url: string, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  return {
    call,
    decide: async (req: Record<string, unknown>) => {
      const r = await call("POST", "/api/v1/decide", req);
      if (r.status !== 200) throw new Error(`decide answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}
