"use client";

import { Button } from "@/components/ui/button";
import { describeOrder } from "@/lib/ranking/announce";
import type { RankScale } from "@/lib/ranking/rubric";
import { describeProgressFor, isCompleteFor } from "@/lib/ranking/scale";
import type { RankingState } from "@/lib/ranking/state";
import { SkipDialog } from "./skip-dialog";
import type { Outcome } from "./use-submit";

export interface ActionBarProps {
  ranking: RankingState;
  scale: RankScale;
  busy: boolean;
  done: Outcome;
  disabled: boolean;
  error: string | null;
  onAllEqual: () => void;
  /** Null when the rubric has no low-quality flag to raise. */
  onAllBad: (() => void) | null;
  onReset: () => void;
  onSubmit: () => void;
  /** Absent when the task cannot be skipped (amending a submitted ranking). */
  onSkip?: (reason: string) => Promise<void>;
}

/**
 * Footer with progress, the one-click verdicts, skip and submit. Sticky from the sm breakpoint
 * up; on phones it would eat a third of the screen, so it sits after the rationale instead.
 */
export function ActionBar(p: ActionBarProps) {
  const complete = isCompleteFor(p.ranking, p.scale);
  const order = p.scale === "full" ? describeOrder(p.ranking) : "";
  const locked = p.disabled || p.busy || p.done !== null;
  return (
    <div className="z-20 rounded-lg border sm:sticky sm:bottom-0 sm:rounded-b-none sm:border-b-0 border-slate-200 bg-white/95 px-3 py-3 backdrop-blur sm:px-4 dark:border-slate-800 dark:bg-slate-900/95">
      {p.error ? (
        <p role="alert" className="mb-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {p.error} Your ranking is kept; try again.
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <p id="ranking-progress" className="mr-auto min-w-0 text-sm text-slate-700 dark:text-slate-300">
          <span className="font-semibold text-slate-900 dark:text-slate-100">{describeProgressFor(p.ranking, p.scale)}</span>
          {order ? <span className="ml-2 font-mono">{order}</span> : null}
          {!complete ? <span className="sr-only">{p.scale === "best" ? ". Pick the best response to submit." : ". Rank every response to submit."}</span> : null}
        </p>
        <Button variant="secondary" disabled={locked} onClick={p.onAllEqual}>All equally good</Button>
        {p.onAllBad ? <Button variant="secondary" disabled={locked} onClick={p.onAllBad} aria-describedby="all-bad-hint">All are bad</Button> : null}
        <Button variant="ghost" disabled={locked || p.ranking.tiers.length === 0} onClick={p.onReset}>Clear ranking</Button>
        {p.onSkip ? <SkipDialog onSkip={p.onSkip} disabled={locked} /> : null}
        <Button
          variant="primary"
          disabled={!complete || locked}
          aria-busy={p.busy}
          aria-describedby="ranking-progress"
          onClick={p.onSubmit}
          className="min-w-36"
        >
          {p.busy ? <span aria-hidden className="h-4 w-4 animate-spin rounded-full border-2 border-white border-t-transparent" /> : null}
          Submit ranking
        </Button>
      </div>
      <p id="all-bad-hint" className="mt-1 text-xs text-slate-700 dark:text-slate-300">
        {p.onAllBad ? "“All are bad” ties every response and flags each one as low quality." : null}
        {p.busy ? <span role="status" className="ml-2 font-medium">Submitting…</span> : null}
        {p.done ? <span role="status" className="ml-2 font-medium text-green-800 dark:text-green-300">{p.done === "submitted" ? "Submitted." : "Skipped."}</span> : null}
      </p>
    </div>
  );
}
