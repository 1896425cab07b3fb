"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input, Textarea } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";

interface BestOfNJob {
  id: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  error: string | null;
  result: { rewardModelVersion?: number; samples?: { text: string; seed: number; score: number }[] } | null;
}

/** Best-of-N: sample N answers with the project's model and let the newest reward model pick. */
export function BestOfNPanel({ projectId }: { projectId: string }) {
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: (body: { prompt: string; n: number }) => apiFetch<{ job: { id: string } }>(`/api/projects/${projectId}/best-of-n`, { body }),
    onSuccess: ({ job }) => setJobId(job.id),
  });
  const job = useQuery({
    queryKey: queryKeys.job(jobId ?? "none"),
    queryFn: () => apiFetch<{ job: BestOfNJob }>(`/api/jobs/${jobId}`),
    enabled: Boolean(jobId),
    refetchInterval: (q) => (q.state.data && ["succeeded", "failed", "cancelled"].includes(q.state.data.job.status) ? false : 1000),
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    start.mutate({ prompt: String(f.get("bon-prompt")), n: Number(f.get("bon-n")) });
  }
  const j = job.data?.job;
  return (
    <Card title="Best-of-N with the reward model">
      <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[1fr_8rem_auto] sm:items-end">
        <Field label="Prompt" htmlFor="bon-prompt"><Textarea id="bon-prompt" name="bon-prompt" rows={2} required /></Field>
        <Field label="N samples" htmlFor="bon-n"><Input id="bon-n" name="bon-n" type="number" min={2} max={32} defaultValue={8} /></Field>
        <Button type="submit" disabled={start.isPending || (j !== undefined && (j.status === "queued" || j.status === "running"))}>Sample and rank</Button>
      </form>
      {start.error ? <p role="alert" className="mt-2 text-sm text-red-700">{start.error.message}</p> : null}
      {j ? (
        <div className="mt-4 text-sm" data-testid="best-of-n">
          <Badge tone={j.status === "succeeded" ? "green" : j.status === "failed" ? "red" : "indigo"}>{j.status}</Badge>
          {j.error ? <p role="alert" className="mt-2 text-red-700">{j.error}</p> : null}
          {j.result?.samples ? (
            <ol className="mt-3 space-y-2">
              {j.result.samples.map((s, i) => (
                <li key={s.seed} className={`rounded-md p-2 ${i === 0 ? "bg-green-50 ring-1 ring-green-300 dark:bg-green-950/40" : ""}`}>
                  <span className="font-mono text-xs">{s.score.toFixed(3)}</span> {i === 0 ? <Badge tone="green">best (RM v{j.result?.rewardModelVersion})</Badge> : null}
                  <p className="whitespace-pre-wrap">{s.text}</p>
                </li>
              ))}
            </ol>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
