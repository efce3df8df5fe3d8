import type { IncomingMessage, ServerResponse } from "node:http";
import type { DataPlane } from "@/lib/dataplane/runtime";

export const HEARTBEAT_MS = 15_000;

/**
 * GET /api/v1/policy/stream – Server-Sent Events. Sends the current generation at once, then
 * one `generation` event per change (after the new snapshot is in place, so a client that
 * re-fetches gets it), and a `heartbeat` every 15 s so clients can tell a dead stream.
 */
export function openStream(dp: DataPlane, req: IncomingMessage, res: ServerResponse, heartbeatMs = HEARTBEAT_MS): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.socket?.setNoDelay(true);
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  res.write("retry: 2000\n\n");
  const s = dp.holder.current;
  send("generation", { generation: s.generation, policyVersion: s.policyVersion });
  const off = dp.holder.onSnapshot((snap) => send("generation", { generation: snap.generation, policyVersion: snap.policyVersion }));
  const beat = setInterval(() => send("heartbeat", { at: new Date().toISOString() }), heartbeatMs);
  // On shutdown, tell the client when to come back rather than dropping it mid-stream.
  const offClose = dp.holder.onClose(() => {
    res.end("retry: 1000\nevent: shutdown\ndata: {}\n\n");
  });
  const close = () => {
    clearInterval(beat);
    off();
    offClose();
  };
  req.on("close", close);
  res.on("error", close);
}
