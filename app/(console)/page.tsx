import type { Metadata } from "next";
import { AgentsList } from "@/components/agents/agents-list";
import { DecisionActivity } from "@/components/overview/decision-activity";
import { GlanceTiles } from "@/components/overview/glance-tiles";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { currentStore } from "@/lib/db/current";
import { VERSION } from "@/lib/version";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const store = await currentStore();
  const tenants = await store.prisma.tenant.findMany({ orderBy: { id: "asc" } });
  return (
    <>
      <PageHeader
        title="Overview"
        description={`What Governor is enforcing right now, what is changing, and what waits for a person. Governor ${VERSION} on ${store.kind === "pglite" ? "embedded PGlite" : "PostgreSQL"}.`}
      />
      <div className="mb-6">
        <GlanceTiles />
      </div>
      <div className="mb-6">
        <DecisionActivity />
      </div>
      <section className="mb-6" aria-labelledby="overview-agents">
        <h2 id="overview-agents" className="mb-2 text-sm font-semibold text-slate-700 dark:text-slate-300">Agents</h2>
        <AgentsList />
      </section>
      <Card title="Tenants">
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-slate-500 dark:text-slate-400">
              <th className="py-1 font-medium">Tenant</th>
              <th className="py-1 font-medium">Tier</th>
            </tr>
          </thead>
          <tbody>
            {tenants.map((t) => (
              <tr key={t.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-2"><span className="font-mono">{t.id}</span> <span className="text-slate-500">· {t.name}</span></td>
                <td className="py-2">{t.tier}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
