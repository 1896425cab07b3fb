"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { ImportRunView, ImportStored } from "@/lib/datasets/import-types";
import type { JobView } from "./use-project-stats";

const open = (status?: string) => status === "queued" || status === "running";

export function storedSummary(s: ImportStored): string {
  const skipped = s.skippedInvalid ? `, ${s.skippedInvalid} bad line(s) skipped` : "";
  const dup = s.duplicates ? `, ${s.duplicates} ranking(s) already present` : "";
  return `${s.rankings} rankings stored (${s.prompts} new prompts, ${s.completions} new completions)${dup}${skipped}.`;
}

/** A large import's job: lines read of the file's lines, and cancel (which removes what it had stored). */
export function ImportJobProgress({ jobId, projectId }: { jobId: string; projectId: string }) {
  const qc = useQueryClient();
  const job = useQuery({
    queryKey: queryKeys.job(jobId),
    queryFn: () => apiFetch<{ job: JobView & { result: Partial<ImportStored> | null } }>(`/api/jobs/${jobId}`).then((r) => r.job),
    refetchInterval: (q) => (open(q.state.data?.status) || !q.state.data ? 1000 : false),
  });
  const cancel = useMutation({
    mutationFn: () => apiFetch(`/api/jobs/${jobId}/cancel`, { method: "POST" }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: queryKeys.job(jobId) });
      void qc.invalidateQueries({ queryKey: queryKeys.imports(projectId) });
    },
  });
  const j = job.data;
  if (!j) return <p className="text-sm">Starting the import…</p>;
  const pct = j.progressTotal > 0 ? Math.round((100 * j.progressDone) / j.progressTotal) : 0;
  return (
    <div className="space-y-2" data-testid="import-job">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={j.status === "succeeded" ? "green" : j.status === "failed" ? "red" : j.status === "running" ? "indigo" : "slate"}>{j.status}</Badge>
        <span>{j.progressDone} / {j.progressTotal} lines</span>
        {j.result?.rankings !== undefined ? <span>· {j.result.rankings} rankings stored</span> : null}
        {open(j.status) ? <Button variant="secondary" onClick={() => cancel.mutate()} disabled={j.cancelRequested || cancel.isPending}>Cancel import</Button> : null}
      </div>
      <ProgressBar label="Import progress" percent={pct} />
      {j.status === "cancelled" ? <p className="text-sm">Cancelled; what it had stored was removed.</p> : null}
      {j.error ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{j.error} Nothing was imported.</p> : null}
    </div>
  );
}

/** The project's recent imports. */
export function RecentImports({ projectId }: { projectId: string }) {
  const list = useQuery({ queryKey: queryKeys.imports(projectId), queryFn: () => apiFetch<{ imports: ImportRunView[] }>(`/api/projects/${projectId}/imports`).then((r) => r.imports) });
  if (!list.data?.length) return <p className="text-sm text-slate-600 dark:text-slate-400">No imports yet.</p>;
  return (
    <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="import-list">
      {list.data.map((r) => (
        <li key={r.id} className="flex flex-wrap items-center gap-2 py-2">
          <Badge tone={r.status === "done" ? "green" : r.status === "failed" ? "red" : r.status === "importing" ? "indigo" : "slate"}>{r.status}</Badge>
          <span className="font-medium">{r.fileName}</span>
          <span className="text-slate-600 dark:text-slate-400">{r.format} · {r.records} records · {new Date(r.createdAt).toLocaleString()}</span>
          {r.stored && r.status === "done" ? <span>· {storedSummary(r.stored)}</span> : null}
          {r.error ? <span className="text-red-700 dark:text-red-400">· {r.error}</span> : null}
        </li>
      ))}
    </ul>
  );
}
