"use client";

import { useCallback, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Textarea } from "@/components/ui/field";
import { describePlacement, responseLabel } from "@/lib/ranking/announce";
import { planShortcut, type Shortcut } from "@/lib/ranking/keys";
import { initialRanking, isComplete, reduceRanking, type RankingAction, type RankingState } from "@/lib/ranking/state";
import type { StoredRanking } from "@/lib/ranking/draft";
import type { RankingSubmission, RankingTask } from "@/lib/ranking/types";
import { ActionBar } from "./action-bar";
import { CompletionList } from "./completion-list";
import { LeaseTimer } from "./lease-timer";
import { TaskContext } from "./prompt-view";
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
  /** Without it (amending a submitted ranking) there is no Skip. */
  onSkip?: (reason: string) => Promise<void>;
  submitting?: boolean;
  /** Amending: the stored ranking to start from, and the key its draft is kept under (instead of the assignment id). */
  start?: { draftKey: string; ranking: StoredRanking };
}

/** What a ranking action did, for the live region; says so when the key changed nothing. */
function announcement(before: RankingState, after: RankingState, action: RankingAction): string {
  if (action.type === "allEqual" || action.type === "reset") return action.type === "reset" ? "Ranking cleared." : "All responses tied at rank 1.";
  const label = responseLabel(before.shown, action.id);
  if (after === before) return action.type === "moveUp" || action.type === "moveDown" ? `${label} cannot move further.` : `${label}: nothing to change.`;
  const done = isComplete(after) && !isComplete(before) ? " All responses ranked; press Enter to submit." : "";
  return describePlacement(after, action.id) + done;
}

/**
 * The ranking screen for one task. Keyed by assignment so that moving on to the next task starts
 * from a clean slate (submitted/error state, focus, expanded cards) even if the page reuses it.
 */
/** Screen-reader texts (card hint, live region), the lease countdown and the shortcuts button. */
function ScreenTopBar({ count, message, leaseExpiresAt, onHelp }: { count: number; message: { text: string; n: number }; leaseExpiresAt: string | null; onHelp: () => void }) {
  return (
    <>
      <p id="ranking-card-help" className="sr-only">
        Press 1 to {Math.min(9, count)} to rank this response, t to tie it with the one above, Alt plus arrow keys to move it, j or k for the next or previous response, question mark for all shortcuts.
      </p>
      <div aria-live="polite" aria-atomic="true" className="sr-only">
        {/* Re-keyed so the same message twice ("cannot move further") is announced twice. */}
        <span key={message.n}>{message.text}</span>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        {leaseExpiresAt ? <LeaseTimer expiresAt={leaseExpiresAt} /> : <span />}
        <Button variant="ghost" onClick={onHelp} aria-keyshortcuts="?">
          Keyboard shortcuts <kbd className="rounded border border-slate-300 px-1 font-mono text-xs dark:border-slate-600">?</kbd>
        </Button>
      </div>
    </>
  );
}

export function RankingScreen(props: RankingScreenProps) {
  return <RankingScreenForTask key={props.start?.draftKey ?? props.task.assignmentId} {...props} />;
}

function RankingScreenForTask({ task, onSubmit, onSkip, submitting = false, start }: RankingScreenProps) {
  const shown = useMemo(() => task.completions.map((c) => c.id), [task.completions]);
  const texts = useMemo(() => Object.fromEntries(task.completions.map((c) => [c.id, c.text])), [task.completions]);
  const { draft, loaded, dispatch, clear } = useRankingDraft(start?.draftKey ?? task.assignmentId, shown, start?.ranking);
  const ranking = loaded ? draft.ranking : initialRanking(shown);
  const view = loaded ? draft : { ...draft, ranking, flags: {}, ratings: {}, rationale: "" };

  const [message, setMessage] = useState({ text: "", n: 0 });
  const [dragging, setDragging] = useState(false);
  const helpRef = useRef<HTMLDialogElement>(null);
  const announce = useCallback((text: string) => setMessage((m) => ({ text, n: m.n + 1 })), []);
  const { cardRef, focusCard } = useCardFocus();
  const { pending, error, outcome, submit, skip } = useSubmit({ draft, ready: loaded && !submitting, onSubmit, onSkip, clear, announce });
  const busy = pending || submitting;
  const locked = !loaded || busy || outcome !== null;

  function act(action: RankingAction, focusId?: string) {
    if (locked) return;
    announce(announcement(ranking, reduceRanking(ranking, action), action));
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

  useRankingShortcuts({ count: shown.length, enabled: !dragging && !locked, onShortcut });

  return (
    // scroll-margin keeps focused controls clear of the sticky action bar (focus not obscured).
    <div className="space-y-4 [&_*]:scroll-mb-36">
      <ScreenTopBar count={shown.length} message={message} leaseExpiresAt={task.leaseExpiresAt} onHelp={() => helpRef.current?.showModal()} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <TaskContext task={task} />
        <section aria-labelledby="responses-heading" className="min-w-0 space-y-4">
          <h2 id="responses-heading" className="text-base font-semibold text-slate-900 dark:text-slate-100">
            Responses <span className="font-normal text-slate-700 dark:text-slate-300">— rank them, best first; equal numbers are ties</span>
          </h2>
          <CompletionList draft={view} texts={texts} disabled={locked} onAction={(a) => act(a)} dispatch={dispatch} cardRef={cardRef} onDraggingChange={setDragging} />
          <Field label="Rationale (optional)" htmlFor="ranking-rationale" hint="Why the best is best, or what is wrong with the others. Saved with your draft.">
            <Textarea id="ranking-rationale" rows={3} value={view.rationale} disabled={locked} onChange={(e) => dispatch({ type: "setRationale", rationale: e.target.value })} />
          </Field>
        </section>
      </div>
      <ActionBar
        ranking={ranking}
        busy={busy}
        done={outcome}
        disabled={!loaded}
        error={error}
        onAllEqual={() => act({ type: "allEqual" })}
        onAllBad={() => {
          if (locked) return;
          announce("All responses tied and flagged as low quality.");
          dispatch({ type: "allBad" });
        }}
        onReset={() => act({ type: "reset" })}
        onSubmit={() => void submit()}
        onSkip={skip}
      />
      <ShortcutHelpDialog ref={helpRef} />
    </div>
  );
}
