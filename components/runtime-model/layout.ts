// A layered layout for the dependency graph, hand-written (about 40 lines) rather than adding a
// graph-layout library for one small drawing. Foundations (services that depend on nothing) sit
// in the left column; each service sits one column right of the deepest service it depends on,
// so every "depends on" arrow points left. Edges closing a cycle are ignored for layering only.

export interface Service {
  name: string;
  share: number;
  zone: string | null;
  description?: string;
}
export interface Edge {
  service: string;
  dependsOn: string;
}
export interface Placed extends Service {
  layer: number;
  row: number;
  x: number;
  y: number;
}

export const NODE_W = 170;
export const NODE_H = 46;
const GAP_X = 70;
const GAP_Y = 22;
const PAD = 12;

export function layeredLayout(services: Service[], edges: Edge[]): { nodes: Placed[]; width: number; height: number } {
  const names = new Set(services.map((s) => s.name));
  const deps = new Map<string, string[]>();
  for (const e of edges) if (names.has(e.service) && names.has(e.dependsOn)) deps.set(e.service, [...(deps.get(e.service) ?? []), e.dependsOn]);
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (n: string): number => {
    const known = layer.get(n);
    if (known !== undefined) return known;
    if (visiting.has(n)) return -1; // a cycle: this edge does not push the layer
    visiting.add(n);
    const d = Math.max(-1, ...(deps.get(n) ?? []).map(depth)) + 1;
    visiting.delete(n);
    layer.set(n, d);
    return d;
  };
  const sorted = [...services].sort((a, b) => a.name.localeCompare(b.name));
  for (const s of sorted) depth(s.name);
  const rows = new Map<number, number>();
  const nodes = sorted.map((s) => {
    const l = layer.get(s.name) ?? 0;
    const row = rows.get(l) ?? 0;
    rows.set(l, row + 1);
    return { ...s, layer: l, row, x: PAD + l * (NODE_W + GAP_X), y: PAD + row * (NODE_H + GAP_Y) };
  });
  const layers = Math.max(0, ...nodes.map((n) => n.layer)) + 1;
  const maxRows = Math.max(1, ...rows.values());
  return { nodes, width: PAD * 2 + layers * NODE_W + (layers - 1) * GAP_X, height: PAD * 2 + maxRows * NODE_H + (maxRows - 1) * GAP_Y };
}
