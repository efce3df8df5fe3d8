import type { Metadata } from "next";
import { filterFrom } from "@/components/approvals/filter-params";
import { ApprovalQueue } from "@/components/approvals/queue";
import { ApprovalsSubnav } from "@/components/approvals/subnav";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return (
    <>
      <PageHeader title="Approvals" description="Agent actions waiting for N-of-M reviewer approval. Open one to see its arguments, blast radius and rule, and to vote." />
      <ApprovalsSubnav current="queue" />
      <ApprovalQueue initial={filterFrom(await searchParams)} />
    </>
  );
}
