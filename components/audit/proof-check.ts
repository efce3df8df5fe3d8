// Recomputes a decision's batch root in the browser from the sealed leaf, its index, the batch
// size and the audit path, so the console does not merely repeat what the server says.
// Same RFC 6962 rules as lib/audit/merkle.ts (which uses node:crypto and cannot load here).
import canonicalize from "canonicalize";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string) => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)));

async function sha256(prefix: number, ...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  all[0] = prefix;
  let at = 1;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", all));
}

/** WebCrypto exists only in secure contexts (HTTPS or localhost). */
export const canCheckProofs = () => typeof crypto !== "undefined" && Boolean(crypto.subtle);

/** The root the path leads to, hex; null when the path does not fit the index and size. */
export async function rootFromProof(leaf: unknown, index: number, size: number, path: string[]): Promise<string | null> {
  const json = canonicalize(leaf);
  if (json === undefined || index >= size) return null;
  let r = await sha256(0, new TextEncoder().encode(json));
  let fn = index;
  let sn = size - 1;
  for (const p of path.map(unhex)) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(1, p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn >>= 1; sn >>= 1; }
    } else {
      r = await sha256(1, r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 ? hex(r) : null;
}
