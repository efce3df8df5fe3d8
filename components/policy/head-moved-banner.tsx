import { Link } from "@/components/ui/link";
import { WarningIcon } from "@/components/ui/icons";
import { Button } from "@/components/ui/button";
import type { PolicyVersionRow } from "@/components/policy/types";

/** Shown while someone else's change has gone live since the editor's pending changes were based. */
export function HeadMovedBanner({ base, head, onRebase, pending }: { base: number; head: PolicyVersionRow; onRebase: () => void; pending: boolean }) {
  return (
    <div role="alert" data-testid="head-moved" className="mb-4 flex flex-wrap items-center gap-3 rounded-md border border-amber-400 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <WarningIcon className="h-5 w-5" />
      <p className="flex-1">
        <strong>The live policy moved on.</strong> {head.author} applied version {head.number}{head.reason ? ` (“${head.reason}”)` : ""} after you started editing from version {base}.
        Your operations still compare against version {base}.
      </p>
      <Link href={`/policy/history?from=${base}&to=${head.number}`} className="underline">See what changed</Link>
      <Button variant="secondary" onClick={onRebase} disabled={pending}>{pending ? "Rebasing…" : `Rebase onto version ${head.number}`}</Button>
    </div>
  );
}
