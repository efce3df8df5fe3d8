import type { Metadata } from "next";
import { PolicyEditor } from "@/components/policy/policy-editor";
import { PolicySubnav } from "@/components/policy/bits";
import { ReadOnlyPolicy } from "@/components/policy/read-only-policy";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";
import { currentStore } from "@/lib/db/current";
import { PolicyDocument } from "@/lib/policy/document";
import { headVersion } from "@/lib/policy/versions";

export const metadata: Metadata = { title: "Policy" };

export default async function PolicyPage() {
  const user = await currentConsoleUser();
  const store = await currentStore();
  const head = await headVersion(store.prisma);
  const version = head === null ? null : await store.prisma.policyVersion.findUnique({ where: { number: head } });
  if (!version) {
    return (
      <>
        <PageHeader title="Policy" description="Policy versions and change sets" />
        <EmptyState title="No policy version is published yet">Publish a first version with POST /api/v1/admin/policy/versions (editor or admin); every published version is immutable.</EmptyState>
      </>
    );
  }
  const canWrite = can(user?.role, "policy.write");
  return (
    <>
      <PageHeader
        title={`Policy · version ${version.number}`}
        description={`Published by ${version.author} on ${version.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC${version.reason ? `: ${version.reason}` : ""}. sha256 ${version.sha256.slice(0, 12)}…`}
      />
      <PolicySubnav current="policy" />
      {canWrite && user ? <PolicyEditor username={user.username} /> : <ReadOnlyPolicy doc={PolicyDocument.parse(version.document)} />}
    </>
  );
}
