"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import { isOpen, type TrainJobView } from "./use-research";

const tone = (s: TrainJobView["status"]) => (s === "succeeded" ? "green" : s === "failed" ? "red" : s === "running" ? "indigo" : "slate");

/** Starts a training run (features first, then the head) and shows the job's stage and progress. */
export function TrainPanel({ projectId, job, canCancel }: { projectId: string; job: TrainJobView | null; canCancel: boolean }) {
  const qc = useQueryClient();
  const [mode, setMode] = useState<"frozen" | "finetune">("frozen");
  const [trainLayers, setTrainLayers] = useState("1");
  const [head, setHead] = useState<"linear" | "mlp">("linear");
  const [epochs, setEpochs] = useState("30");
  const [lr, setLr] = useState("0.001");
  const refresh = () => qc.invalidateQueries({ queryKey: queryKeys.research(projectId) });
  const start = useMutation({
    mutationFn: () => apiFetch(`/api/projects/${projectId}/reward-models`, {
      body: mode === "finetune"
        ? { mode, trainLayers: Number(trainLayers), epochs: Number(epochs), lr: Number(lr) }
        : { mode, head, epochs: Number(epochs), lr: Number(lr) },
    }),
    onSettled: refresh,
  });
  const cancel = useMutation({ mutationFn: (id: string) => apiFetch(`/api/jobs/${id}/cancel`, { method: "POST" }), onSettled: refresh });
  const open = isOpen(job);
  // Early stopping ends a run before its last epoch: a finished run shows a full bar.
  const pct = job?.status === "succeeded" ? 100 : job && job.progressTotal > 0 ? Math.round((100 * job.progressDone) / job.progressTotal) : 0;
  const stage = job?.result?.stage === "features" ? "completions featurized" : "epochs";
  return (
    <Card title="Train a reward model">
      <form className="flex flex-wrap items-end gap-4" onSubmit={(e) => (e.preventDefault(), start.mutate())}>
        <Field label="Mode" htmlFor="rm-mode">
          <Select id="rm-mode" value={mode} onChange={(e) => setMode(e.target.value as "frozen" | "finetune")}>
            <option value="frozen">frozen backbone (head only)</option>
            <option value="finetune">fine-tune top layers</option>
          </Select>
        </Field>
        {mode === "finetune" ? (
          <Field label="Layers trained" htmlFor="rm-layers"><Input id="rm-layers" type="number" min={1} max={512} value={trainLayers} onChange={(e) => setTrainLayers(e.target.value)} /></Field>
        ) : (
          <Field label="Head" htmlFor="rm-head">
            <Select id="rm-head" value={head} onChange={(e) => setHead(e.target.value as "linear" | "mlp")}>
              <option value="linear">linear</option>
              <option value="mlp">MLP</option>
            </Select>
          </Field>
        )}
        <Field label="Epochs" htmlFor="rm-epochs"><Input id="rm-epochs" type="number" min={1} max={1000} value={epochs} onChange={(e) => setEpochs(e.target.value)} /></Field>
        <Field label="Learning rate" htmlFor="rm-lr"><Input id="rm-lr" type="number" step="any" min={0} value={lr} onChange={(e) => setLr(e.target.value)} /></Field>
        <Button type="submit" disabled={open || start.isPending}>Train reward model</Button>
        {open && canCancel && job ? <Button variant="secondary" onClick={() => cancel.mutate(job.id)} disabled={job.cancelRequested}>Cancel</Button> : null}
      </form>
      {job ? (
        <div className="mt-4 space-y-2" data-testid="train-job">
          <div className="flex items-center gap-2 text-sm">
            <Badge tone={tone(job.status)}>{job.status}</Badge>
            <span>{job.progressDone} / {job.progressTotal} {stage}</span>
          </div>
          <ProgressBar label="Training progress" percent={pct} />
          {job.error ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{job.error}</p> : null}
        </div>
      ) : null}
      {start.error ? <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">{start.error.message}</p> : null}
      {cancel.error ? <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">{cancel.error.message}</p> : null}
    </Card>
  );
}
