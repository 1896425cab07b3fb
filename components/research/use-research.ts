"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { ResearchView } from "@/lib/research/build";

export type EpochPoint = { epoch: number; trainLoss: number; valLoss: number; valAccuracy: number };
export type TrainJobView = {
  id: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  progressDone: number;
  progressTotal: number;
  result: { stage?: string; history?: EpochPoint[] } | null;
  error: string | null;
  cancelRequested: boolean;
};
/** The route's JSON: dates become strings, the job row is narrowed to what the page reads. */
export type ResearchData = Omit<ResearchView, "job" | "models"> & {
  job: TrainJobView | null;
  models: { id: string; version: number; status: string; createdAt: string; config: Record<string, unknown>; metrics: Record<string, unknown> | null }[];
};

export const isOpen = (job: TrainJobView | null) => job?.status === "queued" || job?.status === "running";

/** The research view of a project; polls every second while a reward model trains. */
export function useResearch(projectId: string, initialData: ResearchData) {
  return useQuery({
    queryKey: queryKeys.research(projectId),
    queryFn: () => apiFetch<ResearchData>(`/api/projects/${projectId}/research`),
    initialData,
    refetchInterval: (q) => (isOpen(q.state.data?.job ?? null) ? 1000 : false),
  });
}
