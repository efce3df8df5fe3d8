import type { Metadata } from "next";
import { DecisionActivity } from "@/components/overview/decision-activity";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { currentStore } from "@/lib/db/current";
import { readGeneration } from "@/lib/db/generation";
import { VERSION } from "@/lib/version";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const store = await currentStore();
  const [generation, agents, tenants, users] = await Promise.all([
    readGeneration(store.prisma),
    store.prisma.agent.findMany({ orderBy: { id: "asc" } }),
    store.prisma.tenant.findMany({ orderBy: { id: "asc" } }),
    store.prisma.user.count({ where: { disabled: false } }),
  ]);
  const stats = [
    { label: "Store", value: store.kind === "pglite" ? "PGlite (embedded)" : "PostgreSQL" },
    { label: "Generation", value: String(generation) },
    { label: "Agents", value: String(agents.length) },
    { label: "Active users", value: String(users) },
  ];
  return (
    <>
      <PageHeader title="Overview" description={`What Governor is enforcing right now. Version ${VERSION}.`} />
      <dl className="mb-6 grid grid-cols-2 gap-4 md:grid-cols-4">
        {stats.map((s) => (
          <div key={s.label} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">{s.label}</dt>
            <dd className="mt-1 text-xl font-semibold" data-testid={`stat-${s.label.toLowerCase().replace(/\s+/g, "-")}`}>{s.value}</dd>
          </div>
        ))}
      </dl>
      <div className="mb-6">
        <DecisionActivity />
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Agents">
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {agents.map((a) => (
              <li key={a.id} className="py-2">
                <div className="font-mono text-sm font-medium">{a.id}</div>
                <div className="text-sm text-slate-600 dark:text-slate-400">{a.description}</div>
              </li>
            ))}
          </ul>
        </Card>
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
      </div>
    </>
  );
}
