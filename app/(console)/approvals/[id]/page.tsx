import type { Metadata } from "next";
import { RequestDetail } from "@/components/approvals/request-detail";
import { ApprovalsSubnav } from "@/components/approvals/subnav";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Approval request" };

export default async function ApprovalRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await currentConsoleUser();
  // The layout has already sent anyone signed out to /login.
  const viewer = { id: user?.id ?? "", username: user?.username ?? "", role: user?.role ?? "viewer", canVote: can(user?.role, "approvals.vote") };
  return (
    <>
      <PageHeader
        title={`Approval request ${id.slice(0, 8)}`}
        description="What the agent wants to do, the rule that holds it, and every vote. The page follows the request live."
      />
      <ApprovalsSubnav current={null} />
      <RequestDetail id={id} viewer={viewer} />
    </>
  );
}
