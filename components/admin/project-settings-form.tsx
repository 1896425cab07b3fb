"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { AppError } from "@/lib/errors";
import type { Rubric } from "@/lib/ranking/rubric";
import { AnnotationSection, GeneralSection, GenerationSection, Section, type FormState, type SectionProps } from "./project-settings-sections";
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
function changedFields(initial: FormState, current: FormState): Record<string, unknown> {
  const before = toBody(initial);
  return Object.fromEntries(Object.entries(toBody(current)).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])));
}

/** Field errors from the API's error: every zod issue (`body.rubric.aspects.1.id`), else the message's leading path. */
function fieldErrors(err: AppError): FieldErrors {
  const issues = (err.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
  if (issues?.length) return Object.fromEntries(issues.map((i) => [i.path.replace(/^body\./, ""), i.message]));
  const m = /^body\.([A-Za-z0-9_.]+)/.exec(err.message);
  return m ? { [m[1]]: err.message } : {};
}

const under = (errors: FieldErrors, prefix: string) => Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith(`${prefix}.`) || k === prefix).map(([k, v]) => [k.slice(prefix.length + 1) || prefix, v]));

/** Every setting the projects API can change, in sections, saved with one PATCH of what changed. */
export function ProjectSettingsForm({ project, statuses }: { project: ProjectSettings; statuses: readonly string[] }) {
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
  const set: SectionProps["set"] = (k) => (v) => setF((s) => ({ ...s, [k]: v }));

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
      <GeneralSection f={f} set={set} errors={errors} statuses={statuses} />
      <AnnotationSection f={f} set={set} errors={errors} />
      <GenerationSection f={f} set={set} errors={errors} />
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
