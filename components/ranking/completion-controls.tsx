"use client";

import { RATING_MAX, RATING_MIN, type RubricItem } from "@/lib/ranking/rubric";

const chip =
  "rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed";
const chipOff = "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-600 dark:hover:bg-slate-800";
const chipOn = "bg-red-50 text-red-800 ring-red-400 dark:bg-red-950 dark:text-red-200 dark:ring-red-700";

/** The rubric's flags as toggles: real buttons with aria-pressed, so they read as "Harmful, toggle button, pressed". */
export function FlagToggles({ label, options, flags, onToggle, disabled }: { label: string; options: readonly RubricItem[]; flags: readonly string[]; onToggle: (f: string) => void; disabled?: boolean }) {
  if (options.length === 0) return null;
  return (
    <div role="group" aria-label={`Flags for ${label}`} className="flex flex-wrap gap-2">
      {options.map((f) => {
        const on = flags.includes(f.id);
        return (
          <button key={f.id} type="button" aria-pressed={on} title={f.description || undefined} disabled={disabled} onClick={() => onToggle(f.id)} className={`${chip} ${on ? chipOn : chipOff}`}>
            {on ? "⚑ " : ""}
            {f.label}
          </button>
        );
      })}
    </div>
  );
}

const RATINGS = Array.from({ length: RATING_MAX - RATING_MIN + 1 }, (_, i) => RATING_MIN + i);

/**
 * Optional 1–7 rating as a native radio group (arrow keys work as screen readers expect): the
 * overall rating, or one aspect of the rubric (its name as the legend, its description below).
 */
export function RatingInput({ name, legend, description, label, value, onChange, disabled }: { name: string; legend: string; description?: string; label: string; value: number | undefined; onChange: (v: number | null) => void; disabled?: boolean }) {
  return (
    <fieldset className="min-w-0" disabled={disabled}>
      <legend className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300">
        {legend}<span className="sr-only"> for {label}</span>
      </legend>
      {description ? <p className="-mt-0.5 mb-1 text-xs text-slate-600 dark:text-slate-400">{description}</p> : null}
      <div className="flex flex-wrap items-center gap-1">
        {RATINGS.map((r) => (
          <label key={r} className="relative block">
            <input type="radio" name={name} value={r} checked={value === r} onChange={() => onChange(r)} className="peer absolute inset-0 cursor-pointer opacity-0" />
            <span className="flex h-8 w-8 cursor-pointer items-center justify-center rounded-md text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 peer-checked:bg-indigo-600 peer-checked:text-white peer-checked:ring-indigo-600 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-indigo-600 dark:text-slate-100 dark:ring-slate-600">
              {r}
            </span>
          </label>
        ))}
        {value !== undefined ? (
          <button type="button" onClick={() => onChange(null)} className="ml-1 rounded px-1.5 py-1 text-xs text-slate-700 underline hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-slate-300 dark:hover:text-white">
            Clear<span className="sr-only"> {legend} for {label}</span>
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}

/** A rank picker for pointer and touch users (same semantics as the number keys). */
export function RankSelect({ id, label, rank, count, onChange, disabled }: { id: string; label: string; rank: number | null; count: number; onChange: (r: number | null) => void; disabled?: boolean }) {
  const selectId = `rank-select-${id}`;
  return (
    <div className="flex items-center gap-1.5">
      <label htmlFor={selectId} className="text-xs font-medium text-slate-700 dark:text-slate-300">
        Rank<span className="sr-only"> for {label}</span>
      </label>
      <select
        id={selectId}
        value={rank ?? ""}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))}
        className="rounded-md border-0 bg-white py-1 pl-2 pr-7 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-600"
      >
        <option value="">–</option>
        {Array.from({ length: count }, (_, i) => (
          <option key={i + 1} value={i + 1}>
            {i + 1}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Best-only projects: marks the response as the best (pressing it on another one ties them). */
export function BestToggle({ label, best, onChange, disabled }: { label: string; best: boolean; onChange: (best: boolean) => void; disabled?: boolean }) {
  return (
    <button type="button" aria-pressed={best} disabled={disabled} onClick={() => onChange(!best)} className={`${chip} ${best ? "bg-indigo-600 text-white ring-indigo-600" : chipOff}`}>
      {best ? "★ Best" : "Mark as best"}<span className="sr-only"> ({label})</span>
    </button>
  );
}
