// The generated Prisma client and its types, re-exported from one place so the rest of the
// code does not depend on where `prisma generate` writes.
export { PrismaClient, Prisma } from "@/lib/db/generated/client";
export type { User, ApiToken, AuditEvent, Agent, Tenant, ActionRequest } from "@/lib/db/generated/client";
import type { PrismaClient } from "@/lib/db/generated/client";

/** The client handed to code running inside `prisma.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
export type Db = PrismaClient;
