"use client";

import { signOut } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { RoleBadge } from "@/components/ui/role-badge";
import { ThemeToggle } from "@/components/shell/theme-toggle";

export function UserMenu({ displayName, username, role }: { displayName: string; username: string; role: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);
  return (
    <div className="relative flex items-center gap-2" ref={ref}>
      <ThemeToggle />
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-slate-200 dark:hover:bg-slate-800"
      >
        {/* On a phone the role badge stands in for the name, so the kill switch keeps its room. */}
        <span className="hidden font-medium sm:inline" data-testid="current-user">{displayName}</span>
        <span className="sr-only sm:hidden">{displayName}</span>
        <RoleBadge role={role} />
      </button>
      {open && (
        <div role="menu" className="absolute top-full right-0 z-40 mt-1 w-56 rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900">
          <div className="px-3 py-2 text-xs text-slate-500 dark:text-slate-400">
            Signed in as <span className="font-mono">{username}</span>
          </div>
          <button role="menuitem" type="button" onClick={() => signOut({ callbackUrl: "/login" })} className="w-full rounded px-3 py-2 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
