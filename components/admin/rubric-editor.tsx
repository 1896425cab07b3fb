"use client";

import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { MAX_ASPECTS, MAX_FLAGS, RANK_SCALE_LABELS, RANK_SCALES, type RankScale, type Rubric, type RubricItem } from "@/lib/ranking/rubric";

/** Errors by field path below `rubric` (e.g. "aspects.1.id"), as the projects API names them. */
export type FieldErrors = Record<string, string>;

/** Helpfulness, honesty, harmlessness: the aspects most rubrics start from. */
const HHH_ASPECTS: readonly RubricItem[] = [
  { id: "helpfulness", label: "Helpfulness", description: "Does it do what was asked, completely and clearly?" },
  { id: "honesty", label: "Honesty", description: "Is it accurate, without made-up facts, and candid about uncertainty?" },
  { id: "harmlessness", label: "Harmlessness", description: "Does it avoid harmful, unsafe or offensive content?" },
];

/** A label as an id: "Off-topic answer" → "off_topic_answer". */
function idFromLabel(label: string): string {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40);
  return /^[a-z]/.test(slug) ? slug : slug ? `x_${slug}`.slice(0, 40) : "";
}

function ItemList({ kind, items, max, errors, onChange }: { kind: "flags" | "aspects"; items: RubricItem[]; max: number; errors: FieldErrors; onChange: (items: RubricItem[]) => void }) {
  const noun = kind === "flags" ? "flag" : "aspect";
  const set = (i: number, patch: Partial<RubricItem>) => onChange(items.map((item, j) => (j === i ? { ...item, ...patch } : item)));
  return (
    <div className="space-y-3">
      {items.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No {noun}s.</p> : null}
      <ol className="space-y-3">
        {items.map((item, i) => (
          <li key={i} className="grid gap-2 rounded-md border border-slate-200 p-3 sm:grid-cols-[1fr_1fr_2fr_auto] sm:items-start dark:border-slate-800" data-testid={`rubric-${noun}`}>
            <Field label={`${noun === "flag" ? "Flag" : "Aspect"} ${i + 1} label`} htmlFor={`rubric-${kind}-${i}-label`} error={errors[`${kind}.${i}.label`]}>
              {/* A new item's id follows its label until the id is edited; a stored id is kept, it names data already collected. */}
              <Input id={`rubric-${kind}-${i}-label`} value={item.label} maxLength={40} onChange={(e) => set(i, { label: e.target.value, ...(item.id === idFromLabel(item.label) ? { id: idFromLabel(e.target.value) } : {}) })} />
            </Field>
            <Field label="Id" htmlFor={`rubric-${kind}-${i}-id`} error={errors[`${kind}.${i}.id`]} hint="a-z, 0-9, _ (in exports)">
              <Input id={`rubric-${kind}-${i}-id`} value={item.id} maxLength={40} className="font-mono" onChange={(e) => set(i, { id: e.target.value })} />
            </Field>
            <Field label="Description (optional)" htmlFor={`rubric-${kind}-${i}-description`} error={errors[`${kind}.${i}.description`]}>
              <Input id={`rubric-${kind}-${i}-description`} value={item.description} maxLength={300} onChange={(e) => set(i, { description: e.target.value })} />
            </Field>
            <Button variant="ghost" className="sm:mt-6" onClick={() => onChange(items.filter((_, j) => j !== i))}>
              Remove<span className="sr-only"> {noun} {i + 1}</span>
            </Button>
          </li>
        ))}
      </ol>
      {errors[kind] ? <p role="alert" className="text-sm text-red-600 dark:text-red-400">{errors[kind]}</p> : null}
      <Button variant="secondary" disabled={items.length >= max} onClick={() => onChange([...items, { id: "", label: "", description: "" }])}>
        Add {noun}
      </Button>
    </div>
  );
}

/**
 * The rubric part of the settings form: rank scale, overall rating, flags and aspects. Changes
 * apply to rankings submitted afterwards; stored rankings keep what they recorded.
 */
export function RubricEditor({ rubric, errors, onChange }: { rubric: Rubric; errors: FieldErrors; onChange: (r: Rubric) => void }) {
  const missingHhh = HHH_ASPECTS.filter((a) => !rubric.aspects.some((x) => x.id === a.id));
  return (
    <div className="grid gap-5">
      <Field label="Rank scale" htmlFor="rubric-scale" error={errors.scale} hint="A pairwise comparison is a full ranking with K = 2.">
        <Select id="rubric-scale" value={rubric.scale} onChange={(e) => onChange({ ...rubric, scale: e.target.value as RankScale })}>
          {RANK_SCALES.map((s) => <option key={s} value={s}>{RANK_SCALE_LABELS[s]}</option>)}
        </Select>
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={rubric.overallRating} onChange={(e) => onChange({ ...rubric, overallRating: e.target.checked })} />
        Ask for an overall 1–7 rating of each response (used for rating margins in exports)
      </label>
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">Flags</legend>
        <p className="text-xs text-slate-600 dark:text-slate-400">Toggles on every response. “All are bad” appears when a flag has the id low_quality.</p>
        <ItemList kind="flags" items={rubric.flags} max={MAX_FLAGS} errors={errors} onChange={(flags) => onChange({ ...rubric, flags })} />
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">Aspects rated 1–7</legend>
        <p className="text-xs text-slate-600 dark:text-slate-400">Optional for annotators; exported per response (raw rankings) and per side (CSV, Parquet).</p>
        <ItemList kind="aspects" items={rubric.aspects} max={MAX_ASPECTS} errors={errors} onChange={(aspects) => onChange({ ...rubric, aspects })} />
        {missingHhh.length > 0 && rubric.aspects.length + missingHhh.length <= MAX_ASPECTS ? (
          <Button variant="ghost" onClick={() => onChange({ ...rubric, aspects: [...rubric.aspects, ...missingHhh] })}>
            Add {missingHhh.map((a) => a.label.toLowerCase()).join(", ")}
          </Button>
        ) : null}
      </fieldset>
    </div>
  );
}
