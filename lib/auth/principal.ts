import type { Actor, RequestMeta } from "@/lib/audit/event";
import type { Role } from "@/lib/auth/permissions";

/** Who is calling: a console user (cookie or personal token), an agent token, or the system. */
export interface Principal {
  actor: Actor;
  /** Role for users; agents and the system have none and hold no console permission. */
  role: Role | null;
  /** For agent tokens, the one agent identity the token may act for. */
  agentId?: string;
  tokenId?: string;
  via: "session" | "personal_token" | "agent_token" | "system";
  request?: RequestMeta;
}

export const SYSTEM: Principal = {
  actor: { type: "system", id: "system", name: "Governor" },
  role: null,
  via: "system",
};
