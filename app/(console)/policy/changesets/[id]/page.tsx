import type { Metadata } from "next";
import { PolicySubnav } from "@/components/policy/bits";
import { ChangeSetDetail } from "@/components/policy/change-set-detail";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Change set" };

export default async function ChangeSetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await currentConsoleUser();
  return (
    <>
      <PageHeader title={`Change set ${id.slice(0, 8)}`} description="Its operations, approvals and impact. Applying it writes a new policy version." />
      <PolicySubnav current="changesets" />
      <ChangeSetDetail id={id} canWrite={can(user?.role, "policy.write")} canVote={can(user?.role, "approvals.vote")} userId={user?.id ?? ""} />
    </>
  );
}
