import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Rollouts" };

export default function RolloutsPage() {
  return (
    <>
      <PageHeader title="Rollouts" description="Canary and blue-green rollouts of policy versions" />
      <EmptyState title="No rollout is running">A rollout sends a slice of sessions to a candidate policy version and compares it with the rest; it appears here with its canary-versus-control dashboard.</EmptyState>
    </>
  );
}
