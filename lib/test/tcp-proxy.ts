// Test-only: a TCP proxy in front of any server (Governor, PostgreSQL) that a test can cut, stall
// or refuse. It works below the protocol, so what the client sees is what a dropped NAT entry, a
// hung load balancer or a database host gone away looks like, and the real server is untouched.
import net from "node:net";
import type { AddressInfo } from "node:net";

/** "slow": new connections are forwarded only after `slowMs` (a congested path, a slow accept). */
export type ProxyMode = "forward" | "hang" | "refuse" | "slow";

export interface TestProxy {
  /** The proxy's address with the target's scheme, credentials and path (http://…, postgresql://…). */
  url: string;
  port: number;
  /** Switching mode also drops open connections, so keep-alive sockets cannot bypass it. */
  setMode(mode: ProxyMode): void;
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startProxy(target: string, opts: { slowMs?: number } = {}): Promise<TestProxy> {
  const targetUrl = new URL(target);
  const { hostname } = targetUrl;
  const port = Number(targetUrl.port || (targetUrl.protocol.startsWith("postgres") ? 5432 : 80));
  let mode: ProxyMode = "forward";
  const sockets = new Set<net.Socket>();
  const keep = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  const server = net.createServer((client) => {
    keep(client);
    if (mode === "refuse") return void client.resetAndDestroy();
    if (mode === "hang") return; // accept, read, never answer
    const forward = () => {
      if (client.destroyed) return;
      const upstream = net.connect(port, hostname);
      keep(upstream);
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    };
    if (mode === "slow") setTimeout(forward, opts.slowMs ?? 500);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dropConnections = () => {
    for (const s of sockets) s.destroy();
  };
  const own = (server.address() as AddressInfo).port;
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(own);
  return {
    url: url.toString().replace(/\/$/, ""),
    port: own,
    setMode(next) {
      mode = next;
      dropConnections();
    },
    dropConnections,
    close: () =>
      new Promise<void>((resolve) => {
        dropConnections();
        server.close(() => resolve());
      }),
  };
}
