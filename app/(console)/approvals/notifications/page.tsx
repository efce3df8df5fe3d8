import type { Metadata } from "next";
import { Deliveries } from "@/components/approvals/deliveries";
import { ApprovalsSubnav } from "@/components/approvals/subnav";
import { WebhooksPanel } from "@/components/approvals/webhooks-panel";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Approval notifications" };

export default async function NotificationsPage() {
  const user = await currentConsoleUser();
  return (
    <>
      <PageHeader title="Approvals" description="Who is told when an agent asks for approval, and whether the messages arrived." />
      <ApprovalsSubnav current="notifications" />
      <div className="space-y-6">
        <WebhooksPanel canEdit={can(user?.role, "settings.manage")} />
        <Deliveries />
      </div>
    </>
  );
}
