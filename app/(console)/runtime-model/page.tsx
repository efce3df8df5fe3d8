import type { Metadata } from "next";
import { RuntimeModelView } from "@/components/runtime-model/runtime-model-view";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Runtime model" };

export default async function RuntimeModelPage() {
  const user = await currentConsoleUser();
  return (
    <>
      <PageHeader
        title="Runtime model"
        description="Services, their share of traffic and what depends on what. An action on a service is predicted to reach it and everything that depends on it; the decision refuses it above the tightest bound (tool, kind, service, deploy window). Automation: /api/v1/admin/runtime-model."
      />
      <RuntimeModelView canEdit={can(user?.role, "policy.write")} />
    </>
  );
}
