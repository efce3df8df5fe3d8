import type { Metadata } from "next";
import { ControlsPanel } from "@/components/controls/controls-panel";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Controls" };

export default async function ControlsPage() {
  const user = await currentConsoleUser();
  return (
    <>
      <PageHeader
        title="Controls"
        description="Runtime controls sit on top of every policy version and rollout cohort. A flip applies to every agent's next decision, on every instance, and is announced to the webhooks set under Approvals → Notifications. Automation: POST /api/v1/admin/controls or npm run governor -- kill."
      />
      <ControlsPanel canWrite={can(user?.role, "controls.write")} canManageSettings={can(user?.role, "settings.manage")} />
    </>
  );
}
