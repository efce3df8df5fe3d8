"use client";

import { NODE_H, NODE_W, layeredLayout, type Edge, type Service } from "@/components/runtime-model/layout";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The runtime model as an SVG: one box per service (name, zone, traffic share), one arrow per
 * "depends on". Services a what-if touches are drawn highlighted, with a ring and bold text, so
 * colour is not the only signal. The table beside it carries the same facts for screen readers.
 */
export function DependencyGraph({ services, edges, highlight, target }: { services: Service[]; edges: Edge[]; highlight?: ReadonlySet<string>; target?: string }) {
  const { nodes, width, height } = layeredLayout(services, edges);
  const at = new Map(nodes.map((n) => [n.name, n]));
  const touched = highlight?.size ?? 0;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-slate-50 p-2 dark:border-slate-800 dark:bg-slate-950" data-testid="dependency-graph">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Dependency graph: ${services.length} services, ${edges.length} dependencies${touched ? `; ${touched} touched by the what-if` : ""}`}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="fill-slate-400 dark:fill-slate-500" />
          </marker>
        </defs>
        {edges.map((e) => {
          const from = at.get(e.service);
          const to = at.get(e.dependsOn);
          if (!from || !to) return null;
          const hot = highlight?.has(e.service) && highlight.has(e.dependsOn);
          // Right edge of the dependency ← left edge of the dependent; a back edge (cycle) curves.
          const x1 = from.x;
          const y1 = from.y + NODE_H / 2;
          const x2 = to.x + NODE_W;
          const y2 = to.y + NODE_H / 2;
          const back = x2 >= x1;
          const d = back ? `M ${from.x + NODE_W / 2} ${from.y + NODE_H} C ${from.x + NODE_W / 2} ${from.y + NODE_H + 40}, ${to.x + NODE_W / 2} ${to.y + NODE_H + 40}, ${to.x + NODE_W / 2} ${to.y + NODE_H}` : `M ${x1} ${y1} C ${x1 - 35} ${y1}, ${x2 + 35} ${y2}, ${x2} ${y2}`;
          return (
            <path key={`${e.service}>${e.dependsOn}`} d={d} fill="none" markerEnd="url(#arrow)" strokeWidth={hot ? 2.5 : 1.5} className={hot ? "stroke-amber-500" : "stroke-slate-400 dark:stroke-slate-500"}>
              <title>{`${e.service} depends on ${e.dependsOn}`}</title>
            </path>
          );
        })}
        {nodes.map((n) => {
          const hot = highlight?.has(n.name);
          return (
            <g key={n.name} transform={`translate(${n.x} ${n.y})`} data-testid="graph-node" data-service={n.name} data-touched={hot ? "true" : "false"}>
              <title>{`${n.name}: ${pct(n.share)} of traffic${n.zone ? `, zone ${n.zone}` : ""}${hot ? " (touched)" : ""}`}</title>
              <rect
                width={NODE_W}
                height={NODE_H}
                rx={8}
                strokeWidth={n.name === target ? 3 : hot ? 2.5 : 1}
                strokeDasharray={hot && n.name !== target ? "5 3" : undefined}
                className={hot ? "fill-amber-50 stroke-amber-600 dark:fill-amber-950 dark:stroke-amber-400" : "fill-white stroke-slate-300 dark:fill-slate-900 dark:stroke-slate-700"}
              />
              <text x={10} y={19} className={`fill-slate-900 text-[13px] dark:fill-slate-100 ${hot ? "font-bold" : "font-medium"}`}>{n.name.length > 20 ? `${n.name.slice(0, 19)}…` : n.name}</text>
              <text x={10} y={36} className="fill-slate-500 text-[11px] dark:fill-slate-400">{pct(n.share)}{n.zone ? ` · ${n.zone}` : ""}</text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
