"use client";

import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Textarea } from "@/components/ui/field";
import { describePlacement, responseLabel } from "@/lib/ranking/announce";
import { toSubmission } from "@/lib/ranking/draft";
import type { Shortcut } from "@/lib/ranking/keys";
import { flatOrder, initialRanking, isComplete, reduceRanking, type RankingAction, type RankingState } from "@/lib/ranking/state";
import type { RankingSubmission, RankingTask } from "@/lib/ranking/types";
import { ActionBar } from "./action-bar";
import { CompletionList } from "./completion-list";
import { Disclosure, Guidelines } from "./guidelines";
import { LeaseTimer } from "./lease-timer";
import { PromptView } from "./prompt-view";
import { ShortcutHelpDialog, ShortcutTable } from "./shortcut-help";
import { useRankingDraft } from "./use-ranking-draft";
import { useRankingShortcuts } from "./use-ranking-shortcuts";

export type { RankingSubmission, RankingTask } from "@/lib/ranking/types";

export interface RankingScreenProps {
  task: RankingTask;
  /** May throw an Error; its message is shown and the draft is kept. */
  onSubmit: (s: RankingSubmission) => Promise<void>;
  onSkip: (reason: string) => Promise<void>;
  submitting?: boolean;
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
export function RankingScreen(props: RankingScreenProps) {
  return <RankingScreenForTask key={props.task.assignmentId} {...props} />;
}

function RankingScreenForTask({ task, onSubmit, onSkip, submitting = false }: RankingScreenProps) {
  const shown = useMemo(() => task.completions.map((c) => c.id), [task.completions]);
  const texts = useMemo(() => Object.fromEntries(task.completions.map((c) => [c.id, c.text])), [task.completions]);
  const { draft, loaded, dispatch, clear } = useRankingDraft(task.assignmentId, shown);
  const ranking = loaded ? draft.ranking : initialRanking(shown);
  const view = loaded ? draft : { ...draft, ranking, flags: {}, ratings: {}, rationale: "" };

  const [message, setMessage] = useState({ text: "", n: 0 });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [dragging, setDragging] = useState(false);
  const inFlight = useRef(false); // state updates are async; a ref makes a double click a no-op
  const helpRef = useRef<HTMLDialogElement>(null);
  const cards = useRef(new Map<string, HTMLElement>());
  const pendingFocus = useRef<string | null>(null);
  const busy = pending || submitting;
  const locked = !loaded || busy || done;

  const announce = useCallback((text: string) => setMessage((m) => ({ text, n: m.n + 1 })), []);
  // One callback per id, cached, so card refs stay stable across renders.
  const refCallbacks = useRef(new Map<string, (el: HTMLElement | null) => void>());
  const cardRef = useCallback((id: string) => {
    let cb = refCallbacks.current.get(id);
    if (!cb) {
      cb = (el: HTMLElement | null) => {
        if (el) cards.current.set(id, el);
        else if (cards.current.get(id)?.isConnected === false) cards.current.delete(id);
      };
      refCallbacks.current.set(id, cb);
    }
    return cb;
  }, []);

  // Cards move (and may remount) when ranked; put focus back where the keyboard user expects it.
  useLayoutEffect(() => {
    const id = pendingFocus.current;
    if (!id) return;
    pendingFocus.current = null;
    const el = cards.current.get(id);
    if (el && document.activeElement !== el) el.focus({ preventScroll: true });
    el?.scrollIntoView?.({ block: "nearest" });
  });

  function act(action: RankingAction, focusId?: string) {
    if (locked) return;
    const after = reduceRanking(ranking, action);
    announce(announcement(ranking, after, action));
    if (focusId) pendingFocus.current = focusId;
    dispatch({ type: "rank", action });
  }

  async function submit() {
    if (inFlight.current || locked) return;
    if (!isComplete(ranking)) {
      announce(`Rank every response before submitting (${ranking.shown.length - ranking.unranked.length} of ${ranking.shown.length} ranked).`);
      return;
    }
    inFlight.current = true;
    setPending(true);
    setError(null);
    try {
      await onSubmit(toSubmission(draft, Date.now()));
      clear();
      setDone(true);
      announce("Ranking submitted.");
    } catch (err) {
      setError(err instanceof Error && err.message ? err.message : "Submitting failed.");
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }

  function onShortcut(s: Shortcut, id: string | null) {
    if (s.type === "help") return helpRef.current?.showModal();
    if (s.type === "submit") return void submit();
    if (!id) return;
    const order = flatOrder(ranking);
    const i = order.indexOf(id);
    switch (s.type) {
      case "focusNext":
      case "focusPrev": {
        const next = order[s.type === "focusNext" ? Math.min(i + 1, order.length - 1) : Math.max(i - 1, 0)];
        pendingFocus.current = next;
        cards.current.get(next)?.focus();
        return;
      }
      case "setRank": {
        // First pass through the list: after ranking an unranked response, go to the next one.
        const u = ranking.unranked.indexOf(id);
        const nextUnranked = u >= 0 ? (ranking.unranked[u + 1] ?? ranking.unranked.find((x) => x !== id)) : undefined;
        return act({ type: "setRank", id, rank: s.rank }, nextUnranked ?? id);
      }
      case "clearRank": return act({ type: "clearRank", id }, id);
      case "moveUp": return act({ type: "moveUp", id }, id);
      case "moveDown": return act({ type: "moveDown", id }, id);
      case "tie": return act({ type: "tieWithPrevious", id }, id);
      case "untie": return act({ type: "untie", id }, id);
    }
  }

  useRankingShortcuts({ count: shown.length, enabled: !dragging && !locked, onShortcut });

  return (
    // scroll-margin keeps focused controls clear of the sticky action bar (focus not obscured).
    <div className="space-y-4 [&_*]:scroll-mb-36">
      <p id="ranking-card-help" className="sr-only">
        Press 1 to {Math.min(9, shown.length)} to rank this response, t to tie it with the one above, Alt plus arrow keys to move it, j or k for the next or previous response, question mark for all shortcuts.
      </p>
      <div aria-live="polite" aria-atomic="true" className="sr-only">
        <span key={message.n}>{message.text}</span>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <LeaseTimer expiresAt={task.leaseExpiresAt} />
        <Button variant="ghost" onClick={() => helpRef.current?.showModal()} aria-keyshortcuts="?">
          Keyboard shortcuts <kbd className="rounded border border-slate-300 px-1 font-mono text-xs dark:border-slate-600">?</kbd>
        </Button>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div role="region" aria-label="Prompt and guidelines" tabIndex={0} className="min-w-0 space-y-4 rounded-lg lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto">
          <Guidelines markdown={task.guidelines} />
          <PromptView prompt={task.prompt} />
          <div className="hidden lg:block">
            <Disclosure title="Keyboard shortcuts">
              <ShortcutTable />
            </Disclosure>
          </div>
        </div>
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
        done={done}
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
        onSkip={onSkip}
      />
      <ShortcutHelpDialog ref={helpRef} />
    </div>
  );
}
