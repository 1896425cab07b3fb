"use client";

import { Field, Input } from "@/components/ui/field";

/** The export filters the API has (`from`, `to`, `annotators`, `minAgreement`, `excludeFlagged`), as the form holds them. */
export interface ExportFilterState {
  /** datetime-local values, in the browser's time zone; sent as ISO instants. */
  from: string;
  to: string;
  /** Annotator user ids; none selected = everyone. */
  annotators: string[];
  minAgreement: string;
  excludeFlagged: boolean;
}

export const NO_FILTERS: ExportFilterState = { from: "", to: "", annotators: [], minAgreement: "", excludeFlagged: false };

/** A datetime-local value as the ISO instant the API wants; undefined when empty or not a date. */
function instant(local: string): string | undefined {
  if (!local) return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

/** Adds the set filters to the export's query string (unset ones are left out, as the API's defaults). */
export function addFilterParams(q: URLSearchParams, f: ExportFilterState): void {
  const from = instant(f.from);
  const to = instant(f.to);
  if (from) q.set("from", from);
  if (to) q.set("to", to);
  if (f.annotators.length > 0) q.set("annotators", f.annotators.join(","));
  if (f.minAgreement !== "") q.set("minAgreement", f.minAgreement);
  q.set("excludeFlagged", String(f.excludeFlagged));
}

/** Date range, annotators, agreement and flags; the review status filter joins this list. */
export function ExportFilters({ value, annotators, onChange }: { value: ExportFilterState; annotators: readonly { id: string; name: string }[]; onChange: (f: ExportFilterState) => void }) {
  const toggle = (id: string, on: boolean) => onChange({ ...value, annotators: on ? [...value.annotators, id] : value.annotators.filter((a) => a !== id) });
  return (
    <fieldset className="mt-4 grid gap-4 rounded-md border border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-4 dark:border-slate-800" data-testid="export-filters">
      <legend className="px-1 text-sm font-semibold">Filters</legend>
      <Field label="Ranked from" htmlFor="ex-from" hint="Your local time; empty = from the start"><Input id="ex-from" type="datetime-local" value={value.from} onChange={(e) => onChange({ ...value, from: e.target.value })} /></Field>
      <Field label="Ranked before" htmlFor="ex-to" hint="Empty = until now"><Input id="ex-to" type="datetime-local" value={value.to} onChange={(e) => onChange({ ...value, to: e.target.value })} /></Field>
      <Field label="Min agreement" htmlFor="ex-minAgreement" hint="0 to 1; drops pairs fewer annotators agree on"><Input id="ex-minAgreement" type="number" min={0} max={1} step="0.05" value={value.minAgreement} onChange={(e) => onChange({ ...value, minAgreement: e.target.value })} /></Field>
      <label className="flex items-center gap-2 self-center text-sm"><input type="checkbox" checked={value.excludeFlagged} onChange={(e) => onChange({ ...value, excludeFlagged: e.target.checked })} /> Exclude flagged rankings</label>
      <div role="group" aria-labelledby="ex-annotators-label" className="sm:col-span-2 lg:col-span-4">
        <p id="ex-annotators-label" className="text-sm font-medium">Annotators <span className="font-normal text-slate-600 dark:text-slate-400">(none ticked = everyone)</span></p>
        {annotators.length === 0 ? <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Nobody has ranked yet.</p> : (
          <ul className="mt-1 flex max-h-40 flex-wrap gap-x-5 gap-y-1 overflow-y-auto">
            {annotators.map((a) => (
              <li key={a.id}>
                <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={value.annotators.includes(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} /> {a.name}</label>
              </li>
            ))}
          </ul>
        )}
      </div>
    </fieldset>
  );
}
