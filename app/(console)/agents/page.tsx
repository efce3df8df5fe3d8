import type { Metadata } from "next";
import { AgentsList } from "@/components/agents/agents-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Agents" };

export default function AgentsPage() {
  return (
    <>
      <PageHeader title="Agents" description="Every agent the registry knows: whether it runs, what it asked for in the last 15 minutes, and whether its verdicts bind (enforced) or are only recorded (advisory). Open one for its traffic, what it may call per tenant, and a stop button." />
      <AgentsList />
    </>
  );
}
