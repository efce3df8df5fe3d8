import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { RolloutDashboard } from "@/components/rollouts/rollout-dashboard";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Rollout" };

export default async function RolloutPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await currentConsoleUser();
  return (
    <>
      <PageHeader
        title={`Rollout ${id.slice(0, 8)}`}
        description="Canary against control, live: every metric with its 95% interval and verdict, the traffic split check, stage progress and every action, automatic or manual."
        actions={<Link href="/rollouts" className="text-sm text-sky-700 underline dark:text-sky-300">All rollouts</Link>}
      />
      <RolloutDashboard id={id} canWrite={can(user?.role, "rollouts.write")} />
    </>
  );
}
