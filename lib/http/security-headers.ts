// Security headers on every response server.ts sends, API and console alike. The console's
// Content-Security-Policy carries a fresh nonce per request: Next.js reads the nonce from the
// request's Content-Security-Policy header and stamps it on every script it emits (its runtime,
// page chunks and the inline RSC payload scripts), so no script needs 'unsafe-inline'. Every
// console page renders dynamically (they all read the session), which nonces require.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Request header through which the root layout learns the nonce for its own inline script. */
export const NONCE_HEADER = "x-governor-nonce";

const COMMON: [string, string][] = [
  ["x-content-type-options", "nosniff"],
  ["x-frame-options", "DENY"],
  // Same-origin requests keep the Referer (a fallback for the Origin check on cookie-authenticated
  // changes); other sites never learn console URLs, which carry ids.
  ["referrer-policy", "same-origin"],
  ["cross-origin-opener-policy", "same-origin"],
  ["permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"],
];

/** JSON answers are never rendered as documents: nothing may load, and nothing may frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The console's policy. Styles allow 'unsafe-inline' because React renders `style` attributes
 * (charts, progress bars) and nonces cannot cover attributes; style injection cannot run code.
 * Development adds 'unsafe-eval', which React's dev build needs to rebuild server error stacks.
 */
export function consoleCsp(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function setApiSecurityHeaders(res: ServerResponse, https: boolean): void {
  for (const [name, value] of COMMON) res.setHeader(name, value);
  res.setHeader("content-security-policy", API_CSP);
  if (https) res.setHeader("strict-transport-security", "max-age=31536000; includeSubDomains");
}

/** Sets the console headers and hands Next the nonce on the request. */
export function setConsoleSecurityHeaders(req: IncomingMessage, res: ServerResponse, opts: { https: boolean; dev: boolean }): void {
  const nonce = randomBytes(16).toString("base64");
  const csp = consoleCsp(nonce, opts.dev);
  for (const [name, value] of COMMON) res.setHeader(name, value);
  res.setHeader("content-security-policy", csp);
  if (opts.https) res.setHeader("strict-transport-security", "max-age=31536000; includeSubDomains");
  // Overwrites anything a client sent under these names: the nonce must come from here.
  req.headers["content-security-policy"] = csp;
  req.headers[NONCE_HEADER] = nonce;
}
