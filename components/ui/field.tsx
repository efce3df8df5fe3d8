import { useId, type InputHTMLAttributes, type SelectHTMLAttributes } from "react";

const CONTROL = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950";
const LABEL = "block text-sm font-medium";

// Labels point at their control with htmlFor rather than wrapping it, so a select's accessible
// name is its label alone, not the label plus every option's text.
export function TextField({ label, id, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string }) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <div>
      <label htmlFor={fieldId} className={LABEL}>{label}</label>
      <input id={fieldId} {...props} className={CONTROL} />
    </div>
  );
}

export function SelectField({ label, options, id, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; options: { value: string; label: string }[] }) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <div>
      <label htmlFor={fieldId} className={LABEL}>{label}</label>
      <select id={fieldId} {...props} className={CONTROL}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}
