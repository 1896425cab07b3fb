"use client";

import { Card } from "@/components/ui/card";
import type { FormatChoice } from "@/lib/datasets/registry";
import { BestOfNPanel } from "./best-of-n-panel";
import { ExportForm } from "./export-form";
import { PresetLeaderboard, RewardDistribution } from "./preset-stats";
import { DisagreementList, ScoresTable } from "./scores-table";
import { TrainPanel } from "./train-panel";
import { TrainingCharts } from "./training-charts";
import { isOpen, useResearch, type EpochPoint, type ResearchData } from "./use-research";

type Metrics = { history?: EpochPoint[]; test?: { accuracy: number; verifier?: { pairs: number; accuracy: number } | null; calibration: { lo: number; hi: number; n: number; meanPredicted: number | null; observed: number | null }[] } };

/** The interactive part of a project's research page; everything refreshes while a run trains. */
export function ResearchDashboard({ projectId, initialData, canCancel, exportFormats, exportAnnotators }: { projectId: string; initialData: ResearchData; canCancel: boolean; exportFormats: readonly FormatChoice[]; exportAnnotators: readonly { id: string; name: string }[] }) {
  const { data } = useResearch(projectId, initialData);
  const current = data.models.find((m) => m.id === data.currentModelId);
  const metrics = (current?.metrics ?? {}) as Metrics;
  const live = isOpen(data.job) && data.job?.result?.stage === "training";
  const history = live ? (data.job?.result?.history ?? []) : (metrics.history ?? []);
  return (
    <div className="grid gap-6">
      <TrainPanel projectId={projectId} job={data.job} canCancel={canCancel} />
      <TrainingCharts history={history} calibration={live ? [] : (metrics.test?.calibration ?? [])} testAccuracy={live ? null : (metrics.test?.accuracy ?? null)} />
      <Card title="Reward model versions">
        {data.models.length === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">No reward models yet.</p> : (
          <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="reward-models">
            {data.models.map((m) => {
              const acc = (m.metrics as Metrics | null)?.test?.accuracy;
              const verifier = (m.metrics as Metrics | null)?.test?.verifier;
              return (
                <li key={m.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>v{m.version} · {m.config.mode === "finetune" ? `fine-tuned top ${String(m.config.trainLayers)}` : String(m.config.head)} · {m.status}{acc === undefined ? "" : ` · held-out accuracy ${(acc * 100).toFixed(1)}%`}{verifier ? ` · agrees with the verifier on ${(verifier.accuracy * 100).toFixed(1)}% of ${verifier.pairs} pairs` : ""}</span>
                  {m.status === "ready" ? <a className="text-indigo-700 underline dark:text-indigo-300" href={`/api/reward-models/${m.id}/weights`}>weights (.safetensors)</a> : null}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <PresetLeaderboard rows={data.leaderboard} />
      <RewardDistribution rows={data.distribution} />
      <DisagreementList items={data.disagreements} />
      <ScoresTable prompts={data.prompts} />
      <BestOfNPanel projectId={projectId} />
      <ExportForm projectId={projectId} formats={exportFormats} annotators={exportAnnotators} />
    </div>
  );
}
