import type { Metadata } from "next";
import { PolicySubnav } from "@/components/policy/bits";
import { VersionHistory } from "@/components/policy/version-history";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Policy history" };

const version = (v: string | string[] | undefined) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);

export default async function PolicyHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentConsoleUser();
  const q = await searchParams;
  return (
    <>
      <PageHeader title="Policy history" description="Every published version is immutable. Compare any two key by key; revert creates a change set that goes through the same checks and approvals as any other change." />
      <PolicySubnav current="history" />
      <VersionHistory canWrite={can(user?.role, "policy.write")} initialFrom={version(q.from)} initialTo={version(q.to)} />
    </>
  );
}
