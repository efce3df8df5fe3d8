// Failure reporting and line shapes shared by the offline verifier's modules (verify-bundle.ts,
// event-scan.ts). docs/AUDIT_FORMAT.md §6 says which failure comes first.
import type { BundleEvent, FailureKind } from "@/lib/audit/bundle-format";

export type VerifyFailure = { ok: false; kind: FailureKind; seq: number | null; detail: string };

export class Failed extends Error {
  constructor(readonly failure: VerifyFailure) {
    super(failure.detail);
  }
}
export const fail = (kind: FailureKind, seq: number | null, detail: string): never => {
  throw new Failed({ ok: false, kind, seq, detail });
};

export const HEX64 = /^[0-9a-f]{64}$/;
export const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** One JSON-lines line; a line that is not a JSON object is a modification. */
export function parseLine(raw: string, file: string, line: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    v = undefined;
  }
  // Every line is an object, which also keeps a literal `null` line from passing for the end.
  if (!isObject(v)) fail("modified", null, `${file} line ${line} is not a JSON object`);
  return v as Record<string, unknown>;
}

export function asEvent(v: unknown, line: number): BundleEvent {
  if (!isObject(v) || !isSeq(v.seq) || typeof v.hash !== "string" || typeof v.prevHash !== "string") {
    return fail("modified", isObject(v) && isSeq(v.seq) ? v.seq : null, `events.jsonl line ${line} is not an event with seq, prevHash and hash`);
  }
  return v as unknown as BundleEvent;
}

const SEQ_PREFIX = Buffer.from('{"seq":');

/**
 * The seq of a line that begins `{"seq":<digits>,` (as the exporter wrote lines before they became
 * canonical, docs/AUDIT_FORMAT.md §5.2); else null.
 */
export function leadingSeq(b: Buffer, start: number, end: number): number | null {
  if (end - start < 9 || b.compare(SEQ_PREFIX, 0, 7, start, start + 7) !== 0 || b[start + 7] === 48) return null;
  let seq = 0;
  let i = start + 7;
  for (; i < start + 17 && i < end && b[i]! >= 48 && b[i]! <= 57; i++) seq = seq * 10 + (b[i]! - 48);
  return i > start + 7 && i < start + 17 && i < end && b[i] === 44 ? seq : null;
}
