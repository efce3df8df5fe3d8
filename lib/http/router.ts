import type { IncomingMessage, ServerResponse } from "node:http";
import type { Permission } from "@/lib/auth/permissions";
import type { Principal } from "@/lib/auth/principal";
import type { Store } from "@/lib/db/store";
import { AppError } from "@/lib/errors";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  principal: Principal;
  store: Store;
}

export interface Route {
  method: Method;
  /** Path with `:name` segments, e.g. /api/v1/admin/users/:id */
  path: string;
  /** Checked before the handler runs; mutations check it again inside their transaction. */
  permission: Permission;
  handler: (ctx: RouteContext) => Promise<unknown>;
  /** Status for a successful answer (default 200), or a function of the answer. */
  status?: number | ((body: unknown) => number);
}

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

export function compileRoutes(routes: Route[]): Compiled[] {
  return routes.map((route) => {
    const names: string[] = [];
    const pattern = route.path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    return { route, regex: new RegExp(`^${pattern}$`), names };
  });
}

export type Match = { route: Route; params: Record<string, string> } | { methodNotAllowed: Method[] } | null;

export function matchRoute(compiled: Compiled[], method: string, pathname: string): Match {
  const allowed: Method[] = [];
  for (const c of compiled) {
    const m = c.regex.exec(pathname);
    if (!m) continue;
    if (c.route.method !== method) {
      allowed.push(c.route.method);
      continue;
    }
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => (params[n] = decodePathParam(n, m[i + 1] ?? "")));
    return { route: c.route, params };
  }
  return allowed.length ? { methodNotAllowed: allowed } : null;
}

/**
 * A path segment as the handler sees it. A malformed escape ("%E0%A4%A") or a control character
 * ("%00", which PostgreSQL refuses in text) is the caller's mistake, answered with a 400 naming
 * the parameter rather than an exception from decodeURIComponent or the store.
 */
export function decodePathParam(name: string, raw: string): string {
  const refuse = (message: string) => new AppError("validation_failed", `${name}: ${message}`, { fields: [{ path: name, message }] });
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw refuse("is not validly percent-encoded");
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) throw refuse("must not contain control characters");
  return value;
}
