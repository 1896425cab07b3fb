"use client";

import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import type { Rubric } from "@/lib/ranking/rubric";
import type { FieldErrors } from "./rubric-editor";

/** What the settings form edits: the settings with the numbers, presets and source as the inputs hold them. */
export interface FormState {
  name: string; status: string; guidelines: string; k: string; n: string; revealScores: boolean;
  modelId: string; presets: string; sourceUrl: string; sourceModel: string; sourceKeyEnv: string; rubric: Rubric;
}

/** One section's view of the form: the values, a setter per field, and the API's errors by field path. */
export interface SectionProps {
  f: FormState;
  set: <K extends keyof FormState>(k: K) => (v: FormState[K]) => void;
  errors: FieldErrors;
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return <Card title={title}><div className="grid gap-5">{children}</div></Card>;
}

/** `statuses`: the projects API's list (app/api/projects/schema.ts), handed down by the page. */
export function GeneralSection({ f, set, errors, statuses }: SectionProps & { statuses: readonly string[] }) {
  return (
    <Section title="General">
      <Field label="Name" htmlFor="s-name" error={errors.name}><Input id="s-name" value={f.name} maxLength={120} onChange={(e) => set("name")(e.target.value)} /></Field>
      <Field label="Status" htmlFor="s-status" error={errors.status} hint="Only active projects hand out tasks.">
        <Select id="s-status" value={f.status} onChange={(e) => set("status")(e.target.value)}>
          {statuses.map((s) => <option key={s} value={s}>{s}</option>)}
        </Select>
      </Field>
      <Field label="Guidelines (Markdown, shown to annotators)" htmlFor="s-guidelines" error={errors.guidelines}>
        <Textarea id="s-guidelines" rows={8} value={f.guidelines} onChange={(e) => set("guidelines")(e.target.value)} />
      </Field>
    </Section>
  );
}

export function AnnotationSection({ f, set, errors }: SectionProps) {
  return (
    <Section title="Annotation">
      <div className="grid gap-5 sm:grid-cols-2">
        <Field label="Completions per prompt (K)" htmlFor="s-k" error={errors.completionsPerPrompt} hint="2 to 9; applies to prompts generated from now on">
          <Input id="s-k" type="number" min={2} max={9} value={f.k} onChange={(e) => set("k")(e.target.value)} />
        </Field>
        <Field label="Rankings per prompt (N)" htmlFor="s-n" error={errors.rankingsPerPrompt} hint="1 to 20 annotators per prompt">
          <Input id="s-n" type="number" min={1} max={20} value={f.n} onChange={(e) => set("n")(e.target.value)} />
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={f.revealScores} onChange={(e) => set("revealScores")(e.target.checked)} />
        Show annotators the reward model&apos;s scores after they submit
      </label>
      {/* Membership, quotas and the gold rate (issue 19, queue branch) join here as fields of this form. */}
    </Section>
  );
}

export function GenerationSection({ f, set, errors }: SectionProps) {
  const presetError = errors.decodingPresets ?? Object.entries(errors).find(([k]) => k.startsWith("decodingPresets"))?.[1];
  return (
    <Section title="Generation">
      <Field label="Model" htmlFor="s-model" error={errors.modelId} hint='"demo", a path to a HF folder / .gguf, or a Hub id: hf:org/name or hf:org/name/file.gguf'>
        <Input id="s-model" value={f.modelId} onChange={(e) => set("modelId")(e.target.value)} />
      </Field>
      <Field label="Decoding presets (JSON)" htmlFor="s-presets" error={presetError} hint="Completion i uses preset i mod P, each with its own recorded seed.">
        <Textarea id="s-presets" rows={8} className="font-mono text-xs" value={f.presets} onChange={(e) => set("presets")(e.target.value)} />
      </Field>
      <fieldset className="grid gap-4 rounded-md border border-slate-200 p-4 sm:grid-cols-3 dark:border-slate-800">
        <legend className="px-1 text-sm font-medium">Completion source</legend>
        <Field label="OpenAI-compatible base URL" htmlFor="s-source-url" error={errors["completionSource.baseUrl"] ?? errors.completionSource} hint="Empty: the built-in engine.">
          <Input id="s-source-url" type="url" value={f.sourceUrl} placeholder="http://gpu-box:8000" onChange={(e) => set("sourceUrl")(e.target.value)} />
        </Field>
        <Field label="Model name at that endpoint" htmlFor="s-source-model" error={errors["completionSource.model"]}><Input id="s-source-model" value={f.sourceModel} onChange={(e) => set("sourceModel")(e.target.value)} /></Field>
        <Field label="API key variable (optional)" htmlFor="s-source-key" error={errors["completionSource.apiKeyEnv"]} hint="Name of a server environment variable"><Input id="s-source-key" value={f.sourceKeyEnv} onChange={(e) => set("sourceKeyEnv")(e.target.value)} /></Field>
      </fieldset>
    </Section>
  );
}
