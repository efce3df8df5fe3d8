// The lower bound for the decide benchmark: bare node:http that reads the POST body and answers
// a fixed JSON body of the same size as a decide answer. Run as its own process (so it does not
// share an event loop with the load generator): `node baseline-server.ts <port> <bodyBytes>`.
import http from "node:http";

const port = Number(process.argv[2]);
const bytes = Number(process.argv[3] ?? 170);
const head = '{"decision":"allow","pad":"';
const tail = '"}';
const payload = Buffer.from(head + "x".repeat(Math.max(0, bytes - head.length - tail.length)) + tail);

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": payload.length, "cache-control": "no-store" });
    res.end(payload);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`baseline on 127.0.0.1:${port}, ${payload.length}-byte answers`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
