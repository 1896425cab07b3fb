"use client";

import { useCallback, useMemo, useRef, useState } from "react";
import { Field, Textarea } from "@/components/ui/field";
import { describePlacement, responseLabel } from "@/lib/ranking/announce";
import { groupIdentical } from "@/lib/ranking/identical";
import { planShortcut, type Shortcut } from "@/lib/ranking/keys";
import { ALL_BAD_FLAG, type RankScale } from "@/lib/ranking/rubric";
import { isCompleteFor } from "@/lib/ranking/scale";
import { initialRanking, reduceRanking, type RankingAction, type RankingState } from "@/lib/ranking/state";
import type { RankingSubmission, RankingTask } from "@/lib/ranking/types";
import { ActionBar } from "./action-bar";
import { CompletionList } from "./completion-list";
import { TaskContext } from "./prompt-view";
import { ScreenTopBar } from "./screen-top-bar";
import { ShortcutHelpDialog } from "./shortcut-help";
import { useRankingDraft } from "./use-ranking-draft";
import { useRankingShortcuts } from "./use-ranking-shortcuts";
import { useCardFocus } from "./use-card-focus";
import { useSubmit } from "./use-submit";

export type { RankingSubmission, RankingTask } from "@/lib/ranking/types";

export interface RankingScreenProps {
  task: RankingTask;
  /** May throw an Error; its message is shown and the draft is kept. */
  onSubmit: (s: RankingSubmission) => Promise<void>;
  onSkip: (reason: string) => Promise<void>;
  submitting?: boolean;
}

/** What a ranking action did, for the live region; says so when the key changed nothing. */
function announcement(before: RankingState, after: RankingState, action: RankingAction, scale: RankScale): string {
  if (action.type === "allEqual" || action.type === "reset") return action.type === "reset" ? "Ranking cleared." : "All responses tied at rank 1.";
  const label = responseLabel(before.shown, action.id);
  if (after === before) return action.type === "moveUp" || action.type === "moveDown" ? `${label} cannot move further.` : `${label}: nothing to change.`;
  const done = isCompleteFor(after, scale) && !isCompleteFor(before, scale) ? ` ${scale === "best" ? "Best response picked" : "All responses ranked"}; press Enter to submit.` : "";
  if (scale === "best") return `${label}: ${action.type === "clearRank" ? "not best" : "best"}.${done}`;
  return describePlacement(after, action.id) + done;
}

export function RankingScreen(props: RankingScreenProps) {
  return <RankingScreenForTask key={props.task.assignmentId} {...props} />;
}

/**
 * The ranking screen for one task. Keyed by assignment so that moving on to the next task starts
 * from a clean slate (submitted/error state, focus, expanded cards) even if the page reuses it.
 * Identical completions are shown once (lib/ranking/identical.ts); rewrites join the list.
 */
function RankingScreenForTask({ task, onSubmit, onSkip, submitting = false }: RankingScreenProps) {
  const { rubric } = task;
  const groups = useMemo(() => groupIdentical(task.completions), [task.completions]);
  const shown = useMemo(() => groups.map((g) => g.id), [groups]);
  const identical = useMemo(() => Object.fromEntries(groups.map((g) => [g.id, g.duplicates.length])), [groups]);
  const texts = useMemo(() => Object.fromEntries(task.completions.map((c) => [c.id, c.text])), [task.completions]);
  const context = useMemo(() => ({ rubric, groups, order: task.completions.map((c) => c.id) }), [rubric, groups, task.completions]);
  const { draft, loaded, dispatch, clear } = useRankingDraft(task.assignmentId, shown, rubric);
  const ranking = loaded ? draft.ranking : initialRanking(shown);
  const view = loaded ? draft : { ...draft, ranking, flags: {}, ratings: {}, aspectRatings: {}, rewrites: [], rationale: "" };

  const [message, setMessage] = useState({ text: "", n: 0 });
  const [dragging, setDragging] = useState(false);
  const helpRef = useRef<HTMLDialogElement>(null);
  const announce = useCallback((text: string) => setMessage((m) => ({ text, n: m.n + 1 })), []);
  const { cardRef, focusCard } = useCardFocus();
  const { pending, error, outcome, submit, skip } = useSubmit({ draft, context, ready: loaded && !submitting, onSubmit, onSkip, clear, announce });
  const busy = pending || submitting;
  const locked = !loaded || busy || outcome !== null;
  const allBadFlag = rubric.flags.some((f) => f.id === ALL_BAD_FLAG) ? ALL_BAD_FLAG : null;

  function act(action: RankingAction, focusId?: string) {
    if (locked) return;
    announce(announcement(ranking, reduceRanking(ranking, action), action, rubric.scale));
    dispatch({ type: "rank", action });
    if (focusId) focusCard(focusId);
  }

  function onShortcut(s: Shortcut, id: string | null) {
    if (s.type === "help") return helpRef.current?.showModal();
    if (s.type === "submit") return void submit();
    if (!id) return;
    const plan = planShortcut(ranking, s, id);
    if (plan.action) act(plan.action, plan.focus);
    else focusCard(plan.focus);
  }

  function onRewriteAdded(id: string, parentId: string) {
    const after = [...ranking.shown, id];
    announce(`${responseLabel(after, id)} added: your rewrite of ${responseLabel(after, parentId)}. Rank it with the others.`);
    focusCard(id);
  }

  useRankingShortcuts({ count: ranking.shown.length, scale: rubric.scale, enabled: !dragging && !locked, onShortcut });

  return (
    // scroll-margin keeps focused controls clear of the sticky action bar (focus not obscured).
    <div className="space-y-4 [&_*]:scroll-mb-36">
      <ScreenTopBar count={ranking.shown.length} scale={rubric.scale} message={message} leaseExpiresAt={task.leaseExpiresAt} onHelp={() => helpRef.current?.showModal()} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <TaskContext task={task} />
        <section aria-labelledby="responses-heading" className="min-w-0 space-y-4">
          <h2 id="responses-heading" className="text-base font-semibold text-slate-900 dark:text-slate-100">
            Responses <span className="font-normal text-slate-700 dark:text-slate-300">— {rubric.scale === "best" ? "pick the best one; marking several ties them" : "rank them, best first; equal numbers are ties"}</span>
          </h2>
          <CompletionList draft={view} texts={texts} rubric={rubric} identical={identical} disabled={locked} onAction={(a) => act(a)} dispatch={dispatch} onRewriteAdded={onRewriteAdded} cardRef={cardRef} onDraggingChange={setDragging} />
          <Field label="Rationale (optional)" htmlFor="ranking-rationale" hint="Why the best is best, or what is wrong with the others. Saved with your draft.">
            <Textarea id="ranking-rationale" rows={3} value={view.rationale} disabled={locked} onChange={(e) => dispatch({ type: "setRationale", rationale: e.target.value })} />
          </Field>
        </section>
      </div>
      <ActionBar
        ranking={ranking}
        scale={rubric.scale}
        busy={busy}
        done={outcome}
        disabled={!loaded}
        error={error}
        onAllEqual={() => act({ type: "allEqual" })}
        onAllBad={allBadFlag ? () => {
          if (locked) return;
          announce("All responses tied and flagged as low quality.");
          dispatch({ type: "allBad", flag: allBadFlag });
        } : null}
        onReset={() => act({ type: "reset" })}
        onSubmit={() => void submit()}
        onSkip={skip}
      />
      <ShortcutHelpDialog ref={helpRef} scale={rubric.scale} />
    </div>
  );
}
