export function Forbidden({ permission }: { permission: string }) {
  return (
    <div role="alert" data-testid="forbidden" className="rounded-lg border border-amber-300 bg-amber-50 px-6 py-10 text-center dark:border-amber-800 dark:bg-amber-950">
      <p className="font-semibold">You do not have access to this page.</p>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        It needs the permission <code className="font-mono">{permission}</code>. Ask an admin if your role should change.
      </p>
    </div>
  );
}
