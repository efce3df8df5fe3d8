import type { Metadata } from "next";
import { filterFrom } from "@/components/approvals/filter-params";
import { ApprovalQueue } from "@/components/approvals/queue";
import { ApprovalsSubnav } from "@/components/approvals/subnav";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentConsoleUser();
  return (
    <>
      <PageHeader title="Approvals" description="Agent actions waiting for N-of-M reviewer approval. Open one to see its arguments, blast radius and rule, and to vote." />
      <ApprovalsSubnav current="queue" />
      <ApprovalQueue initial={filterFrom(await searchParams)} canVote={can(user?.role, "approvals.vote")} />
    </>
  );
}
