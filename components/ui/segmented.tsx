"use client";

/**
 * A row of toggle buttons where exactly one is pressed (a time range, a verdict filter): each is
 * a real button with aria-pressed, so it works from the keyboard and reads as a toggle.
 */
export function Segmented<T extends string | number>({ label, options, value, onChange }: { label: string; options: readonly { value: T; label: string }[]; value: T; onChange: (value: T) => void }) {
  return (
    <div role="group" aria-label={label} className="inline-flex overflow-hidden rounded-md border border-slate-200 text-xs font-medium dark:border-slate-700">
      {options.map((o) => (
        <button
          key={String(o.value)}
          type="button"
          aria-pressed={value === o.value}
          onClick={() => onChange(o.value)}
          className={`px-2.5 py-1 focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-sky-500 ${value === o.value ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
