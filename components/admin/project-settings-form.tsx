"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { AppError } from "@/lib/errors";
import type { Rubric } from "@/lib/ranking/rubric";
import { RubricEditor, type FieldErrors } from "./rubric-editor";

/** The settings a project has, as the page loads them (plain data from the server). */
export interface ProjectSettings {
  id: string;
  name: string;
  status: string;
  guidelines: string;
  completionsPerPrompt: number;
  rankingsPerPrompt: number;
  revealScores: boolean;
  modelId: string;
  decodingPresets: unknown[];
  completionSource: unknown;
  rubric: Rubric;
}

type Source = { type?: string; baseUrl?: string; model?: string; apiKeyEnv?: string };

/** What the form edits: the settings with the numbers, presets and source as the inputs hold them. */
interface FormState {
  name: string; status: string; guidelines: string; k: string; n: string; revealScores: boolean;
  modelId: string; presets: string; sourceUrl: string; sourceModel: string; sourceKeyEnv: string; rubric: Rubric;
}

function toForm(p: ProjectSettings): FormState {
  const source = (p.completionSource ?? {}) as Source;
  const openai = source.type === "openai";
  return {
    name: p.name, status: p.status, guidelines: p.guidelines, k: String(p.completionsPerPrompt), n: String(p.rankingsPerPrompt), revealScores: p.revealScores,
    modelId: p.modelId, presets: JSON.stringify(p.decodingPresets, null, 2),
    sourceUrl: openai ? (source.baseUrl ?? "") : "", sourceModel: openai ? (source.model ?? "") : "", sourceKeyEnv: openai ? (source.apiKeyEnv ?? "") : "", rubric: p.rubric,
  };
}

/** The request body for every field; `presets` must be JSON (the caller reports it otherwise). */
function toBody(f: FormState): Record<string, unknown> {
  const url = f.sourceUrl.trim();
  return {
    name: f.name, status: f.status, guidelines: f.guidelines, completionsPerPrompt: Number(f.k), rankingsPerPrompt: Number(f.n), revealScores: f.revealScores,
    modelId: f.modelId, decodingPresets: JSON.parse(f.presets) as unknown,
    completionSource: url ? { type: "openai", baseUrl: url, model: f.sourceModel.trim(), ...(f.sourceKeyEnv.trim() ? { apiKeyEnv: f.sourceKeyEnv.trim() } : {}) } : { type: "builtin" },
    rubric: f.rubric,
  };
}

/** Only what changed is sent, so a save never overwrites another admin's change to an untouched field. */
export function changedFields(initial: FormState, current: FormState): Record<string, unknown> {
  const before = toBody(initial);
  return Object.fromEntries(Object.entries(toBody(current)).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])));
}

/** Field errors from the API's error: every zod issue (`body.rubric.aspects.1.id`), else the message's leading path. */
export function fieldErrors(err: AppError): FieldErrors {
  const issues = (err.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
  if (issues?.length) return Object.fromEntries(issues.map((i) => [i.path.replace(/^body\./, ""), i.message]));
  const m = /^body\.([A-Za-z0-9_.]+)/.exec(err.message);
  return m ? { [m[1]]: err.message } : {};
}

const under = (errors: FieldErrors, prefix: string) => Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith(`${prefix}.`) || k === prefix).map(([k, v]) => [k.slice(prefix.length + 1) || prefix, v]));

function Section({ title, children }: { title: string; children: ReactNode }) {
  return <Card title={title}><div className="grid gap-5">{children}</div></Card>;
}

/** Every setting the projects API can change, in sections, saved with one PATCH of what changed. */
export function ProjectSettingsForm({ project }: { project: ProjectSettings }) {
  const qc = useQueryClient();
  const [initial, setInitial] = useState(() => toForm(project));
  const [f, setF] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => apiFetch<{ project: ProjectSettings }>(`/api/projects/${project.id}`, { method: "PATCH", body }),
    onSuccess: ({ project: saved }) => {
      const next = toForm(saved);
      setInitial(next);
      setF(next);
      setMessage({ ok: true, text: "Settings saved." });
      void qc.invalidateQueries({ queryKey: queryKeys.project(project.id) });
    },
    onError: (err: AppError) => {
      setErrors(fieldErrors(err));
      setMessage({ ok: false, text: err.message });
    },
  });
  const set = <K extends keyof FormState>(k: K) => (v: FormState[K]) => setF((s) => ({ ...s, [k]: v }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    try {
      JSON.parse(f.presets);
    } catch {
      setErrors({ decodingPresets: "not valid JSON" });
      return setMessage({ ok: false, text: "decodingPresets: not valid JSON" });
    }
    const body = changedFields(initial, f);
    if (Object.keys(body).length === 0) return setMessage({ ok: true, text: "Nothing changed." });
    setMessage(null);
    save.mutate(body);
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-6" noValidate>
      <Section title="General">
        <Field label="Name" htmlFor="s-name" error={errors.name}><Input id="s-name" value={f.name} maxLength={120} onChange={(e) => set("name")(e.target.value)} /></Field>
        <Field label="Status" htmlFor="s-status" error={errors.status} hint="Only active projects hand out tasks.">
          <Select id="s-status" value={f.status} onChange={(e) => set("status")(e.target.value)}>
            {["draft", "active", "paused", "archived"].map((s) => <option key={s} value={s}>{s}</option>)}
          </Select>
        </Field>
        <Field label="Guidelines (Markdown, shown to annotators)" htmlFor="s-guidelines" error={errors.guidelines}>
          <Textarea id="s-guidelines" rows={8} value={f.guidelines} onChange={(e) => set("guidelines")(e.target.value)} />
        </Field>
      </Section>
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
      <Section title="Generation">
        <Field label="Model" htmlFor="s-model" error={errors.modelId} hint='"demo", a path to a HF folder / .gguf, or a Hub id: hf:org/name or hf:org/name/file.gguf'>
          <Input id="s-model" value={f.modelId} onChange={(e) => set("modelId")(e.target.value)} />
        </Field>
        <Field label="Decoding presets (JSON)" htmlFor="s-presets" error={errors.decodingPresets ?? Object.entries(errors).find(([k]) => k.startsWith("decodingPresets"))?.[1]} hint="Completion i uses preset i mod P, each with its own recorded seed.">
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
      <Section title="Rubric">
        <RubricEditor rubric={f.rubric} errors={under(errors, "rubric")} onChange={set("rubric")} />
      </Section>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={save.isPending}>Save settings</Button>
        <Button variant="ghost" disabled={save.isPending} onClick={() => { setF(initial); setErrors({}); setMessage(null); }}>Discard changes</Button>
        {message ? <p role={message.ok ? "status" : "alert"} data-testid="settings-message" className={`text-sm ${message.ok ? "text-green-800 dark:text-green-300" : "text-red-700 dark:text-red-400"}`}>{message.text}</p> : null}
      </div>
    </form>
  );
}
