"use client";

import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// A page that failed to load renders this inside the console layout, so the header and the
// status banners (an unreachable database above all) stay on screen and say why.
export default function ConsoleError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState title="This page could not load.">
      <p>If the banner above says the database is unreachable, the page will load again once it is back; decisions continue meanwhile. Otherwise, try again.</p>
      <Button type="button" className="mt-4" onClick={() => reset()}>
        Try again
      </Button>
    </EmptyState>
  );
}
