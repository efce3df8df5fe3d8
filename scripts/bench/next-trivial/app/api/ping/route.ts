// POST /api/ping – the baseline for "what a trivial Next.js App Router route handler costs":
// read the JSON body, answer a JSON body of the size the decide endpoint answers with.
export const dynamic = "force-dynamic";

const BODY_BYTES = Number(process.env.BENCH_BODY_BYTES ?? 256);
const HEAD = '{"decision":"allow","pad":"';
const TAIL = '"}';
const payload = HEAD + "x".repeat(Math.max(0, BODY_BYTES - HEAD.length - TAIL.length)) + TAIL;

export async function POST(req: Request): Promise<Response> {
  await req.json().catch(() => null);
  return new Response(payload, { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
}
