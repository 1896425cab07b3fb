"use client";

import { useQuery } from "@tanstack/react-query";
import type { SourceReliability } from "@/lib/stats/crowd-bt";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";

/** Annotator id → CrowdBT reliability; refreshed once a minute (the fit is heavier than the polled stats). */
export function useProjectReliability(projectId: string) {
  return useQuery({
    queryKey: queryKeys.projectReliability(projectId),
    queryFn: () => apiFetch<{ reliability: Record<string, SourceReliability> }>(`/api/projects/${projectId}/reliability`),
    refetchInterval: 60_000,
  });
}
