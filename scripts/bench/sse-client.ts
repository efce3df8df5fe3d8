// A Server-Sent Events client for the stream benchmark. It parses the wire format itself: the
// eventsource-parser package is not installed here, and the benchmark needs only what
// lib/dataplane/stream.ts sends (`event:`, `data:` and `retry:` fields, blank-line dispatch, LF
// or CRLF line ends), so a dependency would add nothing. Arrival is stamped with
// performance.now() as soon as a complete event is parsed out of the socket's chunk.
import http from "node:http";
import { performance } from "node:perf_hooks";

export interface SseEvent {
  event: string;
  data: string;
  at: number;
}

export class SseClient {
  private buffer = "";
  private fields: { event: string; data: string[] } = { event: "message", data: [] };
  private req: http.ClientRequest | null = null;
  private listeners = new Set<(e: SseEvent) => void>();
  /** Arrival time (performance.now()) of the first `generation` event carrying each generation. */
  readonly generations = new Map<number, number>();

  constructor(private readonly url: string, private readonly token: string) {}

  /** Resolves once the response headers have arrived. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = http.get(this.url, { agent: false, headers: { authorization: `Bearer ${this.token}`, accept: "text/event-stream" } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        res.socket.setNoDelay(true);
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => this.feed(chunk));
        resolve();
      });
      this.req.on("error", reject);
    });
  }

  onEvent(listener: (e: SseEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.req?.destroy();
  }

  private feed(chunk: string): void {
    const at = performance.now();
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, "");
      this.buffer = this.buffer.slice(nl + 1);
      if (line === "") this.dispatch(at);
      else if (!line.startsWith(":")) {
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") this.fields.event = value;
        else if (field === "data") this.fields.data.push(value);
        // `retry` and `id` do not matter to the measurement.
      }
    }
  }

  private dispatch(at: number): void {
    const { event, data } = this.fields;
    this.fields = { event: "message", data: [] };
    if (data.length === 0) return;
    const e: SseEvent = { event, data: data.join("\n"), at };
    if (event === "generation") {
      const generation = (JSON.parse(e.data) as { generation: number }).generation;
      if (!this.generations.has(generation)) this.generations.set(generation, at);
    }
    for (const l of this.listeners) l(e);
  }
}
