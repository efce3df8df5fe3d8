// A port the OS says is free right now. Tests used to pick random ports in a shared range, and
// two test files running side by side could pick the same one (CI saw it once).
import net from "node:net";

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => srv.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}
