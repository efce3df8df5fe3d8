import { z } from "zod";
import { BulkRejectInput, BulkRejectPreviewQuery, bulkReject, previewBulkReject } from "@/lib/approvals/bulk-reject";
import { getActionRequestOrThrow, listActionRequests, pendingQueue, requestStatus } from "@/lib/approvals/requests";
import { ActionVoteInput, voteOnActionRequest } from "@/lib/approvals/vote";
import { listDeliveries } from "@/lib/notify/webhooks";
import { readJson } from "@/lib/http/node-http";
import type { Route } from "@/lib/http/router";
import { parseInput, parseQuery } from "@/lib/http/validate";
import { committedPolicyRefusals, type PolicyRefusal } from "@/lib/approvals/live-policy";

const ListQuery = z.object({
  status: z.enum(["pending", "approved", "rejected", "expired"], { error: "must be pending, approved, rejected or expired" }).optional(),
  tool: z.string().max(64).optional(),
  agent: z.string().max(64).optional(),
  tenant: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  before: z.iso.datetime({ message: "must be an ISO 8601 time" }).optional(),
  // "queue": the pending requests reviewers work through, with how many are waiting (pendingQueue).
  view: z.enum(["queue"], { error: 'must be "queue" (or left out for the newest 200)' }).optional(),
})
  .refine((q) => q.view !== "queue" || (q.status ?? "pending") === "pending", { path: ["status"], message: 'must be "pending" (or left out) with view=queue' })
  .refine((q) => q.view !== "queue" || q.before === undefined, { path: ["before"], message: "is not taken with view=queue, which pages by expiry and arrival itself" });

/** `livePolicy` as the console reads it: whether the live policy would still let the action run. */
const livePolicyOf = (refusal: PolicyRefusal | undefined) => (refusal ? { allows: false as const, policyVersion: refusal.policyVersion, reason: refusal.reason } : { allows: true as const });

// Agent actions waiting for reviewers, and the webhook deliveries about them.
export const APPROVAL_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/v1/admin/approvals",
    permission: "console.read",
    handler: async ({ store, url }) => {
      const q = parseQuery(ListQuery, url.searchParams);
      if (q.view === "queue") {
        const { requests, waiting, waitingCapped } = await pendingQueue(store.prisma, q);
        // Which of them the live policy would refuse even once approved, so nobody spends a vote on them.
        const refused = await committedPolicyRefusals(store.prisma, requests);
        return { requests: requests.map((r) => ({ ...r, ...requestStatus(r), livePolicy: livePolicyOf(refused.get(r.id)) })), waiting, waitingCapped };
      }
      const rows = await listActionRequests(store.prisma, q);
      return { requests: rows.map((r) => ({ ...r, ...requestStatus(r) })) };
    },
  },
  // Before "/approvals/:id", which would otherwise take "bulk-reject" for an id.
  {
    method: "GET",
    path: "/api/v1/admin/approvals/bulk-reject",
    permission: "approvals.vote",
    handler: async ({ store, principal, url }) => {
      return previewBulkReject(store.prisma, principal, parseQuery(BulkRejectPreviewQuery, url.searchParams));
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/approvals/bulk-reject",
    permission: "approvals.vote",
    handler: async ({ store, principal, req }) => bulkReject({ db: store.prisma, principal, input: parseInput(BulkRejectInput, await readJson(req)) }),
  },
  {
    method: "GET",
    path: "/api/v1/admin/approvals/:id",
    permission: "console.read",
    handler: async ({ store, params }) => {
      const r = await getActionRequestOrThrow(store.prisma, params.id!);
      const status = requestStatus(r);
      // Whether the live policy would still let the action run once approved (the execute
      // endpoint refuses it otherwise); null once it has run or can no longer run.
      const open = !r.executedAt && (status.status === "pending" || status.status === "approved");
      const livePolicy = open ? livePolicyOf((await committedPolicyRefusals(store.prisma, [r])).get(r.id)) : null;
      return { request: { ...r, ...status, livePolicy } };
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/approvals/:id/votes",
    permission: "approvals.vote",
    handler: async ({ store, principal, req, params }) => {
      const input = parseInput(ActionVoteInput, await readJson(req));
      return voteOnActionRequest({ db: store.prisma, principal, id: params.id!, input });
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/webhooks/deliveries",
    permission: "console.read",
    handler: async ({ store, url }) => ({ deliveries: await listDeliveries(store.prisma, { status: url.searchParams.get("status") ?? undefined }) }),
  },
];
