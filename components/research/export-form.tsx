"use client";

import { useState } from "react";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import type { FormatChoice } from "@/lib/datasets/registry";
import { addFilterParams, ExportFilters, NO_FILTERS } from "./export-filters";
import { DEFAULT_EXPORT_REVIEW_STATUSES, REVIEW_STATUS_LABELS, REVIEW_STATUSES, type ReviewStatus } from "@/lib/datasets/review-status";

/**
 * Export options → a download link (the route streams the file and audits the
 * download). The formats come from lib/datasets' registry through the page, as
 * plain data, so no writer or parser code reaches the browser; the first is the default.
 * Every filter the API takes is offered (export-filters.tsx).
 */
export function ExportForm({ projectId, formats, annotators }: { projectId: string; formats: readonly FormatChoice[]; annotators: readonly { id: string; name: string }[] }) {
  const [o, setO] = useState({ format: formats[0]?.id ?? "", mode: "raw", ties: "drop", margin: "none", split: "all", testFraction: "0.1", seed: "0", pseudonymise: true, minReliability: "", weights: false });
  const [filters, setFilters] = useState(NO_FILTERS);
  const [review, setReview] = useState<readonly ReviewStatus[]>(DEFAULT_EXPORT_REVIEW_STATUSES);
  const set = (k: keyof typeof o) => (e: { target: { value: string; checked?: boolean; type?: string } }) =>
    setO({ ...o, [k]: e.target.type === "checkbox" ? Boolean(e.target.checked) : e.target.value });
  const q = new URLSearchParams({ format: o.format, mode: o.mode, ties: o.ties, margin: o.margin, split: o.split, testFraction: o.testFraction, seed: o.seed, pseudonymise: String(o.pseudonymise) });
  addFilterParams(q, filters);
  q.set("reviewStatus", review.join(","));
  if (o.minReliability !== "") q.set("minReliability", o.minReliability);
  const chosen = formats.find((f) => f.id === o.format);
  // A weight needs somewhere to go (the format) and one annotator per row (raw pairs, or whole rankings).
  const canWeight = Boolean(chosen?.holdsWeights && (chosen.rows === "rankings" || o.mode === "raw"));
  if (o.weights && canWeight) q.set("weights", "reliability");
  const base = `/api/projects/${projectId}/export`;
  const select = (k: keyof typeof o, label: string, values: readonly (string | { id: string; label: string })[]) => (
    <Field label={label} htmlFor={`ex-${k}`}>
      <Select id={`ex-${k}`} value={String(o[k])} onChange={set(k)}>
        {values.map((v) => (typeof v === "string" ? { id: v, label: v } : v)).map((v) => <option key={v.id} value={v.id}>{v.label}</option>)}
      </Select>
    </Field>
  );
  const keepsTies = formats.find((f) => f.id === o.format)?.keepsTies ?? false;
  return (
    <Card title="Export preference pairs">
      <div className="grid gap-4 sm:grid-cols-3 lg:grid-cols-5">
        {select("format", "Format", formats)}
        {select("mode", "Pairing", ["raw", "majority", "bradley-terry"])}
        {select("ties", "Ties", keepsTies ? ["drop", "keep"] : ["drop"])}
        {select("margin", "Margin", ["none", "rank", "rating"])}
        {select("split", "Split", ["all", "train", "test"])}
        <Field label="Test fraction" htmlFor="ex-testFraction"><Input id="ex-testFraction" type="number" min={0} max={1} step="0.05" value={o.testFraction} onChange={set("testFraction")} /></Field>
        <Field label="Split seed" htmlFor="ex-seed"><Input id="ex-seed" value={o.seed} onChange={set("seed")} /></Field>
        <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={o.pseudonymise} onChange={set("pseudonymise")} /> Pseudonymise annotators</label>
        <Field label="Min annotator reliability" htmlFor="ex-minReliability"><Input id="ex-minReliability" type="number" min={0} max={1} step="0.05" value={o.minReliability} onChange={set("minReliability")} /></Field>
        <label className="flex items-center gap-2 text-sm"><input type="checkbox" checked={o.weights && canWeight} disabled={!canWeight} onChange={set("weights")} /> Weight rows by annotator reliability</label>
      </div>
      <ExportFilters value={filters} annotators={annotators} onChange={setFilters} />
      <fieldset className="mt-4">
        <legend className="text-sm font-medium">Review status</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {REVIEW_STATUSES.map((st) => (
            <label key={st} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={review.includes(st)} onChange={(e) => setReview(REVIEW_STATUSES.filter((x) => (x === st ? e.target.checked : review.includes(x))))} />
              {REVIEW_STATUS_LABELS[st]}
            </label>
          ))}
        </div>
      </fieldset>
      {review.length === 0 ? (
        <p role="alert" className="mt-4 text-sm text-red-700">Pick at least one review status to export.</p>
      ) : (
        <div className="mt-4 flex gap-4 text-sm font-semibold">
          <a className="text-indigo-700 underline dark:text-indigo-300" href={`${base}?${q}`} data-testid="export-link">Download export</a>
          <a className="text-indigo-700 underline dark:text-indigo-300" href={`${base}/card?${q}`}>Dataset card (README.md)</a>
        </div>
      )}
    </Card>
  );
}
