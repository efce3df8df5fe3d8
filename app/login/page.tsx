import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/shell/login-form";
import { currentConsoleUser } from "@/lib/auth/console-user";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  OidcRole: "Your identity provider did not grant a Governor role. Ask your administrator.",
  Disabled: "This account is disabled. Ask an admin to enable it.",
  SessionRequired: "Please sign in to continue.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  if (await currentConsoleUser()) redirect("/");
  const params = await searchParams;
  const e = env();
  const oidc = Boolean(e.GOVERNOR_OIDC_ISSUER && e.GOVERNOR_OIDC_CLIENT_ID && e.GOVERNOR_OIDC_CLIENT_SECRET);
  const callbackUrl = params.callbackUrl?.startsWith("/") ? params.callbackUrl : "/";
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <div className="text-2xl font-bold tracking-tight">Governor</div>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Runtime policy control plane for AI agents</p>
        </div>
        <LoginForm oidc={oidc} callbackUrl={callbackUrl} initialError={params.error ? ERRORS[params.error] : undefined} />
      </div>
    </main>
  );
}
