import { z } from "zod";
import { readJson } from "@/lib/http/node-http";
import { parseInput } from "@/lib/http/validate";
import { SetControlInput, listControls, setControl } from "@/lib/controls/controls";
import { cancelRecovery, confirmRecovery, pendingRecoveries } from "@/lib/controls/recovery";
import { UpdateSettingsInput, readSettings, updateSettings } from "@/lib/controls/settings";
import { CreateGrantInput, activeGrants, createGrant, revokeGrant } from "@/lib/grants/grants";
import type { Route } from "@/lib/http/router";

const Reason = z.object({ reason: z.string().trim().max(500, "must be at most 500 characters").optional() }).optional();
const GrantCreate = CreateGrantInput;

// Runtime controls, recovery, settings and sandbox grants.
export const CONTROL_ROUTES: Route[] = [
  {
    method: "GET",
    path: "/api/v1/admin/controls",
    permission: "console.read",
    handler: async ({ store }) => ({
      controls: await listControls(store.prisma),
      recoveries: await pendingRecoveries(store.prisma),
      settings: await readSettings(store.prisma),
    }),
  },
  {
    method: "POST",
    path: "/api/v1/admin/controls",
    permission: "controls.write",
    // 202 when lifting the global kill waits for a second operator.
    status: (body) => ((body as { status?: string }).status === "awaiting_confirmation" ? 202 : 200),
    handler: async ({ store, principal, req }) => {
      const input = parseInput(SetControlInput, await readJson(req));
      const { result, generation } = await setControl({ db: store.prisma, principal, input });
      return { ...result, generation };
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/controls/recoveries/:id/confirm",
    permission: "controls.write",
    handler: async ({ store, principal, params }) => {
      const { result, generation } = await confirmRecovery({ db: store.prisma, principal, recoveryId: params.id! });
      return { ...result, generation };
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/controls/recoveries/:id/cancel",
    permission: "controls.write",
    handler: async ({ store, principal, params }) => {
      const { result, generation } = await cancelRecovery({ db: store.prisma, principal, recoveryId: params.id! });
      return { ...result, generation };
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/settings",
    permission: "console.read",
    handler: async ({ store }) => ({ settings: await readSettings(store.prisma) }),
  },
  {
    method: "PATCH",
    path: "/api/v1/admin/settings",
    permission: "settings.manage",
    handler: async ({ store, principal, req }) => {
      const input = parseInput(UpdateSettingsInput, await readJson(req));
      const { result, generation } = await updateSettings({ db: store.prisma, principal, input });
      return { settings: result, generation };
    },
  },
  {
    method: "GET",
    path: "/api/v1/admin/grants",
    permission: "console.read",
    handler: async ({ store }) => ({ grants: await activeGrants(store.prisma) }),
  },
  // GET /api/v1/admin/grants/all – every grant, active or ended, for the console's grant history
  {
    method: "GET",
    path: "/api/v1/admin/grants/all",
    permission: "console.read",
    handler: async ({ store }) => ({ grants: await store.prisma.sandboxGrant.findMany({ orderBy: { createdAt: "desc" }, take: 500 }) }),
  },
  {
    method: "POST",
    path: "/api/v1/admin/grants",
    permission: "grants.manage",
    status: 201,
    handler: async ({ store, principal, req }) => {
      const input = parseInput(GrantCreate, await readJson(req));
      const { result, generation } = await createGrant({ db: store.prisma, principal, input });
      return { grant: result, generation };
    },
  },
  {
    method: "POST",
    path: "/api/v1/admin/grants/:id/revoke",
    permission: "grants.manage",
    handler: async ({ store, principal, req, params }) => {
      const body = parseInput(Reason, await readJson(req));
      const { result, generation } = await revokeGrant({ db: store.prisma, principal, grantId: params.id!, reason: body?.reason });
      return { grant: result, generation };
    },
  },
];
