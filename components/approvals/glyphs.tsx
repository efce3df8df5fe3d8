// Inline SVG for the two symbols the stock fonts on a server or kiosk often lack (ⓘ, ⌛);
// the plainer glyphs used elsewhere (✓ ✕ ● ⚠) are in every common font.
const base = "inline-block h-[1em] w-[1em] shrink-0 align-[-0.125em]";

export function InfoIcon({ className = "" }: { className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className={`${base} ${className}`} fill="none" stroke="currentColor" strokeWidth="2.2">
      <circle cx="12" cy="12" r="9.5" />
      <path d="M12 11v6M12 7.2v.1" strokeLinecap="round" />
    </svg>
  );
}

export function HourglassIcon({ className = "" }: { className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className={`${base} ${className}`} fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinejoin="round">
      <path d="M6 3h12M6 21h12M7 3c0 5 10 6 10 9s-10 4-10 9M17 3c0 5-10 6-10 9s10 4 10 9" />
    </svg>
  );
}
