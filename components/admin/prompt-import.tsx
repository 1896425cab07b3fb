"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Select, Textarea } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";

type Format = "text" | "jsonl" | "csv";

function guessFormat(name: string): Format {
  if (/\.jsonl?$/i.test(name)) return "jsonl";
  if (/\.csv$/i.test(name)) return "csv";
  return "text";
}

interface ImportResult {
  added: number;
  duplicates: number[];
  /** Imported prompts whose tokens + max_new_tokens exceed the model's context (generation will skip them). */
  tooLong: { lines: number[]; context: number; maxNewTokens: number } | null;
}

export function PromptImport({ projectId }: { projectId: string }) {
  const qc = useQueryClient();
  const [content, setContent] = useState("");
  const [format, setFormat] = useState<Format>("text");
  const upload = useMutation({
    mutationFn: () => apiFetch<ImportResult>(`/api/projects/${projectId}/prompts`, { body: { format, content } }),
    onSuccess: () => {
      setContent("");
      void qc.invalidateQueries({ queryKey: queryKeys.projectStats(projectId) });
    },
  });
  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    setFormat(guessFormat(file.name));
    setContent(await file.text());
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    upload.mutate();
  }
  const errors = (upload.error as { details?: { errors?: { line: number; message: string }[] } } | null)?.details?.errors;
  return (
    <Card title="Import prompts">
      <form onSubmit={onSubmit} className="grid gap-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Format" htmlFor="import-format" hint='text: one prompt per line · JSONL: {"prompt"} or {"messages"}, optionally with "completions" · CSV: a "prompt" column'>
            <Select id="import-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
              <option value="text">Plain text</option>
              <option value="jsonl">JSONL</option>
              <option value="csv">CSV</option>
            </Select>
          </Field>
          <Field label="Upload a file" htmlFor="import-file">
            <input id="import-file" type="file" accept=".txt,.jsonl,.json,.csv" onChange={onFile} className="block text-sm" />
          </Field>
        </div>
        <Field label="Or paste prompts" htmlFor="import-content">
          <Textarea id="import-content" rows={6} value={content} onChange={(e) => setContent(e.target.value)} className="font-mono text-xs" />
        </Field>
        <div><Button type="submit" disabled={!content.trim() || upload.isPending}>Import</Button></div>
      </form>
      {upload.data ? (
        <p role="status" className="mt-3 text-sm" data-testid="import-result">
          Added {upload.data.added} prompts.{upload.data.duplicates.length ? ` Skipped ${upload.data.duplicates.length} duplicates (lines ${upload.data.duplicates.slice(0, 10).join(", ")}).` : ""}
        </p>
      ) : null}
      {upload.data?.tooLong ? (
        <p role="alert" className="mt-2 text-sm text-amber-800 dark:text-amber-300" data-testid="import-too-long">
          {upload.data.tooLong.lines.length} imported prompt{upload.data.tooLong.lines.length === 1 ? " is" : "s are"} too long for the model: with max_new_tokens{" "}
          {upload.data.tooLong.maxNewTokens} {upload.data.tooLong.lines.length === 1 ? "it does" : "they do"} not fit its context of {upload.data.tooLong.context} tokens (lines{" "}
          {upload.data.tooLong.lines.slice(0, 10).join(", ")}{upload.data.tooLong.lines.length > 10 ? ", …" : ""}). Generation will skip {upload.data.tooLong.lines.length === 1 ? "it" : "them"}.
        </p>
      ) : null}
      {upload.error ? (
        <div role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">
          <p>Nothing was imported: {upload.error.message}</p>
          {errors && errors.length > 1 ? <ul className="mt-1 list-disc pl-5">{errors.slice(0, 10).map((e) => <li key={e.line}>line {e.line}: {e.message}</li>)}</ul> : null}
        </div>
      ) : null}
    </Card>
  );
}
