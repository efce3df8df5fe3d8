import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditBrowser } from "@/components/audit/audit-browser";
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
        description="Every change, login, token event and sealed batch of decisions, append-only and hash-chained: each entry's hash covers the previous entry's hash, so any edit, deletion or reordering breaks the chain. Signed checkpoints pin the chain to an Ed25519 key."
      />
      {/* useSearchParams: the filters live in the address (see AuditBrowser). */}
      <Suspense fallback={<p role="status" className="text-sm text-slate-500">Loading the audit browser…</p>}>
        <AuditBrowser canExport={can(user?.role, "audit.export")} />
      </Suspense>
    </>
  );
}
