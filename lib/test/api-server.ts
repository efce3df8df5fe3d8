// A real HTTP server on a random loopback port running the same API handler as server.ts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { openDataPlane, type DataPlane } from "@/lib/dataplane/runtime";
import type { ReliabilityOptions } from "@/lib/reliability/reliability";
import type { Store } from "@/lib/db/store";
import { handleApi } from "@/lib/http/api-handler";

export async function startApiServer(store: Store, opts: { reliability?: ReliabilityOptions } = {}): Promise<{ url: string; dp: DataPlane; close: () => Promise<void> }> {
  const dp = await openDataPlane(store, opts);
  const server = http.createServer((req, res) => void handleApi(req, res, dp));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dp,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await dp.close();
    },
  };
}
