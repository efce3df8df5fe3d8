"use client";

import { useEffect, useState } from "react";

export function ThemeToggle() {
  const [dark, setDark] = useState(false);
  useEffect(() => setDark(document.documentElement.classList.contains("dark")), []);
  function toggle() {
    const next = !dark;
    document.documentElement.classList.toggle("dark", next);
    localStorage.setItem("governor-theme", next ? "dark" : "light");
    setDark(next);
  }
  return (
    <button type="button" onClick={toggle} aria-label={dark ? "Switch to light mode" : "Switch to dark mode"} aria-pressed={dark} className="rounded-md px-2 py-1 text-sm hover:bg-slate-200 dark:hover:bg-slate-800">
      <span aria-hidden>{dark ? "☀" : "☾"}</span>
    </button>
  );
}
