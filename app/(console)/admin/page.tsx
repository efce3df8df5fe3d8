import type { Metadata } from "next";
import { SigningKeysPanel } from "@/components/admin/signing-keys-panel";
import { TokensPanel } from "@/components/admin/tokens-panel";
import { UsersPanel } from "@/components/admin/users-panel";
import { Forbidden } from "@/components/ui/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const user = await currentConsoleUser();
  if (!can(user?.role, "users.read")) return <Forbidden permission="users.read" />;
  return (
    <>
      <PageHeader title="Admin" description="Users and their roles, agent tokens for the data plane, personal tokens for automation, and the keys that sign audit evidence." />
      <div className="space-y-8">
        <UsersPanel currentUserId={user!.id} />
        <TokensPanel />
        <SigningKeysPanel />
      </div>
    </>
  );
}
