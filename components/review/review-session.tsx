"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import { REVIEW_STATUS_LABELS, REVIEW_STATUSES, type ReviewStatus } from "@/lib/datasets/review-status";
import { ReviewCard, type Decision, type ReviewItemView } from "./review-card";

const DONE: Record<Decision["decision"], string> = { accepted: "Accepted.", rejected: "Rejected; the prompt is back in the queue.", adjudicated: "Re-ranking saved." };

/** The reviewer's loop over one project: the oldest pending ranking, decide, the next one. Decided ones can be browsed. */
export function ReviewSession({ projectId }: { projectId: string }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState<ReviewStatus>("pending");
  const [done, setDone] = useState<string | null>(null);
  const queue = useQuery({
    queryKey: queryKeys.reviewQueue(projectId, status),
    queryFn: () => apiFetch<{ total: number; items: ReviewItemView[] }>(`/api/reviews?projectId=${projectId}&status=${status}&limit=${status === "pending" ? 1 : 20}`),
  });
  const decide = useMutation({
    mutationFn: ({ item, d }: { item: ReviewItemView; d: Decision }) => apiFetch(`/api/reviews/${item.rankingId}`, { body: { ...d, revision: item.revision } }),
    onSuccess: (_, { d }) => setDone(DONE[d.decision]),
    onSettled: () => qc.invalidateQueries({ queryKey: ["projects", projectId, "reviews"] }),
  });
  const items = queue.data?.items ?? [];
  return (
    <div className="space-y-4">
      <Card>
        <div className="flex flex-wrap items-end justify-between gap-4">
          <Field label="Show" htmlFor="review-status">
            <Select id="review-status" value={status} onChange={(e) => { setStatus(e.target.value as ReviewStatus); setDone(null); }}>
              {REVIEW_STATUSES.map((s) => <option key={s} value={s}>{REVIEW_STATUS_LABELS[s]}</option>)}
            </Select>
          </Field>
          <p className="text-sm" data-testid="review-count">
            {queue.data ? `${queue.data.total} ${status === "pending" ? "waiting for review" : status}` : "Loading…"}
          </p>
        </div>
        {done ? <p role="status" className="mt-3 text-sm font-medium text-green-800 dark:text-green-300">{done}</p> : null}
        {decide.error ? <p role="alert" className="mt-3 text-sm text-red-700">{decide.error.message}</p> : null}
        {queue.error ? <p role="alert" className="mt-3 text-sm text-red-700">{queue.error.message}</p> : null}
      </Card>
      {queue.data && items.length === 0 ? <Card><p className="text-sm" role="status">Nothing here right now.</p></Card> : null}
      {items.map((item) => (
        <ReviewCard key={`${item.rankingId}:${item.revision}`} item={item} busy={decide.isPending} onDecide={(d) => { setDone(null); decide.mutate({ item, d }); }} />
      ))}
    </div>
  );
}
