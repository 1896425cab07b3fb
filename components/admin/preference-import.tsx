"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { apiFetch, apiUpload } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { ImportRunView } from "@/lib/datasets/import-types";
import { ImportCheck } from "./import-check";
import { ImportJobProgress, RecentImports, storedSummary } from "./import-progress";

type Started = { import: ImportRunView; job: { id: string } | null };

/**
 * Upload → check → import. The upload is validated whole on the server
 * before anything is written: every bad line, a preview of the first records
 * as they will be stored, warnings. The admin then imports it (leaving the
 * bad lines out only when they tick the box), in the request for a small file
 * or as a job with progress and cancel for a large one.
 */
export function PreferenceImport({ projectId, formats }: { projectId: string; formats: { id: string; label: string }[] }) {
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState("auto");
  const [skipInvalid, setSkipInvalid] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: queryKeys.imports(projectId) });
  const upload = useMutation({
    mutationFn: (f: File) => apiUpload<{ import: ImportRunView }>(`/api/projects/${projectId}/imports?${new URLSearchParams({ format, name: f.name.slice(0, 200) || "upload.jsonl" })}`, f),
    onSuccess: () => {
      setSkipInvalid(false);
      start.reset();
      void refresh();
    },
  });
  const start = useMutation({
    mutationFn: (id: string) => apiFetch<Started>(`/api/projects/${projectId}/imports/${id}`, { body: { skipInvalid } }),
    onSettled: refresh,
  });
  const discard = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/projects/${projectId}/imports/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      upload.reset();
      void refresh();
    },
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (file) upload.mutate(file);
  }
  const checked = upload.data?.import;
  const started = start.data;
  const blocked = !!checked && checked.invalid > 0 && !skipInvalid;
  return (
    <div className="grid gap-6">
      <Card title="Upload a preference file">
        <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-3 sm:items-end">
          <Field label="Format" htmlFor="pref-format" hint="JSON Lines, gzip accepted">
            <Select id="pref-format" value={format} onChange={(e) => setFormat(e.target.value)}>
              <option value="auto">Detect from the file</option>
              {formats.map((f) => <option key={f.id} value={f.id}>{f.label} ({f.id})</option>)}
            </Select>
          </Field>
          <Field label="File" htmlFor="pref-file">
            <input id="pref-file" type="file" accept=".jsonl,.json,.gz,.ndjson" onChange={(e) => setFile(e.target.files?.[0] ?? null)} className="block text-sm" />
          </Field>
          <div><Button type="submit" disabled={!file || upload.isPending}>{upload.isPending ? "Checking…" : "Check file"}</Button></div>
        </form>
        {upload.error ? <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">Nothing was imported: {upload.error.message}</p> : null}
      </Card>

      {checked && !started ? (
        <Card title="Check">
          <ImportCheck upload={checked} />
          <div className="mt-4 flex flex-wrap items-center gap-3">
            {checked.invalid > 0 ? (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
                Skip the {checked.invalid} bad line(s) and import the rest
              </label>
            ) : null}
            <Button onClick={() => start.mutate(checked.id)} disabled={blocked || start.isPending || checked.records === 0}>
              {start.isPending ? "Importing…" : `Import ${checked.records} record(s)`}
            </Button>
            <Button variant="ghost" onClick={() => discard.mutate(checked.id)} disabled={start.isPending || discard.isPending}>Discard</Button>
          </div>
          {start.error ? <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">Nothing was imported: {start.error.message}</p> : null}
        </Card>
      ) : null}

      {started ? (
        <Card title="Import">
          {started.job ? (
            <ImportJobProgress jobId={started.job.id} projectId={projectId} />
          ) : (
            <p role="status" className="text-sm" data-testid="import-result">
              Imported {started.import.fileName}: {started.import.stored ? storedSummary(started.import.stored) : ""}
            </p>
          )}
        </Card>
      ) : null}

      <Card title="Recent imports"><RecentImports projectId={projectId} /></Card>
    </div>
  );
}
