"use client";

import { useState } from "react";
import { PromptView } from "@/components/ranking/prompt-view";
import { SafeMarkdown } from "@/components/ranking/markdown";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Select, Textarea } from "@/components/ui/field";
import type { ReviewDecision, ReviewStatus } from "@/lib/datasets/review-status";
import { responseLabel } from "@/lib/ranking/announce";

/** One ranking as GET /api/reviews returns it (dates as ISO strings). */
export interface ReviewItemView {
  rankingId: string;
  annotator: string;
  revision: number;
  createdAt: string;
  amendedAt: string | null;
  prompt: { text: string | null; messages: { role: string; content: string }[] | null };
  completions: { id: string; text: string }[];
  ranks: Record<string, number>;
  flags: Record<string, string[]>;
  ratings: Record<string, number>;
  rationale: string;
  timeSpentMs: number;
  reviewStatus: ReviewStatus;
  review: { decision: ReviewDecision; ranks: Record<string, number> | null; note: string; createdAt: string } | null;
}

export type Decision = { decision: ReviewDecision; ranks?: Record<string, number>; note: string };

const TONE: Record<ReviewStatus, "slate" | "green" | "indigo" | "red"> = { pending: "slate", accepted: "green", adjudicated: "indigo", rejected: "red" };

/** A completion as the annotator judged it: their rank, flags and rating, and the reviewer's rank when re-ranked. */
function CompletionRow({ item, id, text, rerank }: { item: ReviewItemView; id: string; text: string; rerank?: { value: number; onChange: (rank: number) => void } }) {
  const label = responseLabel(item.completions.map((c) => c.id), id);
  const adjudicated = item.review?.ranks?.[id];
  return (
    <li className="rounded-md p-3 ring-1 ring-slate-200 dark:ring-slate-700" data-testid="review-completion" data-completion-id={id}>
      <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
        <span className="font-semibold">{label}</span>
        <Badge tone="indigo">rank {item.ranks[id] ?? "—"}</Badge>
        {adjudicated !== undefined ? <Badge tone="green">reviewer: rank {adjudicated}</Badge> : null}
        {(item.flags[id] ?? []).map((f) => <Badge key={f} tone="amber">{f.replaceAll("_", " ")}</Badge>)}
        {item.ratings[id] !== undefined ? <span className="text-slate-600 dark:text-slate-400">rated {item.ratings[id]}/7</span> : null}
        {rerank ? (
          <label className="ml-auto flex items-center gap-2">
            <span>New rank of {label}</span>
            <Select value={rerank.value} onChange={(e) => rerank.onChange(Number(e.target.value))} className="w-20">
              {item.completions.map((_, i) => <option key={i} value={i + 1}>{i + 1}</option>)}
            </Select>
          </label>
        ) : null}
      </div>
      <SafeMarkdown text={text} />
    </li>
  );
}

/**
 * One submitted ranking for a reviewer: the prompt, the responses in the
 * order the annotator saw them with their ranks, flags and ratings, the
 * rationale, and — while pending — accept, reject or re-rank.
 */
export function ReviewCard({ item, busy, onDecide }: { item: ReviewItemView; busy: boolean; onDecide: (d: Decision) => void }) {
  const [note, setNote] = useState("");
  const [reranking, setReranking] = useState<Record<string, number> | null>(null);
  const pending = item.reviewStatus === "pending";
  return (
    <Card title={<>Ranking by {item.annotator} <Badge tone={TONE[item.reviewStatus]}>{item.reviewStatus}</Badge></>} className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Submitted {new Date(item.createdAt).toLocaleString()} · {(item.timeSpentMs / 1000).toFixed(0)} s spent
        {item.revision > 1 ? ` · amended (version ${item.revision})` : ""}
      </p>
      <PromptView prompt={item.prompt} />
      <ol className="space-y-3" aria-label="Responses as the annotator ranked them">
        {item.completions.map((c) => (
          <CompletionRow key={c.id} item={item} id={c.id} text={c.text} rerank={reranking ? { value: reranking[c.id] ?? 1, onChange: (r) => setReranking({ ...reranking, [c.id]: r }) } : undefined} />
        ))}
      </ol>
      <div>
        <h3 className="text-sm font-semibold">Annotator&apos;s rationale</h3>
        <p className="mt-1 whitespace-pre-wrap text-sm" data-testid="review-rationale">{item.rationale || "(none given)"}</p>
      </div>
      {item.review?.note ? <p className="text-sm">Reviewer&apos;s note: {item.review.note}</p> : null}
      {pending ? (
        <div className="space-y-3">
          <Field label="Note to the annotator (optional)" htmlFor={`note-${item.rankingId}`}>
            <Textarea id={`note-${item.rankingId}`} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <div className="flex flex-wrap gap-2">
            {reranking ? (
              <>
                <Button disabled={busy} onClick={() => onDecide({ decision: "adjudicated", ranks: reranking, note })}>Save re-ranking</Button>
                <Button variant="ghost" disabled={busy} onClick={() => setReranking(null)}>Cancel re-ranking</Button>
              </>
            ) : (
              <>
                <Button disabled={busy} onClick={() => onDecide({ decision: "accepted", note })}>Accept</Button>
                <Button variant="danger" disabled={busy} onClick={() => onDecide({ decision: "rejected", note })}>Reject</Button>
                <Button variant="secondary" disabled={busy} onClick={() => setReranking({ ...item.ranks })}>Re-rank</Button>
              </>
            )}
          </div>
        </div>
      ) : null}
    </Card>
  );
}
