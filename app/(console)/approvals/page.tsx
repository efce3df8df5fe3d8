import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  return (
    <>
      <PageHeader title="Approvals" description="Agent actions waiting for reviewer quorum" />
      <EmptyState title="Nothing is waiting for approval">Agent actions that need N-of-M reviewer approval appear here as soon as an agent requests them.</EmptyState>
    </>
  );
}
