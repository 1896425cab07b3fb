"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge, Card } from "@/components/ui/card";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { ReviewStatus } from "@/lib/datasets/review-status";

interface OwnRanking { id: string; promptText: string; createdAt: string; revision: number; reviewStatus: ReviewStatus }

const TONE: Record<ReviewStatus, "slate" | "green" | "indigo" | "red"> = { pending: "slate", accepted: "green", adjudicated: "indigo", rejected: "red" };

/** The annotator's latest rankings in a project; those nobody has reviewed yet can be reopened and changed. */
export function MyRankings({ projectId }: { projectId: string }) {
  const mine = useQuery({
    queryKey: queryKeys.myRankings(projectId),
    queryFn: () => apiFetch<{ rankings: OwnRanking[] }>(`/api/rankings?projectId=${projectId}`),
  });
  const rows = mine.data?.rankings ?? [];
  if (rows.length === 0) return null;
  return (
    <Card title="Your latest rankings" className="mt-6">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">You can change a ranking until a reviewer has looked at it; earlier versions are kept.</p>
      <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="my-rankings">
        {rows.map((r) => (
          <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
            <span className="min-w-0 flex-1 truncate">{r.promptText}</span>
            <span className="flex items-center gap-2">
              {r.revision > 1 ? <span className="text-slate-600 dark:text-slate-400">version {r.revision}</span> : null}
              <Badge tone={TONE[r.reviewStatus]}>{r.reviewStatus}</Badge>
              {r.reviewStatus === "pending" ? (
                <Link className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" href={`/annotate/${projectId}/amend/${r.id}`} aria-label={`Change your ranking of “${r.promptText.slice(0, 60)}”`}>
                  Change
                </Link>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
