import type { Metadata } from "next";
import { AuditLog } from "@/components/audit/audit-log";
import { Forbidden } from "@/components/ui/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const user = await currentConsoleUser();
  if (!can(user?.role, "audit.read")) return <Forbidden permission="audit.read" />;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, login and token event, append-only and hash-chained: each entry's hash covers the previous entry's hash, so any edit, deletion or reordering breaks the chain."
      />
      <AuditLog />
    </>
  );
}
