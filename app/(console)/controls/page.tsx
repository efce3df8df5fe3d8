import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listControls } from "@/lib/controls/controls";
import { currentStore } from "@/lib/db/current";

export const metadata: Metadata = { title: "Controls" };

const LABEL: Record<string, string> = {
  global_kill: "Global kill switch",
  tool_kill: "Tool stopped",
  agent_kill: "Agent stopped",
  tenant_kill: "Tenant stopped",
  read_only: "Read-only mode",
  approval_all: "Approval-all mode",
};

export default async function ControlsPage() {
  const controls = await listControls((await currentStore()).prisma);
  return (
    <>
      <PageHeader title="Controls" description="Runtime controls sit on top of every policy version and rollout cohort: kill switches, read-only and approval-all modes. Operators set them with POST /api/v1/admin/controls." />
      {controls.length === 0 ? (
        <EmptyState title="No runtime control is active">Every agent is deciding under the published policy alone.</EmptyState>
      ) : (
        <Card title="Active controls">
          <table className="w-full text-sm" data-testid="active-controls">
            <thead className="text-left text-slate-500 dark:text-slate-400">
              <tr><th className="py-2 font-medium">Control</th><th className="py-2 font-medium">Target</th><th className="py-2 font-medium">Set by</th><th className="py-2 font-medium">Since (UTC)</th><th className="py-2 font-medium">Reason</th></tr>
            </thead>
            <tbody>
              {controls.map((c) => (
                <tr key={`${c.control}:${c.target}`} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-2 font-medium">⚠ {LABEL[c.control] ?? c.control}</td>
                  <td className="py-2 font-mono">{c.target || "all"}</td>
                  <td className="py-2">{c.setBy}</td>
                  <td className="py-2 font-mono text-xs">{c.setAt.replace("T", " ").slice(0, 19)}</td>
                  <td className="py-2">{c.reason ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}
