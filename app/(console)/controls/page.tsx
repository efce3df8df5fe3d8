import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Controls" };

export default function ControlsPage() {
  return (
    <>
      <PageHeader title="Controls" description="Kill switches, read-only and approval-all modes" />
      <EmptyState title="No runtime control is active">Operators flip the global kill switch, per-tool, per-agent and per-tenant kills, and read-only or approval-all mode here.</EmptyState>
    </>
  );
}
