"use client";

import { useEffect, useState } from "react";

/**
 * A whole-number input that commits only valid values, so clearing the box to type a new
 * number does not write a broken operation on the way.
 */
export function NumberInput({ value, onCommit, min = 0, max, label, className = "" }: { value: number; onCommit: (n: number) => void; min?: number; max?: number; label: string; className?: string }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText((t) => (Number(t) === value ? t : String(value))), [value]);
  const n = Number(text);
  const valid = /^\d+$/.test(text) && n >= min && (max === undefined || n <= max);
  return (
    <input
      type="text"
      inputMode="numeric"
      aria-label={label}
      aria-invalid={!valid}
      title={valid ? undefined : `A whole number${max === undefined ? ` ≥ ${min}` : ` from ${min} to ${max}`}`}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const v = Number(e.target.value);
        if (/^\d+$/.test(e.target.value) && v >= min && (max === undefined || v <= max) && v !== value) onCommit(v);
      }}
      onBlur={() => !valid && setText(String(value))}
      className={`w-20 rounded-md border bg-white px-2 py-1 text-sm dark:bg-slate-950 ${valid ? "border-slate-300 dark:border-slate-700" : "border-red-500 ring-1 ring-red-500"} ${className}`}
    />
  );
}
