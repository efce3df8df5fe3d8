import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setControl } from "@/lib/controls/controls";
import { startApiServer } from "@/lib/test/api-server";
import { openTestStore, type TestStore } from "@/lib/test/store";
import { SUPPORT_TOKEN, seedWorld, type World } from "@/lib/test/world";

let store: TestStore;
let world: World;
let api: Awaited<ReturnType<typeof startApiServer>>;
before(async () => {
  store = await openTestStore();
  world = await seedWorld(store);
  api = await startApiServer(store);
});
after(async () => {
  await api.close();
  await store.close();
});

/** Reads SSE frames from a fetch body; enough for a test that knows the server's framing. */
async function* events(body: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event) yield { event, data: JSON.parse(data ?? "null") };
    }
  }
}

describe("GET /api/v1/policy/stream", () => {
  it("needs an agent token", async () => {
    const res = await fetch(api.url + "/api/v1/policy/stream");
    assert.equal(res.status, 401);
  });

  it("sends the current generation at once, then one event per committed change", async () => {
    const ac = new AbortController();
    const res = await fetch(api.url + "/api/v1/policy/stream", { headers: { authorization: `Bearer ${SUPPORT_TOKEN}` }, signal: ac.signal });
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const it = events(res.body!);
    const first = (await it.next()).value!;
    assert.deepEqual(first, { event: "generation", data: { generation: api.dp.holder.current.generation, policyVersion: 1 } });

    const { generation } = await setControl({ db: store.prisma, principal: world.principals.operator, input: { control: "read_only", active: true } });
    const next = (await it.next()).value!;
    assert.deepEqual(next, { event: "generation", data: { generation, policyVersion: 1 } });
    // By the time the event is sent, the snapshot that decisions read already has the change.
    assert.equal(api.dp.holder.current.controls.readOnly?.setBy, "oncall");
    ac.abort();
  });
});
