import { createParser } from "eventsource-parser";
import { GenerationSchema, type GenerationInfo } from "@/lib/sdk/types";

// The server sends a heartbeat every 15 s; three missed beats mean the connection is dead even
// if TCP has not noticed (a NAT or proxy dropped it silently).
const STALE_AFTER_MS = 45_000;
// Used until the server's `retry:` hint arrives; the server sends 2000 ms.
const DEFAULT_RETRY_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

export interface GenerationStreamOptions {
  url: string;
  token: string;
  fetch: typeof fetch;
  onGeneration: (g: GenerationInfo) => void;
  /** true once a connection delivered its first event, false when it ends. */
  onConnected: (connected: boolean) => void;
}

/**
 * GET /api/v1/policy/stream, kept open: parses the Server-Sent Events with eventsource-parser,
 * reconnects after a drop with exponential backoff from the server's `retry:` hint (with jitter,
 * so a restarted server is not hit by every agent in the same millisecond), and treats a
 * connection with no bytes for 45 s as dead.
 */
export class GenerationStream {
  private controller: AbortController | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private staleTimer: ReturnType<typeof setTimeout> | null = null;
  private retryMs = DEFAULT_RETRY_MS;
  private attempt = 0;
  private closed = false;
  connected = false;

  constructor(private readonly opts: GenerationStreamOptions) {}

  start(): void {
    void this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.controller?.abort();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const controller = (this.controller = new AbortController());
    const parser = createParser({
      onRetry: (ms) => (this.retryMs = ms),
      onEvent: (ev) => {
        if (ev.event === "generation") {
          const g = GenerationSchema.safeParse(safeJson(ev.data));
          if (g.success) this.opts.onGeneration(g.data);
          this.markConnected();
        } else if (ev.event === "heartbeat") {
          this.markConnected();
        } else if (ev.event === "shutdown") {
          // The server is stopping; come back after its retry hint rather than spin.
          controller.abort();
        }
      },
    });
    // Armed before the request too: a server that accepts and never answers is also dead.
    this.armStaleTimer(controller);
    try {
      const res = await this.opts.fetch(this.opts.url + "/api/v1/policy/stream", {
        headers: { authorization: `Bearer ${this.opts.token}`, accept: "text/event-stream" },
        signal: controller.signal,
      });
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new Error(`stream answered ${res.status}`);
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.armStaleTimer(controller);
        parser.feed(value);
      }
    } catch {
      // A drop, a refused connection or our own abort: all end the same way, below.
    }
    this.disconnected();
  }

  private markConnected(): void {
    if (this.connected) return;
    this.connected = true;
    this.attempt = 0;
    this.opts.onConnected(true);
  }

  private armStaleTimer(controller: AbortController): void {
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => controller.abort(), STALE_AFTER_MS);
    this.staleTimer.unref?.();
  }

  private disconnected(): void {
    if (this.staleTimer) clearTimeout(this.staleTimer);
    if (this.connected) {
      this.connected = false;
      this.opts.onConnected(false);
    }
    if (this.closed) return;
    const base = Math.min(MAX_BACKOFF_MS, this.retryMs * 2 ** this.attempt);
    this.attempt += 1;
    const delay = base * (0.8 + Math.random() * 0.4);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    this.reconnectTimer.unref?.();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
