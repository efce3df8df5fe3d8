import type { Metadata } from "next";
import { RolloutList } from "@/components/rollouts/rollout-list";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Rollouts" };

export default async function RolloutsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await currentConsoleUser();
  const changeSet = (await searchParams).changeSet;
  return (
    <>
      <PageHeader title="Rollouts" description="Canary and blue-green rollouts of policy versions: a slice of sessions on the candidate, compared live with the rest, rolled back automatically on a regression." />
      <RolloutList canWrite={can(user?.role, "rollouts.write")} changeSetId={typeof changeSet === "string" ? changeSet : undefined} />
    </>
  );
}
