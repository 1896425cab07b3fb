"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { RankingScreen, type RankingSubmission, type RankingTask } from "@/components/ranking/ranking-screen";
import { Badge, Card } from "@/components/ui/card";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { ReviewStatus } from "@/lib/datasets/review-status";

/** GET /api/rankings/[id] as JSON. */
export interface OwnRankingView {
  task: RankingTask & { projectName: string };
  ranking: { id: string; ranks: Record<string, number>; flags: Record<string, string[]>; ratings: Record<string, number>; rationale: string; revision: number; reviewStatus: ReviewStatus };
  revisions: { revision: number; submittedAt: string; ranks: Record<string, number> }[];
}

/** The ranking screen, started from the annotator's stored ranking; saving replaces it and keeps the old version. */
export function AmendSession({ view }: { view: OwnRankingView }) {
  const qc = useQueryClient();
  const { task, ranking } = view;
  const [saved, setSaved] = useState<number | null>(null);
  const back = `/annotate/${task.projectId}`;
  if (ranking.reviewStatus !== "pending") {
    return (
      <Card>
        <p className="text-sm" role="status">A reviewer already looked at this ranking (<Badge>{ranking.reviewStatus}</Badge>); it can no longer be changed.</p>
        <Link href={back} className="mt-3 inline-block text-sm font-medium text-indigo-700 underline dark:text-indigo-300">Back to the queue</Link>
      </Card>
    );
  }
  async function submit(s: RankingSubmission) {
    const res = await apiFetch<{ revision: number }>(`/api/rankings/${ranking.id}`, { method: "PUT", body: { ...s, revision: ranking.revision } });
    void qc.invalidateQueries({ queryKey: queryKeys.myRankings(task.projectId) });
    setSaved(res.revision);
  }
  return (
    <div className="space-y-4">
      <Card>
        <p className="text-sm">
          You are changing your ranking (version {ranking.revision}
          {view.revisions.length > 0 ? `; ${view.revisions.length} earlier version${view.revisions.length === 1 ? "" : "s"} kept` : ""}). Saving replaces it until a reviewer looks at it.
        </p>
        {saved !== null ? (
          <p role="status" className="mt-2 text-sm font-medium text-green-800 dark:text-green-300" data-testid="amend-saved">
            Saved as version {saved}. <Link href={back} className="underline">Back to the queue</Link>
          </p>
        ) : null}
      </Card>
      <RankingScreen task={task} onSubmit={submit} start={{ draftKey: `amend:${ranking.id}:${ranking.revision}`, ranking }} />
    </div>
  );
}
