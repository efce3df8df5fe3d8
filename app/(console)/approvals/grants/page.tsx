import type { Metadata } from "next";
import { InfoIcon } from "@/components/approvals/glyphs";
import { ApprovalsSubnav } from "@/components/approvals/subnav";
import { GrantForm } from "@/components/grants/grant-form";
import { GrantsList } from "@/components/grants/grants-list";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Sandbox grants" };

export default async function GrantsPage() {
  const user = await currentConsoleUser();
  const canManage = can(user?.role, "grants.manage");
  return (
    <>
      <PageHeader
        title="Approvals"
        description="A sandbox grant lets one agent use some tools for a while, on top of the policy. It ends at expiry, when revoked, or (if asked) at the first failed outcome."
      />
      <ApprovalsSubnav current="grants" />
      <div className="space-y-8">
        {canManage ? (
          <GrantForm />
        ) : (
          <p className="rounded-md border border-slate-200 px-3 py-2 text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <InfoIcon /> Issuing and revoking grants needs the permission <code className="font-mono">grants.manage</code> (operator, editor or admin). You are signed in as {user?.role ?? "unknown"}.
          </p>
        )}
        <GrantsList canManage={canManage} />
      </div>
    </>
  );
}
