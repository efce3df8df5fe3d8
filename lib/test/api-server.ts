// A real HTTP server on a random loopback port running the same API handler as server.ts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Store } from "@/lib/db/store";
import { handleApi } from "@/lib/http/api-handler";

export async function startApiServer(store: Store): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => void handleApi(req, res, store));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
