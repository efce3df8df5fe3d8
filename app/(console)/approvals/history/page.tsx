import type { Metadata } from "next";
import { filterFrom } from "@/components/approvals/filter-params";
import { ApprovalHistory } from "@/components/approvals/history";
import { ApprovalsSubnav } from "@/components/approvals/subnav";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Approval history" };

export default async function ApprovalHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return (
    <>
      <PageHeader title="Approvals" description="Every request that was approved, rejected or expired, with its votes. Nothing here is ever deleted." />
      <ApprovalsSubnav current="history" />
      <ApprovalHistory initial={filterFrom(await searchParams)} />
    </>
  );
}
