import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { exportBundle } from "@/lib/audit/export";
import { decisionProof } from "@/lib/audit/proof";
import { AuditQuery, DECISION_QUERY_HINTS, DecisionQuery, EVENT_QUERY_HINTS, listAuditEvents, listDecisions } from "@/lib/audit/list";
import { AuditFiltersSchema } from "@/lib/audit/bundle-format";
import { RotateKeyInput, publicKeys, rotateSigningKey } from "@/lib/audit/keys";
import { verifyRange } from "@/lib/audit/verify-range";
import { recordAudit } from "@/lib/audit/record";
import { readJson } from "@/lib/http/node-http";
import type { Route } from "@/lib/http/router";
import { parseInput, parseQuery } from "@/lib/http/validate";

const VerifyQuery = z.object({
  from: z.coerce.number().int().min(1, "must be a sequence number ≥ 1").optional(),
  to: z.coerce.number().int().min(1, "must be a sequence number ≥ 1").optional(),
});

// The audit log: browse, verify, decisions and their proofs, signing keys.
export const AUDIT_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/v1/admin/audit",
    permission: "audit.read",
    handler: async ({ store, url }) => listAuditEvents(store.prisma, parseQuery(AuditQuery, url.searchParams, EVENT_QUERY_HINTS)),
  },
  {
    method: "GET",
    path: "/api/v1/admin/audit/verify",
    permission: "audit.read",
    handler: async ({ store, url }) => verifyRange(store.prisma, parseQuery(VerifyQuery, url.searchParams)),
  },
  {
    method: "GET",
    path: "/api/v1/admin/audit/export",
    permission: "audit.export",
    // Streams a .tar.gz built in temp files, so a million events never sit in memory.
    handler: async ({ store, principal, url, res }) => {
      const bundle = await exportBundle(store.prisma, { filters: parseQuery(AuditFiltersSchema, url.searchParams, EVENT_QUERY_HINTS), actor: principal.actor });
      // The export itself is evidence: who took which range, and the hashes it ends on.
      await recordAudit(store.prisma, {
        actor: principal.actor,
        action: "audit.export",
        target: `audit:${bundle.manifest.range.fromSeq}-${bundle.manifest.range.toSeq}`,
        after: { filters: bundle.manifest.filters, range: bundle.manifest.range, counts: bundle.manifest.counts, lastHash: bundle.manifest.lastHash },
        request: principal.request,
      });
      res.writeHead(200, {
        "content-type": "application/gzip",
        "content-length": String(bundle.size),
        "content-disposition": `attachment; filename="${bundle.filename}"`,
        "cache-control": "no-store",
      });
      try {
        await pipeline(bundle.stream, res);
      } finally {
        await bundle.cleanup();
      }
      return undefined;
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/audit/decisions",
    permission: "audit.read",
    handler: async ({ store, url }) => listDecisions(store.prisma, parseQuery(DecisionQuery, url.searchParams, DECISION_QUERY_HINTS)),
  },
  {
    method: "GET",
    path: "/api/v1/admin/audit/decisions/:id/proof",
    permission: "audit.read",
    handler: async ({ store, params }) => decisionProof(store.prisma, params.id!),
  },
  {
    method: "GET",
    path: "/api/v1/admin/audit/keys",
    permission: "audit.read",
    // `source`: where the signer's private key comes from; only a stored key can be rotated here.
    handler: async ({ store }) => ({ keys: await publicKeys(store.prisma), source: process.env.GOVERNOR_AUDIT_KEY_FILE ? "file" : "store" }),
  },
  {
    method: "POST",
    path: "/api/v1/admin/audit/keys/rotate",
    permission: "audit.keys.rotate",
    handler: async ({ store, principal, req }) => rotateSigningKey({ db: store.prisma, principal, input: parseInput(RotateKeyInput, (await readJson(req)) ?? {}) }),
  },
];
