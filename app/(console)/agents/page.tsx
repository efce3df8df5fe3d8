import type { Metadata } from "next";
import { AgentsList } from "@/components/agents/agents-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Agents" };

export default function AgentsPage() {
  return (
    <>
      <PageHeader title="Agents" description="Each agent is advisory (verdicts recorded, not binding) or enforced. Open an agent to see how its advisory verdicts compared with human decisions before promoting it." />
      <AgentsList />
    </>
  );
}
