"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { VersionsView } from "@/lib/research/versions";

/** The project's model versions, slots and model leaderboard (what GET /api/projects/<id>/versions returns). */
export function useVersions(projectId: string, initialData: VersionsView) {
  return useQuery({
    queryKey: queryKeys.versions(projectId),
    queryFn: () => apiFetch<VersionsView>(`/api/projects/${projectId}/versions`),
    initialData,
  });
}
