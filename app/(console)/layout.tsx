import { Link } from "@/components/ui/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ControlBanner } from "@/components/controls/control-banner";
import { ReliabilityBanner } from "@/components/controls/reliability-banner";
import { KillSwitchButton } from "@/components/controls/kill-switch-button";
import { Nav } from "@/components/shell/nav";
import { NAV_ITEMS } from "@/components/shell/nav-items";
import { UserMenu } from "@/components/shell/user-menu";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { can } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await currentConsoleUser();
  if (!user) redirect("/login");
  const items = NAV_ITEMS.filter((i) => can(user.role, i.permission));
  const canControl = can(user.role, "controls.write");
  return (
    <div className="flex min-h-screen flex-col">
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur dark:border-slate-800 dark:bg-slate-900/90">
        <ReliabilityBanner />
        <ControlBanner canWrite={canControl} userId={user.id} />
        {/* Two rows: the kill switch and who is signed in never compete with the sections for
            width, so neither wraps nor scrolls out of sight however many sections a role sees. */}
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 pt-2">
          <Link href="/" className="text-lg font-bold tracking-tight">Governor</Link>
          <div className="ml-auto flex shrink-0 items-center gap-2 whitespace-nowrap sm:gap-3">
            {canControl && <KillSwitchButton />}
            <UserMenu displayName={user.displayName} username={user.username} role={user.role} />
          </div>
        </div>
        <div className="mx-auto max-w-7xl px-3 py-1.5">
          <Nav items={items} />
        </div>
      </header>
      <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">{children}</main>
    </div>
  );
}
