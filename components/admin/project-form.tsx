"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Textarea } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";
import { PROJECT_DEFAULTS } from "@/lib/projects/defaults";

const DEFAULT_PRESETS = `[\n${PROJECT_DEFAULTS.decodingPresets.map((p) => `  ${JSON.stringify(p)}`).join(",\n")}\n]`;

export function ProjectForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: unknown) => apiFetch<{ project: { id: string } }>("/api/projects", { body }),
    onSuccess: ({ project }) => router.push(`/admin/projects/${project.id}`),
    onError: (e) => setError(e.message),
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    let presets: unknown;
    try {
      presets = JSON.parse(String(f.get("presets")));
    } catch {
      setError("Decoding presets: not valid JSON");
      return;
    }
    setError(null);
    const baseUrl = String(f.get("sourceUrl") ?? "").trim();
    create.mutate({
      completionSource: baseUrl ? { type: "openai", baseUrl, model: String(f.get("sourceModel") ?? "").trim() } : { type: "builtin" },
      name: String(f.get("name")),
      guidelines: String(f.get("guidelines")),
      completionsPerPrompt: Number(f.get("k")),
      rankingsPerPrompt: Number(f.get("n")),
      modelId: String(f.get("model")) || "demo",
      decodingPresets: presets,
    });
  }
  return (
    <Card>
      <form onSubmit={onSubmit} className="grid gap-5">
        <Field label="Name" htmlFor="name"><Input id="name" name="name" required maxLength={120} /></Field>
        <Field label="Guidelines (Markdown, shown to annotators)" htmlFor="guidelines">
          <Textarea id="guidelines" name="guidelines" rows={6} defaultValue={PROJECT_DEFAULTS.guidelines} />
        </Field>
        <div className="grid gap-5 sm:grid-cols-3">
          <Field label="Completions per prompt (K)" htmlFor="k" hint="2 to 9"><Input id="k" name="k" type="number" min={2} max={9} defaultValue={PROJECT_DEFAULTS.completionsPerPrompt} required /></Field>
          <Field label="Rankings per prompt (N)" htmlFor="n" hint="annotators per prompt"><Input id="n" name="n" type="number" min={1} max={20} defaultValue={PROJECT_DEFAULTS.rankingsPerPrompt} required /></Field>
          <Field label="Model" htmlFor="model" hint='"demo", a path to a HF folder / .gguf, or a Hub id: hf:org/name or hf:org/name/file.gguf'><Input id="model" name="model" defaultValue={PROJECT_DEFAULTS.modelId} /></Field>
        </div>
        <Field label="Decoding presets (JSON)" htmlFor="presets" hint="Completion i uses preset i mod P, each with its own recorded seed.">
          <Textarea id="presets" name="presets" rows={8} className="font-mono text-xs" defaultValue={DEFAULT_PRESETS} />
        </Field>
        <fieldset className="grid gap-4 rounded-md border border-slate-200 p-4 sm:grid-cols-2 dark:border-slate-800">
          <legend className="px-1 text-sm font-medium">Completion source (optional)</legend>
          <Field label="OpenAI-compatible base URL" htmlFor="sourceUrl" hint="Leave empty to use the built-in engine. vLLM, Ollama, TGI, llama.cpp server…">
            <Input id="sourceUrl" name="sourceUrl" type="url" placeholder="http://gpu-box:8000" />
          </Field>
          <Field label="Model name at that endpoint" htmlFor="sourceModel"><Input id="sourceModel" name="sourceModel" /></Field>
        </fieldset>
        {error ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{error}</p> : null}
        <div><Button type="submit" disabled={create.isPending}>Create project</Button></div>
      </form>
    </Card>
  );
}
