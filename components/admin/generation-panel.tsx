"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Badge, Card } from "@/components/ui/card";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { useProjectStats, type JobView } from "./use-project-stats";

function eta(job: JobView): string | null {
  if (!job.startedAt || job.progressDone === 0 || job.status !== "running") return null;
  const elapsed = (Date.now() - new Date(job.startedAt).getTime()) / 1000;
  const left = (elapsed / job.progressDone) * (job.progressTotal - job.progressDone);
  return left < 90 ? `${Math.round(left)} s` : `${Math.round(left / 60)} min`;
}

/** While a Hub model downloads, the bar shows its bytes instead of prompts. */
function downloadView(job: JobView): { percent: number; text: string } | null {
  const r = job.result;
  if (job.status !== "running" || r?.stage !== "download" || !r.totalBytes) return null;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const bytes = r.bytes ?? 0;
  const text = bytes < r.totalBytes ? `downloading the model: ${r.file} · ${mb(bytes)} / ${mb(r.totalBytes)} MB` : "model downloaded; loading it";
  return { percent: Math.floor((100 * bytes) / r.totalBytes), text };
}

export function GenerationPanel({ projectId }: { projectId: string }) {
  const qc = useQueryClient();
  const { data } = useProjectStats(projectId);
  const refresh = () => qc.invalidateQueries({ queryKey: queryKeys.projectStats(projectId) });
  const start = useMutation({ mutationFn: () => apiFetch(`/api/projects/${projectId}/generate`, { method: "POST" }), onSettled: refresh });
  const cancel = useMutation({ mutationFn: (id: string) => apiFetch(`/api/jobs/${id}/cancel`, { method: "POST" }), onSettled: refresh });
  const job = data?.jobs.find((j) => j.kind === generateJob.kind);
  const open = job && (job.status === "queued" || job.status === "running");
  const download = job ? downloadView(job) : null;
  const pct = download ? download.percent : job && job.progressTotal > 0 ? Math.round((100 * job.progressDone) / job.progressTotal) : 0;
  const missing = data ? data.stats.prompts.total - data.stats.prompts.withCompletions : 0;
  return (
    <Card
      title="Completions"
      actions={
        open ? (
          <Button variant="secondary" onClick={() => cancel.mutate(job.id)} disabled={job.cancelRequested}>Cancel generation</Button>
        ) : (
          <Button onClick={() => start.mutate()} disabled={start.isPending || missing === 0}>
            {job?.status === "cancelled" || job?.status === "failed" ? "Resume generation" : "Generate completions"}
          </Button>
        )
      }
    >
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {data ? `${data.stats.prompts.withCompletions} of ${data.stats.prompts.total} prompts have completions.` : "Loading…"}
      </p>
      {job ? (
        <div className="mt-4 space-y-2" data-testid="generation-job">
          <div className="flex items-center gap-2 text-sm">
            <Badge tone={job.status === "succeeded" ? "green" : job.status === "failed" ? "red" : job.status === "running" ? "indigo" : "slate"}>{job.status}</Badge>
            <span>{job.progressDone} / {job.progressTotal} prompts</span>
            {job.result?.tokensPerSecond ? <span>· {job.result.tokensPerSecond} tokens/s</span> : null}
            {eta(job) ? <span>· about {eta(job)} left</span> : null}
            {download ? <span>· {download.text}</span> : null}
          </div>
          <ProgressBar label={download ? "Model download progress" : "Generation progress"} percent={pct} />
          {job.error ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{job.error}</p> : null}
        </div>
      ) : null}
      {start.error ? <p role="alert" className="mt-2 text-sm text-red-700">{start.error.message}</p> : null}
    </Card>
  );
}
