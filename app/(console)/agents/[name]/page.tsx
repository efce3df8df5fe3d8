import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { AgentDetail } from "@/components/agents/agent-detail";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Agent" };

export default async function AgentPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const user = await currentConsoleUser();
  return (
    <>
      <PageHeader title={`Agent ${decodeURIComponent(name)}`} description={<>Whether it runs, what it asks for and what it may call now; its adoption stage and the figures behind a promotion. <Link href="/agents" className="underline">All agents</Link></>} />
      <AgentDetail name={decodeURIComponent(name)} canChange={can(user?.role, "policy.write")} canStop={can(user?.role, "controls.write")} canAudit={can(user?.role, "audit.read")} />
    </>
  );
}
