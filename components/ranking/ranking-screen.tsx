"use client";

import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { Field, Textarea } from "@/components/ui/field";
import { groupIdentical } from "@/lib/ranking/identical";
import { ALL_BAD_FLAG, type RankScale } from "@/lib/ranking/rubric";
import { flatOrder, initialRanking } from "@/lib/ranking/state";
import type { StoredRanking } from "@/lib/ranking/draft";
import type { RankingSubmission, RankingTask } from "@/lib/ranking/types";
import { ActionBar } from "./action-bar";
import { CompletionList } from "./completion-list";
import { TaskContext } from "./prompt-view";
import { ScreenTopBar } from "./screen-top-bar";
import { ShortcutHelpDialog } from "./shortcut-help";
import { useRankingDraft } from "./use-ranking-draft";
import { useRankingShortcuts } from "./use-ranking-shortcuts";
import { useCardFocus, useFirstCardFocus } from "./use-card-focus";
import { useRankingActions } from "./use-ranking-actions";
import { useSubmit } from "./use-submit";

export type { RankingSubmission, RankingTask } from "@/lib/ranking/types";

export interface RankingScreenProps {
  task: RankingTask;
  /** May throw an Error; its message is shown and the draft is kept. */
  onSubmit: (s: RankingSubmission) => Promise<void>;
  /** Without it (amending a submitted ranking) there is no Skip. */
  onSkip?: (reason: string) => Promise<void>;
  submitting?: boolean;
  /** Amending: the stored ranking to start from, and the key its draft is kept under (instead of the assignment id). */
  start?: { draftKey: string; ranking: StoredRanking };
}

export function RankingScreen(props: RankingScreenProps) {
  return <RankingScreenForTask key={props.start?.draftKey ?? props.task.assignmentId} {...props} />;
}

/** The responses column: a heading saying what to do under the rank scale, the cards, the rationale. */
function ResponsesSection({ scale, rationale, locked, onRationale, children }: { scale: RankScale; rationale: string; locked: boolean; onRationale: (r: string) => void; children: ReactNode }) {
  return (
    <section aria-labelledby="responses-heading" className="min-w-0 space-y-4">
      <h2 id="responses-heading" className="text-base font-semibold text-slate-900 dark:text-slate-100">
        Responses <span className="font-normal text-slate-700 dark:text-slate-300">— {scale === "best" ? "pick the best one; marking several ties them" : "rank them, best first; equal numbers are ties"}</span>
      </h2>
      {children}
      <Field label="Rationale (optional)" htmlFor="ranking-rationale" hint="Why the best is best, or what is wrong with the others. Saved with your draft.">
        <Textarea id="ranking-rationale" rows={3} value={rationale} disabled={locked} onChange={(e) => onRationale(e.target.value)} />
      </Field>
    </section>
  );
}

/** The task as the screen shows it: identical texts once, with what submitting needs to tie them again. */
function useTaskView(task: RankingTask) {
  return useMemo(() => {
    const groups = groupIdentical(task.completions);
    return {
      shown: groups.map((g) => g.id),
      identical: Object.fromEntries(groups.map((g) => [g.id, g.duplicates.length])),
      texts: Object.fromEntries(task.completions.map((c) => [c.id, c.text])),
      context: { rubric: task.rubric, groups, order: task.completions.map((c) => c.id) },
    };
  }, [task.completions, task.rubric]);
}

/**
 * The ranking screen for one task. Keyed by assignment so that moving on to the next task starts
 * from a clean slate (submitted/error state, focus, expanded cards) even if the page reuses it.
 * Identical completions are shown once (lib/ranking/identical.ts); rewrites join the list.
 */
function RankingScreenForTask({ task, onSubmit, onSkip, submitting = false, start }: RankingScreenProps) {
  const { rubric } = task;
  const { shown, identical, texts, context } = useTaskView(task);
  const { draft, loaded, dispatch, clear } = useRankingDraft(start?.draftKey ?? task.assignmentId, shown, rubric, start?.ranking);
  const ranking = loaded ? draft.ranking : initialRanking(shown);
  const view = loaded ? draft : { ...draft, ranking, flags: {}, ratings: {}, aspectRatings: {}, rewrites: [], rationale: "" };

  const [message, setMessage] = useState({ text: "", n: 0 });
  const [dragging, setDragging] = useState(false);
  const helpRef = useRef<HTMLDialogElement>(null);
  const announce = useCallback((text: string) => setMessage((m) => ({ text, n: m.n + 1 })), []);
  const { cardRef, focusCard } = useCardFocus();
  useFirstCardFocus({ ready: loaded, firstId: flatOrder(ranking)[0], focusCard });
  const { pending, error, outcome, submit, skip } = useSubmit({ draft, context, ready: loaded && !submitting, onSubmit, onSkip, clear, announce });
  const busy = pending || submitting;
  const locked = !loaded || busy || outcome !== null;
  const allBadFlag = rubric.flags.some((f) => f.id === ALL_BAD_FLAG) ? ALL_BAD_FLAG : null;

  const { act, onShortcut, onRewriteAdded, allBad } = useRankingActions({ ranking, scale: rubric.scale, locked, announce, dispatch, focusCard, submit, openHelp: () => helpRef.current?.showModal() });

  useRankingShortcuts({ count: ranking.shown.length, scale: rubric.scale, enabled: !dragging && !locked, onShortcut });

  return (
    // scroll-margin keeps focused controls clear of the sticky action bar (focus not obscured).
    <div className="space-y-4 [&_*]:scroll-mb-36">
      <ScreenTopBar count={ranking.shown.length} scale={rubric.scale} message={message} leaseExpiresAt={task.leaseExpiresAt} onHelp={() => helpRef.current?.showModal()} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <TaskContext task={task} />
        <ResponsesSection scale={rubric.scale} rationale={view.rationale} locked={locked} onRationale={(rationale) => dispatch({ type: "setRationale", rationale })}>
          <CompletionList draft={view} texts={texts} rubric={rubric} identical={identical} disabled={locked} onAction={(a) => act(a)} dispatch={dispatch} onRewriteAdded={onRewriteAdded} cardRef={cardRef} onDraggingChange={setDragging} />
        </ResponsesSection>
      </div>
      <ActionBar
        ranking={ranking}
        scale={rubric.scale}
        busy={busy}
        done={outcome}
        disabled={!loaded}
        error={error}
        onAllEqual={() => act({ type: "allEqual" })}
        onAllBad={allBadFlag ? () => allBad(allBadFlag) : null}
        onReset={() => act({ type: "reset" })}
        onSubmit={() => void submit()}
        onSkip={skip}
      />
      <ShortcutHelpDialog ref={helpRef} scale={rubric.scale} />
    </div>
  );
}
