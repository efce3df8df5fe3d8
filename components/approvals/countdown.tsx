"use client";

import { useEffect, useState } from "react";
import { duration } from "@/components/approvals/format";
import { ClockIcon } from "@/components/ui/icons";

/** Time left before a pending request expires, ticking every second. */
export function Countdown({ expiresAt, className = "" }: { expiresAt: string; className?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Date.parse(expiresAt) - now;
  const urgent = left <= 5 * 60_000;
  return (
    <span data-testid="countdown" className={`inline-flex items-center gap-1 whitespace-nowrap ${urgent ? "font-semibold text-red-800 dark:text-red-300" : ""} ${className}`}>
      <ClockIcon />
      {left > 0 ? `expires in ${duration(left)}` : "expired"}
    </span>
  );
}
