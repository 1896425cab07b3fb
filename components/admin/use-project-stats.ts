"use client";

import { useQuery } from "@tanstack/react-query";
import type { ProjectStats } from "@/db/queries/project-stats";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";

export interface JobView {
  id: string;
  kind: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  progressDone: number;
  progressTotal: number;
  /** stage "download": the project's Hub model is being fetched (bytes of totalBytes, file the current one). */
  result: { tokensPerSecond?: number; stage?: string; file?: string; bytes?: number; totalBytes?: number } | null;
  error: string | null;
  startedAt: string | null;
  cancelRequested: boolean;
}

/** The project's monitoring figures and recent jobs; polls fast while a job runs. */
export function useProjectStats(projectId: string) {
  return useQuery({
    queryKey: queryKeys.projectStats(projectId),
    queryFn: () => apiFetch<{ stats: ProjectStats; jobs: JobView[] }>(`/api/projects/${projectId}/stats`),
    refetchInterval: (q) => (q.state.data?.jobs.some((j) => j.status === "queued" || j.status === "running") ? 1000 : 5000),
  });
}
