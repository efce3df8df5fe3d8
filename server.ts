// One process: the API (/api/health, /api/v1/*) is answered here on bare node:http, because
// the decision path must not pay for Next's request pipeline (see ARCHITECTURE.md, "Why a
// custom server"); every other request goes to Next, which serves the console.
import http from "node:http";
import { existsSync } from "node:fs";
import path from "node:path";
import next from "next";
import { bootstrap } from "@/lib/bootstrap";
import { authSecret } from "@/lib/auth/secret";
import { env } from "@/lib/env";
import { handleApi, isApiPath } from "@/lib/http/api-handler";
import { openDataPlane } from "@/lib/dataplane/runtime";
import { clientIp } from "@/lib/http/node-http";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip-header";
import { gracefulShutdown } from "@/lib/reliability/shutdown";
import { setApiSecurityHeaders, setConsoleSecurityHeaders } from "@/lib/http/security-headers";

async function main() {
  const dev = process.argv.includes("--dev");
  const e = env();
  const publicUrl = e.GOVERNOR_PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  // next-auth reads these from the environment; set them before Next loads its config.
  process.env.NEXTAUTH_URL ??= publicUrl;
  process.env.NEXTAUTH_SECRET = authSecret();

  const boot = await bootstrap(publicUrl);
  if (boot.seeded) console.log("[governor] Seeded the demo world on the empty database.");
  if (boot.credentialsFile) console.log(`[governor] Demo credentials were written to ${boot.credentialsFile}`);
  else if (!boot.seeded && existsSync(path.resolve(e.GOVERNOR_DATA_DIR, "credentials.txt"))) {
    console.log(`[governor] Demo credentials: ${path.resolve(e.GOVERNOR_DATA_DIR, "credentials.txt")}`);
  }
  if (boot.seedRefused) console.log(`[governor] Database is empty and the seed was refused: ${boot.seedRefused}`);

  const dataPlane = await openDataPlane(boot.store);

  // A data-plane-only instance (GOVERNOR_CONSOLE=off) is the same build without Next.
  let handleNext: ReturnType<ReturnType<typeof next>["getRequestHandler"]> | null = null;
  if (e.GOVERNOR_CONSOLE === "on") {
    const app = next({ dev, dir: process.cwd(), hostname: "localhost", port: e.PORT });
    await app.prepare();
    handleNext = app.getRequestHandler();
  }

  const https = publicUrl.startsWith("https://");
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?", 1)[0]!;
    if (isApiPath(pathname)) {
      setApiSecurityHeaders(res, https);
      return void handleApi(req, res, dataPlane);
    }
    setConsoleSecurityHeaders(req, res, { https, dev });
    // Next's handlers cannot see the socket; pass the address on, overwriting anything a
    // client sent under the same name so it cannot spoof login throttling.
    req.headers[CLIENT_IP_HEADER] = clientIp(req, e.GOVERNOR_TRUST_PROXY);
    if (handleNext) return void handleNext(req, res);
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("This is a data-plane-only Governor instance (GOVERNOR_CONSOLE=off); the console is served elsewhere.\n");
  });
  server.keepAliveTimeout = 65_000;
  server.listen(e.PORT, e.HOST, () => {
    const what = handleNext ? "Console and API" : "Data plane (no console)";
    console.log(`[governor] ${what} on ${publicUrl} (store: ${boot.store.kind}${dev ? ", dev mode" : ""})`);
  });

  const stop = gracefulShutdown({ server, dataPlane, store: boot.store });
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err) => {
  console.error("[governor] failed to start:", err);
  process.exit(1);
});
